"""Validation of a safetensors header, as the reference Rust implementation does it.

Only the 8-byte length and the JSON header are read, never the tensor data. The checks
mirror ``safetensors::tensor::SafeTensors::read_metadata`` and ``Metadata::validate``:
the header length fits in the file and under 100 MB, the header is UTF-8 JSON object,
every tensor has a known dtype, a shape of non-negative integers and ``data_offsets``
that tile the data section contiguously from 0 to its end with ``shape x dtype`` bytes
each; ``__metadata__`` is a string-to-string map. Python's ``json`` keeps the last of
duplicated keys, so duplicates are ruled out by counting key separators (see
:func:`_keep` and :func:`_no_duplicates`) or, when the count cannot rule them out,
found with an ``object_pairs_hook``.
"""

from __future__ import annotations

import itertools
import json
import math
import struct
from typing import NamedTuple

MAX_HEADER = 100_000_000
"""The reference implementation's limit on the header length."""
MAX_TENSORS = 1_000_000
MAX_DIMS = 64
MAX_METADATA_BYTES = 8 * 1024 * 1024
MAX_METADATA_VALUE = 1024 * 1024
MAX_METADATA_KEYS = 10_000
"""Metadata entries inspected one by one; beyond this the count itself is the anomaly."""
LARGE_HEADER = 1024 * 1024
"""Headers longer than this are checked for a metadata map too large to build in memory
(see :mod:`~aiwarden.analyzers.models._safetensors_large`)."""

DTYPE_BITS: dict[str, int] = {
    "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8, "F8_E5M2": 8,
    "F8_E4M3": 8, "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8, "I16": 16, "U16": 16,
    "F16": 16, "BF16": 16, "I32": 32, "U32": 32, "F32": 32, "C64": 64, "F64": 64,
    "I64": 64, "U64": 64,
}  # fmt: skip
"""Bits per element of every dtype safetensors 0.8 accepts."""

_PICKLE_B64 = ("gAJ", "gAN", "gAR", "gAS", "gAV")  # base64 of b"\x80\x02".."\x80\x05"
_PICKLE_RAW = ("\x80\x04", "\x80\x05")


class HeaderReport:
    """What was found: fatal ``errors`` (loader would refuse) and metadata ``anomalies``.

    A plain class: a dataclass costs half a millisecond to create at import.
    """

    __slots__ = ("anomalies", "errors", "header_len", "tensors")

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.anomalies: list[str] = []
        self.tensors = 0
        self.header_len = 0


class _Tensor(NamedTuple):
    """A tensor's name and byte range (a named tuple: cheaper to create at import)."""

    name: str
    start: int
    end: int


def read_header(head: bytes, size: int) -> HeaderReport:
    """Check the 8-byte length prefix ``head`` of a file of ``size`` bytes."""
    report = HeaderReport()
    if size < 8 or len(head) < 8:
        report.errors.append(f"file is {size} bytes, too small for the 8-byte header length")
        return report
    (length,) = struct.unpack("<Q", head[:8])
    report.header_len = length
    if length > MAX_HEADER:
        report.errors.append(f"header length {length} exceeds the 100 MB limit of safetensors")
    elif length + 8 > size:
        report.errors.append(f"header length {length} runs past the end of the {size}-byte file")
    elif length < 2:
        report.errors.append(f"header length {length} is too small for a JSON object")
    return report


def check_header(raw: bytes, size: int, report: HeaderReport) -> None:
    """Validate the JSON header ``raw`` of a file of ``size`` bytes into ``report``."""
    if len(raw) > LARGE_HEADER and raw.startswith(b"{") and raw.isascii():
        from aiwarden.analyzers.models import _safetensors_large as large

        if large.check_large_metadata(raw, size - 8 - report.header_len, report):
            return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.errors.append(f"header is not valid UTF-8 (byte {exc.start + 8})")
        return
    if not text.startswith("{"):
        report.errors.append("header does not start with '{'")
    header = parse_header(text, raw, report)
    del text  # a large header's text is not needed for the checks below
    if header is None:
        return
    if not isinstance(header, dict):
        report.errors.append(f"header is a JSON {type(header).__name__}, not an object")
        return
    check_entries(header, size - 8 - report.header_len, report)


def parse_header(text: str, raw: bytes, report: HeaderReport) -> object | None:
    """The JSON value of ``text`` (``raw`` is its UTF-8), None after reporting it invalid.

    Duplicated keys in any object are reported (the first five) as errors.
    """
    objects: list[dict[str, object]] = []
    duplicates: list[str] = []
    try:  # both parses stay in this frame: the nesting that fails is the same
        header: object = json.loads(text, object_hook=lambda d: _keep(d, objects))
        if not _no_duplicates(raw, objects):
            header = json.loads(text, object_pairs_hook=lambda p: _no_dupes(p, duplicates))
    except (json.JSONDecodeError, RecursionError) as exc:
        report.errors.append(
            f"header is not valid JSON: {getattr(exc, 'msg', 'nested too deeply')}"
        )
        return None
    objects.clear()
    for key in duplicates[:5]:
        report.errors.append(f"key {key!r} appears more than once (parsers disagree on which wins)")
    return header


def _keep(mapping: dict[str, object], objects: list[dict[str, object]]) -> dict[str, object]:
    """The ``object_hook`` of the first parse: note every object built, change nothing.

    Python's ``json`` keeps the last of duplicated keys silently. A list of pairs for
    every object (``object_pairs_hook``) costs a third of the parse of a large header,
    so the header is parsed first with this hook, which only keeps a reference to every
    object, including those a later duplicate key discards; :func:`_no_duplicates`
    then proves from counts that no key repeats, or the header is parsed again with
    the pairs hook, which finds and names the duplicates exactly as before. The C
    scanner is the same and each hook runs in two Python frames, so both parses fail
    on the same inputs with the same messages.
    """
    objects.append(mapping)
    return mapping


def _no_duplicates(raw: bytes, objects: list[dict[str, object]]) -> bool:
    """True only if no object in the header ``raw`` repeats a key (False: undecided).

    ``separators = raw.count(b":")`` is the number of key occurrences ``K_occ`` plus
    the raw colons inside string literals ``R``; the objects built hold ``K`` keys,
    ``K <= K_occ`` with equality exactly when no object repeats a key. If
    ``separators == K`` then ``K_occ <= K``: no duplicates. Otherwise the colons of
    the objects' string keys and string values are counted (``S``). Without a
    ``\\u003a``/``\\u003A`` escape in the text a decoded colon is a raw one, and each
    counted string is a distinct literal, so ``S <= R`` and
    ``separators - S >= K_occ >= K``: ``separators - S == K`` again proves
    ``K_occ == K``. Anything else (escapes, colons in strings inside arrays, a real
    duplicate) returns False and the caller takes the exact slow path.
    """
    keys = sum(map(len, objects))
    separators = raw.count(b":")
    if separators == keys:
        return True
    if b"\\" in raw and (b"\\u003a" in raw or b"\\u003A" in raw):
        return False
    return separators - sum(map(_colons, objects)) == keys


def _colons(mapping: dict[str, object]) -> int:
    """Colons in the keys and the string values of one header object."""
    count = "".join(mapping).count(":")
    values = mapping.values()
    if len(mapping) > 16 and set(map(type, values)) == {str}:
        return count + "".join(values).count(":")  # type: ignore[arg-type]
    return count + sum(v.count(":") for v in values if type(v) is str)


def _no_dupes(pairs: list[tuple[str, object]], duplicates: list[str]) -> dict[str, object]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                duplicates.append(key[:100])
            seen.add(key)
    return mapping


def check_entries(
    header: dict[str, object], data_size: int, report: HeaderReport, *, also_counted: int = 0
) -> None:
    """Check every tensor entry (and ``__metadata__``) and how the tensors tile the data.

    ``also_counted`` header entries were checked separately (a metadata map too large to
    build) but count towards the ``MAX_TENSORS`` bound.
    """
    tensors: list[_Tensor] = []
    declared = len(header) + also_counted
    if declared > MAX_TENSORS:
        report.errors.append(f"header declares {declared} entries, over {MAX_TENSORS}")
        return
    for name, info in header.items():
        if name == "__metadata__":
            _check_metadata(info, report)
            continue
        tensor = _check_tensor(name, info, report)
        if tensor is not None:
            tensors.append(tensor)
    report.tensors = len(tensors)
    _check_layout(tensors, data_size, report)


def _check_tensor(name: str, info: object, report: HeaderReport) -> _Tensor | None:
    label = repr(name[:100])
    if not isinstance(info, dict):
        report.errors.append(f"tensor {label} is a {type(info).__name__}, not an object")
        return None
    extra = sorted(set(info) - {"dtype", "shape", "data_offsets"})
    if extra:
        report.anomalies.append(f"tensor {label} has unexpected fields {extra[:5]}")
    dtype, shape, offsets = info.get("dtype"), info.get("shape"), info.get("data_offsets")
    bits = DTYPE_BITS.get(dtype) if isinstance(dtype, str) else None
    if bits is None:
        report.errors.append(f"tensor {label} has unknown dtype {str(dtype)[:40]!r}")
    dims = _shape(shape)
    if dims is None:
        report.errors.append(f"tensor {label} has an invalid shape {str(shape)[:80]}")
    span = _offsets(offsets)
    if span is None:
        report.errors.append(f"tensor {label} has invalid data_offsets {str(offsets)[:80]}")
        return None
    if bits is not None and dims is not None:
        _check_size(label, bits, dims, span, report)
    return _Tensor(name, span[0], span[1])


def _shape(shape: object) -> list[int] | None:
    if not isinstance(shape, list) or len(shape) > MAX_DIMS:
        return None
    if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2**64 for d in shape):
        return None
    return list(shape)


def _offsets(offsets: object) -> tuple[int, int] | None:
    if not isinstance(offsets, list) or len(offsets) != 2:
        return None
    start, end = offsets
    for value in (start, end):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**64:
            return None
    return (start, end)


def _check_size(
    label: str, bits: int, dims: list[int], span: tuple[int, int], report: HeaderReport
) -> None:
    count = math.prod(dims)
    total_bits = count * bits
    if total_bits >= 2**67:
        report.errors.append(f"tensor {label} shape {dims[:8]} overflows 64-bit sizes")
        return
    if total_bits % 8:
        report.errors.append(f"tensor {label} of {count} sub-byte elements does not end on a byte")
        return
    if span[1] - span[0] != total_bits // 8:
        report.errors.append(
            f"tensor {label} declares {span[1] - span[0]} bytes but shape {dims[:8]} needs "
            f"{total_bits // 8}"
        )


def _check_layout(tensors: list[_Tensor], data_size: int, report: HeaderReport) -> None:
    cursor = 0
    for tensor in sorted(tensors, key=lambda t: (t.start, t.end)):
        label = repr(tensor.name[:100])
        if tensor.end < tensor.start:
            report.errors.append(f"tensor {label} ends before it starts")
        elif tensor.end > data_size:
            report.errors.append(
                f"tensor {label} data [{tensor.start}, {tensor.end}) runs past the end of the "
                f"{data_size}-byte data section"
            )
        elif tensor.start < cursor:
            report.errors.append(f"tensor {label} overlaps the previous tensor's bytes")
        elif tensor.start > cursor:
            report.errors.append(f"{tensor.start - cursor} unaccounted bytes before tensor {label}")
        cursor = max(cursor, tensor.end)
        if len(report.errors) > 50:
            return
    if cursor < data_size:
        report.errors.append(
            f"{data_size - cursor} bytes after the last tensor are not described by the header "
            "(data appended to the file, a polyglot vector)"
        )


def _check_metadata(info: object, report: HeaderReport) -> None:
    if not isinstance(info, dict):
        report.errors.append(f"__metadata__ is a {type(info).__name__}, not a string map")
        return
    all_strings = set(map(type, info.values())) <= {str}  # C-level: 120k values in ~2 ms
    wrong = [] if all_strings else [(k, v) for k, v in info.items() if type(v) is not str]
    for key, value in wrong[:20]:
        report.errors.append(
            f"__metadata__[{key[:60]!r}] is a {type(value).__name__}, not a string"
        )
    strings: dict[str, str] = {k: v for k, v in info.items() if type(v) is str} if wrong else info
    inspect_values(strings, report)
    if len(strings) > MAX_METADATA_KEYS:
        report.anomalies.append(
            f"__metadata__ holds {len(strings)} entries (values past the first "
            f"{MAX_METADATA_KEYS} were not inspected for pickles)"
        )
    total_size(sum(map(len, strings)) + sum(map(len, strings.values())), report)


def inspect_values(strings: dict[str, str], report: HeaderReport) -> None:
    """Flag oversized and pickle-like values among the first ``MAX_METADATA_KEYS`` entries."""
    for key, value in itertools.islice(strings.items(), MAX_METADATA_KEYS):
        if len(value) > MAX_METADATA_VALUE:
            report.anomalies.append(f"__metadata__[{key[:60]!r}] is {len(value)} characters long")
        if value[:16].lstrip().startswith(_PICKLE_B64) or value.startswith(_PICKLE_RAW):
            report.anomalies.append(f"__metadata__[{key[:60]!r}] holds what looks like a pickle")


def total_size(characters: int, report: HeaderReport) -> None:
    """Flag metadata whose keys and values hold more than ``MAX_METADATA_BYTES`` characters."""
    if characters > MAX_METADATA_BYTES:
        report.anomalies.append(f"__metadata__ holds {characters} characters of text")
