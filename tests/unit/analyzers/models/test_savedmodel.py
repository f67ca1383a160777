"""Security regression tests for the TensorFlow SavedModel analyzer.

TensorFlow is not installed: SavedModels and frozen GraphDefs are built here with a
small protobuf writer, using the field numbers of TensorFlow's ``saved_model.proto``,
``meta_graph.proto``, ``graph.proto``, ``function.proto``, ``node_def.proto``,
``attr_value.proto`` and ``tensor.proto``. Each test names the technique (the
"TF SavedModel with file read/write ops" family, TensorAbuse primitives, ...).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.savedmodel import (
    SAVEDMODEL_RULES,
    SavedModelAnalyzer,
    suspicious_path,
)
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.severity import Severity

ANALYZER = SavedModelAnalyzer()


# -- a minimal protobuf writer ------------------------------------------------------------


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def ld(number: int, payload: bytes | str) -> bytes:
    data = payload.encode() if isinstance(payload, str) else payload
    return varint(number << 3 | 2) + varint(len(data)) + data


def vint(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(value)


# AttrValue: list=1 (ListValue: s=2, func=9), s=2, tensor=8, func=10 (NameAttrList name=1 attr=2)
def attr_s(value: str) -> bytes:
    return ld(2, value)


def attr_list_s(*values: str) -> bytes:
    return ld(1, b"".join(ld(2, v) for v in values))


def attr_func(name: str, **attrs: bytes) -> bytes:
    return ld(10, ld(1, name) + b"".join(ld(2, ld(1, k) + ld(2, v)) for k, v in attrs.items()))


def attr_string_tensor(value: str) -> bytes:
    return ld(8, vint(1, 7) + ld(8, value))  # TensorProto dtype=DT_STRING, string_val


def node(name: str, op: str, inputs: tuple[str, ...] = (), **attrs: bytes) -> bytes:
    body = ld(1, name) + ld(2, op) + b"".join(ld(3, i) for i in inputs)
    return body + b"".join(ld(5, ld(1, key) + ld(2, value)) for key, value in attrs.items())


def const(name: str, value: str) -> bytes:
    return node(name, "Const", value=attr_string_tensor(value), dtype=vint(6, 7))


def function(name: str, nodes: list[bytes]) -> bytes:
    return ld(1, ld(1, name)) + b"".join(ld(3, n) for n in nodes)  # signature.name, node_def


def graph_def(nodes: list[bytes], functions: list[bytes] = ()) -> bytes:  # type: ignore[assignment]
    library = ld(2, b"".join(ld(1, f) for f in functions)) if functions else b""
    return b"".join(ld(1, n) for n in nodes) + library + ld(4, vint(1, 1087))


def saved_model(*graphs: bytes) -> bytes:
    metas = b"".join(ld(2, ld(1, ld(1, "serve")) + ld(2, g)) for g in graphs)
    return vint(1, 1) + metas


def scan(
    tmp_path: Path, data: bytes, name: str = "saved_model.pb", limits: Limits | None = None
) -> list[Finding]:
    path = tmp_path / name
    path.write_bytes(data)
    artifact = Artifact(path, path.name, FileFormat.PROTOBUF, len(data))
    assert ANALYZER.accepts(artifact)
    return list(ANALYZER.analyze(artifact, limits or Limits()))


def ids(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


# -- benign graphs ------------------------------------------------------------------------


def benign_nodes() -> list[bytes]:
    return [
        node("x", "Placeholder", dtype=vint(6, 1)),
        node("w", "VarHandleOp", shared_name=attr_s("w")),
        node("w/read", "ReadVariableOp", ("w",)),
        node("mm", "MatMul", ("x", "w/read")),
        node("call", "StatefulPartitionedCall", ("mm",), f=attr_func("__inference_serve_42")),
        node("print", "PrintV2", ("mm",), output_stream=attr_s("stderr")),
        node("saver_filename", "Placeholder"),
        const("save/Const", "model"),
        node("save/StringJoin", "StringJoin", ("saver_filename", "save/Const")),
        node("save/ShardedFilename", "ShardedFilename", ("save/StringJoin",)),
        node("save/SaveV2", "SaveV2", ("save/ShardedFilename",)),
        node("save/MergeV2Checkpoints", "MergeV2Checkpoints", ("save/ShardedFilename",)),
        node("save/RestoreV2", "RestoreV2", ("saver_filename",)),
        node("custom", "MyCustomKernel", ("x",)),
        node("dbg", "DebugIdentityV2", ("mm",)),
        node("noop", "NoOp"),
    ]


def test_benign_savedmodel_with_checkpoint_ops_has_no_findings(tmp_path: Path) -> None:
    fn = function("__inference_serve_42", [node("a", "MatMul"), node("b", "Identity", ("a",))])
    data = saved_model(graph_def(benign_nodes(), [fn]), graph_def([node("n", "NoOp")]))
    assert scan(tmp_path, data) == []


def test_benign_frozen_graph_has_no_findings(tmp_path: Path) -> None:
    assert scan(tmp_path, graph_def(benign_nodes()), name="frozen_graph.pb") == []


def test_non_graph_protobufs_are_not_reported(tmp_path: Path) -> None:
    # fingerprint.pb-like content (only varints) under another name: nothing to run.
    assert scan(tmp_path, vint(1, 5) + vint(2, 7) + vint(3, 9), name="other.pb") == []
    for side in ("fingerprint.pb", "keras_metadata.pb"):
        path = tmp_path / side
        path.write_bytes(ld(1, b"x"))
        assert not ANALYZER.accepts(Artifact(path, side, FileFormat.PROTOBUF, 3))


# -- dangerous ops ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "rule", "severity"),
    [
        ("PyFunc", "AIW-MOD201", Severity.CRITICAL),
        ("PyFuncStateless", "AIW-MOD201", Severity.CRITICAL),
        ("EagerPyFunc", "AIW-MOD201", Severity.CRITICAL),
        ("WriteFile", "AIW-MOD202", Severity.HIGH),
        ("Save", "AIW-MOD202", Severity.HIGH),
        ("SaveSlices", "AIW-MOD202", Severity.HIGH),
        ("DatasetToTFRecord", "AIW-MOD202", Severity.HIGH),
        ("DistributedSave", "AIW-MOD202", Severity.HIGH),
        ("CreateSummaryFileWriter", "AIW-MOD202", Severity.HIGH),
        ("ReadFile", "AIW-MOD203", Severity.HIGH),
        ("MatchingFiles", "AIW-MOD203", Severity.HIGH),
        ("MatchingFilesDataset", "AIW-MOD203", Severity.HIGH),
        ("ImmutableConst", "AIW-MOD203", Severity.HIGH),
        ("FixedLengthRecordDatasetV2", "AIW-MOD203", Severity.HIGH),
        ("CSVDatasetV2", "AIW-MOD203", Severity.HIGH),
        ("WholeFileReaderV2", "AIW-MOD203", Severity.HIGH),
        ("RpcCall", "AIW-MOD204", Severity.HIGH),
        ("DataServiceDatasetV4", "AIW-MOD204", Severity.HIGH),
        ("RegisterDatasetV2", "AIW-MOD204", Severity.HIGH),
        ("InitializeTableFromTextFileV2", "AIW-MOD205", Severity.LOW),
    ],
)
def test_dangerous_op_in_graph_is_reported(
    tmp_path: Path, op: str, rule: str, severity: Severity
) -> None:
    # Technique: TF SavedModel with file read/write / Python / network ops (TensorAbuse).
    data = saved_model(graph_def([*benign_nodes(), node("evil", op, ("x",))]))
    findings = scan(tmp_path, data)
    assert ids(findings) == [rule]
    assert findings[0].severity is severity
    assert f"`{op}`" in findings[0].message and "'evil'" in findings[0].message


def test_op_inside_a_library_function_is_reported(tmp_path: Path) -> None:
    # Technique: hide the op in a tf.function body (FunctionDef.node_def), called by
    # StatefulPartitionedCall, where graph-only scanners do not look.
    fn = function("__inference_call_7", [node("rf", "ReadFile", ("path",)), node("id", "Identity")])
    nodes = [node("call", "StatefulPartitionedCall", f=attr_func("__inference_call_7"))]
    findings = scan(tmp_path, saved_model(graph_def(nodes, [fn])))
    assert ids(findings) == ["AIW-MOD203"]
    assert "function '__inference_call_7'" in findings[0].message


def test_primitive_op_named_by_a_function_attribute_is_reported(tmp_path: Path) -> None:
    # Technique: PartitionedCall whose `f` names a primitive op directly (TF instantiates
    # a primitive op as a one-node function), also nested in a NameAttrList attr.
    nodes = [
        node("pc", "PartitionedCall", f=attr_func("WriteFile")),
        node("pc2", "PartitionedCall", f=attr_func("Body", then=attr_func("EagerPyFunc"))),
        node("lst", "SomeOp", branches=ld(1, ld(9, ld(1, "MatchingFiles")))),
    ]
    findings = scan(tmp_path, saved_model(graph_def(nodes)))
    assert ids(findings) == ["AIW-MOD201", "AIW-MOD202", "AIW-MOD203"]
    assert all("function attribute" in f.message for f in findings)


def test_const_path_is_shown_as_evidence(tmp_path: Path) -> None:
    nodes = [const("path", "/etc/passwd"), node("rf", "ReadFile", ("path:0",))]
    findings = scan(tmp_path, saved_model(graph_def(nodes)))
    assert ids(findings) == ["AIW-MOD203"]
    assert "'/etc/passwd'" in findings[0].message
    assert findings[0].evidence == "ReadFile('/etc/passwd')"


@pytest.mark.parametrize(
    ("op", "attrs", "rule"),
    [
        ("PrintV2", {"output_stream": attr_s("file:///home/u/.bashrc")}, "AIW-MOD202"),
        ("DebugIdentity", {"debug_urls": attr_list_s("file:///tmp/dump")}, "AIW-MOD202"),
        ("DebugIdentityV3", {"debug_urls": attr_list_s("grpc://evil:6064")}, "AIW-MOD204"),
        ("DecodeProtoV2", {"descriptor_source": attr_s("/etc/passwd")}, "AIW-MOD203"),
    ],
)
def test_attribute_dependent_ops_are_reported(
    tmp_path: Path, op: str, attrs: dict[str, bytes], rule: str
) -> None:
    # Technique: PrintV2 / DebugIdentity / DecodeProtoV2 primitives (TensorAbuse).
    findings = scan(tmp_path, saved_model(graph_def([node("n", op, ("x",), **attrs)])))
    assert ids(findings) == [rule]


@pytest.mark.parametrize(
    ("op", "attrs"),
    [
        ("PrintV2", {"output_stream": attr_s("stdout")}),
        ("DebugIdentityV3", {}),
        ("DecodeProtoV2", {"descriptor_source": attr_s("local://")}),
        ("EncodeProto", {"descriptor_source": attr_s("bytes://\x0a\x00")}),
    ],
)
def test_attribute_dependent_ops_with_safe_attributes_are_fine(
    tmp_path: Path, op: str, attrs: dict[str, bytes]
) -> None:
    assert scan(tmp_path, saved_model(graph_def([node("n", op, ("x",), **attrs)]))) == []


def test_checkpoint_op_with_an_absolute_constant_path_is_medium(tmp_path: Path) -> None:
    # SaveV2 is ordinary, but not when its prefix is a hard-coded absolute path.
    nodes = [const("p", "/etc/cron.d/job"), node("s", "SaveV2", ("p",))]
    findings = scan(tmp_path, saved_model(graph_def(nodes)))
    assert ids(findings) == ["AIW-MOD202"]
    assert findings[0].severity is Severity.MEDIUM


def test_every_meta_graph_is_checked(tmp_path: Path) -> None:
    data = saved_model(graph_def(benign_nodes()), graph_def([node("w", "WriteFile")]))
    findings = scan(tmp_path, data)
    assert ids(findings) == ["AIW-MOD202"] and "meta graph 1" in findings[0].message


def test_asset_filename_escaping_the_assets_directory_is_reported(tmp_path: Path) -> None:
    # Technique: AssetFileDef.filename is joined to assets/ by the loader; an absolute or
    # '..' name feeds any local file to the vocabulary table that reads the asset.
    def meta(filename: str) -> bytes:
        asset = ld(6, ld(1, ld(1, "asset_path:0")) + ld(2, filename))
        table = node("init", "InitializeTableFromTextFileV2", ("table", "asset_path"))
        return ld(2, graph_def([node("asset_path", "Placeholder"), table])) + asset

    good = vint(1, 1) + ld(2, meta("vocab.txt"))
    assert ids(scan(tmp_path, good)) == ["AIW-MOD205"]
    bad = vint(1, 1) + ld(2, meta("../../../../home/user/.ssh/id_rsa"))
    findings = scan(tmp_path, bad)
    assert ids(findings) == ["AIW-MOD203", "AIW-MOD205"]
    assert "id_rsa" in next(f for f in findings if f.rule_id == "AIW-MOD203").message


def test_frozen_graphdef_with_pyfunc_is_reported(tmp_path: Path) -> None:
    nodes = [node("py", "PyFunc", ("x",), token=attr_s("pyfunc_0"))]
    findings = scan(tmp_path, graph_def(nodes), name="model.pb")
    assert ids(findings) == ["AIW-MOD201"] and findings[0].severity is Severity.CRITICAL


def test_graphdef_with_library_only_is_checked(tmp_path: Path) -> None:
    # Ambiguous shape (only field 2): a GraphDef whose only content is its library.
    fn = function("f", [node("w", "WriteFile")])
    findings = scan(tmp_path, ld(2, ld(1, fn)), name="graph.pb")
    assert ids(findings) == ["AIW-MOD202"]


def test_duplicate_op_field_last_value_wins(tmp_path: Path) -> None:
    # Technique: parser differential on a singular field; protobuf keeps the last value.
    twisted = ld(1, "n") + ld(2, "Identity") + ld(2, "ReadFile")
    findings = scan(tmp_path, saved_model(graph_def([twisted])))
    assert ids(findings) == ["AIW-MOD203"]


# -- fail closed --------------------------------------------------------------------------


def test_truncated_savedmodel_reports_failure_and_earlier_findings(tmp_path: Path) -> None:
    nodes = [node("w", "WriteFile"), *[node(f"n{i}", "MatMul") for i in range(200)]]
    data = saved_model(graph_def(nodes))
    findings = scan(tmp_path, data[: len(data) // 2])
    assert ids(findings) == ["AIW-MOD202", "AIW-MOD206"]
    failure = next(f for f in findings if f.rule_id == "AIW-MOD206")
    assert failure.severity is Severity.HIGH


@pytest.mark.parametrize(
    "data", [b"not a protobuf \xff\xff\xff", b"\x08\x01\x13", b"\x08\x01\x12\x05\x0f\xff"]
)
def test_malformed_savedmodel_fails_closed(tmp_path: Path, data: bytes) -> None:
    assert "AIW-MOD206" in ids(scan(tmp_path, data))


def test_attr_nesting_is_bounded(tmp_path: Path) -> None:
    inner = attr_func("ReadFile")
    for _ in range(20):
        inner = attr_func("wrap", inner=inner)
    data = saved_model(graph_def([node("deep", "PartitionedCall", f=inner)]))
    with pytest.raises(LimitExceeded):
        scan(tmp_path, data, limits=Limits(max_nesting_depth=5))
    assert ids(scan(tmp_path, data, limits=Limits(max_nesting_depth=30))) == ["AIW-MOD203"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_mutated_savedmodels_never_crash(tmp_path: Path, data: st.DataObject) -> None:
    base = bytearray(saved_model(graph_def([*benign_nodes(), node("r", "ReadFile")])))
    for _ in range(data.draw(st.integers(1, 5))):
        index = data.draw(st.integers(0, len(base) - 1))
        base[index] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(base)))
    try:
        findings = scan(tmp_path, bytes(base[:cut]))
    except LimitExceeded:
        return
    assert all(f.rule.id.startswith("AIW-MOD2") for f in findings)


# -- metadata -----------------------------------------------------------------------------


def test_suspicious_path_unit() -> None:
    assert suspicious_path("/etc/passwd") and suspicious_path("..\\x") and suspicious_path("C:x")
    assert suspicious_path("gs://bucket/x") and suspicious_path("~/.ssh/id_rsa")
    assert not suspicious_path("model") and not suspicious_path("variables/variables")


def test_rule_severities() -> None:
    assert {r.id: r.severity for r in SAVEDMODEL_RULES} == {
        "AIW-MOD201": Severity.CRITICAL,
        "AIW-MOD202": Severity.HIGH,
        "AIW-MOD203": Severity.HIGH,
        "AIW-MOD204": Severity.HIGH,
        "AIW-MOD205": Severity.LOW,
        "AIW-MOD206": Severity.HIGH,
    }
