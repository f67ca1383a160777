"""Parse a GGUF header with :class:`~aiwarden.analyzers.models._gguf_reader.Reader`."""

from __future__ import annotations

import struct

from aiwarden.analyzers.models._gguf_reader import (
    ARRAY,
    MAX_COUNT,
    MAX_DIMS,
    MAX_KEEP,
    MAX_KEY,
    MAX_NESTING,
    SCALARS,
    STRING,
    V1_TYPES,
    GgufError,
    Header,
    KeyValue,
    Reader,
    TensorInfo,
)

TEMPLATE_PREFIX = "tokenizer.chat_template"
_KEEP_SCALAR_KEYS = ("general.alignment",)


def parse(reader: Reader, header: Header) -> None:
    """Fill ``header`` from ``reader``; raise :class:`GgufError` where it is malformed.

    What was parsed before an error stays in ``header``.
    """
    if reader.take(4) != b"GGUF":
        raise GgufError("missing the GGUF magic", 0)
    _version(reader, header)
    header.n_tensors = reader.length()
    header.n_kv = reader.length()
    _check_count("tensor", header.n_tensors, reader, 8 + 4 + 4 + 8)
    _check_count("metadata", header.n_kv, reader, 8 + 4 + 1)
    for _ in range(header.n_kv):
        header.kvs.append(_key_value(reader, header.version))
    for _ in range(header.n_tensors):
        header.tensors.append(_tensor_info(reader))
    header.end = reader.pos


def _version(reader: Reader, header: Header) -> None:
    raw = reader.take(4)
    (version,) = struct.unpack("<I", raw)
    if version & 0xFFFF == 0 and version:
        (version,) = struct.unpack(">I", raw)
        reader.order = ">"
        header.big_endian = True
    header.version = version
    if version not in (1, 2, 3):
        raise GgufError(f"unsupported GGUF version {version}", 4)
    reader.wide = version >= 2


def _check_count(what: str, count: int, reader: Reader, minimum: int) -> None:
    left = reader.size - reader.pos
    if count > MAX_COUNT or count * minimum > left:
        raise GgufError(
            f"declares {count} {what} entries, more than the {left} bytes left can hold", reader.pos
        )


def _key_value(reader: Reader, version: int) -> KeyValue:
    at = reader.pos
    key = reader.string(MAX_KEY)
    if key is None:
        raise GgufError(f"metadata key at offset {at} is longer than {MAX_KEY} bytes", at)
    value_type = reader.u32()
    entry = KeyValue(key, value_type, reader.pos)
    _check_type(value_type, version, at)
    keep = MAX_KEEP if key.startswith(TEMPLATE_PREFIX) else 256
    entry.value = _value(reader, value_type, keep, 0, version)
    return entry


def _check_type(value_type: int, version: int, at: int) -> None:
    valid = value_type in SCALARS or value_type in (STRING, ARRAY)
    if not valid or (version == 1 and value_type not in V1_TYPES):
        raise GgufError(f"unknown metadata value type {value_type} at offset {at}", at)


def _value(reader: Reader, value_type: int, keep: int, depth: int, version: int) -> object:
    if value_type == STRING:
        return reader.string(keep)
    if value_type == ARRAY:
        return _array(reader, keep, depth + 1, version)
    return reader.unpack(SCALARS[value_type])


def _array(reader: Reader, keep: int, depth: int, version: int) -> object:
    at = reader.pos
    if depth > MAX_NESTING:
        raise GgufError(f"arrays nested more than {MAX_NESTING} deep at offset {at}", at)
    item_type = reader.u32()
    _check_type(item_type, version, at)
    count = reader.length()
    if item_type in SCALARS:
        size = struct.calcsize(SCALARS[item_type])
        if count > (reader.size - reader.pos) // size:
            raise GgufError(f"array of {count} items at offset {at} runs past the end", at)
        reader.skip(count * size)
        return None
    _check_count("array", count, reader, 4 if item_type == ARRAY else (8 if reader.wide else 4))
    if item_type == STRING:
        reader.skip_strings(count)
        return None
    for _ in range(count):
        _value(reader, ARRAY, keep, depth, version)
    return None


def _tensor_info(reader: Reader) -> TensorInfo:
    at = reader.pos
    name = reader.string(MAX_KEY)
    if name is None:
        raise GgufError(f"tensor name at offset {at} is longer than {MAX_KEY} bytes", at)
    n_dims = reader.u32()
    if n_dims > MAX_DIMS:
        raise GgufError(
            f"tensor {name[:80]!r} has {n_dims} dimensions (GGML allows {MAX_DIMS})", at
        )
    dims = tuple(reader.length() for _ in range(n_dims))
    ggml_type = reader.u32()
    offset = reader.u64()
    return TensorInfo(name, dims, ggml_type, offset, at)
