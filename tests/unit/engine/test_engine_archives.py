"""Expansion of plain zip and tar archives into member artifacts, with its limits."""

from __future__ import annotations

import io
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiw_test_support import make_rule
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.analyzers.registry import Registry
from aiwarden.core import FileFormat, Finding, Severity, make_finding
from aiwarden.engine.worker import FileResult, FileTask, analyze_file

MARK = make_rule("AIW-TST030")


class MarkerAnalyzer(Analyzer):
    """Reports every file or member whose bytes contain MARKER."""

    name = "marker"
    rules = (MARK,)
    formats = frozenset(FileFormat)

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterator[Finding]:
        if b"MARKER" in artifact.read_bytes(limits.max_read_bytes):
            yield make_finding(MARK, artifact.location(), f"marker in {artifact.name}")


class ClaimingAnalyzer(MarkerAnalyzer):
    """Claims zips that hold a file named ``model.bin`` (a stand-in for a checkpoint)."""

    name = "claiming"
    rules = (make_rule("AIW-TST031", Severity.LOW),)

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterator[Finding]:
        yield from ()

    def claims(self, artifact: Artifact) -> bool:
        if artifact.format is not FileFormat.ZIP:
            return False
        with artifact.open() as handle, zipfile.ZipFile(handle) as archive:
            return "model.bin" in archive.namelist()


def scan(path: Path, limits: Limits | None = None, *extra: Analyzer) -> FileResult:
    analyzers = (MarkerAnalyzer(), *extra)
    task = FileTask(str(path), path.name, tuple(a.name for a in analyzers), limits or Limits())
    return analyze_file(task, Registry(analyzers, ()))


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_bytes(
    members: dict[str, bytes], mode: str = "w", links: dict[str, str] | None = None
) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return buffer.getvalue()


def rules_and_members(result: FileResult) -> set[tuple[str, str | None]]:
    return {(f.rule_id, f.location.member) for f in result.findings}


def test_zip_members_are_analysed_and_located(tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    path.write_bytes(zip_bytes({"docs/readme.txt": b"hello", "models/m.bin": b"xx MARKER"}))
    result = scan(path)
    assert rules_and_members(result) == {("AIW-TST030", "models/m.bin")}
    assert result.failure is None
    assert result.findings[0].location.path == "bundle.zip"


def test_nested_archives_join_member_names(tmp_path: Path) -> None:
    inner = zip_bytes({"deep/x.pkl": b"MARKER"})
    path = tmp_path / "outer.tar.gz"
    path.write_bytes(tar_bytes({"inner.zip": inner}, mode="w:gz"))
    result = scan(path)
    assert rules_and_members(result) == {("AIW-TST030", "inner.zip!deep/x.pkl")}


def test_zip_slip_member_names_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "slip.zip"
    path.write_bytes(zip_bytes({"../../home/user/.bashrc": b"x", "/etc/cron.d/job": b"y"}))
    result = scan(path)
    assert rules_and_members(result) == {
        ("AIW-ARC001", "../../home/user/.bashrc"),
        ("AIW-ARC001", "/etc/cron.d/job"),
    }


def test_tar_symlink_escaping_the_archive_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "links.tar"
    path.write_bytes(tar_bytes({"ok.txt": b"x"}, links={"data/link": "../../../etc/passwd"}))
    assert ("AIW-ARC001", "data/link") in rules_and_members(scan(path))


def test_nesting_depth_is_bounded(tmp_path: Path) -> None:
    payload = b"MARKER"
    for level in range(5):
        payload = zip_bytes({f"level{level}.zip": payload})
    path = tmp_path / "deep.zip"
    path.write_bytes(payload)
    result = scan(path, Limits(max_nesting_depth=3))
    assert "AIW-ENG003" in {f.rule_id for f in result.findings}
    assert result.failure is not None and "max_nesting_depth" in result.failure


def test_decompression_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(zip_bytes({"zeros.bin": bytes(1_000_000)}))
    result = scan(path, Limits(max_decompressed_bytes=100_000))
    assert [f.rule_id for f in result.findings] == ["AIW-ENG003"]
    assert result.failure is not None and "max_decompressed_bytes" in result.failure


def test_member_count_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    path.write_bytes(zip_bytes({f"f{i}.txt": b"x" for i in range(20)}))
    result = scan(path, Limits(max_archive_members=5))
    assert result.failure is not None and "max_archive_members" in result.failure


def test_corrupt_zip_fails_closed(tmp_path: Path) -> None:
    data = zip_bytes({"a.txt": b"MARKER" * 100})
    path = tmp_path / "broken.zip"
    path.write_bytes(data[: len(data) // 2])
    result = scan(path)
    assert "AIW-ENG006" in {f.rule_id for f in result.findings}
    assert result.failure


def test_encrypted_member_fails_closed(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"secret.pkl": b"MARKER"}))
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, local + 6, 1)  # general purpose flag: encrypted
    struct.pack_into("<H", data, central + 8, 1)
    path = tmp_path / "locked.zip"
    path.write_bytes(bytes(data))
    result = scan(path)
    assert "AIW-ENG006" in {f.rule_id for f in result.findings}
    assert "encrypted" in (result.failure or "")


def _stored_zip(members: list[tuple[str | bytes, bytes]], flags: int = 0) -> bytes:
    """A zip of stored members written field by field (zipfile refuses some names)."""
    local, central = b"", b""
    for name, data in members:
        raw, crc = name.encode() if isinstance(name, str) else name, zlib.crc32(data)
        # version needed, flags, method, time, date, crc, sizes, name and extra lengths
        fields = (20, flags, 0, 0, 0, crc, len(data), len(data), len(raw), 0)
        central += struct.pack("<4sH5H3I2H", b"PK\x01\x02", 20, *fields)
        central += struct.pack("<3HII", 0, 0, 0, 0, len(local)) + raw
        local += struct.pack("<4s5H3I2H", b"PK\x03\x04", *fields) + raw + data
    count = len(members)
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(central), len(local), 0)
    return local + central + end


def test_member_with_an_empty_name_is_analysed_not_a_crash(tmp_path: Path) -> None:
    # zipfile's ZipInfo.is_dir() indexes name[-1]: an empty name (found by the fuzz
    # harness) used to end the file's analysis with an IndexError.
    path = tmp_path / "nameless.zip"
    path.write_bytes(_stored_zip([("", b"MARKER"), ("b.txt", b"MARKER")]))
    assert [i.filename for i in zipfile.ZipFile(path).infolist()] == ["", "b.txt"]
    result = scan(path)
    assert result.failure is None
    members = {f.location.member for f in result.findings if f.rule_id == "AIW-TST030"}
    assert members == {None, "", "b.txt"}  # None: the stored bytes in the zip itself


def test_name_flagged_utf8_that_is_not_utf8_fails_closed(tmp_path: Path) -> None:
    # zipfile decodes a name whose UTF-8 flag (0x800) is set and raises UnicodeDecodeError
    # on invalid bytes; that ended the whole scan with an internal error.
    path = tmp_path / "bad-name.zip"
    path.write_bytes(_stored_zip([(b"\xff\xfe.txt", b"MARKER")], flags=0x800))
    result = scan(path)
    assert "AIW-ENG006" in {f.rule_id for f in result.findings}
    assert "UnicodeDecodeError" in (result.failure or "")


class _RaisesInAccepts(MarkerAnalyzer):
    """Raises from ``accepts``, as a buggy plugin or a parser given hostile bytes might."""

    name = "raises-in-accepts"

    def accepts(self, artifact: Artifact) -> bool:
        raise IndexError("hostile bytes")


class _RaisesInClaims(MarkerAnalyzer):
    """Accepts everything, then raises from ``claims``."""

    name = "raises-in-claims"

    def claims(self, artifact: Artifact) -> bool:
        raise ValueError("hostile bytes")


@pytest.mark.parametrize("raising", [_RaisesInAccepts, _RaisesInClaims])
def test_analyzer_raising_outside_analyze_is_a_finding(
    tmp_path: Path, raising: type[MarkerAnalyzer]
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"MARKER")
    result = scan(path, None, raising())
    rules = [f.rule_id for f in result.findings]
    assert "AIW-TST030" in rules  # the other analyzer still ran
    assert "AIW-ENG001" in rules
    assert raising.name in (result.failure or "")


def test_claimed_containers_are_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint.zip"
    path.write_bytes(zip_bytes({"model.bin": b"MARKER"}))
    result = scan(path, None, ClaimingAnalyzer())
    # The marker analyzer sees the whole zip (which holds MARKER compressed, so no match),
    # and the claimed archive's members are not expanded.
    assert all(f.location.member is None for f in result.findings)
    assert result.failure is None


def test_compressed_file_that_is_not_a_tar_is_left_alone(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "data.gz"
    path.write_bytes(gzip.compress(b"MARKER plain text"))
    result = scan(path)
    assert result.findings == () and result.failure is None


class PartialClaim(ClaimingAnalyzer):
    """Claims a container but reads only ``model.bin`` itself."""

    name = "partial-claim"
    rules = (make_rule("AIW-TST032", Severity.LOW),)

    def claimed_members(self, artifact: Artifact) -> frozenset[str] | None:
        return frozenset({"model.bin"})


def test_partially_claimed_containers_have_their_other_members_expanded(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint.zip"
    path.write_bytes(zip_bytes({"model.bin": b"MARKER", "assets/extra.pkl": b"MARKER"}))
    result = scan(path, None, PartialClaim())
    assert rules_and_members(result) == {("AIW-TST030", "assets/extra.pkl")}
