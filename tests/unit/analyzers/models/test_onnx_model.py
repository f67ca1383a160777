"""Security regression tests for the ONNX analyzer.

Benign models are written by the real ``onnx`` library (``onnx.helper``, ``onnx.save``
with external data). Malicious ones are built with ``onnx.helper`` too and serialised
with ``SerializeToString`` (``onnx.save`` itself refuses escaping locations). Nothing
is ever loaded by a runtime. Each test names the technique.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.onnx_model import (
    ONNX_RULES,
    OnnxAnalyzer,
    escape_reason,
    sniff_pickle,
)
from aiwarden.analyzers.models.savedmodel import SavedModelAnalyzer
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.severity import Severity

ANALYZER = OnnxAnalyzer()
F = TensorProto.FLOAT
# os.system('id') as protocol 4 / 2 / 0 pickles, written opcode by opcode.
PICKLE_P4 = b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94\x8c\x02id\x94\x85\x94R\x94."  # noqa: E501
PICKLE_P2 = b"\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03."
PICKLE_P0 = b"cos\nsystem\n(S'id'\ntR."


def vi(name: str) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, F, [2])


def graph(nodes: list[onnx.NodeProto], inits: list[TensorProto] | None = None) -> onnx.GraphProto:
    return helper.make_graph(nodes, "g", [vi("X")], [vi("Y")], inits or [])


def model(
    nodes: list[onnx.NodeProto],
    inits: list[TensorProto] | None = None,
    opsets: list[onnx.OperatorSetIdProto] | None = None,
    functions: list[onnx.FunctionProto] | None = None,
) -> onnx.ModelProto:
    return helper.make_model(
        graph(nodes, inits),
        opset_imports=opsets or [helper.make_opsetid("", 17)],
        functions=functions or [],
    )


def write(tmp_path: Path, proto: onnx.ModelProto | bytes, name: str = "model.onnx") -> Path:
    path = tmp_path / name
    path.write_bytes(proto if isinstance(proto, bytes) else proto.SerializeToString())
    return path


def scan_path(
    path: Path,
    fmt: FileFormat = FileFormat.ONNX,
    member: str | None = None,
    limits: Limits | None = None,
) -> list[Finding]:
    artifact = Artifact(path, path.name, fmt, path.stat().st_size, member=member)
    return list(ANALYZER.analyze(artifact, limits or Limits()))


def scan(tmp_path: Path, proto: onnx.ModelProto | bytes, **kw: object) -> list[Finding]:
    return scan_path(write(tmp_path, proto), **kw)  # type: ignore[arg-type]


def ids(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


def weights(name: str = "W", size: int = 2) -> TensorProto:
    return numpy_helper.from_array(np.arange(size, dtype=np.float32), name)


def if_node(inner: list[onnx.NodeProto], name: str = "if") -> onnx.NodeProto:
    branch = helper.make_graph(inner, f"{name}_then", [], [vi("Y")])
    other = helper.make_graph([helper.make_node("Identity", ["X"], ["Y"])], "else", [], [vi("Y")])
    return helper.make_node("If", ["C"], ["Y"], then_branch=branch, else_branch=other, name=name)


# -- benign models written by the real library ------------------------------------------


def benign_model() -> onnx.ModelProto:
    loop_body = helper.make_graph(
        [
            helper.make_node("Identity", ["cond_in"], ["cond_out"]),
            helper.make_node("Add", ["acc_in", "W"], ["acc_out"]),
        ],
        "body",
        [
            helper.make_tensor_value_info("i", TensorProto.INT64, []),
            helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
            vi("acc_in"),
        ],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []), vi("acc_out")],
    )
    nodes = [
        helper.make_node("MatMul", ["X", "M"], ["A"], name="matmul"),
        helper.make_node("Relu", ["A"], ["R"]),
        helper.make_node("ReduceSum", ["R"], ["S"], keepdims=0),
        helper.make_node("Greater", ["S", "zero"], ["C"]),
        helper.make_node("Loop", ["N", "T", "R"], ["L"], body=loop_body),
        helper.make_node("Normalizer", ["L"], ["Z"], domain="ai.onnx.ml", norm="L2"),
        helper.make_node("FusedMatMul", ["Z", "M"], ["FM"], domain="com.microsoft"),
        if_node([helper.make_node("Sigmoid", ["FM"], ["Y"])]),
    ]
    inits = [
        numpy_helper.from_array(np.eye(2, dtype=np.float32), "M"),
        weights(),
        numpy_helper.from_array(np.array(0, np.float32), "zero"),
        numpy_helper.from_array(np.array(3, np.int64), "N"),
        numpy_helper.from_array(np.array(True), "T"),
    ]
    opsets = [
        helper.make_opsetid("", 17),
        helper.make_opsetid("ai.onnx.ml", 3),
        helper.make_opsetid("com.microsoft", 1),
    ]
    return model(nodes, inits, opsets)


def test_benign_model_with_subgraphs_and_standard_domains_has_no_findings(
    tmp_path: Path,
) -> None:
    proto = benign_model()
    onnx.save(proto, tmp_path / "model.onnx")
    assert scan_path(tmp_path / "model.onnx") == []


def test_benign_external_data_written_by_onnx_save_has_no_findings(tmp_path: Path) -> None:
    proto = model(
        [helper.make_node("Add", ["X", "W"], ["Y"])], [weights(size=4096), weights("V", 4096)]
    )
    onnx.save_model(
        proto,
        tmp_path / "model.onnx",
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location="model.onnx.data",
        size_threshold=0,
    )
    saved = onnx.load(tmp_path / "model.onnx", load_external_data=False)
    assert saved.graph.initializer[0].data_location == TensorProto.EXTERNAL
    assert scan_path(tmp_path / "model.onnx") == []


def test_model_local_function_in_custom_domain_is_not_a_custom_op(tmp_path: Path) -> None:
    # torch.onnx's dynamo exporter emits functions such as pkg.onnxscript.torch_lib::aten_add.
    body = [helper.make_node("Add", ["a", "b"], ["c"])]
    fn = helper.make_function(
        "pkg.onnxscript.torch_lib",
        "aten_add",
        ["a", "b"],
        ["c"],
        body,
        [helper.make_opsetid("", 17)],
    )
    call = helper.make_node("aten_add", ["X", "W"], ["Y"], domain="pkg.onnxscript.torch_lib")
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("pkg.onnxscript.torch_lib", 1)]
    proto = model([call], [weights()], opsets, [fn])
    onnx.checker.check_model(proto)
    assert scan(tmp_path, proto) == []


def test_local_function_does_not_hide_other_ops_of_its_domain(tmp_path: Path) -> None:
    # Technique: declare a dummy local function in the attacker's domain so that the
    # whole domain looks local; the other op of that domain still needs a native library.
    fn = helper.make_function(
        "com.attacker", "Dummy", ["a"], ["b"], [helper.make_node("Identity", ["a"], ["b"])], []
    )
    nodes = [
        helper.make_node("Dummy", ["X"], ["A"], domain="com.attacker"),
        helper.make_node("LoadsNativeCode", ["A"], ["Y"], domain="com.attacker"),
    ]
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.attacker", 1)]
    findings = scan(tmp_path, model(nodes, opsets=opsets, functions=[fn]))
    assert ids(findings) == ["AIW-MOD303"]
    assert "LoadsNativeCode" in findings[0].message and "Dummy" not in findings[0].message


def test_float_tensor_that_starts_like_a_pickle_header_is_not_reported(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    raw = bytearray(rng.standard_normal(4096).astype(np.float32).tobytes())
    raw[0:2] = b"\x80\x02"  # PROTO 2 by coincidence, followed by float noise
    tensor = helper.make_tensor("W", F, [4096], bytes(raw), raw=True)
    assert scan(tmp_path, model([helper.make_node("Add", ["X", "W"], ["Y"])], [tensor])) == []


# -- external data escaping the model directory -----------------------------------------


def external(name: str, location: str) -> TensorProto:
    tensor = TensorProto(name=name, data_type=F, dims=[2])
    tensor.data_location = TensorProto.EXTERNAL
    entry = tensor.external_data.add()
    entry.key, entry.value = "location", location
    length = tensor.external_data.add()
    length.key, length.value = "length", "8"
    return tensor


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("../../etc/passwd", "'..'"),
        ("weights/../../../root/.ssh/id_rsa", "'..'"),
        ("..\\..\\Windows\\win.ini", "'..'"),
        ("/etc/passwd", "absolute"),
        ("\\etc\\passwd", "absolute"),
        ("C:\\Windows\\System32\\config\\SAM", "drive letter"),
        ("c:relative.bin", "drive letter"),
        ("\\\\attacker\\share\\w.bin", "UNC"),
        ("//attacker/share/w.bin", "UNC"),
        ("weights.bin\x00.txt", "NUL"),
    ],
)
def test_external_data_path_traversal_is_reported(
    tmp_path: Path, location: str, reason: str
) -> None:
    # Technique: ONNX external-data path traversal (CVE-2024-27318 / CVE-2024-5187 class).
    findings = scan(
        tmp_path, model([helper.make_node("Add", ["X", "W"], ["Y"])], [external("W", location)])
    )
    assert ids(findings) == ["AIW-MOD301"]
    assert findings[0].severity is Severity.HIGH
    assert reason in findings[0].message
    assert "'W'" in findings[0].message


def test_external_data_symlink_pointing_outside_is_reported(tmp_path: Path) -> None:
    # Technique: an innocent-looking relative name that is a symlink to a secret.
    secret = tmp_path / "secret.txt"
    secret.write_text("token")
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "weights.bin").symlink_to(secret)
    proto = model([helper.make_node("Add", ["X", "W"], ["Y"])], [external("W", "weights.bin")])
    findings = scan_path(write(model_dir, proto))
    assert ids(findings) == ["AIW-MOD301"]
    assert "symlink" in findings[0].message


def test_external_data_through_a_symlinked_directory_is_reported(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "data").symlink_to("/etc")
    proto = model([helper.make_node("Add", ["X", "W"], ["Y"])], [external("W", "data/passwd")])
    assert ids(scan_path(write(model_dir, proto))) == ["AIW-MOD301"]


def test_symlink_inside_the_model_directory_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real.bin").write_bytes(b"\x00" * 8)
    (tmp_path / "alias.bin").symlink_to(tmp_path / "real.bin")
    proto = model([helper.make_node("Add", ["X", "W"], ["Y"])], [external("W", "alias.bin")])
    assert scan(tmp_path, proto) == []


def test_archive_member_is_judged_by_text_only(tmp_path: Path) -> None:
    (tmp_path / "weights.bin").symlink_to("/etc/passwd")
    proto = model([helper.make_node("Add", ["X", "W"], ["Y"])], [external("W", "weights.bin")])
    path = write(tmp_path, proto)
    assert scan_path(path, member="model.onnx") == []
    bad = model([helper.make_node("Add", ["X", "W"], ["Y"])], [external("W", "../x")])
    assert ids(scan_path(write(tmp_path, bad), member="model.onnx")) == ["AIW-MOD301"]


def test_escaping_external_data_in_constant_attribute_and_subgraph(tmp_path: Path) -> None:
    # Technique: hide the tensor where initializer-only scanners do not look.
    const = helper.make_node("Constant", [], ["K"], value=external("K", "/etc/shadow"))
    sub = if_node([helper.make_node("Identity", ["X"], ["Y"])])
    sub.attribute[0].g.initializer.append(external("S", "../../../home/u/.aws/credentials"))
    sparse = helper.make_sparse_tensor(
        external("SV", "/proc/self/environ"), numpy_helper.from_array(np.array([0], np.int64)), [2]
    )
    proto = model([const, sub, helper.make_node("Add", ["X", "K"], ["Y"])])
    proto.graph.sparse_initializer.append(sparse)
    findings = scan(tmp_path, proto)
    assert ids(findings) == ["AIW-MOD301"] * 3
    text = " ".join(f.message for f in findings)
    assert "/etc/shadow" in text and ".aws" in text and "/proc/self/environ" in text


def test_every_location_entry_is_checked(tmp_path: Path) -> None:
    tensor = external("W", "weights.bin")
    extra = tensor.external_data.add()
    extra.key, extra.value = "location", "/etc/passwd"
    proto = model([helper.make_node("Add", ["X", "W"], ["Y"])], [tensor])
    assert ids(scan(tmp_path, proto)) == ["AIW-MOD301"]


def test_escape_reason_unit() -> None:
    assert escape_reason("weights.bin", None) is None
    assert escape_reason("sub/dir/weights.bin", None) is None
    assert escape_reason("..weights.bin", None) is None  # a name, not a parent segment
    assert escape_reason("a/../../b", None) is not None


# -- operators that run Python or need custom libraries ---------------------------------


def test_pyop_of_ai_onnx_contrib_is_critical(tmp_path: Path) -> None:
    # Technique: onnxruntime(-extensions) Python operator importing os.system.
    node = helper.make_node(
        "PyOp", ["X"], ["Y"], name="py", domain="ai.onnx.contrib", module="os", class_name="system"
    )
    proto = model(
        [node], opsets=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.contrib", 1)]
    )
    findings = scan(tmp_path, proto)
    assert ids(findings) == ["AIW-MOD302", "AIW-MOD303"]
    critical = next(f for f in findings if f.rule_id == "AIW-MOD302")
    assert critical.severity is Severity.CRITICAL
    assert "module='os'" in critical.message and "class_name='system'" in critical.message
    custom = next(f for f in findings if f.rule_id == "AIW-MOD303")
    assert "onnxruntime-extensions" in custom.message


def test_pyop_in_any_custom_domain_and_in_subgraphs_and_functions(tmp_path: Path) -> None:
    # Technique: language-interop PyOp (docs/PyOp.md) nested where top-level scans miss it.
    interop = helper.make_node("PyOp", ["X"], ["Y"], domain="pyopmulti_1", module="mymodule")
    nested = if_node([helper.make_node("PyOp", ["X"], ["Y"], domain="ai.onnx.contrib")])
    fn = helper.make_function(
        "local",
        "f",
        ["a"],
        ["b"],
        [helper.make_node("PyOp", ["a"], ["b"], domain="ai.onnx.contrib", module="subprocess")],
        [helper.make_opsetid("", 17)],
    )
    call = helper.make_node("f", ["X"], ["Y"], domain="local")
    findings = scan(tmp_path, model([interop, nested, call], functions=[fn]))
    assert [f.rule_id for f in findings].count("AIW-MOD302") == 3
    assert any("subprocess" in f.message for f in findings)


def test_non_standard_domain_is_high_once_per_domain(tmp_path: Path) -> None:
    # Technique: custom-op library (native code) required by the model.
    nodes = [
        helper.make_node("Evil", ["X"], ["A"], domain="com.attacker"),
        helper.make_node("Evil2", ["A"], ["Y"], domain="com.attacker"),
        helper.make_node("Relu", ["X"], ["Z"], domain="ai.onnx "),  # trailing space decoy
    ]
    findings = scan(tmp_path, model(nodes))
    assert ids(findings) == ["AIW-MOD303", "AIW-MOD303"]
    assert all(f.severity is Severity.HIGH for f in findings)
    attacker = next(f for f in findings if "com.attacker" in f.message)
    assert "2 nodes" in attacker.message and "Evil, Evil2" in attacker.message


def test_opset_import_of_a_custom_domain_alone_is_reported(tmp_path: Path) -> None:
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.contrib", 1)]
    proto = model([helper.make_node("Relu", ["X"], ["Y"])], opsets=opsets)
    findings = scan(tmp_path, proto)
    assert ids(findings) == ["AIW-MOD303"]
    assert "imports the opset" in findings[0].message


def test_duplicate_domain_field_uses_the_last_value_like_protobuf(tmp_path: Path) -> None:
    # Technique: parser differential. Protobuf keeps the LAST value of a repeated singular
    # field; a scanner that keeps the first sees the standard domain.
    node = helper.make_node("PyOp", ["X"], ["Y"], domain="")
    raw = node.SerializeToString() + b"\x3a\x0fai.onnx.contrib"  # field 7 (domain), LEN
    twisted = onnx.NodeProto.FromString(raw)
    assert twisted.domain == "ai.onnx.contrib"
    proto = model([helper.make_node("Relu", ["X"], ["Y"])])
    proto.graph.node.append(twisted)
    findings = scan(tmp_path, proto)
    assert "AIW-MOD303" in ids(findings)
    assert any("'ai.onnx.contrib'" in f.message for f in findings if f.rule_id == "AIW-MOD302")


# -- pickles hidden in tensors ----------------------------------------------------------


@pytest.mark.parametrize(
    "payload", [PICKLE_P4, PICKLE_P2, PICKLE_P0, pickle.dumps({"a": 1}, protocol=5)]
)
def test_pickle_in_initializer_raw_data_is_reported(tmp_path: Path, payload: bytes) -> None:
    # Technique: smuggle a pickle through an ONNX weight.
    tensor = helper.make_tensor("W", TensorProto.UINT8, [len(payload)], payload, raw=True)
    findings = scan(tmp_path, model([helper.make_node("Add", ["X", "W"], ["Y"])], [tensor]))
    assert ids(findings) == ["AIW-MOD304"]
    assert findings[0].severity is Severity.HIGH
    assert "'W'" in findings[0].message
    if payload is not PICKLE_P4 and b"system" in payload:
        assert "system" in (findings[0].evidence or "")


def test_pickle_evidence_names_the_import(tmp_path: Path) -> None:
    tensor = helper.make_tensor("W", TensorProto.UINT8, [len(PICKLE_P4)], PICKLE_P4, raw=True)
    findings = scan(tmp_path, model([helper.make_node("Add", ["X", "W"], ["Y"])], [tensor]))
    assert findings[0].evidence == "posix.system"


def test_pickle_in_string_data_and_in_a_constant_attribute(tmp_path: Path) -> None:
    strings = TensorProto(name="vocab", data_type=TensorProto.STRING, dims=[2])
    strings.string_data.extend([b"hello", PICKLE_P0])
    const = helper.make_node(
        "Constant",
        [],
        ["K"],
        value=helper.make_tensor("K", TensorProto.UINT8, [len(PICKLE_P2)], PICKLE_P2, raw=True),
    )
    proto = model([const, helper.make_node("Add", ["X", "K"], ["Y"])], [strings])
    findings = scan(tmp_path, proto)
    assert ids(findings) == ["AIW-MOD304", "AIW-MOD304"]
    assert {"'vocab'" in f.message or "'K'" in f.message for f in findings} == {True}


def test_sniff_pickle_unit() -> None:
    assert sniff_pickle(PICKLE_P4, len(PICKLE_P4)) == ["posix.system"]
    assert sniff_pickle(PICKLE_P0, len(PICKLE_P0)) == ["os.system"]
    assert sniff_pickle(b"\x80\x02N.", 4) is None  # too short to be more than noise
    assert sniff_pickle(b"(lp0\nI1\na.", 10) is None  # protocol 0 with no import
    assert sniff_pickle(b"\x80\x02\xff\xff", 4) is None


# -- fail closed ------------------------------------------------------------------------


def test_truncated_model_reports_parse_failure_and_earlier_findings(tmp_path: Path) -> None:
    # The PyOp node comes first; the big initializer after it is cut short.
    node = helper.make_node("PyOp", ["X"], ["Y"], domain="ai.onnx.contrib", module="os")
    proto = model([node], [weights(size=10_000)])
    data = proto.SerializeToString()
    findings = scan(tmp_path, data[: len(data) // 2])
    assert "AIW-MOD305" in ids(findings)
    assert "AIW-MOD302" in ids(findings)
    failure = next(f for f in findings if f.rule_id == "AIW-MOD305")
    assert failure.severity is Severity.HIGH and failure.location.offset is not None


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xff\xff\xff garbage",
        b"\x08\x07\x1b\x00",  # ir_version then a start-group tag
        b"\x0a\x03abc",  # valid protobuf, not a ModelProto
        b"",
    ],
)
def test_non_model_bytes_named_onnx_fail_closed(tmp_path: Path, data: bytes) -> None:
    assert ids(scan(tmp_path, data)) == ["AIW-MOD305"]


def test_nesting_depth_limit_raises_after_reporting(tmp_path: Path) -> None:
    inner = helper.make_node("PyOp", ["X"], ["Y"], domain="ai.onnx.contrib")
    nodes = [helper.make_node("Evil", ["X"], ["Y"], domain="com.attacker")]
    current = inner
    for level in range(6):
        current = if_node([current], name=f"if{level}")
    nodes.append(current)
    path = write(tmp_path, model(nodes))
    with pytest.raises(LimitExceeded):
        list(scan_path(path, limits=Limits(max_nesting_depth=3)))
    gen = ANALYZER.analyze(
        Artifact(path, path.name, FileFormat.ONNX, path.stat().st_size), Limits(max_nesting_depth=3)
    )
    seen: list[Finding] = []
    with pytest.raises(LimitExceeded):
        for finding in gen:
            seen.append(finding)
    assert "AIW-MOD303" in ids(seen)
    assert ids(scan_path(path)) == ["AIW-MOD302", "AIW-MOD303", "AIW-MOD303"]


# -- selection and metadata -------------------------------------------------------------


def test_onnx_content_in_a_pb_file_goes_to_the_onnx_analyzer(tmp_path: Path) -> None:
    path = write(tmp_path, benign_model(), name="model.pb")
    artifact = Artifact(path, path.name, FileFormat.PROTOBUF, path.stat().st_size)
    assert ANALYZER.accepts(artifact)
    assert not SavedModelAnalyzer().accepts(artifact)
    other = write(tmp_path, b"\x08\x01\x12\x00", name="saved_model.pb")
    tf_artifact = Artifact(other, other.name, FileFormat.PROTOBUF, other.stat().st_size)
    assert not ANALYZER.accepts(tf_artifact)
    assert SavedModelAnalyzer().accepts(tf_artifact)


def test_rule_severities() -> None:
    assert {r.id: r.severity for r in ONNX_RULES} == {
        "AIW-MOD301": Severity.HIGH,
        "AIW-MOD302": Severity.CRITICAL,
        "AIW-MOD303": Severity.HIGH,
        "AIW-MOD304": Severity.HIGH,
        "AIW-MOD305": Severity.HIGH,
    }


def test_inline_initializer_payload_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large inline weight is skipped by offset: only its first two bytes are looked at.
    from aiwarden.analyzers.models import protobuf

    big = numpy_helper.from_array(np.ones(2_000_000, np.float32), "W")
    path = write(tmp_path, model([helper.make_node("Add", ["X", "W"], ["Y"])], [big]))
    requested: list[int] = []
    original = protobuf.Walker.data

    def spy(self: protobuf.Walker, field: protobuf.Field, limit: int) -> bytes:
        requested.append(min(limit, field.value))
        return original(self, field, limit)

    monkeypatch.setattr(protobuf.Walker, "data", spy)
    assert scan_path(path) == []
    assert sum(requested) < 64 * 1024
    assert os.path.getsize(path) > 8_000_000
