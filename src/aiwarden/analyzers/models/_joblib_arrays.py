"""joblib's numpy array buffers, written into the pickle stream right after a wrapper.

``joblib.dump`` replaces each numpy array by a ``NumpyArrayWrapper`` object; right
after the wrapper's BUILD opcode it writes the array itself, outside any pickle
opcode: for a numeric dtype, one byte giving a padding length (joblib >= 1.2 aligns
arrays to 16 bytes), that many ``0xff`` bytes, then ``prod(shape) * itemsize`` raw
bytes; for an object dtype, a complete nested pickle. A scanner that does not skip
the buffer stops at it, and whatever the attacker put after it is never inspected.

The size is computed from the wrapper's state (``shape``, ``dtype``, alignment); when
it cannot be, the stream is reported as unparseable (fail closed).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from aiwarden.analyzers.models._pickle_values import Call, Ref, SDict, Value, resolve

if TYPE_CHECKING:
    from aiwarden.analyzers.models._pickle_ops import ScanContext
    from aiwarden.analyzers.models._pickle_vm import Machine
    from aiwarden.analyzers.models._stream import BoundedReader

WRAPPERS: Final = frozenset({"joblib.numpy_pickle.NumpyArrayWrapper"})
_DESCR: Final = re.compile(r"^[<>|=]?([a-zA-Z?])(\d*)")
_FIXED_SIZES: Final = {"?": 1, "b": 1, "B": 1, "M": 8, "m": 8, "O": 8}


class ArrayLayoutError(ValueError):
    """The wrapper's state does not say how many bytes the array buffer holds."""


def _wrapper_class(obj: Call) -> str | None:
    func = resolve(obj.func)
    if isinstance(func, Ref) and func.dotted in WRAPPERS:
        return func.dotted
    # copyreg._reconstructor(cls, object, None) in protocols 0 and 1.
    args = resolve(obj.args)
    if not (isinstance(func, Ref) and func.dotted == "copyreg._reconstructor"):
        return None
    if isinstance(args, tuple) and args and isinstance(cls := resolve(args[0]), Ref):
        return cls.dotted if cls.dotted in WRAPPERS else None
    return None


def _itemsize(dtype: Value) -> tuple[int, bool]:
    """(bytes per element, is object dtype) from a ``numpy.dtype(...)`` call and its state."""
    dtype = resolve(dtype)
    if not isinstance(dtype, Call):
        raise ArrayLayoutError("the array dtype is not a numpy.dtype construction")
    args = resolve(dtype.args)
    descr = resolve(args[0]) if isinstance(args, tuple) and args else None
    if not isinstance(descr, str):
        raise ArrayLayoutError("the array dtype has no constant description")
    match = _DESCR.match(descr)
    if match is None:
        raise ArrayLayoutError(f"unknown dtype description {descr!r:.40}")
    kind, digits = match.group(1), match.group(2)
    if kind == "O":
        return 8, True
    state = resolve(dtype.state)
    if isinstance(state, tuple) and len(state) > 5:
        elsize = resolve(state[5])
        if isinstance(elsize, int) and not isinstance(elsize, bool) and elsize > 0:
            return elsize, _state_has_object(state)
    if digits:
        return int(digits), False
    if kind in _FIXED_SIZES:
        return _FIXED_SIZES[kind], False
    raise ArrayLayoutError(f"cannot size dtype {descr!r:.40}")


def _state_has_object(state: tuple[Value, ...]) -> bool:
    """A structured dtype's flags (state[7]) carry NPY_ITEM_HASOBJECT (0x01)."""
    flags = resolve(state[7]) if len(state) > 7 else 0
    return isinstance(flags, int) and bool(flags & 0x01)


def _count(shape: Value) -> int:
    shape = resolve(shape)
    if not isinstance(shape, tuple):
        raise ArrayLayoutError("the array shape is not a tuple of constants")
    count = 1
    for dim in shape:
        dim = resolve(dim)
        if not isinstance(dim, int) or isinstance(dim, bool) or dim < 0:
            raise ArrayLayoutError("the array shape is not a tuple of non-negative integers")
        count *= dim
    return count


def read_array_after_build(
    obj: Call, machine: Machine, reader: BoundedReader, ctx: ScanContext
) -> None:
    """If ``obj`` is a joblib array wrapper, consume the array data that follows it."""
    if _wrapper_class(obj) is None:
        return
    state = resolve(obj.state)
    if not isinstance(state, SDict):
        raise ArrayLayoutError("joblib array wrapper without a state dict")
    itemsize, has_object = _itemsize(state.get("dtype"))
    if has_object:
        _nested_object_array(machine, reader, ctx)
        return
    nbytes = _count(state.get("shape")) * itemsize
    alignment = resolve(state.get("numpy_array_alignment_bytes"))
    if isinstance(alignment, int) and not isinstance(alignment, bool) and alignment > 0:
        padding = reader.read(1)
        if len(padding) != 1:
            raise ArrayLayoutError("the joblib array padding byte is missing")
        _skip(reader, padding[0], "alignment padding")
    _skip(reader, nbytes, "array buffer")


def _skip(reader: BoundedReader, size: int, what: str) -> None:
    if reader.skip(size) != size:
        raise ArrayLayoutError(f"the joblib {what} of {size} bytes is truncated")


def _nested_object_array(machine: Machine, reader: BoundedReader, ctx: ScanContext) -> None:
    """An object array is a complete pickle written after the wrapper: scan it as nested."""
    from aiwarden.analyzers.models._pickle_ops import parse_one
    from aiwarden.analyzers.models._pickle_vm import NestedScan, StreamScan

    offset = reader.tell()
    scan = StreamScan(start=offset)
    parse_one(reader, scan, ctx, speculative=False)
    machine.scan.nested.append(NestedScan("a joblib object array", offset, [scan]))
    if scan.limit is not None:
        raise scan.limit
    if scan.error is not None:
        raise ArrayLayoutError(f"the joblib object array pickle is broken: {scan.error}")
