"""The fused pickle interpreter: decode and apply opcodes in one loop, straight from the buffer.

The general path (:func:`._pickle_decode.iter_ops` feeding :meth:`Machine.step`) costs
a generator step, a dispatch and a closure call per opcode; a scikit-learn forest holds
tens of thousands of opcodes, nine in ten of them memo reads and writes, small ints,
short strings, marks, empty containers and tuples. :func:`run` handles those opcodes
inline, on the machine's own stack, memo and marks, and hands every other opcode to
the general machinery, so the result is the same as the general path's, error texts and
offsets included. Three tiers, each exact:

* *inline*: an opcode whose bytes lie in the reader's *inline region* and whose
  preconditions hold (no underflow, memo key present, memo below its limit, even
  SETITEMS count, decodable text) is applied here. Anything the real opcode would
  reject, or that needs a limit check, is left to the other tiers untouched.
* *call-out*: any other opcode without an argument (BUILD, REDUCE, NEWOBJ,
  STACK_GLOBAL, STOP ...) inside the region is taken as the decoder would take it,
  after the reader and counters are brought up to date, and applied by its handler:
  BUILD, REDUCE and NEWOBJ with both operands present by :func:`_call` (the handler
  without the dispatch), the others by :meth:`Machine.step`. The region goes on after
  a call unless the reader moved (a joblib array buffer was skipped) or the machine
  desynced; then it is measured again.
* *general*: everything else (an opcode at a buffer, allowance or window edge, a text
  opcode, an unknown byte, a failed precondition, a desynced machine, a speculative
  window still open) is decoded by :func:`._pickle_decode.decode_buffered`, exactly as
  the general path decodes it, and given to :meth:`Machine.step`.

The parse-error offset the general path reports is that of the opcode being applied
(``where[0]``); only the call-out and general tiers can raise, and both set it first.

The inline region is ``data[off:end]`` of the reader's buffer, with ``end`` no further
than the reader's fast allowance (what :meth:`BoundedReader.read` would hand out
without a limit check). Every opcode takes at least one byte and grows the stack by at
most one item, so ``end`` is also capped at ``off`` plus the opcodes left before
``MAX_OPCODES`` and the stack room left before ``MAX_STACK``: no inline opcode can
cross either limit, and the tiers that can are the ones that check them. Bytes taken
inline are charged to the reader and its budget, and counted in ``scan.opcodes``,
before any call-out, general opcode or return, so the budgets and counters that nested
scans, hooks and errors see are those of the general path.
"""

from __future__ import annotations

import struct
from typing import Final

from aiwarden.analyzers.models._pickle_decode import TABLE, decode_buffered
from aiwarden.analyzers.models._pickle_values import (
    MAX_CONTAINER_ITEMS,
    SDict,
    SList,
    Value,
)
from aiwarden.analyzers.models._pickle_vm import (
    MAX_MEMO,
    MAX_OPCODES,
    MAX_STACK,
    Machine,
    VMError,
)
from aiwarden.analyzers.models._stream import BoundedReader

__all__ = ["run"]

_I4: Final = struct.Struct("<i").unpack_from
_U4: Final = struct.Struct("<I").unpack_from
_F8: Final = struct.Struct(">d").unpack_from
_CALLOUT: Final = [
    None if entry is None or entry[0].arg is not None else entry[0] for entry in TABLE
]
"""The opcode of each byte that takes no argument (the call-out tier), else None."""
_STOP: Final = ord(".")
_BUILD: Final = ord("b")
_CALLS: Final = {_BUILD: "BUILD", ord("R"): "REDUCE", 0x81: "NEWOBJ"}
"""The call-out opcodes applied by :func:`_call` when their two operands are there."""
_SHORT: Final = 8
_STAY: Final = 32
"""After an inline stretch under ``_SHORT`` bytes that a general opcode ended (not the end
of the region), the general tier takes ``_STAY`` opcodes before it hands back."""
_INLINE: Final = b"hj\x94qrK(\x7du)e\x4e\x88\x89\x85\x86\x87\x95GJM\x8cXCBt]sa"
"""The opcodes :func:`run` may apply inline."""
_FUSED: Final = [code in _INLINE or _CALLOUT[code] is not None for code in range(256)]
"""The bytes :func:`run` takes in its loop (inline or call-out); others go to the general tier."""


def _charge(reader: BoundedReader, taken: int) -> None:
    """Account ``taken`` bytes consumed inline, as :meth:`BoundedReader.read` does."""
    reader._off += taken
    reader._pos += taken
    reader._fast -= taken
    reader._budget.read_left -= taken
    if reader._decompressed:
        reader._budget.decompressed_left -= taken


def _general(
    machine: Machine, reader: BoundedReader, windowed: bool, where: list[int], stay: int
) -> tuple[bool, bool]:
    """Opcodes through the general decoder and :meth:`Machine.step`: (stopped, windowed).

    It goes on while the next opcode would come back here anyway (a text opcode, an
    open speculative window, a desynced machine), and for at least ``stay`` opcodes:
    a protocol-0 stream, text opcodes with a mark or a container between them, would
    otherwise switch loops at every other opcode. ``where[0]`` is kept at the offset of
    the opcode being applied, as the general path keeps it. The speculative window
    closes as the general path closes it: after the opcode is read, before it is
    applied, once the stream has imported something.
    """
    step, scan = machine.step, machine.scan
    while True:
        stay -= 1
        where[0] = reader._pos
        info, arg, pos = decode_buffered(reader)
        if windowed and scan.imports:
            reader.close_window()
            windowed = False
        step(info, arg, pos)
        if info.code == ".":
            return True, windowed
        if stay <= 0 and not (windowed or machine.desynced):
            data, off = reader._data, reader._off
            if off >= len(data) or _FUSED[data[off]]:
                return False, windowed


def _call(machine: Machine, code: int, pos: int) -> None:
    """BUILD, REDUCE or NEWOBJ with its two operands on the stack: the handler, without
    :meth:`Machine.step`'s dispatch. The caller counted the opcode (the region keeps it
    below ``MAX_OPCODES``) and checked the operands, so the handler cannot underflow;
    the stack shrinks, so ``MAX_STACK`` cannot be crossed; a :class:`VMError` would be
    recorded as :meth:`Machine.step` records it.
    """
    name = _CALLS[code]
    stack = machine.stack
    try:
        if code != _BUILD:
            args = stack.pop()
            func = stack.pop()
            stack.append(machine.invoke(func, args, name, pos))
            return
        state = stack.pop()  # Machine.build, its two operand checks done by the caller
        machine.apply_build(stack[-1], state, pos)
    except VMError as exc:
        machine.desynced = True
        if machine.scan.error is None:
            machine.scan.error = f"{exc} at {name}"
            machine.scan.error_offset = pos


def run(  # noqa: C901 - the documented hot interpreter loop
    machine: Machine, reader: BoundedReader, windowed: bool, where: list[int]
) -> None:
    """Apply the stream's opcodes up to and including STOP (the hot interpreter loop).

    ``windowed`` is true while a speculative window is open (then every opcode takes
    the general tier, which closes it). On an exception, ``where[0]`` is the offset of
    the opcode being applied, the offset the general path reports for a parse error.
    This function is long on purpose: each inline opcode is a few lines of the loop,
    with no call, no attribute lookup and no allocation beyond the value it pushes.
    """
    scan = machine.scan
    stack, marks, memo = machine.stack, machine.marks, machine.memo
    push, pop = stack.append, stack.pop
    step = machine.step
    budget, decompressed = reader._budget, reader._decompressed
    max_memo, new_dict, new_list = MAX_MEMO, SDict, SList  # locals: read once per stream
    u4, f8, i4, callouts = _U4, _F8, _I4, _CALLOUT
    at = reader._pos
    try:
        while True:
            data = reader._data
            off = base = entry = reader._off
            fast = reader._fast
            end = off
            if not (windowed or machine.desynced):
                room = min(fast, len(data) - off, MAX_STACK - len(stack))
                end += max(0, min(room, MAX_OPCODES - scan.opcodes))
            n = 0
            callout = None
            reenter = False
            floor = marks[-1] if marks else 0  # the innermost mark: kept up to date below
            while off < end:
                code = data[off]
                if code == 0x68:  # BINGET
                    if off + 1 < end:
                        try:
                            push(memo[data[off + 1]])
                        except KeyError:
                            break
                        off += 2
                        n += 1
                        continue
                    break
                if code == 0x94:  # MEMOIZE
                    if len(stack) > floor and len(memo) < max_memo:
                        memo[len(memo)] = stack[-1]
                        off += 1
                        n += 1
                        continue
                    break
                if code == 0x4B:  # BININT1
                    if off + 1 < end:
                        push(data[off + 1])
                        off += 2
                        n += 1
                        continue
                    break
                if code == 0x71 or code == 0x72:  # BINPUT, LONG_BINPUT
                    size = 2 if code == 0x71 else 5
                    if off + size <= end and len(stack) > floor:
                        key = data[off + 1] if code == 0x71 else u4(data, off + 1)[0]
                        if key in memo or len(memo) < max_memo:
                            memo[key] = stack[-1]
                        off += size
                        n += 1
                        continue
                    break
                if code == 0x28:  # MARK
                    floor = len(stack)
                    marks.append(floor)
                    off += 1
                    n += 1
                    continue
                if code == 0x8C or code == 0x58:  # SHORT_BINUNICODE, BINUNICODE
                    head = 2 if code == 0x8C else 5
                    if off + head > end:
                        break
                    stop = off + head + (data[off + 1] if head == 2 else u4(data, off + 1)[0])
                    if stop > end:
                        break
                    try:
                        text = str(data[off + head : stop], "utf-8", "surrogatepass")
                    except UnicodeDecodeError:
                        break  # the general tier takes the bytes, then raises
                    push(text)
                    off = stop
                    n += 1
                    continue
                if code == 0x62 or code == 0x81 or code == 0x52:  # BUILD, NEWOBJ, REDUCE
                    if len(stack) - 2 < floor:
                        callout = callouts[code]
                        break  # an underflow: Machine.step records it
                    off += 1
                    taken = off - base  # charged as _charge does, inline: one per call
                    at = reader._pos + taken - 1
                    reader._off = off
                    reader._pos = at + 1
                    reader._fast -= taken
                    budget.read_left -= taken
                    if decompressed:
                        budget.decompressed_left -= taken
                    scan.opcodes += n + 1
                    base, n = off, 0
                    _call(machine, code, at)
                    floor = marks[-1] if marks else 0
                    if (
                        machine.desynced
                        or reader._off != off
                        or reader._data is not data
                        or reader._fast != fast - (off - entry)
                    ):
                        reenter = True  # the reader moved (an array buffer): a new region
                        break
                    continue
                if code == 0x74:  # TUPLE
                    if not marks:
                        break
                    mark = marks.pop()
                    items = tuple(stack[mark:])
                    del stack[mark:]
                    push(items)
                    floor = marks[-1] if marks else 0
                    off += 1
                    n += 1
                    continue
                if code == 0x7D:  # EMPTY_DICT
                    push(new_dict())
                    off += 1
                    n += 1
                    continue
                if code == 0x75 or code == 0x65:  # SETITEMS, APPENDS
                    if floor == 0:
                        break  # no mark, or nothing below it: the general tier raises
                    below = marks[-2] if len(marks) > 1 else 0
                    if floor <= below:
                        break  # nothing between the two marks: top() underflows
                    target = stack[floor - 1]
                    if code == 0x75:
                        if (len(stack) - floor) & 1:
                            break  # odd item count: the general tier raises
                        if isinstance(target, SDict):
                            target.set_pairs(stack, floor)
                    elif isinstance(target, SList):
                        _extend(target, stack, floor)
                    del stack[floor:]
                    marks.pop()
                    floor = below
                    off += 1
                    n += 1
                    continue
                if code == 0x29:  # EMPTY_TUPLE
                    push(())
                    off += 1
                    n += 1
                    continue
                if code == 0x86 or code == 0x87:  # TUPLE2, TUPLE3
                    count = code - 0x84
                    if len(stack) - count >= floor:
                        items = tuple(stack[-count:])
                        del stack[-count:]
                        push(items)
                        off += 1
                        n += 1
                        continue
                    break
                if code == 0x85:  # TUPLE1
                    if len(stack) > floor:
                        stack[-1] = (stack[-1],)
                        off += 1
                        n += 1
                        continue
                    break
                if code == 0x4E:  # NONE
                    push(None)
                    off += 1
                    n += 1
                    continue
                if code == 0x88 or code == 0x89:  # NEWTRUE, NEWFALSE
                    push(code == 0x88)
                    off += 1
                    n += 1
                    continue
                if code == 0x4D:  # BININT2
                    if off + 3 <= end:
                        push(data[off + 1] | data[off + 2] << 8)
                        off += 3
                        n += 1
                        continue
                    break
                if code == 0x95:  # FRAME: an 8-byte length, no stack effect
                    if off + 9 <= end:
                        off += 9
                        n += 1
                        continue
                    break
                if code == 0x47:  # BINFLOAT
                    if off + 9 <= end:
                        push(f8(data, off + 1)[0])
                        off += 9
                        n += 1
                        continue
                    break
                if code == 0x4A:  # BININT
                    if off + 5 <= end:
                        push(i4(data, off + 1)[0])
                        off += 5
                        n += 1
                        continue
                    break
                if code == 0x43 or code == 0x42:  # SHORT_BINBYTES, BINBYTES
                    head = 2 if code == 0x43 else 5
                    if off + head > end:
                        break
                    stop = off + head + (data[off + 1] if head == 2 else u4(data, off + 1)[0])
                    if stop > end:
                        break
                    push(data[off + head : stop])
                    off = stop
                    n += 1
                    continue
                if code == 0x5D:  # EMPTY_LIST
                    push(new_list("list"))
                    off += 1
                    n += 1
                    continue
                if code == 0x73:  # SETITEM
                    if len(stack) - 3 < floor:
                        break
                    target = stack[-3]
                    if isinstance(target, SDict):
                        target.set(stack[-2], stack[-1])
                    del stack[-2:]
                    off += 1
                    n += 1
                    continue
                if code == 0x61:  # APPEND
                    if len(stack) - 2 < floor:
                        break
                    item = pop()
                    target = stack[-1]
                    if isinstance(target, SList):
                        target.add(item)
                    off += 1
                    n += 1
                    continue
                if code == 0x6A:  # LONG_BINGET
                    if off + 5 <= end:
                        try:
                            push(memo[u4(data, off + 1)[0]])
                        except KeyError:
                            break
                        off += 5
                        n += 1
                        continue
                    break
                callout = callouts[code]
                break
            if off != base:
                _charge(reader, off - base)
                scan.opcodes += n
            if reenter:
                continue
            at = reader._pos
            if callout is None:
                at = -1  # _general keeps where[0] itself
                stay = _STAY if off < end and off - entry < _SHORT else 0
                stopped, windowed = _general(machine, reader, windowed, where, stay)
                if stopped:
                    return
                continue
            _charge(reader, 1)
            step(callout, None, at)
            if code == _STOP:
                return
    except BaseException:
        if at >= 0:
            where[0] = at
        raise


def _extend(target: SList, stack: list[Value], floor: int) -> None:
    """APPENDS onto ``target``: :meth:`SList.add` for each item above ``floor``, at once."""
    room = MAX_CONTAINER_ITEMS - len(target.items)
    count = len(stack) - floor
    if count <= room:
        target.items.extend(stack[floor:])
    else:
        target.items.extend(stack[floor : floor + max(room, 0)])
        target.dropped += count - max(room, 0)
