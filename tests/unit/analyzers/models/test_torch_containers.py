"""PyTorch containers: zip checkpoints and their evasion tricks, legacy and tar formats.

torch is not installed: archives follow torch.save's real layout, built by hand.
Malicious members are raw opcodes; each test names its technique or advisory.
"""

from __future__ import annotations

import io
import struct
import tarfile
import warnings
import zipfile
from pathlib import Path

from pickle_builders import (
    EMPTY_TUPLE,
    MARK,
    REDUCE,
    SETITEM,
    STOP,
    TUPLE,
    binint1,
    binunicode,
    global_,
    payload,
    proto,
    rebuilt_tensor,
    state_dict_pickle,
)

from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.severity import Severity

ANALYZER = PickleSerializationAnalyzer()
EVIL = payload("os", "system", "id")
"""A protocol-2 ``os.system('id')`` pickle."""


def artifact(tmp_path: Path, data: bytes, fmt: FileFormat, name: str = "model.pt") -> Artifact:
    path = tmp_path / name
    path.write_bytes(data)
    return Artifact(path, name, fmt, len(data))


def scan(tmp_path: Path, data: bytes, fmt: FileFormat = FileFormat.ZIP) -> list[Finding]:
    return list(ANALYZER.analyze(artifact(tmp_path, data, fmt), Limits()))


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def anomalies(findings: list[Finding]) -> set[str]:
    return {f.fingerprint_key.split(":")[0] for f in findings if f.rule_id == "AIW-MOD005"}


def torch_zip(extra: dict[str, bytes] | None = None, data_pkl: bytes | None = None) -> bytes:
    """A torch.save-shaped zip: data.pkl, byteorder, data/0, version, serialization_id."""
    members = {
        "archive/data.pkl": data_pkl if data_pkl is not None else state_dict_pickle(),
        "archive/byteorder": b"little",
        "archive/data/0": bytes(16),
        "archive/version": b"3\n",
        "archive/.data/serialization_id": b"1234567890",
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are deliberate in some tests
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, body in members.items():
                archive.writestr(name, body)
    return buffer.getvalue()


def test_torch_zip_full_model_pickle_is_info_only(tmp_path: Path) -> None:
    """Baseline: ``torch.save(model)``: nn.Module classes, Parameter, rebuild helpers."""
    linear = global_("torch.nn.modules.linear", "Linear")
    hooks = global_("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE
    param = (
        global_("torch._utils", "_rebuild_parameter")
        + MARK
        + rebuilt_tensor()
        + b"\x88"  # requires_grad=True
        + hooks
        + TUPLE
        + REDUCE
    )
    state = b"}" + binunicode("weight") + param + SETITEM
    model = proto(2) + global_("torch.nn.modules.container", "Sequential") + b")\x81"
    model += b"}" + binunicode("l") + linear + b")\x81" + state + b"b" + SETITEM + b"b" + STOP
    findings = scan(tmp_path, torch_zip(data_pkl=model))
    assert [(f.rule_id, f.severity) for f in findings] == [("AIW-MOD001", Severity.INFO)]


def test_torchscript_archive_is_info_only(tmp_path: Path) -> None:
    """Baseline: TorchScript archive (code/, constants.pkl, data.pkl with __torch__ classes)."""
    data = proto(2) + global_("__torch__", "Model") + b")\x81}b" + STOP
    constants = proto(2) + MARK + b"t" + STOP
    build = proto(2) + global_("torch.jit._pickle", "build_intlist") + b"]\x85R" + STOP
    archive = torch_zip(
        {"archive/constants.pkl": constants, "archive/code/__torch__.py": b"def f(x):\n"},
        data_pkl=data,
    )
    findings = scan(tmp_path, archive)
    assert rules(findings) == {"AIW-MOD001"}
    assert "AIW-MOD002" not in rules(scan(tmp_path, torch_zip(data_pkl=build)))


def test_payload_in_torchscript_constants(tmp_path: Path) -> None:
    """Technique: the payload sits in constants.pkl, which TorchScript loading unpickles."""
    archive = torch_zip({"archive/constants.pkl": EVIL, "archive/code/m.py": b""})
    findings = scan(tmp_path, archive)
    assert [f.location.member for f in findings if f.rule_id == "AIW-MOD002"] == [
        "archive/constants.pkl"
    ]


def test_duplicate_member_names_second_copy_malicious(tmp_path: Path) -> None:
    """Technique: two ``data.pkl`` members; a loader that takes the last gets the payload."""
    archive = torch_zip()
    buffer = io.BytesIO(archive)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "a") as handle:
            handle.writestr("archive/data.pkl", EVIL)
    findings = scan(tmp_path, buffer.getvalue())
    assert "duplicate-name" in anomalies(findings)
    assert "AIW-MOD002" in rules(findings)


def test_local_header_name_differs_from_central_directory(tmp_path: Path) -> None:
    """Technique: local-header vs central-directory name mismatch (GHSA-7q5r-7gvp-wc82)."""
    archive = torch_zip({"archive/extra.pkl": EVIL})
    position = archive.index(b"archive/extra.pkl")  # first occurrence: the local header
    archive = archive[:position] + b"archive/extra.txt" + archive[position + 17 :]
    findings = scan(tmp_path, archive)
    assert "name-mismatch" in anomalies(findings)
    assert "AIW-MOD002" in rules(findings)


def test_data_prepended_to_the_zip(tmp_path: Path) -> None:
    """Technique: bytes before the archive (a polyglot); zip readers still find the end."""
    findings = scan(tmp_path, b"#!/bin/sh\necho hi\n" + torch_zip({"archive/x.pkl": EVIL}))
    assert "prepended-data" in anomalies(findings)
    assert "AIW-MOD002" in rules(findings)


def _set_flags(archive: bytes, member: bytes, bits: int) -> bytes:
    """Set general-purpose flag ``bits`` on ``member`` in its local and central headers."""
    data = bytearray(archive)
    for signature, flag_offset, name_offset in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_len = struct.unpack_from("<H", data, start + (26 if name_offset == 30 else 28))[0]
            name = bytes(data[start + name_offset : start + name_offset + name_len])
            if name == member:
                flags = struct.unpack_from("<H", data, start + flag_offset)[0]
                struct.pack_into("<H", data, start + flag_offset, flags | bits)
            start += 4
    return bytes(data)


def test_encryption_flag_bit_on_a_plain_member(tmp_path: Path) -> None:
    """Technique: zip flag bit 0 set: zipfile refuses, torch reads (GHSA-w8jq-xcqf-f792)."""
    archive = _set_flags(torch_zip(data_pkl=EVIL), b"archive/data.pkl", 0x1)
    findings = scan(tmp_path, archive)
    assert "encrypted" in anomalies(findings)
    assert "AIW-MOD002" in rules(findings)


def test_crc_mismatch_on_the_pickle_member(tmp_path: Path) -> None:
    """Technique: a bad CRC-32 makes zipfile raise while torch loads the member."""
    archive = bytearray(torch_zip(data_pkl=EVIL))
    for signature, crc_offset in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        position = archive.find(signature)
        struct.pack_into("<L", archive, position + crc_offset, 0xDEADBEEF)
    findings = scan(tmp_path, bytes(archive))
    assert "crc" in anomalies(findings)
    assert "AIW-MOD002" in rules(findings)


def test_end_record_miscounts_members(tmp_path: Path) -> None:
    """Technique: the end-of-central-directory record declares fewer members."""
    archive = bytearray(torch_zip())
    position = archive.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", archive, position + 8, 2, 2)
    assert "entry-count" in anomalies(scan(tmp_path, bytes(archive)))


def test_plain_zip_is_not_claimed(tmp_path: Path) -> None:
    """Baseline: a zip of source files is left to the engine to expand."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("src/app.py", "print('hi')\n")
        archive.writestr("weights.pkl", EVIL)
    item = artifact(tmp_path, buffer.getvalue(), FileFormat.ZIP, "project.zip")
    assert not ANALYZER.claims(item)
    assert ANALYZER.claims(artifact(tmp_path, torch_zip(), FileFormat.ZIP))


def _legacy(main: bytes) -> bytes:
    magic = proto(2) + b"\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19" + STOP
    protocol = proto(2) + b"M\xe9\x03" + STOP
    sys_info = proto(2) + b"}" + binunicode("little_endian") + b"\x88" + SETITEM + STOP
    keys = proto(2) + b"]" + binunicode("0") + b"a" + STOP
    storage = struct.pack("<q", 4) + bytes(16)
    return magic + protocol + sys_info + main + keys + storage


def test_legacy_torch_format_malicious_main_pickle(tmp_path: Path) -> None:
    """Technique: legacy (pre-1.6) torch file: magic, protocol, sys_info, main, storages."""
    findings = scan(tmp_path, _legacy(EVIL), FileFormat.PICKLE)
    assert "AIW-MOD002" in rules(findings)
    assert "AIW-MOD004" not in rules(findings)
    benign = scan(tmp_path, _legacy(state_dict_pickle()), FileFormat.PICKLE)
    assert rules(benign) == {"AIW-MOD001"}


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return buffer.getvalue()


def test_old_torch_tar_format(tmp_path: Path) -> None:
    """Technique: the old torch tar format (sys_info, pickle, storages, tensors)."""
    sys_info = proto(2) + b"}" + STOP
    count = proto(2) + binint1(0) + STOP
    members = {"sys_info": sys_info, "pickle": EVIL, "storages": count, "tensors": count}
    item = artifact(tmp_path, _tar(members), FileFormat.TAR, "old.tar")
    assert ANALYZER.claims(item)
    findings = list(ANALYZER.analyze(item, Limits()))
    assert [f.location.member for f in findings if f.rule_id == "AIW-MOD002"] == ["pickle"]
    plain = artifact(tmp_path, _tar({"README.md": b"hi"}), FileFormat.TAR, "plain.tar")
    assert not ANALYZER.claims(plain)
    assert list(ANALYZER.analyze(plain, Limits())) == []
