"""Duplicate keys in a safetensors header: the counting fast path against the pairs hook.

``check_header`` rules duplicates out by counting ``:`` separators and only then falls
back to an ``object_pairs_hook`` parse. Every case here is checked against a reference
that always uses the pairs hook, so the fast path can never hide a duplicate.
"""

from __future__ import annotations

import json
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiwarden.analyzers.models import _safetensors_checks as checks


def _expected_duplicates(text: str) -> list[str]:
    found: list[str] = []

    def hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                found.append(key[:100])
            seen.add(key)
        return dict(pairs)

    json.loads(text, object_pairs_hook=hook)
    return found


def _errors(text: str) -> list[str]:
    raw = text.encode()
    report = checks.read_header(struct.pack("<Q", len(raw)), len(raw) + 8)
    checks.check_header(raw, len(raw) + 8, report)
    return report.errors


def _reported(text: str) -> list[str]:
    marker = " appears more than once"
    return [e for e in _errors(text) if marker in e]


def _agrees(text: str) -> None:
    expected = [
        f"key {k!r} appears more than once (parsers disagree on which wins)"
        for k in _expected_duplicates(text)[:5]
    ]
    assert _reported(text) == expected, text


_T = '{"dtype":"U8","shape":[1],"data_offsets":[0,1]}'
CASES: list[tuple[str, str, bool]] = [
    # what, header text, has a duplicate
    ("no duplicates", f'{{"w":{_T},"__metadata__":{{"a":"b"}}}}', False),
    ("top level", f'{{"w":{_T},"w":{_T}}}', True),
    ("inside a tensor", '{"w":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}}', True),
    ("inside metadata", '{"__metadata__":{"a":"1","a":"2"}}', True),
    ("nested in a list", '{"x":[1,{"a":1,"a":2}]}', True),
    ("deep nesting", '{"a":{"b":{"c":{"d":{"e":1,"e":1}}}}}', True),
    ("inside a discarded value", '{"a":{"b":1,"b":2},"a":3}', True),
    ("escaped key equals plain key", '{"a":1,"\\u0061":2}', True),
    ("escaped keys differ", '{"a":1,"\\u0062":2}', False),
    ("colon in keys and values", '{"a:b":"c:d","e":"f::"}', False),
    ("colon duplicate key", '{"a:b":"c","a:b":"d"}', True),
    ("colons in list strings", '{"a":["x:y","::"]}', False),
    ("colons in list strings, duplicate", '{"a":["x:y"],"a":1}', True),
    ("escaped colon in a value", '{"a":"\\u003a","b":1}', False),
    ("escaped colon hides a duplicate", '{"a":"\\u003a\\u003A","b":1,"b":2}', True),
    ("escaped colon key duplicate", '{"\\u003a":1,":":2}', True),
    ("escaped backslash before u003a", '{"a":"\\\\u003a","a":1}', True),
    ("colon in a discarded value", '{"a":"x:y","a":"z"}', True),
    ("empty objects", '{"a":{},"b":[{},{}]}', False),
    ("empty key twice", '{"":1,"":2}', True),
    ("many values, no duplicate", json.dumps({f"k{i}": f"v:{i}" for i in range(100)}), False),
]


@pytest.mark.parametrize(("what", "text", "duplicate"), CASES, ids=[c[0] for c in CASES])
def test_duplicates_match_the_pairs_hook(what: str, text: str, duplicate: bool) -> None:
    assert bool(_expected_duplicates(text)) is duplicate, what
    _agrees(text)


def test_duplicate_in_a_large_metadata_map_is_named() -> None:
    meta = ",".join(f'"k{i}":"{"v" * 64}"' for i in range(5000))
    text = f'{{"__metadata__":{{{meta},"k42":"again"}}}}'
    assert _reported(text) == ["key 'k42' appears more than once (parsers disagree on which wins)"]


def test_invalid_and_too_deep_json_report_as_before() -> None:
    assert _errors('{"a":}') == ["header is not valid JSON: Expecting value"]
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    assert _errors(deep) == ["header is not valid JSON: nested too deeply"]


_KEYS = st.sampled_from(["a", "b", ":", "a:b", "\\u0061", "\\u003a", "\\\\", ""])
_SCALARS = st.sampled_from(['"x"', '"x:y"', '"\\u003a"', '":"', "1", "null", "[]"])


def _json_text(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pairs = st.lists(st.tuples(_KEYS, children), max_size=4)
    objects = pairs.map(lambda ps: "{" + ",".join(f'"{k}":{v}' for k, v in ps) + "}")
    arrays = st.lists(children, max_size=3).map(lambda vs: "[" + ",".join(vs) + "]")
    return objects | arrays


_VALUES = st.recursive(_SCALARS, _json_text, max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(body=st.lists(st.tuples(_KEYS, _VALUES), max_size=5))
def test_random_headers_match_the_pairs_hook(body: list[tuple[str, str]]) -> None:
    text = "{" + ",".join(f'"{k}":{v}' for k, v in body) + "}"
    _agrees(text)
