"""Helpers for the machine evidence check tests: build a project, scan it, collect."""

from __future__ import annotations

import hashlib
import pickle
import struct
from collections.abc import Iterable
from pathlib import Path

from aiw_test_support import project_view, write_tree
from aiwarden.assess.evidence.interface import EvidenceCheck
from aiwarden.assess.model import Evidence, Polarity, Strength

write = write_tree

view = project_view


def collect(check: EvidenceCheck, root: Path) -> list[Evidence]:
    """The evidence ``check`` yields for the project at ``root``."""
    return list(check.collect(view(root)))


def only(evidence: Iterable[Evidence], behaviour: str) -> list[Evidence]:
    """The evidence about one behaviour."""
    return [e for e in evidence if e.behaviour == behaviour]


def polarity(evidence: Iterable[Evidence], behaviour: str) -> set[tuple[Polarity, Strength]]:
    """(polarity, strength) pairs for one behaviour."""
    return {(e.polarity, e.strength) for e in only(evidence, behaviour)}


SUPPORTS, UNDERMINES = Polarity.SUPPORTS, Polarity.UNDERMINES
VERIFIED, HEURISTIC, DOCUMENT = Strength.VERIFIED, Strength.HEURISTIC, Strength.DOCUMENT_PRESENT


def safetensors_bytes() -> bytes:
    """A valid one-tensor safetensors file."""
    header = b'{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + b"\x00" * 8


def pickle_bytes() -> bytes:
    """A harmless pickle (written, never loaded)."""
    return pickle.dumps({"weights": [1, 2, 3]}, protocol=4)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
