"""Security regression tests for the Keras analyzer.

Every malicious artefact is built here with h5py/zipfile/json; nothing is loaded with
Keras (which is not installed) and no bytecode is ever unmarshalled by the analyzer.
Each test names the technique or CVE it reproduces.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest
from test_keras_builders import (
    K2_TRAINING_CONFIG,
    artifact,
    h5_bytes,
    k2_cnn_layers,
    k2_dense,
    k2_functional_text,
    k2_sequential,
    k3_benign_layers,
    k3_dense,
    k3_input,
    k3_lambda,
    k3_lambda_code,
    k3_obj,
    k3_sequential,
    lambda_bytecode,
    rule_ids,
    scan,
    write_k2_h5,
    write_keras_v3,
)

from aiwarden.analyzers.interface import LimitExceeded, Limits
from aiwarden.analyzers.models.keras import KerasAnalyzer
from aiwarden.core.formats import FileFormat
from aiwarden.core.severity import Severity
from aiwarden.engine.classify import classify_file

H5, ZIP, JSON = FileFormat.HDF5, FileFormat.ZIP, FileFormat.JSON

# Bytecode of ``lambda x: __import__('os').system('touch /tmp/pwned') or x`` marshalled by
# other Python versions (Keras 2 models were saved from 3.7-3.10; Keras 3 from 3.9+).
FOREIGN_BYTECODE = {
    "3.7": "4wEAAAAAAAAAAQAAAAMAAABDAAAAcxIAAAB0AGQBgwGgAWQCoQFwEHwAUwApA07aAm9zehB0b3VjaCAvdG1wL3B"
    "3bmVkKQLaCl9faW1wb3J0X1/aBnN5c3RlbSkB2gF4qQByBQAAAPoHPGtlcmFzPtoIPGxhbWJkYT4BAAAA8wAAAAA=",
    "3.8": "4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMSAAAAdABkAYMBoAFkAqEBcBB8AFMAKQNO2gJvc3oQdG91Y2ggL3R"
    "tcC9wd25lZCkC2gpfX2ltcG9ydF9f2gZzeXN0ZW0pAdoBeKkAcgUAAAD6BzxrZXJhcz7aCDxsYW1iZGE+AQAAAPM"
    "AAAAA",
    "3.12": "4wEAAAAAAAAAAAAAAAMAAAADAAAA8z4AAACXAHQBAAAAAAAAAABkAasBAAAAAAAAagMAAAAAAAAAAAAAAAAAA"
    "AAAAABkAqsBAAAAAAAAeAFzAgEAfABTACkDTtoCb3N6EHRvdWNoIC90bXAvcHduZWQpAtoKX19pbXBvcnRfX9oGc"
    "3lzdGVtKQHaAXhzAQAAACD6BzxrZXJhcz76CDxsYW1iZGE+cgcAAAABAAAAcxwAAACAAIxqmBTTDh7XDiXRDiXQJ"
    "jjTDjnSDj64UYAA8wAAAAA=",
    "3.13": "4wEAAAAAAAAAAAAAAAMAAAADAAAA80gAAACVAFsBAAAAAAAAAABTATUBAAAAAAAAUgMAAAAAAAAAAAAAAAAAA"
    "AAAAABTAjUBAAAAAAAAPQEoAAAAAAAAAGQCAAAgAFUAJAApA07aAm9zehB0b3VjaCAvdG1wL3B3bmVkKQLaCl9fa"
    "W1wb3J0X1/aBnN5c3RlbSkB2gF4cwEAAAAg2gc8a2VyYXM+2gg8bGFtYmRhPnIHAAAAAQAAAHMdAAAAgACMapgU0"
    "w4e1w4l0Q4l0CY40w451w4+uFHQDj7zAAAAAA==",
}


def k2_lambda(
    name: str, function: Any, function_type: str = "lambda", **extra: Any
) -> dict[str, Any]:
    """A Keras 2 ``Lambda.get_config()``."""
    config = {
        "name": name,
        "trainable": True,
        "dtype": "float32",
        "function": function,
        "function_type": function_type,
        "module": "__main__",
        "output_shape": None,
        "output_shape_type": "raw",
        "output_shape_module": None,
        "arguments": {},
    }
    config.update(extra)
    return {"class_name": "Lambda", "config": config}


def only(findings: list[Any], rule: str) -> list[Any]:
    return [f for f in findings if f.rule_id == rule]


# --- Lambda bytecode (CVE-2024-3660, CVE-2025-9905) ------------------------------------------


def test_keras2_h5_lambda_bytecode_is_critical_with_names(tmp_path: Path) -> None:
    """CVE-2024-3660 / CVE-2025-9905: Keras 2 H5 Lambda with func_dump [b64, None, None]."""
    evil = k2_lambda("evil", [lambda_bytecode(), None, None])
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential([*k2_cnn_layers()[:2], evil]))
    findings = scan(path, H5)
    assert rule_ids(findings) == ["AIW-MOD101"]
    finding = findings[0]
    assert finding.severity is Severity.CRITICAL
    assert finding.evidence is not None
    for name in ("system", "__import__", "'os'", "'id'"):
        assert name in finding.evidence
    assert "evil" in finding.message and "model_config" in finding.message


def test_keras2_h5_lambda_bytecode_as_plain_string(tmp_path: Path) -> None:
    """Keras 2.2-era Lambda: ``function`` is the base64 string itself."""
    evil = k2_lambda("evil", lambda_bytecode("lambda x: eval('1') or x"))
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential([evil]))
    [finding] = scan(path, H5)
    assert finding.rule_id == "AIW-MOD101"
    assert finding.evidence is not None and "eval" in finding.evidence


@pytest.mark.parametrize("version", sorted(FOREIGN_BYTECODE))
def test_lambda_bytecode_from_other_python_versions_is_decoded(
    tmp_path: Path, version: str
) -> None:
    """Marshal layouts of 3.7, 3.8-3.10 and 3.11+ code objects all yield their names."""
    evil = k2_lambda("evil", [FOREIGN_BYTECODE[version], None, None])
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential([evil]))
    [finding] = scan(path, H5)
    assert finding.evidence is not None
    assert "byte scan" not in finding.evidence
    assert "touch /tmp/pwned" in finding.evidence and "system" in finding.evidence


def test_lambda_function_type_lambda_with_non_base64_string(tmp_path: Path) -> None:
    """func_load falls back to raw_unicode_escape: any string with function_type lambda is code."""
    evil = k2_lambda("evil", "c\u0000\u0000not-base64!\u00e3\u00e3")
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential([evil]))
    assert rule_ids(scan(path, H5)) == ["AIW-MOD101"]


def test_lambda_output_shape_bytecode(tmp_path: Path) -> None:
    """A benign function but a malicious ``output_shape`` lambda (output_shape_type lambda)."""
    layer = k2_lambda(
        "shape",
        "my_function",
        "function",
        output_shape=[lambda_bytecode(), None, None],
        output_shape_type="lambda",
    )
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential([layer]))
    findings = scan(path, H5)
    assert rule_ids(only(findings, "AIW-MOD101")) == ["AIW-MOD101"]
    assert "output_shape" in only(findings, "AIW-MOD101")[0].message


def test_lambda_nested_in_functional_inside_sequential(tmp_path: Path) -> None:
    """Scanner bypass: Lambda hidden in a nested model (modelscan only read top-level layers)."""
    inner = k2_functional_text([k2_lambda("payload", [lambda_bytecode(), None, None])], "inner")
    outer = k2_sequential([k2_dense("d0", 4), inner], "outer")
    path = write_k2_h5(tmp_path / "m.h5", outer)
    [finding] = scan(path, H5)
    assert finding.rule_id == "AIW-MOD101"
    assert "outer/inner/payload" in finding.message


@pytest.mark.parametrize("wrapper", ["TimeDistributed", "Bidirectional"])
def test_lambda_inside_wrapper_layer(tmp_path: Path, wrapper: str) -> None:
    """Lambda as the wrapped ``layer`` of a TimeDistributed/Bidirectional wrapper."""
    wrapped = {
        "class_name": wrapper,
        "config": {"name": "wrap", "layer": k2_lambda("inner", [lambda_bytecode(), None, None])},
    }
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential([wrapped]))
    assert rule_ids(scan(path, H5)) == ["AIW-MOD101"]


def test_keras3_lambda_in_keras_archive(tmp_path: Path) -> None:
    """CVE-2024-3660 in Keras 3: config.json Lambda with {"class_name": "__lambda__"}."""
    layers = [k3_input("in", [None, 16]), k3_lambda("evil", k3_lambda_code(lambda_bytecode()))]
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential(layers))
    [finding] = scan(path, ZIP)
    assert finding.rule_id == "AIW-MOD101"
    assert finding.location.member == "config.json"
    assert finding.evidence is not None and "system" in finding.evidence


def test_serialization_lib_lambda_as_activation(tmp_path: Path) -> None:
    """serialization_lib ``__lambda__`` ({"value": func_dump}) used as a Dense activation."""
    activation = {"class_name": "__lambda__", "config": {"value": [lambda_bytecode(), None, None]}}
    layers = [k3_input("in", [None, 16]), k3_dense("dense", 4, activation)]
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential(layers))
    assert rule_ids(scan(path, ZIP)) == ["AIW-MOD101"]


def test_renamed_keras_archive_is_caught_by_content(tmp_path: Path) -> None:
    """A .keras archive renamed to .bin is still a Keras archive (classified as ZIP)."""
    layers = [k3_lambda("evil", k3_lambda_code(lambda_bytecode()))]
    path = write_keras_v3(tmp_path / "pytorch_model.bin", k3_sequential(layers))
    fmt = classify_file(path)
    assert fmt is FileFormat.ZIP
    analyzer = KerasAnalyzer()
    assert analyzer.accepts(artifact(path, fmt)) and analyzer.claims(artifact(path, fmt))
    assert rule_ids(scan(path, fmt)) == ["AIW-MOD101"]


def test_renamed_h5_model_is_caught_by_content(tmp_path: Path) -> None:
    evil = k2_lambda("evil", [lambda_bytecode(), None, None])
    path = write_k2_h5(tmp_path / "weights.ckpt", k2_sequential([evil]))
    assert classify_file(path) is FileFormat.HDF5
    assert rule_ids(scan(path, H5)) == ["AIW-MOD101"]


# --- module/function references (CVE-2025-1550, -8747, -9906) ------------------------------


def test_cve_2025_1550_activation_resolves_to_os_system(tmp_path: Path) -> None:
    """CVE-2025-1550: a serialised function {"module": "os", "config": "system"} as activation."""
    activation = k3_obj("os", "function", "system", "system")
    layers = [k3_input("in", [None, 16]), k3_dense("dense", 4, activation)]
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential(layers))
    [finding] = scan(path, ZIP)
    assert finding.rule_id == "AIW-MOD103" and finding.severity is Severity.CRITICAL
    assert "os.system" in finding.message
    assert finding.evidence is not None and '"module": "os"' in finding.evidence


@pytest.mark.parametrize(
    ("module", "name"),
    [("builtins", "exec"), ("subprocess", "Popen"), ("posix", "system"), ("runpy", "run_path")],
)
def test_dangerous_module_as_initializer(tmp_path: Path, module: str, name: str) -> None:
    """CVE-2025-1550 class through other slots and modules."""
    layer = k3_dense("dense", 4)
    layer["config"]["kernel_initializer"] = k3_obj(module, "function", name)
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential([layer]))
    assert rule_ids(scan(path, ZIP)) == ["AIW-MOD103"]


def test_dangerous_class_reference(tmp_path: Path) -> None:
    """A layer object whose module is outside Keras and dangerous (subprocess.Popen as class)."""
    layer = k3_obj("subprocess", "Popen", {"args": ["id"]})
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential([layer]))
    assert rule_ids(scan(path, ZIP)) == ["AIW-MOD103"]


def test_jfrog_keras_custom_lambda_arguments_reference(tmp_path: Path) -> None:
    """JFrog KERAS-CUSTOM: a Lambda whose ``arguments`` carry {"module": "os", "system"}."""
    layer = k3_lambda(
        "call",
        k3_obj("builtins", "function", "map"),
        arguments={"key": {"class_name": "function", "config": "system", "module": "os"}},
    )
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential([layer]))
    findings = scan(path, ZIP)
    assert rule_ids(findings) == ["AIW-MOD102", "AIW-MOD103", "AIW-MOD103"]


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("keras.models", "load_model"),  # CVE-2025-9906 step 2: load_model(safe_mode=False)
        ("keras.config", "enable_unsafe_deserialization"),  # CVE-2025-9906
        ("keras.src.backend.common.global_state", "set_global_attribute"),  # CVE-2025-9906 step 1
        ("keras.utils", "get_file"),  # CVE-2025-8747: download and overwrite files
    ],
)
def test_safe_mode_bypass_gadgets_inside_keras(tmp_path: Path, module: str, name: str) -> None:
    """Lambda layers calling Keras-internal gadgets pass Keras >= 3.9's module check."""
    layer = k3_lambda("gadget", k3_obj(module, "function", name, "function"))
    layer["config"]["arguments"] = {"safe_mode": False}
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential([layer]))
    findings = scan(path, ZIP)
    assert rule_ids(findings) == ["AIW-MOD102", "AIW-MOD103"]
    assert f"{module}.{name}" in only(findings, "AIW-MOD103")[0].message


@pytest.mark.parametrize("value", ["os.system", "builtins.exec", "subprocess>Popen", "__import__"])
def test_string_activation_naming_dangerous_callable(tmp_path: Path, value: str) -> None:
    """Function slot given as a dotted string that resolves outside Keras."""
    layers = [k2_dense("d", 4, activation=value)]
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential(layers))
    assert rule_ids(scan(path, H5)) == ["AIW-MOD103"]


def test_training_config_loss_references_builtins(tmp_path: Path) -> None:
    """training_config (H5) custom loss resolving to builtins.eval."""
    training = dict(K2_TRAINING_CONFIG, loss={"output": "builtins.eval"})
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential(k2_cnn_layers()), training_config=training)
    [finding] = scan(path, H5)
    assert finding.rule_id == "AIW-MOD103" and "training_config" in finding.message


def test_keras2_lambda_module_globals_lookup(tmp_path: Path) -> None:
    """Keras 2 Lambda (function_type function) resolving ``system`` in module ``os`` globals."""
    layer = k2_lambda("call", "system", "function")
    layer["config"]["module"] = "os"
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential([layer]))
    findings = scan(path, H5)
    assert rule_ids(findings) == ["AIW-MOD102", "AIW-MOD103"]
    assert only(findings, "AIW-MOD102")[0].severity is Severity.HIGH


def test_lambda_with_registered_function_is_high(tmp_path: Path) -> None:
    """A Lambda naming a plain function: no bytecode, still code that runs on load."""
    layer = k2_lambda("call", "normalise", "function")
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential([layer]))
    [finding] = scan(path, H5)
    assert finding.rule_id == "AIW-MOD102" and finding.severity is Severity.HIGH


def test_custom_objects_outside_keras(tmp_path: Path) -> None:
    """Custom layer (registered) is medium; a function from an arbitrary module is high."""
    custom_layer = k3_obj("acme.layers", "FancyDense", {"units": 4}, "acme>FancyDense")
    dense = k3_dense("dense", 4, k3_obj("acme.activations", "function", "swish2", "acme>swish2"))
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential([custom_layer, dense]))
    findings = scan(path, ZIP)
    assert rule_ids(findings) == ["AIW-MOD104", "AIW-MOD104"]
    assert sorted(f.severity.value for f in findings) == ["high", "medium"]


def test_keras_hub_objects_are_trusted(tmp_path: Path) -> None:
    """KerasHub presets reference keras_hub modules: allowed by Keras >= 3.9, not reported."""
    backbone = k3_obj(
        "keras_hub.src.models.gemma.gemma_backbone",
        "GemmaBackbone",
        {"vocabulary_size": 256000, "num_layers": 18, "name": "gemma_backbone"},
        "keras_hub>GemmaBackbone",
    )
    path = write_keras_v3(tmp_path / "m.keras", backbone)
    assert scan(path, ZIP) == []


# --- reads outside the model (CVE-2026-1669, vocabulary files) --------------------------------


def test_h5_external_link_in_keras_h5(tmp_path: Path) -> None:
    """CVE-2026-1669 class: model_weights group is an ExternalLink to another file."""
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential(k2_cnn_layers()))
    with h5py.File(path, "a") as f:
        f["model_weights/dense"]["leak"] = h5py.ExternalLink("/home/victim/secret.h5", "/")
    [finding] = scan(path, H5)
    assert finding.rule_id == "AIW-MOD107"
    assert "/home/victim/secret.h5" in (finding.evidence or "")


def test_h5_external_storage_and_virtual_dataset_in_keras_archive(tmp_path: Path) -> None:
    """CVE-2026-1669 class inside model.weights.h5: external raw storage and a VDS."""

    def build(f: h5py.File) -> None:
        f.create_dataset(
            "layers/dense/vars/0", shape=(4,), dtype="f4", external=[("/etc/passwd", 0, 16)]
        )
        layout = h5py.VirtualLayout(shape=(4,), dtype="f4")
        layout[:] = h5py.VirtualSource("/etc/shadow", "data", shape=(4,))
        f.create_virtual_dataset("layers/dense/vars/1", layout)

    path = write_keras_v3(
        tmp_path / "m.keras", k3_sequential(k3_benign_layers()), weights=h5_bytes(build)
    )
    findings = scan(path, ZIP)
    assert rule_ids(findings) == ["AIW-MOD107", "AIW-MOD107"]
    assert {f.location.member for f in findings} == {"model.weights.h5"}
    evidence = " ".join(f.evidence or "" for f in findings)
    assert "/etc/passwd" in evidence and "/etc/shadow" in evidence


def test_h5_shape_bomb(tmp_path: Path) -> None:
    """GHSA-xfhx-r7ww-5995 class: chunked dataset declaring 16 GiB, storing nothing."""
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential(k2_cnn_layers()))
    with h5py.File(path, "a") as f:
        f["model_weights/dense/dense"].create_dataset(
            "bomb:0", shape=(2**20, 2**12), dtype="f4", chunks=(1024, 1024)
        )
    [finding] = scan(path, H5)
    assert finding.rule_id == "AIW-MOD108"


@pytest.mark.parametrize(
    ("layer", "key", "value", "severity"),
    [
        ("StringLookup", "vocabulary", "/etc/passwd", Severity.HIGH),
        ("TextVectorization", "vocabulary", "../../secrets.txt", Severity.HIGH),
        ("IntegerLookup", "vocabulary", "vocab.txt", Severity.MEDIUM),
        ("TFSMLayer", "filepath", "gs://bucket/saved_model", Severity.HIGH),
    ],
)
def test_config_reads_files_outside_the_model(
    tmp_path: Path, layer: str, key: str, value: str, severity: Severity
) -> None:
    """CVE-2025-12058 class: lookup vocabulary / TFSMLayer path read at load time."""
    obj = k3_obj("keras.layers", layer, {"name": "lookup", key: value})
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential([obj]))
    [finding] = scan(path, ZIP)
    assert finding.rule_id == "AIW-MOD107" and finding.severity is severity


def test_inline_vocabulary_is_fine(tmp_path: Path) -> None:
    obj = k3_obj("keras.layers", "StringLookup", {"name": "lookup", "vocabulary": ["a", "b"]})
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential([obj]))
    assert scan(path, ZIP) == []


# --- fail closed -----------------------------------------------------------------------------


def test_corrupt_model_config_json_is_reported(tmp_path: Path) -> None:
    path = write_k2_h5(tmp_path / "m.h5", '{"class_name": "Sequential", "config": {"layers": [')
    [finding] = scan(path, H5)
    assert finding.rule_id == "AIW-MOD105" and finding.severity is Severity.HIGH


@pytest.mark.parametrize("text", ['["not", "an", "object"]', '{"layers": []}', b"\xff\xfe{"])
def test_model_config_of_wrong_shape_is_reported(tmp_path: Path, text: str | bytes) -> None:
    path = write_k2_h5(tmp_path / "m.h5", text)
    assert rule_ids(scan(path, H5)) == ["AIW-MOD105"]


def test_model_config_that_is_not_a_string(tmp_path: Path) -> None:
    path = write_k2_h5(tmp_path / "m.h5", None)
    with h5py.File(path, "a") as f:
        f.attrs["model_config"] = np.arange(3)
    assert rule_ids(scan(path, H5)) == ["AIW-MOD105"]


def test_findings_before_a_parse_error_are_kept(tmp_path: Path) -> None:
    """model_config is malicious, training_config is broken: both are reported."""
    evil = k2_lambda("evil", [lambda_bytecode(), None, None])
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential([evil]))
    with h5py.File(path, "a") as f:
        f.attrs["training_config"] = "{broken"
    assert rule_ids(scan(path, H5)) == ["AIW-MOD101", "AIW-MOD105"]


def test_corrupt_config_json_in_archive(tmp_path: Path) -> None:
    path = write_keras_v3(tmp_path / "m.keras", '{"module": "keras", "class_name": ')
    [finding] = scan(path, ZIP)
    assert finding.rule_id == "AIW-MOD105" and finding.location.member == "config.json"


def test_corrupt_hdf5_container(tmp_path: Path) -> None:
    path = tmp_path / "m.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00\x07garbage" * 64)
    assert rule_ids(scan(path, H5)) == ["AIW-MOD105"]


def test_archive_without_config_but_with_weights(tmp_path: Path) -> None:
    path = write_keras_v3(tmp_path / "m.keras", None)
    [finding] = scan(path, ZIP)
    assert finding.rule_id == "AIW-MOD106"


def test_duplicate_config_json_every_copy_is_checked(tmp_path: Path) -> None:
    """Parser differential: the first config.json is malicious, the last (Keras's) benign."""
    evil = k3_sequential([k3_lambda("evil", k3_lambda_code(lambda_bytecode()))])
    path = write_keras_v3(tmp_path / "m.keras", evil)
    import warnings
    import zipfile

    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as archive:
        warnings.simplefilter("ignore")
        archive.writestr("config.json", json.dumps(k3_sequential(k3_benign_layers())))
    assert rule_ids(scan(path, ZIP)) == ["AIW-MOD101", "AIW-MOD106"]


def test_oversized_config_hits_a_limit(tmp_path: Path) -> None:
    big = json.dumps(k3_sequential(k3_benign_layers())) + " " * (17 * 1024 * 1024)
    path = write_keras_v3(tmp_path / "m.keras", big)
    with pytest.raises(LimitExceeded):
        scan(path, ZIP)


def test_deeply_nested_models_hit_a_limit_after_reporting(tmp_path: Path) -> None:
    """A Lambda at the top, then 300 nested Sequential models: the Lambda is still reported."""
    model: dict[str, Any] = k2_sequential([k2_dense("leaf", 1)])
    for depth in range(300):
        model = k2_sequential([model], f"m{depth}")
    top = k2_sequential([k2_lambda("evil", [lambda_bytecode(), None, None]), model])
    path = write_k2_h5(tmp_path / "m.h5", top)
    found = []
    with pytest.raises(LimitExceeded):
        for finding in KerasAnalyzer().analyze(artifact(path, H5), Limits()):
            found.append(finding)
    assert [f.rule_id for f in found] == ["AIW-MOD101"]


def test_json_too_deep_for_the_parser_is_reported(tmp_path: Path) -> None:
    text = '{"class_name": "Sequential", "config": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = write_keras_v3(tmp_path / "m.keras", text)
    assert rule_ids(scan(path, ZIP)) == ["AIW-MOD105"]


# --- benign files: zero findings -------------------------------------------------------------


def test_benign_keras2_cnn_h5_has_no_findings(tmp_path: Path) -> None:
    weights: dict[str, dict[str, tuple[int, ...]]] = {
        "conv2d": {"kernel:0": (3, 3, 1, 32), "bias:0": (32,)},
        "batch_normalization": {
            "gamma:0": (32,),
            "beta:0": (32,),
            "moving_mean:0": (32,),
            "moving_variance:0": (32,),
        },
        "dense": {"kernel:0": (5408, 10), "bias:0": (10,)},
    }
    path = write_k2_h5(
        tmp_path / "cnn.h5",
        k2_sequential(k2_cnn_layers()),
        training_config=K2_TRAINING_CONFIG,
        weights=weights,
    )
    assert scan(path, H5) == []


def test_benign_keras2_functional_text_model_has_no_findings(tmp_path: Path) -> None:
    path = write_k2_h5(
        tmp_path / "tagger.h5", k2_functional_text(), training_config=K2_TRAINING_CONFIG
    )
    assert scan(path, H5) == []


def test_benign_keras3_archives_have_no_findings(tmp_path: Path) -> None:
    sequential = write_keras_v3(tmp_path / "seq.keras", k3_sequential(k3_benign_layers()))
    nested = k3_sequential(
        [k3_input("in", [None, 16]), k3_sequential(k3_benign_layers()[1:], "inner")]
    )
    nested_path = write_keras_v3(tmp_path / "nested.keras", nested)
    assert scan(sequential, ZIP) == [] and scan(nested_path, ZIP) == []


def test_plain_hdf5_dataset_is_not_keras(tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("images", data=np.zeros((8, 4), dtype="u1"))
        f["elsewhere"] = h5py.ExternalLink("other.h5", "/")  # legitimate in science data
        f.attrs["title"] = "not a model"
    analyzer = KerasAnalyzer()
    assert analyzer.accepts(artifact(path, H5))
    assert scan(path, H5) == []


def test_plain_zip_is_not_claimed(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps({"architectures": ["BertModel"]}))
        archive.writestr("tokenizer_config.json", "{}")
    analyzer = KerasAnalyzer()
    assert not analyzer.accepts(artifact(path, ZIP))
    assert not analyzer.claims(artifact(path, ZIP))


def test_standalone_keras_config_json(tmp_path: Path) -> None:
    """Hugging Face Keras repositories ship config.json next to model.weights.h5."""
    bad = tmp_path / "config.json"
    bad.write_text(
        json.dumps(k3_sequential([k3_lambda("evil", k3_lambda_code(lambda_bytecode()))]))
    )
    hf = tmp_path / "hf" / "config.json"
    hf.parent.mkdir()
    hf.write_text(json.dumps({"architectures": ["BertModel"], "hidden_size": 768}))
    analyzer = KerasAnalyzer()
    assert analyzer.accepts(artifact(bad, JSON)) and not analyzer.accepts(artifact(hf, JSON))
    assert rule_ids(scan(bad, JSON)) == ["AIW-MOD101"]
