"""Records behave as the frozen, slotted dataclasses they replace."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle

import pytest

from aiwarden.core._record import Record
from aiwarden.core.report import FailedFile, ScannedFile, SkippedFile, Suppression, SuppressionKind
from aiwarden.engine.discovery import DiscoveredFile


@dataclasses.dataclass(frozen=True, slots=True)
class ScannedFileDataclass:
    path: str
    format: str
    size: int
    duration_s: float


def test_equality_hash_and_repr_match_a_dataclass() -> None:
    record = ScannedFile("a.py", "python", 3, 0.5)
    twin = ScannedFileDataclass("a.py", "python", 3, 0.5)
    assert record == ScannedFile("a.py", "python", 3, 0.5)
    assert record != ScannedFile("a.py", "python", 4, 0.5)
    assert record != twin  # another class never compares equal
    assert hash(record) == hash(twin)
    assert repr(record) == repr(twin).replace("ScannedFileDataclass", "ScannedFile")
    assert SkippedFile("x", "r") != FailedFile("x", "r")
    assert len({SkippedFile("x", "r"), SkippedFile("x", "r")}) == 1


def test_records_are_frozen_and_slotted() -> None:
    record = FailedFile("x", "timed out")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'path'"):
        record.path = "y"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'path'"):
        del record.path  # type: ignore[misc]
    assert not hasattr(record, "__dict__")


def test_records_pickle_and_copy_by_value() -> None:
    from pathlib import Path

    for record in (
        Suppression(SuppressionKind.INLINE, "reviewed", "a.py:1"),
        DiscoveredFile(Path("/x/a.py"), "a.py"),
        ScannedFile("a.py", "python", 3, 0.5),
    ):
        assert pickle.loads(pickle.dumps(record)) == record
        assert copy.copy(record) == record and copy.deepcopy(record) == record


def _record_classes() -> list[type[Record]]:
    import aiwarden.analyzers.registry
    import aiwarden.outputs._common  # noqa: F401  (defines Tally)

    found: list[type[Record]] = []
    pending: list[type[Record]] = [Record]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.append(sub)
            pending.append(sub)
    return found


def test_every_record_lists_its_fields_in_init_order() -> None:
    classes = _record_classes()
    assert {c.__name__ for c in classes} >= {"Registry", "Tally", "Discovery", "ScannedFile"}
    for cls in classes:
        parameters = list(inspect.signature(cls.__init__).parameters)[1:]
        assert list(cls.__match_args__) == parameters, cls
        assert set(cls.__slots__) == set(cls.__match_args__), cls


def test_records_support_positional_patterns() -> None:
    match SkippedFile("a", "b"):
        case SkippedFile(path, reason):
            assert (path, reason) == ("a", "b")
        case _:
            pytest.fail("no match")
