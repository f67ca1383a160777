"""Security regression tests for the pickle serialization analyzer.

Every malicious artefact is built here from raw opcode bytes (or ``pickle.dumps`` of
benign builtin data); nothing is ever unpickled. Each test names the technique.
"""

from __future__ import annotations

import bz2
import collections
import gzip
import io
import lzma
import pickle
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pickle_builders import (
    EMPTY_TUPLE,
    MARK,
    MEMOIZE,
    POP,
    REDUCE,
    STACK_GLOBAL,
    STOP,
    TUPLE,
    TUPLE1,
    binget,
    binput,
    call_with_string,
    frame,
    global_,
    os_system_protocol0,
    proto,
    sbu,
    state_dict_pickle,
)

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.severity import Severity

ANALYZER = PickleSerializationAnalyzer()


def scan(
    tmp_path: Path,
    data: bytes,
    fmt: FileFormat = FileFormat.PICKLE,
    name: str = "model.bin",
    limits: Limits | None = None,
) -> list[Finding]:
    path = tmp_path / name
    path.write_bytes(data)
    artifact = Artifact(path=path, relpath=name, format=fmt, size=len(data))
    return list(ANALYZER.analyze(artifact, limits or Limits()))


def ids(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


def evidence(findings: list[Finding], rule_id: str) -> set[str | None]:
    """The callables reported under ``rule_id`` (their fingerprint key: the dotted name)."""
    return {f.fingerprint_key for f in findings if f.rule_id == rule_id}


def decoded(findings: list[Finding], rule_id: str) -> set[str | None]:
    """The evidence (the decoded call) of the findings under ``rule_id``."""
    return {f.evidence for f in findings if f.rule_id == rule_id}


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def eval_protocol4(code: str = "__import__('os').system('id')") -> bytes:
    body = sbu("builtins") + MEMOIZE + sbu("eval") + MEMOIZE + STACK_GLOBAL + MEMOIZE
    return proto(4) + frame(call_with_string(body, code) + STOP)


def npy_bytes(descr: str, payload: bytes, version: int = 1) -> bytes:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1,), }}".encode()
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    size = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header + payload


# --- Code execution through imports ---------------------------------------------------


def test_global_os_system_protocol0_is_critical(tmp_path: Path) -> None:
    """Technique: protocol-0 GLOBAL ``os system`` + REDUCE, the textbook payload."""
    findings = scan(tmp_path, os_system_protocol0())
    assert ids(findings) == ["AIW-MOD001", "AIW-MOD002"]
    critical = next(f for f in findings if f.rule_id == "AIW-MOD002")
    assert critical.severity is Severity.CRITICAL
    assert critical.evidence == "os.system('echo hi')"
    assert critical.fingerprint_key == "os.system"
    assert critical.location.offset == 0


def test_builtins_eval_via_protocol4_stack_global(tmp_path: Path) -> None:
    """Technique: protocol-4 STACK_GLOBAL ``builtins.eval`` inside a FRAME."""
    findings = scan(tmp_path, eval_protocol4())
    assert evidence(findings, "AIW-MOD002") == {"builtins.eval"}


def test_python2_builtin_eval_alias(tmp_path: Path) -> None:
    """Technique: protocol-2 GLOBAL ``__builtin__ eval`` (mapped to builtins on load)."""
    data = proto(2) + call_with_string(global_("__builtin__", "eval"), "1+1") + STOP
    findings = scan(tmp_path, data)
    assert evidence(findings, "AIW-MOD002") == {"builtins.eval"}
    assert decoded(findings, "AIW-MOD002") == {"builtins.eval('1+1')"}


def test_stack_global_with_memo_fetched_strings(tmp_path: Path) -> None:
    """Technique: memo indirection, a published bypass of naive STACK_GLOBAL scanners.

    The strings ``os`` and ``system`` are stored with BINPUT, benign-looking strings are
    pushed and dropped in between, and the operands are fetched back with BINGET.
    """
    body = (
        sbu("os")
        + binput(7)
        + POP
        + sbu("system")
        + binput(8)
        + POP
        + sbu("collections")
        + sbu("OrderedDict")
        + POP
        + POP
        + binget(7)
        + binget(8)
        + STACK_GLOBAL
    )
    data = proto(4) + call_with_string(body, "id") + STOP
    findings = scan(tmp_path, data)
    assert evidence(findings, "AIW-MOD002") == {"os.system"}
    assert "collections.OrderedDict" not in evidence(findings, "AIW-MOD003")


def test_stack_global_operands_reordered_with_pop(tmp_path: Path) -> None:
    """Technique: the two most recently pushed strings are not STACK_GLOBAL's operands.

    ``os`` and ``system`` are pushed, then a benign pair that is popped again; a scanner
    that pairs the latest two strings would see ``collections.OrderedDict``.
    """
    body = sbu("os") + sbu("system") + sbu("collections") + sbu("OrderedDict") + POP + POP
    data = proto(4) + call_with_string(body + STACK_GLOBAL, "id") + STOP
    assert evidence(scan(tmp_path, data), "AIW-MOD002") == {"os.system"}


def test_dotted_name_reaches_os_through_another_module(tmp_path: Path) -> None:
    """Technique: protocol-4 dotted names resolve by getattr, so ``x.os.system`` works."""
    body = sbu("torch.serialization") + sbu("os.system") + STACK_GLOBAL
    data = proto(4) + call_with_string(body, "id") + STOP
    assert evidence(scan(tmp_path, data), "AIW-MOD002") == {"torch.serialization.os.system"}


def test_unresolved_stack_global_is_flagged(tmp_path: Path) -> None:
    """Technique: STACK_GLOBAL operands computed at load time (not string constants)."""
    computed = global_("builtins", "str") + sbu("o") + TUPLE1 + REDUCE  # str('o'), opaque
    body = computed + sbu("system") + STACK_GLOBAL
    data = proto(4) + call_with_string(body, "id") + STOP
    findings = scan(tmp_path, data)
    unresolved = [f for f in findings if f.fingerprint_key == "<?>.system"]
    assert len(unresolved) == 1
    assert unresolved[0].rule_id == "AIW-MOD006"
    assert unresolved[0].severity is Severity.HIGH


def test_unresolved_name_from_denied_module_is_critical(tmp_path: Path) -> None:
    """Technique: only the attribute is computed; the module ``subprocess`` is known."""
    body = sbu("subprocess") + global_("builtins", "str") + sbu("Popen") + TUPLE1 + REDUCE
    data = proto(4) + call_with_string(body + STACK_GLOBAL, "id") + STOP
    assert evidence(scan(tmp_path, data), "AIW-MOD002") == {"subprocess.<?>"}


def test_extension_registry_import_is_unresolved(tmp_path: Path) -> None:
    """Technique: EXT1 fetches a callable from copyreg's extension registry by number."""
    data = proto(2) + b"\x82\x01" + sbu("id") + TUPLE1 + REDUCE + STOP
    findings = scan(tmp_path, data)
    unresolved = [f.fingerprint_key for f in findings if f.rule_id == "AIW-MOD006"]
    assert unresolved == ["<?>.<extension code 1>"]


def test_unknown_class_is_medium(tmp_path: Path) -> None:
    """Technique: a custom class import, outside the allowlist (full-model pickles)."""
    data = proto(2) + global_("mymodel.net", "Net") + EMPTY_TUPLE
    findings = scan(tmp_path, data + REDUCE + STOP)
    assert evidence(findings, "AIW-MOD003") == {"mymodel.net.Net"}
    assert {f.severity for f in findings if f.rule_id == "AIW-MOD003"} == {Severity.MEDIUM}
    assert "AIW-MOD002" not in ids(findings)


def test_one_finding_per_distinct_callable_per_stream(tmp_path: Path) -> None:
    """Technique: the same payload repeated; reported once per stream, with a count."""
    call = call_with_string(global_("os", "system"), "id")
    data = proto(2) + MARK + call + call + TUPLE + STOP
    critical = [f for f in scan(tmp_path, data) if f.rule_id == "AIW-MOD002"]
    assert len(critical) == 1
    assert "2 times" in critical[0].message


# --- Containers -----------------------------------------------------------------------


def test_benign_state_dict_only_reports_the_format(tmp_path: Path) -> None:
    """Baseline: an OrderedDict of torch tensors (rebuild helpers only) is MOD001 only."""
    findings = scan(tmp_path, state_dict_pickle())
    assert ids(findings) == ["AIW-MOD001"]
    assert "Pickle file with 1 pickle stream" in findings[0].message
    assert findings[0].severity is Severity.INFO


def test_benign_pickle_dumps_builtin_data(tmp_path: Path) -> None:
    """Baseline: pickle.dumps of builtin data, every protocol, is MOD001 only."""
    data = {"weights": [1.5, 2.5], "names": {"a", "b"}, "raw": b"\x00\x01", "n": 3}
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        findings = scan(tmp_path, pickle.dumps(data, protocol=protocol), name=f"p{protocol}.pkl")
        assert ids(findings) == ["AIW-MOD001"], protocol
    ordered = pickle.dumps(collections.OrderedDict(a=1), protocol=2)
    assert ids(scan(tmp_path, ordered)) == ["AIW-MOD001"]


def test_torch_zip_benign(tmp_path: Path) -> None:
    """Baseline: a PyTorch zip (data.pkl, raw storage, version) is MOD001 only."""
    archive = make_zip(
        {
            "model/data.pkl": state_dict_pickle(),
            "model/data/0": b"\x80\x02" + bytes(14),  # raw floats that look like PROTO 2
            "model/version": b"3\n",
        }
    )
    findings = scan(tmp_path, archive, FileFormat.ZIP, "model.pt")
    assert ids(findings) == ["AIW-MOD001"]
    assert findings[0].location.member == "model/data.pkl"
    assert findings[0].message.startswith("PyTorch zip checkpoint with 1 pickle stream")


@pytest.mark.parametrize("member", ["archive/extra.pkl", "archive/.cache/~tmp 01"])
def test_torch_zip_payload_in_a_member_other_than_data_pkl(tmp_path: Path, member: str) -> None:
    """Technique: payload hidden in a second pickle member that naive scanners skip."""
    archive = make_zip(
        {
            "archive/data.pkl": state_dict_pickle(),
            member: proto(2) + call_with_string(global_("posix", "system"), "id") + STOP,
            "archive/version": b"3\n",
        },
        compression=zipfile.ZIP_DEFLATED,
    )
    findings = scan(tmp_path, archive, FileFormat.ZIP, "model.pt")
    critical = [f for f in findings if f.rule_id == "AIW-MOD002"]
    assert [(f.evidence, f.location.member) for f in critical] == [("posix.system('id')", member)]
    assert "2 pickle streams in 2 members" in next(
        f.message for f in findings if f.rule_id == "AIW-MOD001"
    )


def test_torch_zip_payload_in_storage_member_that_imports(tmp_path: Path) -> None:
    """Technique: a pickle planted where torch keeps raw tensor bytes (``data/0``)."""
    archive = make_zip(
        {
            "m/data.pkl": state_dict_pickle(),
            "m/data/0": proto(2) + call_with_string(global_("os", "system"), "id") + STOP,
        }
    )
    findings = scan(tmp_path, archive, FileFormat.ZIP, "model.pt")
    assert evidence(findings, "AIW-MOD002") == {"os.system"}


def test_plain_zip_of_text_files_has_no_findings(tmp_path: Path) -> None:
    """Baseline: a zip without pickle members is not a pickle container."""
    archive = make_zip({"README.md": b"# hi\n", "docs/a.txt": b"plain text\n"})
    assert scan(tmp_path, archive, FileFormat.ZIP, "docs.zip") == []


def test_corrupt_zip_is_unparseable(tmp_path: Path) -> None:
    """Fail closed: a file classified as zip that zipfile cannot open."""
    findings = scan(tmp_path, b"PK\x03\x04" + b"\x00" * 40, FileFormat.ZIP, "broken.pt")
    assert ids(findings) == ["AIW-MOD004"]


def test_concatenated_stream_second_pickle_malicious(tmp_path: Path) -> None:
    """Technique: benign first pickle, payload in the second (legacy torch layout)."""
    second = proto(2) + call_with_string(global_("subprocess", "check_output"), "id") + STOP
    findings = scan(tmp_path, pickle.dumps(119547037146038801333356, protocol=2) + second)
    assert evidence(findings, "AIW-MOD002") == {"subprocess.check_output"}
    assert "2 pickle streams" in next(f.message for f in findings if f.rule_id == "AIW-MOD001")


def test_concatenated_stream_protocol0_second_pickle(tmp_path: Path) -> None:
    """Technique: a PROTO-less (protocol 0) payload appended after a benign pickle."""
    data = pickle.dumps([1, 2], protocol=2) + os_system_protocol0()
    assert evidence(scan(tmp_path, data), "AIW-MOD002") == {"os.system"}


def test_legacy_torch_trailing_storage_bytes_stop_quietly(tmp_path: Path) -> None:
    """Baseline: pickles followed by raw storage (numel 128 encodes as 80 00 ...)."""
    storage = struct.pack("<q", 128) + bytes(range(256)) * 2
    data = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2) + state_dict_pickle() + storage
    findings = scan(tmp_path, data, name="legacy.pt")
    assert ids(findings) == ["AIW-MOD001"]


def test_truncated_payload_after_benign_pickle_is_still_reported(tmp_path: Path) -> None:
    """Technique: truncate a trailing payload; the unpickler runs it before failing."""
    data = pickle.dumps([1], protocol=2) + b"cos\nsystem\n(S'id'\ntR" + b"\x00\x00"
    findings = scan(tmp_path, data)
    assert evidence(findings, "AIW-MOD002") == {"os.system"}
    assert "AIW-MOD004" in ids(findings)


@pytest.mark.parametrize(
    ("fmt", "compress"),
    [
        (FileFormat.ZLIB, zlib.compress),
        (FileFormat.GZIP, gzip.compress),
        (FileFormat.BZIP2, bz2.compress),
        (FileFormat.XZ, lzma.compress),
    ],
)
def test_joblib_style_compressed_malicious_pickle(
    tmp_path: Path, fmt: FileFormat, compress: Callable[[bytes], bytes]
) -> None:
    """Technique: joblib-compressed dump hides the opcodes from byte-pattern scanners."""
    findings = scan(tmp_path, compress(eval_protocol4()), fmt, "model.joblib")
    assert evidence(findings, "AIW-MOD002") == {"builtins.eval"}
    assert "compressed pickle" in next(f.message for f in findings if f.rule_id == "AIW-MOD001")


def test_compressed_non_pickle_data_has_no_findings(tmp_path: Path) -> None:
    """Baseline: a gzip of text is not a pickle container."""
    data = gzip.compress(b"cat\ndog\nhello world, not a pickle\n" * 10)
    assert scan(tmp_path, data, FileFormat.GZIP, "notes.txt.gz") == []


def test_broken_compressed_stream_is_unparseable(tmp_path: Path) -> None:
    """Fail closed: a truncated gzip that should hold a pickle."""
    data = gzip.compress(eval_protocol4() + bytes(5000))[:40]
    findings = scan(tmp_path, data, FileFormat.GZIP, "model.joblib")
    assert "AIW-MOD004" in ids(findings)


def test_decompression_bomb_raises_limit(tmp_path: Path) -> None:
    """Technique: a compressed pickle that expands past max_decompressed_bytes."""
    payload = proto(4) + b"\x8e" + struct.pack("<Q", 4 * 1024 * 1024) + bytes(4 * 1024 * 1024)
    limits = Limits(max_decompressed_bytes=1024 * 1024)
    with pytest.raises(LimitExceeded) as info:
        scan(tmp_path, zlib.compress(payload + STOP), FileFormat.ZLIB, "bomb.joblib", limits)
    assert info.value.limit == "max_decompressed_bytes"


def test_zip_member_compression_ratio_bomb(tmp_path: Path) -> None:
    """Technique: a deflated pickle member declaring a >1000:1 expansion."""
    payload = proto(4) + b"\x8e" + struct.pack("<Q", 8 * 1024 * 1024) + bytes(8 * 1024 * 1024)
    archive = make_zip({"bomb.pkl": payload + STOP}, compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(LimitExceeded) as info:
        scan(tmp_path, archive, FileFormat.ZIP, "bomb.zip")
    assert info.value.limit == "max_compression_ratio"


def test_too_many_zip_members_raises_limit(tmp_path: Path) -> None:
    """Technique: an archive with more members than max_archive_members."""
    archive = make_zip({f"f{i}.txt": b"x" for i in range(20)})
    with pytest.raises(LimitExceeded):
        scan(tmp_path, archive, FileFormat.ZIP, "many.zip", Limits(max_archive_members=10))


def test_read_budget_is_enforced(tmp_path: Path) -> None:
    """Technique: a pickle larger than max_read_bytes."""
    data = proto(4) + b"\x8e" + struct.pack("<Q", 70_000) + bytes(70_000) + STOP
    with pytest.raises(LimitExceeded) as info:
        scan(tmp_path, data, limits=Limits(max_read_bytes=65_536))
    assert info.value.limit == "max_read_bytes"


def test_imports_before_a_limit_are_reported_first(tmp_path: Path) -> None:
    """Fail closed: findings made before a bound is hit are not lost."""
    head = proto(2) + call_with_string(global_("os", "system"), "id") + POP
    data = head + b"\x8e" + struct.pack("<Q", 70_000) + bytes(70_000) + STOP
    path = tmp_path / "m.pkl"
    path.write_bytes(data)
    artifact = Artifact(path, "m.pkl", FileFormat.PICKLE, len(data))
    seen: list[Finding] = []
    with pytest.raises(LimitExceeded):
        seen.extend(ANALYZER.analyze(artifact, Limits(max_read_bytes=65_536)))
    assert "os.system" in evidence(seen, "AIW-MOD002")


def test_numpy_object_array_carrying_a_payload(tmp_path: Path) -> None:
    """Technique: ``.npy`` with object dtype; np.load(allow_pickle=True) unpickles it."""
    data = npy_bytes("|O", proto(3) + call_with_string(global_("os", "system"), "id") + STOP)
    findings = scan(tmp_path, data, FileFormat.NUMPY, "features.npy")
    assert evidence(findings, "AIW-MOD002") == {"os.system"}
    assert "Numpy object array" in next(f.message for f in findings if f.rule_id == "AIW-MOD001")


def test_numpy_structured_dtype_with_object_field(tmp_path: Path) -> None:
    """Technique: the object field hides inside a structured dtype (version 2 header)."""
    payload = proto(3) + call_with_string(global_("os", "system"), "id") + STOP
    header = b"{'descr': [('Objective', '<f4'), ('x', '|O')], 'fortran_order': False, "
    header += b"'shape': (1,), }\n"
    data = b"\x93NUMPY\x02\x00" + struct.pack("<I", len(header)) + header + payload
    findings = scan(tmp_path, data, FileFormat.NUMPY, "table.npy")
    assert evidence(findings, "AIW-MOD002") == {"os.system"}


def test_numpy_plain_array_has_no_findings(tmp_path: Path) -> None:
    """Baseline: a float array holds no pickle."""
    data = npy_bytes("<f4", bytes(4))
    assert scan(tmp_path, data, FileFormat.NUMPY, "weights.npy") == []


def test_numpy_malformed_header_is_unparseable(tmp_path: Path) -> None:
    """Fail closed: an .npy whose header is not a literal dict."""
    header = b"__import__('os').system('id')\n"
    data = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header
    assert ids(scan(tmp_path, data, FileFormat.NUMPY, "x.npy")) == ["AIW-MOD004"]


def test_npz_member_object_array(tmp_path: Path) -> None:
    """Technique: an object array inside an ``.npz`` (a zip of .npy files)."""
    payload = proto(3) + call_with_string(global_("os", "system"), "id") + STOP
    archive = make_zip({"arr_0.npy": npy_bytes("|O", payload), "w.npy": npy_bytes("<f4", b"0000")})
    findings = scan(tmp_path, archive, FileFormat.ZIP, "data.npz")
    assert [(f.evidence, f.location.member) for f in findings if f.rule_id == "AIW-MOD002"] == [
        ("os.system('id')", "arr_0.npy")
    ]


# --- Unparseable streams --------------------------------------------------------------


def test_truncated_pickle_is_unparseable(tmp_path: Path) -> None:
    """Fail closed: a stream that ends before STOP."""
    findings = scan(tmp_path, proto(4) + sbu("os") + b"\x8c\x10sys")
    assert "AIW-MOD004" in ids(findings)
    problem = next(f for f in findings if f.rule_id == "AIW-MOD004")
    assert problem.severity is Severity.HIGH
    assert problem.location.offset == 6


def test_unknown_opcode_is_unparseable(tmp_path: Path) -> None:
    """Fail closed: an opcode byte the pickle machine does not define (parser differential)."""
    findings = scan(tmp_path, proto(4) + b"\xff" + STOP)
    problem = next(f for f in findings if f.rule_id == "AIW-MOD004")
    assert "unknown" in problem.message
    assert problem.location.offset == 2


def test_stack_underflow_is_unparseable_but_imports_are_kept(tmp_path: Path) -> None:
    """Fail closed: an inconsistent stack desynchronises the model, imports still count."""
    data = proto(2) + POP + POP + call_with_string(global_("os", "system"), "id") + STOP
    findings = scan(tmp_path, data)
    assert "AIW-MOD004" in ids(findings)
    assert evidence(findings, "AIW-MOD002") == {"os.system"}
