"""Datatypes, dataspaces and attributes for the pure-Python HDF5 reader (:mod:`._hdf5_lite`).

Only canonical encodings are accepted (integers, IEEE floats, fixed and variable-length
strings); the value of an attribute is decoded only when it is one string, the way
h5py returns it (``bytes`` for fixed-length, ``str`` for variable-length strings, whose
bytes live in a global heap collection). Anything else raises :class:`Unsupported`.
"""

from __future__ import annotations

from typing import Final

from aiwarden.analyzers.models._hdf5_io import File, Unsupported
from aiwarden.analyzers.models._hdf5_io import uint as _uint

MAX_ATTRIBUTE_BYTES: Final = 64 * 1024 * 1024
_STRING, _VLEN = 3, 9


_FLOATS: Final = {
    2: bytes.fromhex("000010000a05000a0f000000"),
    4: bytes.fromhex("00002000170800177f000000"),
    8: bytes.fromhex("00004000340b0034ff030000"),
}
"""Properties of the IEEE half, single and double types (offset, precision, fields, bias)."""


def datatype_size(datatype: bytes, *, nested: bool = False) -> int:
    """The element size of a datatype message, accepting only canonical simple types.

    Integers, IEEE floats, strings and variable-length strings or sequences of those
    are what model files hold; anything else (compound, enum, array, reference, an odd
    precision or bit offset) is left to h5py, which validates every field.
    """
    if len(datatype) < 8 or datatype[0] >> 4 != 1:
        raise Unsupported("a datatype message version other than 1")
    kind, bits, size = datatype[0] & 0x0F, datatype[1:4], _uint(datatype, 4, 4)
    if not _canonical(kind, bits, size, datatype[8:], nested):
        raise Unsupported(f"a datatype of class {kind} this reader does not validate")
    return size


def _canonical(kind: int, bits: bytes, size: int, props: bytes, nested: bool) -> bool:
    if kind == 0:  # integer: any byte order and sign, no padding bits, full precision
        plain = size in (1, 2, 4, 8) and not bits[0] & 0x06 and bits[1:] == b"\0\0"
        return plain and _uint(props, 0, 2) == 0 and _uint(props, 2, 2) == 8 * size
    if kind == 1:  # IEEE float: implied mantissa bit, sign in the top bit
        ieee = size in _FLOATS and bits[0] & 0xFE == 0x20 and bits[1] == 8 * size - 1
        return ieee and bits[2] == 0 and props[:12] == _FLOATS[size]
    if kind == _STRING:  # padding 0-2, ASCII or UTF-8
        return size >= 1 and bits[0] & 0x0F <= 2 and bits[0] >> 4 <= 1 and bits[1:] == b"\0\0"
    if kind == _VLEN and not nested:  # a sequence or a string, over a canonical base type
        shape = bits[0] & 0x0F <= 1 and bits[0] >> 4 <= 2 and bits[1] <= 1 and bits[2] == 0
        return shape and datatype_size(props, nested=True) > 0
    return False


def dims(space: bytes, length_size: int) -> list[int]:
    """Current dimensions of a version 1 or 2 dataspace message (empty: scalar or null)."""
    version, rank = space[0], space[1]
    if version == 1:
        at = 8
    elif version == 2:
        at = 4
    else:
        raise Unsupported(f"dataspace version {version}")
    dims = [_uint(space, at + length_size * i, length_size) for i in range(rank)]
    if space[2] & 0x01:  # maximum dimensions follow; each bounds its dimension
        unlimited = (1 << (8 * length_size)) - 1
        for i, dim in enumerate(dims):
            limit = _uint(space, at + length_size * (rank + i), length_size)
            if limit != unlimited and limit < dim:
                raise Unsupported("a dimension larger than its maximum")
    return dims


def attribute(file: File, data: bytes, wanted: tuple[str, ...]) -> tuple[str, str | bytes | None]:
    """The name of an attribute and, if ``wanted``, its value as one string."""
    version = data[0]
    if version not in (1, 2, 3) or (version > 1 and data[1] & 0x03):
        raise Unsupported("a shared or unknown attribute encoding")
    name_size, type_size, space_size = (_uint(data, at, 2) for at in (2, 4, 6))
    at = 8 + (1 if version == 3 else 0)

    def advance(size: int) -> int:
        return at + (size + 7) // 8 * 8 if version == 1 else at + size

    raw_name = data[at : at + name_size]
    at = advance(name_size)
    datatype = data[at : at + type_size]
    at = advance(type_size)
    space = data[at : at + space_size]
    at = advance(space_size)
    name = raw_name.split(b"\x00", 1)[0].decode("utf-8", errors="replace")
    _check_value_size(datatype, space, len(data) - at, file.length_size)
    if name not in wanted:
        return name, None
    return name, _single_string(file, datatype, space, data[at:])


def _check_value_size(datatype: bytes, space: bytes, available: int, length_size: int) -> None:
    """The attribute's type and space must parse and its value must fit its message."""
    size = datatype_size(datatype)
    elements = 1
    for dim in dims(space, length_size):
        elements *= dim
    if available < 0 or elements * size > available:
        raise Unsupported("an attribute value larger than its message")


def _single_string(file: File, datatype: bytes, space: bytes, value: bytes) -> str | bytes:
    elements = 1
    for dim in dims(space, file.length_size):
        elements *= dim
    if len(datatype) < 8 or elements != 1 or (space[0] == 2 and space[3] == 2):
        raise Unsupported("a config attribute that is not a single value")
    kind, bits, size = datatype[0] & 0x0F, datatype[1], _uint(datatype, 4, 4)
    if kind == _STRING and bits & 0x0F in (0, 1):  # null-terminated or null-padded
        if size > min(len(value), MAX_ATTRIBUTE_BYTES):
            raise Unsupported("a string attribute shorter than its type")
        text = value[:size]
        if bits & 0x0F == 0:  # null-terminated: HDF5 converts up to the first NUL
            text = text.split(b"\x00", 1)[0]
        return text.rstrip(b"\x00")  # numpy's bytes_ drops trailing NULs
    if kind == _VLEN and bits & 0x0F == 1:
        return _global_heap_string(file, value)
    raise Unsupported("a config attribute that is not a string")


def _global_heap_string(file: File, value: bytes) -> str:
    o, length = file.offset_size, file.length_size
    size, collection, index = _uint(value, 0, 4), _uint(value, 4, o), _uint(value, 4 + o, 4)
    head = file.read(collection, 8 + length)
    if head[:4] != b"GCOL" or head[4] != 1:
        raise Unsupported("not a global heap collection")
    total = _uint(head, 8, length)
    if total > MAX_ATTRIBUTE_BYTES:
        raise Unsupported("an oversized global heap collection")
    heap = file.read(collection, total)
    found = _heap_objects(heap, length).get(index)
    if found is None or found[1] < size:
        raise Unsupported("a global heap reference to a missing or shorter object")
    try:
        return heap[found[0] : found[0] + size].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unsupported("a string attribute that is not UTF-8") from exc


def _heap_objects(heap: bytes, length: int) -> dict[int, tuple[int, int]]:
    """Every object of a global heap collection, by index: (start, size). All must fit."""
    objects: dict[int, tuple[int, int]] = {}
    at = 8 + length
    while at + 8 + length <= len(heap):
        number, size = _uint(heap, at, 2), _uint(heap, at + 8, length)
        if number == 0:  # the free space that ends the collection, and fills it exactly
            if size != len(heap) - at:
                raise Unsupported("a global heap whose free space does not fill it")
            break
        end = at + 8 + length + (size + 7) // 8 * 8
        if number in objects or end > len(heap):
            raise Unsupported("a malformed global heap collection")
        objects[number] = (at + 8 + length, size)
        at = end
    return objects


__all__ = ["MAX_ATTRIBUTE_BYTES", "attribute", "datatype_size", "dims"]
