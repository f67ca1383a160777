"""Integrity records of model files, and their verification by streamed SHA-256.

Records come from checksum manifests (``SHA256SUMS``, ``checksums.txt``, GNU and BSD
line formats, ``<file>.sha256``), from OpenSSF model-signing / sigstore bundles (the
digests of their in-toto statement; the signature itself is not verified) and from
signature files beside the models. Recorded SHA-256 digests are checked with
:func:`aiwarden.bom.hashing.sha256_file` within a total budget of :data:`MAX_HASH_BYTES`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Final

from aiwarden.analyzers.governance.project import CHECKSUM_PATTERNS, SIGNATURE_SUFFIXES
from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence._models import ModelFile
from aiwarden.assess.evidence.interface import ProjectView
from aiwarden.bom.hashing import HashLimitError, sha256_file

MAX_HASH_BYTES: Final = 2 * 1024**3
MAX_RECORD_FILES: Final = 50
MAX_RECORD_BYTES: Final = 8 * 1024 * 1024
_GNU: Final = re.compile(r"^([0-9a-fA-F]{64}|[0-9a-fA-F]{128})\s+\*?(.+?)\s*$")
_BSD: Final = re.compile(r"^SHA(256|512)\s*\((.+)\)\s*=\s*([0-9a-fA-F]+)\s*$")
_BARE: Final = re.compile(r"^([0-9a-fA-F]{64}|[0-9a-fA-F]{128})\s*$")


@dataclass(slots=True)
class Records:
    """Recorded digests per model path, and models covered only by a signature."""

    sha256: dict[str, str] = field(default_factory=dict)
    other: set[str] = field(default_factory=set)
    """Recorded with another algorithm (SHA-512): present, not verified here."""
    signed: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)


def _resolve(name: str, directory: str, models: dict[str, ModelFile]) -> str | None:
    """The model relpath a record names (relative to the record's directory, or by a
    unique path suffix)."""
    name = name.strip().removeprefix("./")
    candidate = str(PurePosixPath(directory) / name) if directory else name
    if candidate in models:
        return candidate
    matches = [m for m in models if m == name or m.endswith("/" + name)]
    return matches[0] if len(matches) == 1 else None


def _record(records: Records, path: str | None, digest: str, source: str) -> None:
    if path is None:
        return
    records.sources.add(source)
    if len(digest) == 64:
        records.sha256.setdefault(path, digest.lower())
    else:
        records.other.add(path)


def _checksum_file(records: Records, relpath: str, text: str, models: dict[str, ModelFile]) -> None:
    directory = str(PurePosixPath(relpath).parent)
    directory = "" if directory == "." else directory
    for line in text.splitlines()[:100_000]:
        gnu, bsd, bare = _GNU.match(line), _BSD.match(line), _BARE.match(line)
        if gnu:
            _record(records, _resolve(gnu.group(2), directory, models), gnu.group(1), relpath)
        elif bsd:
            _record(records, _resolve(bsd.group(2), directory, models), bsd.group(3), relpath)
        elif bare and relpath.lower().endswith((".sha256", ".sha512")):
            target = PurePosixPath(relpath).name.rsplit(".", 1)[0]
            _record(records, _resolve(target, directory, models), bare.group(1), relpath)


def _statement(bundle: Any) -> dict[str, Any] | None:
    """The in-toto statement of a sigstore bundle's DSSE envelope, if any."""
    envelope = bundle.get("dsseEnvelope") if isinstance(bundle, dict) else None
    payload = envelope.get("payload") if isinstance(envelope, dict) else None
    if not isinstance(payload, str):
        return None
    try:
        value = json.loads(base64.b64decode(payload, validate=False))
    except (binascii.Error, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _bundle(records: Records, relpath: str, text: str, models: dict[str, ModelFile]) -> None:
    """Digests of a model-signing bundle (subjects and ``resources``), plus the models it
    signs by place (its directory and below)."""
    directory = str(PurePosixPath(relpath).parent)
    directory = "" if directory == "." else directory
    records.sources.add(relpath)
    for model in models:
        if not directory or model.startswith(directory + "/"):
            records.signed.add(model)
    try:
        statement = _statement(json.loads(text))
    except (ValueError, RecursionError):
        return
    if statement is None:
        return
    predicate = statement.get("predicate")
    entries = list(statement.get("subject") or [])
    if isinstance(predicate, dict):
        entries += list(predicate.get("resources") or [])
    for entry in entries[:100_000]:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        digest = entry.get("digest")
        value = digest.get("sha256") if isinstance(digest, dict) else digest
        if isinstance(value, str) and re.fullmatch(r"[0-9a-fA-F]{64}", value):
            _record(records, _resolve(entry["name"], directory, models), value, relpath)


def load_records(project: ProjectView, models: list[ModelFile]) -> Records:
    """Every integrity record the project's own files hold about ``models``."""
    by_path = {m.path: m for m in models}
    records = Records()
    checksums = project.glob(*CHECKSUM_PATTERNS)
    signatures = [f for f in project.files if f.lower().endswith(SIGNATURE_SUFFIXES)]
    for relpath in [*checksums, *signatures][:MAX_RECORD_FILES]:
        if fs.incidental(project, relpath):
            continue
        text = fs.read_text_head(project, relpath, MAX_RECORD_BYTES)
        if text is None:
            continue
        if relpath in checksums:
            _checksum_file(records, relpath, text, by_path)
        else:
            _bundle(records, relpath, text, by_path)
    return records


@dataclass(slots=True)
class Verification:
    """The outcome of checking the recorded SHA-256 digests."""

    matched: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    unverified: dict[str, str] = field(default_factory=dict)
    """path -> why it was not verified (too large, unreadable)."""


def verify(project: ProjectView, records: Records, budget: int | None = None) -> Verification:
    """Hash each model with a recorded SHA-256 (streamed; at most ``budget`` bytes in all,
    :data:`MAX_HASH_BYTES` by default)."""
    result = Verification()
    remaining = MAX_HASH_BYTES if budget is None else budget
    for relpath, expected in sorted(records.sha256.items()):
        path = fs.safe_path(project.root, relpath)
        if path is None:
            result.unverified[relpath] = "not a regular file"
            continue
        try:
            digest = sha256_file(path, max_bytes=remaining)
        except HashLimitError:
            result.unverified[relpath] = "not verified: too large"
            continue
        except OSError:
            result.unverified[relpath] = "unreadable"
            continue
        remaining -= digest.size
        (result.matched if digest.sha256 == expected else result.mismatched).append(relpath)
    return result
