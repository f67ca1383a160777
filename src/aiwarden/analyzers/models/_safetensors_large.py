"""Headers whose ``__metadata__`` map is too large to build in memory.

A safetensors header may be 100 MB long. Parsed with :mod:`json`, a metadata map of a
million short entries becomes several times that in Python strings and a dict: the
denial of service the bounded-metadata check is there to report would first be done to
the scanner. Every writer puts ``__metadata__`` first, as a flat object of strings, so
when a long ASCII header starts that way, the map is validated in place with one
regular expression over the bytes, which allocates nothing: strings of printable
characters without escapes, in the compact (``{"k":"v","k2":"v2"}``) or the
``json.dumps`` (``{"k": "v", "k2": "v2"}``) layout, whose fixed punctuation gives the
number of characters inside strings exactly. Only maps of more than
``MAX_METADATA_KEYS`` entries are handled here: their first ``MAX_METADATA_KEYS``
entries are parsed and inspected as usual (long values, pickles, duplicate keys), the
rest are counted and measured, and the anomaly says that they were not inspected. The
tensor entries after the map are parsed and checked as usual. Any other header
(non-ASCII, escapes, other whitespace, a map that is not first or not flat, duplicate
keys among the inspected entries, another ``__metadata__`` key) takes the general path.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from aiwarden.analyzers.models import _safetensors_checks as checks

_WS: Final = rb"[ \t\n\r]*+"
_STRING: Final = rb'"[ !#-\[\]-\x7f]*+"'
"""A JSON string of printable ASCII without escapes (the header is known to be ASCII)."""
_OPEN: Final = re.compile(rb"\{" + _WS + rb'"__metadata__"' + _WS + rb":" + _WS + rb"(?=\{)")


def _map(colon: bytes, comma: bytes) -> re.Pattern[bytes]:
    entry = _STRING + colon + _STRING
    return re.compile(rb"\{(?:" + entry + comma + rb")*+" + entry + rb"\}")


_LAYOUTS: Final = ((_map(b":", b","), 6, 1), (_map(b": ", b", "), 8, 0))
"""Each layout's pattern and its bytes outside strings: ``per_entry * n + constant``
(compact: 4 quotes, a colon and a comma per entry, the braces, one comma less)."""


def _match_map(raw: bytes, start: int) -> tuple[int, int] | None:
    """The end of the map at ``start`` in one of the layouts and its bytes outside strings."""
    for pattern, per_entry, constant in _LAYOUTS:
        found = pattern.match(raw, start)
        if found is not None:
            entries = raw.count(b'"', start, found.end()) // 4
            return found.end(), per_entry * entries + constant
    return None


@cache
def _quotes(count: int) -> re.Pattern[bytes]:
    """Matches up to and including the ``count``-th double quote."""
    return re.compile(rb'(?:[^"]*+"){%d}' % count)


def check_large_metadata(raw: bytes, data_size: int, report: checks.HeaderReport) -> bool:
    """Validate the ASCII header ``raw`` into ``report`` if its metadata map is too large.

    Return False, with ``report`` untouched, when the header is not such a case; the
    caller then takes the general path.
    """
    opened = _OPEN.match(raw)
    if opened is None:
        return False
    start = opened.end()
    found = _match_map(raw, start)
    if found is None:
        return False
    end, structure = found
    entries = raw.count(b'"', start, end) // 4
    if entries <= checks.MAX_METADATA_KEYS:
        return False
    errors, anomalies = len(report.errors), len(report.anomalies)
    if _check(raw, (start, end), entries, structure, data_size, report):
        return True
    del report.errors[errors:], report.anomalies[anomalies:]
    return False


def _check(
    raw: bytes,
    span: tuple[int, int],
    entries: int,
    structure: int,
    data_size: int,
    report: checks.HeaderReport,
) -> bool:
    start, end = span
    if raw.find(b'"__metadata__"', end) != -1:
        return False  # perhaps a second map, which would win: the general path decides
    head = _quotes(4 * checks.MAX_METADATA_KEYS).match(raw, start)
    assert head is not None  # the map holds more quotes than that
    first = raw[start : head.end()] + b"}"
    before = len(report.errors)
    inspected = checks.parse_header(first.decode("ascii"), first, report)
    if len(report.errors) > before:
        return False  # duplicate keys among the first entries: the general path counts them
    # The rest of the header behind a stand-in for the map, so that JSON errors and
    # duplicate keys read as they would in the whole header.
    rest = b'{"__metadata__":{}' + raw[end:]
    tensors = checks.parse_header(rest.decode("ascii"), rest, report)
    if tensors is None:
        return True  # invalid JSON after the map: reported
    assert isinstance(tensors, dict) and isinstance(inspected, dict)
    del tensors["__metadata__"]
    checks.inspect_values(inspected, report)
    report.anomalies.append(
        f"__metadata__ holds {entries} entries (entries past the first "
        f"{checks.MAX_METADATA_KEYS} were not inspected for pickles or duplicate keys)"
    )
    checks.total_size(end - start - structure, report)  # ASCII: one byte per character
    checks.check_entries(tensors, data_size, report, also_counted=1)
    return True
