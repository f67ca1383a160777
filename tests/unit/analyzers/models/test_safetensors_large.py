"""Large metadata maps are validated in place, with the general parser's verdicts.

The in-place path (``_safetensors_large``) must report exactly what the general path
(``json`` with the duplicate-key checks) reports, except what it documents: keys past
the first ``MAX_METADATA_KEYS`` entries are not checked for duplicates, and the entry
count anomaly says so. The bounds are made small here so that small headers exercise it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiwarden.analyzers.models import _safetensors_checks as checks

CAP = 3
_FAST_WORDING = "entries past the first 3 were not inspected for pickles or duplicate keys"
_GENERAL_WORDING = "values past the first 3 were not inspected for pickles"


@pytest.fixture(autouse=True)
def _small_bounds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(checks, "MAX_METADATA_KEYS", CAP)
    monkeypatch.setattr(checks, "MAX_METADATA_BYTES", 40)
    monkeypatch.setattr(checks, "MAX_METADATA_VALUE", 12)
    yield


def _verdict(raw: bytes, data_size: int, *, large: int) -> tuple[list[str], list[str]]:
    checks.LARGE_HEADER = large
    try:
        report = checks.HeaderReport()
        report.header_len = len(raw)
        checks.check_header(raw, 8 + len(raw) + data_size, report)
    finally:
        checks.LARGE_HEADER = 1024 * 1024
    return report.errors, report.anomalies


def _both(raw: bytes, data_size: int = 0) -> tuple[tuple[list[str], ...], tuple[list[str], ...]]:
    fast = _verdict(raw, data_size, large=0)
    general = _verdict(raw, data_size, large=1 << 60)
    return fast, general


def _as_general(anomalies: list[str]) -> list[str]:
    return [a.replace(_FAST_WORDING, _GENERAL_WORDING) for a in anomalies]


def _header(pairs: list[tuple[str, str]], tail: str, *, spaced: bool) -> bytes:
    colon, comma = (": ", ", ") if spaced else (":", ",")
    body = comma.join(f"{json.dumps(k)}{colon}{json.dumps(v)}" for k, v in pairs)
    return ('{"__metadata__"' + colon + "{" + body + "}" + tail).encode()


_TENSOR = '"w":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}'
_TAILS = [
    "," + _TENSOR + "}",
    "}",
    ", " + _TENSOR + "}",
    "," + _TENSOR + "," + _TENSOR + "}",  # a duplicated tensor key
    ',"w":{"dtype":"X9","shape":[4],"data_offsets":[0,5]}}',  # bad dtype, bad size
    "," + _TENSOR,  # unterminated
    "," + _TENSOR + "}}",  # extra data
    " x",  # garbage after the map
    ',"__metadata__":{"a":"b"},' + _TENSOR + "}",  # a second map wins in json
    ',"w":{"dtype":"U8","shape":[4],"data_offsets":[0,4],"extra":1}}',
    ",}",
]
_KEYS = ["a", "b", "c", "d", "e", ":", "a b", "", "k:v", "{}"]
_VALUES = st.one_of(
    st.text(alphabet="ab: ,{}x", max_size=8), st.sampled_from(["gASVabc", "v" * 13, ""])
)


@settings(max_examples=400, deadline=None)
@given(
    keys=st.lists(st.sampled_from(_KEYS), min_size=0, max_size=8, unique=True),
    values=st.lists(_VALUES, min_size=9, max_size=9),
    duplicate=st.booleans(),
    escaped=st.one_of(st.none(), st.tuples(st.integers(0, 8), st.sampled_from(["é", 'q"', "\t"]))),
    tail=st.sampled_from(_TAILS),
    spaced=st.booleans(),
    data_size=st.sampled_from([0, 4, 8]),
)
def test_in_place_path_agrees_with_the_general_parser(
    keys: list[str],
    values: list[str],
    duplicate: bool,
    escaped: tuple[int, str] | None,
    tail: str,
    spaced: bool,
    data_size: int,
) -> None:
    if duplicate and keys:
        keys.insert(1, keys[0])  # a duplicate among the inspected entries
    if escaped is not None:
        values[escaped[0]] = escaped[1]  # written with an escape
    raw = _header(list(zip(keys, values, strict=False)), tail, spaced=spaced)
    (fast_errors, fast_anomalies), (errors, anomalies) = _both(raw, data_size)
    assert fast_errors == errors
    assert _as_general(fast_anomalies) == anomalies


def test_the_in_place_path_runs_on_a_large_flat_map() -> None:
    raw = _header([(f"k{i}", "v" * 5) for i in range(10)], "," + _TENSOR + "}", spaced=False)
    (errors, anomalies), (general_errors, general_anomalies) = _both(raw, 4)
    assert errors == general_errors == []
    assert anomalies == [
        f"__metadata__ holds 10 entries ({_FAST_WORDING})",
        "__metadata__ holds 70 characters of text",
    ]
    assert general_anomalies == [
        f"__metadata__ holds 10 entries ({_GENERAL_WORDING})",
        "__metadata__ holds 70 characters of text",
    ]


def test_a_duplicate_past_the_inspected_entries_is_declared_not_checked() -> None:
    pairs = [(f"k{i}", "v") for i in range(6)] + [("k0", "again")]
    raw = _header(pairs, "}", spaced=True)
    (errors, anomalies), (general_errors, _general) = _both(raw)
    assert general_errors == ["key 'k0' appears more than once (parsers disagree on which wins)"]
    assert errors == []
    assert anomalies == [f"__metadata__ holds 7 entries ({_FAST_WORDING})"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"__metadata__":{"a":"\\u0062","b":"c","c":"d","d":"e"}}',  # an escape
        '{"__metadata__":{"a":"é","b":"c","c":"d","d":"e"}}'.encode(),  # not ASCII
        b'{"__metadata__" : {"a" :"b","b":"c","c":"d","d":"e"}}',  # other whitespace
        b'{"__metadata__":{"a":1,"b":"c","c":"d","d":"e"}}',  # not a string map
        b'{"w":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"__metadata__":{"a":"b"}}',
    ],
)
def test_other_headers_take_the_general_path(raw: bytes) -> None:
    (errors, anomalies), general = _both(raw)
    assert (errors, anomalies) == general
    assert not any(_FAST_WORDING in a for a in anomalies)
