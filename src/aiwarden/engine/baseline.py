"""Baselines: a versioned file of known finding fingerprints, so CI fails on new ones only.

Fingerprints come from :func:`aiwarden.core.fingerprint.fingerprint_all` and do not
depend on line numbers, so moving code keeps a finding in the baseline. ``AIW-ENG``
findings (files not fully scanned) are never written to a baseline and never marked
as known: an incomplete scan cannot be accepted once and forgotten.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from aiwarden.core.fingerprint import FINGERPRINT_VERSION
from aiwarden.core.report import BaselineState, ReportedFinding, ScanReport
from aiwarden.engine._fs import read_regular_file
from aiwarden.engine.config import ENGINE_PREFIX
from aiwarden.errors import BaselineError

BASELINE_SCHEMA_VERSION = "1"
BASELINE_MAX_BYTES = 256 * 1024 * 1024
"""A baseline larger than this is refused rather than read into memory."""


def build_baseline(report: ScanReport) -> dict[str, object]:
    """The baseline document for ``report``: its unsuppressed findings, sorted."""
    return _document(report, _entries(report))


def _entries(report: ScanReport) -> list[dict[str, str]]:
    entries = [
        {
            "fingerprint": rf.fingerprint,
            "rule_id": rf.finding.rule_id,
            "path": rf.finding.location.path,
            "message": rf.finding.message,
        }
        for rf in report.findings
        if not rf.suppressed and not rf.finding.rule_id.startswith(ENGINE_PREFIX)
    ]
    entries.sort(key=lambda e: (e["path"], e["rule_id"], e["fingerprint"]))
    return entries


def _document(report: ScanReport, entries: list[dict[str, str]]) -> dict[str, object]:
    return {
        "schema_version": BASELINE_SCHEMA_VERSION,
        "tool": "aiwarden",
        "tool_version": report.tool_version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "fingerprint_algorithm": FINGERPRINT_VERSION,
        "findings": entries,
    }


def write_baseline(report: ScanReport, path: Path) -> int:
    """Write the baseline of ``report`` to ``path`` atomically; return the number of entries.

    Raise :class:`BaselineError` if it cannot be written.
    """
    entries = _entries(report)
    text = json.dumps(_document(report, entries), indent=2, ensure_ascii=False) + "\n"
    try:
        _write_atomic(path, text)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(entries)


def _write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o644)  # mkstemp creates 0600; a baseline is meant to be committed
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load_baseline(path: Path) -> frozenset[str]:
    """The fingerprints in the baseline at ``path``.

    Raise :class:`BaselineError` (one line) if the file is missing or unreadable, is
    not JSON, has the wrong shape, or uses an unsupported schema or fingerprint version.
    """
    try:
        data = read_regular_file(path, BASELINE_MAX_BYTES)
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: baseline is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{path}: baseline is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    return _fingerprints(document, path)


def _fingerprints(document: object, path: Path) -> frozenset[str]:
    """Validate the shape and versions of a parsed baseline and extract its fingerprints."""
    if not isinstance(document, dict) or document.get("tool") != "aiwarden":
        raise BaselineError(f"{path}: not an aiwarden baseline (expected a JSON object)")
    version = document.get("schema_version")
    if version != BASELINE_SCHEMA_VERSION:
        raise BaselineError(
            f"{path}: unsupported baseline schema_version {version!r} "
            f"(this aiwarden reads {BASELINE_SCHEMA_VERSION!r}); recreate the baseline"
        )
    algorithm = document.get("fingerprint_algorithm")
    if algorithm != FINGERPRINT_VERSION:
        raise BaselineError(
            f"{path}: unsupported fingerprint_algorithm {algorithm!r} "
            f"(this aiwarden uses {FINGERPRINT_VERSION!r}); recreate the baseline"
        )
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f"{path}: 'findings' must be an array")
    result: set[str] = set()
    for index, entry in enumerate(findings):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise BaselineError(f"{path}: findings[{index}] has no 'fingerprint' string")
        result.add(fingerprint)
    return frozenset(result)


def mark_baseline(
    findings: Sequence[ReportedFinding], known: frozenset[str]
) -> list[ReportedFinding]:
    """Mark each finding ``UNCHANGED`` if its fingerprint is in ``known``, else ``NEW``.

    ``AIW-ENG`` findings are always ``NEW``.
    """
    return [
        replace(
            rf,
            baseline_state=BaselineState.UNCHANGED
            if rf.fingerprint in known and not rf.finding.rule_id.startswith(ENGINE_PREFIX)
            else BaselineState.NEW,
        )
        for rf in findings
    ]
