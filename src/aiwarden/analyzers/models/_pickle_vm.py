"""A symbolic pickle VM: exact stack and memo semantics, nothing executed.

Opcodes come from :func:`._pickle_decode.iter_ops` (a parser that never imports or calls).
Each one is applied to a stack of :mod:`~aiwarden.analyzers.models._pickle_values`, so
``STACK_GLOBAL`` operands are whatever the real unpickler would pop (memo fetches,
``DUP``, strings computed by an earlier call), and every invocation (REDUCE, NEWOBJ,
NEWOBJ_EX, OBJ, INST) is recorded with its symbolic arguments. Calls to a few pure
functions are evaluated on constants (:mod:`._pickle_eval`), which resolves
``getattr``/``__import__`` chains, joined import names and base64/zlib-wrapped nested
pickles. A state the real unpickler would reject (stack underflow, missing memo key)
ends the emulation; from then on imports are still recorded from the opcodes alone.
"""

from __future__ import annotations

import pickletools
from collections.abc import Callable
from typing import Any, Final

from aiwarden.analyzers.interface import LimitExceeded
from aiwarden.analyzers.models import _pickle_eval
from aiwarden.analyzers.models._pickle_values import (
    MARK,
    Call,
    Mark,
    Opaque,
    PersId,
    Ref,
    SDict,
    SList,
    Value,
    render,
    resolve,
)
from aiwarden.analyzers.models._policy import Verdict, judge_call, normalise_global

MAX_OPCODES: Final = 20_000_000
"""Opcodes parsed per stream before giving up (pathological streams)."""
MAX_STACK: Final = 1_000_000
"""Symbolic stack depth before giving up; real pickles stay in the hundreds."""
MAX_MEMO: Final = 2_000_000
"""Memo entries remembered; beyond this, fetched values are opaque (and flagged)."""
MAX_IMPORTS: Final = 100_000
"""Import records kept per stream (a flood of imports still gets reported)."""
MAX_EVAL_BYTES: Final = 64 * 1024 * 1024
"""Largest output of a decode/decompress evaluated inside a pickle."""

_CALL_OPS: Final = frozenset({"REDUCE", "INST", "OBJ", "NEWOBJ", "NEWOBJ_EX", "BUILD"})
_VERDICT_RANK: Final = {Verdict.SAFE: 0, Verdict.UNKNOWN: 1, Verdict.DANGEROUS: 2}


class VMError(Exception):
    """A state the real unpickler rejects (it would raise here and stop)."""


class CallRecord:
    """The invocations of one callable in a stream: the first, rendered, and a count.

    ``verdict`` is the worst verdict an argument-aware rule gave its invocations, if it
    has one. This and the scan records below are plain slotted classes: they are
    updated in place during a scan and never compared or printed, and a dataclass
    would cost its creation at import on every scan.
    """

    __slots__ = ("count", "evidence", "offset", "verdict")

    def __init__(
        self, evidence: str, offset: int | None, count: int = 1, verdict: Verdict | None = None
    ) -> None:
        self.evidence = evidence
        self.offset = offset
        self.count = count
        self.verdict = verdict


class NestedScan:
    """Pickle streams found inside another pickle (passed to a loads-like callable)."""

    __slots__ = ("offset", "streams", "via")

    def __init__(
        self, via: str, offset: int | None, streams: list[StreamScan] | None = None
    ) -> None:
        self.via = via
        self.offset = offset
        self.streams: list[StreamScan] = [] if streams is None else streams


class StreamScan:
    """What one pickle stream (one ``... STOP``) imports and calls, and whether it parsed.

    ``executed`` is set once a call ran on a consistent stack after an import: a
    working pickle.
    """

    __slots__ = (
        "calls",
        "complete",
        "error",
        "error_offset",
        "executed",
        "imports",
        "limit",
        "module_writes",
        "nested",
        "opcodes",
        "protocol",
        "start",
    )

    def __init__(
        self,
        start: int,
        protocol: int | None = None,
        imports: list[Ref] | None = None,
        calls: dict[str, CallRecord] | None = None,
        nested: list[NestedScan] | None = None,
        module_writes: list[tuple[Ref, int | None]] | None = None,
        opcodes: int = 0,
        complete: bool = False,
        error: str | None = None,
        error_offset: int | None = None,
        limit: LimitExceeded | None = None,
        executed: bool = False,
    ) -> None:
        self.start = start
        self.protocol = protocol
        self.imports: list[Ref] = [] if imports is None else imports
        self.calls: dict[str, CallRecord] = {} if calls is None else calls
        self.nested: list[NestedScan] = [] if nested is None else nested
        self.module_writes: list[tuple[Ref, int | None]] = (
            [] if module_writes is None else module_writes
        )
        self.opcodes = opcodes
        self.complete = complete
        self.error = error
        self.error_offset = error_offset
        self.limit = limit
        self.executed = executed


Hook = Callable[[Call, "Machine"], None]
"""Called after BUILD with the built object (joblib array wrappers read their buffer)."""
NestedHook = Callable[[bytes, str, "int | None"], NestedScan]


class Machine:
    """Applies opcodes to a symbolic stack and memo, recording imports and calls."""

    def __init__(
        self, scan: StreamScan, *, after_build: Hook | None = None, nested: NestedHook | None = None
    ) -> None:
        self.scan = scan
        self.stack: list[Value] = []
        self.marks: list[int] = []
        self.memo: dict[int, Value] = {}
        self.desynced = False
        self._after_build = after_build
        self._nested = nested

    # -- driving -----------------------------------------------------------------
    def step(self, op: pickletools.OpcodeInfo, arg: Any, pos: int | None) -> None:
        """Apply one opcode."""
        scan = self.scan
        scan.opcodes += 1
        if scan.opcodes > MAX_OPCODES:
            raise LimitExceeded("max_pickle_opcodes", MAX_OPCODES, f"stream at {scan.start}")
        if self.desynced:
            self._textual_import(op.name, arg, pos)
            return
        try:
            handler = _HANDLERS.get(op)
            if handler is None:
                self._generic(op)
            else:
                handler(self, arg, pos)
        except VMError as exc:
            self.desynced = True
            if scan.error is None:
                scan.error = f"{exc} at {op.name}"
                scan.error_offset = pos
        if len(self.stack) > MAX_STACK:
            raise LimitExceeded("max_pickle_stack", MAX_STACK, f"stream at {scan.start}")

    def _textual_import(self, name: str, arg: Any, pos: int | None) -> None:
        """After a desync, imports are still read from GLOBAL/INST/EXT operands."""
        if name in ("GLOBAL", "INST"):
            self._import_global(str(arg), name, pos)
        elif name in ("EXT1", "EXT2", "EXT4"):
            self._record_import(Ref(None, f"<extension code {arg}>", name, pos))
        elif name == "STACK_GLOBAL":
            self._record_import(Ref(None, None, name, pos))

    # -- stack primitives -----------------------------------------------------------
    def push(self, value: Value) -> None:
        """Push ``value``."""
        self.stack.append(value)

    def pop(self) -> Value:
        """Pop one value above the innermost mark."""
        floor = self.marks[-1] if self.marks else 0
        if len(self.stack) <= floor:
            raise VMError("stack underflow")
        return self.stack.pop()

    def top(self) -> Value:
        """The top value (above the innermost mark)."""
        floor = self.marks[-1] if self.marks else 0
        if len(self.stack) <= floor:
            raise VMError("stack underflow")
        return self.stack[-1]

    def pop_mark(self) -> list[Value]:
        """Pop everything down to the innermost mark, and the mark."""
        if not self.marks:
            raise VMError("no MARK on the stack")
        floor = self.marks.pop()
        items = self.stack[floor:]
        del self.stack[floor:]
        return items

    def _generic(self, op: pickletools.OpcodeInfo) -> None:
        """Stack effect from pickletools' metadata, for opcodes without a handler."""
        before = op.stack_before
        if pickletools.markobject in before:
            self.pop_mark()
            count = before.index(pickletools.markobject)
        else:
            count = len(before)
        for _ in range(count):
            self.pop()
        for item in op.stack_after:
            if item is pickletools.markobject:
                self.marks.append(len(self.stack))
            else:
                self.push(Opaque(op.name.lower()))

    # -- imports and calls -------------------------------------------------------------
    def _record_import(self, ref: Ref) -> Ref:
        if len(self.scan.imports) < MAX_IMPORTS:
            self.scan.imports.append(ref)
        return ref

    def _import_global(self, text: str, opcode: str, pos: int | None) -> Ref:
        module, sep, name = text.partition(" ")
        if not sep:
            module, _, name = text.partition("\n")
        module, name = normalise_global(module, name)
        return self._record_import(Ref(module, name, opcode, pos))

    def stack_global(self, pos: int | None) -> Ref:
        """STACK_GLOBAL: module and name are the two values below the top, as popped."""
        name = resolve(self.pop())
        module = resolve(self.pop())
        mod = module if isinstance(module, str) else None
        attr = name if isinstance(name, str) else None
        if mod is not None and attr is not None:
            mod, attr = normalise_global(mod, attr)
        return self._record_import(Ref(mod, attr, "STACK_GLOBAL", pos))

    def invoke(
        self, func: Value, args: Value, opcode: str, pos: int | None, kwargs: Value = None
    ) -> Call:
        """Record an invocation of ``func`` and return its (possibly evaluated) result."""
        call = Call(func, args, opcode, pos, kwargs)
        scan = self.scan
        if not scan.executed and scan.imports:
            scan.executed = True
        result = _pickle_eval.evaluate(call, MAX_EVAL_BYTES)
        if result is not None:
            call.result, call.evaluated = result, True
            if isinstance(result, Ref):
                self._record_import(result)
        target = resolve(func)
        if isinstance(target, Ref):
            self._record_call(target, call)
        return call

    def _record_call(self, target: Ref, call: Call) -> None:
        dotted = target.dotted
        args = resolve(call.args)
        args_tuple = args if isinstance(args, tuple) else ()
        verdict = judge_call(dotted, args_tuple)
        record = self.scan.calls.get(dotted)
        if record is None:
            record = CallRecord(render(call), call.offset, 0, verdict)
            self.scan.calls[dotted] = record
        elif verdict is not None:
            old = record.verdict
            if old is None or _VERDICT_RANK[verdict] > _VERDICT_RANK[old]:
                record.verdict = verdict
        record.count += 1
        if dotted in _pickle_eval.LOADS_LIKE and self._nested is not None and args_tuple:
            data = _pickle_eval.as_bytes(args_tuple[0])
            if data is not None and isinstance(resolve(args_tuple[0]), bytes):
                self.scan.nested.append(self._nested(data, dotted, call.offset))

    def build(self, pos: int | None) -> None:
        """BUILD: set state on the object below it (a module or class: a write gadget)."""
        state = self.pop()
        self.apply_build(self.top(), state, pos)

    def apply_build(self, obj: Value, state: Value, pos: int | None) -> None:
        """BUILD's effect, its operands already taken (``obj`` stays on the stack)."""
        target = resolve(obj)
        if isinstance(target, Ref):
            self.scan.module_writes.append((target, pos))
        if isinstance(obj, Call):
            obj.state = state
            if self._after_build is not None:
                self._after_build(obj, self)

    def memo_put(self, key: int) -> None:
        """PUT/BINPUT/LONG_BINPUT/MEMOIZE: store the top of the stack."""
        value = self.top()
        if key < 0:
            raise VMError(f"negative memo key {key}")
        if key in self.memo or len(self.memo) < MAX_MEMO:
            self.memo[key] = value

    def memo_get(self, key: int) -> None:
        """GET/BINGET/LONG_BINGET."""
        if key not in self.memo:
            if len(self.memo) >= MAX_MEMO:
                self.push(Opaque("forgotten memo entry"))
                return
            raise VMError(f"memo key {key} was never stored")
        self.push(self.memo[key])


def _tuple(items: list[Value]) -> tuple[Value, ...]:
    return tuple(items)


def _set_items(target: Value, items: list[Value]) -> None:
    if len(items) % 2:
        raise VMError("odd number of items for SETITEMS")
    if isinstance(target, SDict):
        for index in range(0, len(items), 2):
            target.set(items[index], items[index + 1])


def _append_items(target: Value, items: list[Value]) -> None:
    if isinstance(target, SList):
        for item in items:
            target.add(item)


_Handler = Callable[["Machine", Any, "int | None"], None]


def _handlers() -> dict[str, _Handler]:
    """The opcode handlers, by pickletools opcode name; each takes (machine, arg, pos).

    One table serves every machine (a machine is made per stream, and a file can hold
    many streams), so making a machine builds nothing.
    """
    h: dict[str, _Handler] = {}
    for name in (
        "INT", "BININT", "BININT1", "BININT2", "LONG", "LONG1", "LONG4", "FLOAT", "BINFLOAT",
        "STRING", "BINSTRING", "SHORT_BINSTRING", "BINBYTES", "SHORT_BINBYTES", "BINBYTES8",
        "UNICODE", "BINUNICODE", "SHORT_BINUNICODE", "BINUNICODE8",
    ):  # fmt: skip
        h[name] = lambda m, arg, pos: m.stack.append(arg)
    h["BYTEARRAY8"] = lambda m, arg, pos: m.push(bytes(arg))
    h["NONE"] = lambda m, arg, pos: m.stack.append(None)
    h["NEWTRUE"] = lambda m, arg, pos: m.stack.append(True)
    h["NEWFALSE"] = lambda m, arg, pos: m.stack.append(False)
    h["NEXT_BUFFER"] = lambda m, arg, pos: m.push(Opaque("out-of-band buffer"))
    h["READONLY_BUFFER"] = lambda m, arg, pos: m.push(m.pop())
    h["EMPTY_LIST"] = lambda m, arg, pos: m.stack.append(SList("list"))
    h["EMPTY_SET"] = lambda m, arg, pos: m.push(SList("set"))
    h["EMPTY_DICT"] = lambda m, arg, pos: m.stack.append(SDict())
    h["EMPTY_TUPLE"] = lambda m, arg, pos: m.stack.append(())
    h["MARK"] = lambda m, arg, pos: m.marks.append(len(m.stack))
    h["TUPLE"] = lambda m, arg, pos: m.push(_tuple(m.pop_mark()))
    h["TUPLE1"] = lambda m, arg, pos: m.push((m.pop(),))
    h["TUPLE2"] = lambda m, arg, pos: m.push(tuple(reversed((m.pop(), m.pop()))))
    h["TUPLE3"] = lambda m, arg, pos: m.push(tuple(reversed((m.pop(), m.pop(), m.pop()))))
    h["LIST"] = lambda m, arg, pos: m.push(_new_list("list", m.pop_mark()))
    h["FROZENSET"] = lambda m, arg, pos: m.push(_new_list("frozenset", m.pop_mark()))
    h["DICT"] = lambda m, arg, pos: m.push(_new_dict(m.pop_mark()))
    h["APPEND"] = lambda m, arg, pos: _append_items(_below(m, 1), [m.pop()])
    h["APPENDS"] = lambda m, arg, pos: _append_to_below_mark(m)
    h["ADDITEMS"] = lambda m, arg, pos: _append_to_below_mark(m)
    h["SETITEM"] = lambda m, arg, pos: _setitem(m)
    h["SETITEMS"] = lambda m, arg, pos: _setitems(m)
    h["POP"] = lambda m, arg, pos: _pop_any(m)
    h["POP_MARK"] = lambda m, arg, pos: _pop_mark(m)
    h["DUP"] = lambda m, arg, pos: m.push(m.top())
    for name in ("PUT", "BINPUT", "LONG_BINPUT"):
        h[name] = lambda m, arg, pos: m.memo_put(int(arg))
    h["MEMOIZE"] = _memoize
    for name in ("GET", "BINGET", "LONG_BINGET"):
        h[name] = _get
    h["GLOBAL"] = lambda m, arg, pos: m.push(m._import_global(str(arg), "GLOBAL", pos))
    h["STACK_GLOBAL"] = lambda m, arg, pos: m.push(m.stack_global(pos))
    for name in ("EXT1", "EXT2", "EXT4"):
        h[name] = _ext_handler(name)
    h["REDUCE"] = lambda m, arg, pos: _reduce(m, pos)
    h["NEWOBJ"] = lambda m, arg, pos: _newobj(m, pos)
    h["NEWOBJ_EX"] = lambda m, arg, pos: _newobj_ex(m, pos)
    h["OBJ"] = lambda m, arg, pos: _obj(m, pos)
    h["INST"] = lambda m, arg, pos: _inst(m, str(arg), pos)
    h["BUILD"] = lambda m, arg, pos: m.build(pos)
    h["PERSID"] = lambda m, arg, pos: m.push(PersId(arg))
    h["BINPERSID"] = lambda m, arg, pos: m.push(PersId(m.pop()))
    h["PROTO"] = lambda m, arg, pos: _proto(m, arg)
    h["FRAME"] = lambda m, arg, pos: None
    h["STOP"] = lambda m, arg, pos: _stop(m)
    return h


def _get(m: Machine, arg: Any, pos: int | None) -> None:
    """GET/BINGET/LONG_BINGET: :meth:`Machine.memo_get`, with the common hit inlined.

    A third of the opcodes of a large scikit-learn pickle are memo reads; a stored key
    is pushed directly, anything else goes through ``memo_get`` (its errors included).
    """
    if arg in m.memo:
        m.stack.append(m.memo[arg])
    else:
        m.memo_get(int(arg))


def _memoize(m: Machine, arg: Any, pos: int | None) -> None:
    """MEMOIZE: :meth:`Machine.memo_put` at the next index, with the common case inlined."""
    memo, stack, marks = m.memo, m.stack, m.marks
    if len(stack) <= (marks[-1] if marks else 0):
        m.memo_put(len(memo))  # raises the stack-underflow error
    elif len(memo) < MAX_MEMO:
        memo[len(memo)] = stack[-1]
    else:
        m.memo_put(len(memo))


def _ext_handler(name: str) -> _Handler:
    def handle(m: Machine, arg: Any, pos: int | None) -> None:
        # The copyreg extension registry is empty unless code registered entries: the
        # callable is decided at load time, so it is recorded as unresolved.
        m.push(m._record_import(Ref(None, f"<extension code {arg}>", name, pos)))

    return handle


def _by_opcode() -> dict[pickletools.OpcodeInfo, _Handler]:
    by_name = _handlers()
    return {op: by_name[op.name] for op in pickletools.opcodes if op.name in by_name}


_HANDLERS: Final = _by_opcode()
"""Each opcode's handler; opcodes without one take :meth:`Machine._generic`."""


def _new_list(kind: str, items: list[Value]) -> SList:
    result = SList(kind)
    for item in items:
        result.add(item)
    return result


def _new_dict(items: list[Value]) -> SDict:
    result = SDict()
    _set_items(result, items)
    return result


def _below(m: Machine, depth: int) -> Value:
    floor = m.marks[-1] if m.marks else 0
    if len(m.stack) - depth <= floor:
        raise VMError("stack underflow")
    return m.stack[-1 - depth]


def _append_to_below_mark(m: Machine) -> None:
    items = m.pop_mark()
    _append_items(m.top(), items)


def _setitem(m: Machine) -> None:
    value = m.pop()
    key = m.pop()
    _set_items(m.top(), [key, value])


def _setitems(m: Machine) -> None:
    items = m.pop_mark()
    _set_items(m.top(), items)


def _pop_any(m: Machine) -> None:
    """POP discards the top item; on a mark boundary it discards the mark (as CPython)."""
    floor = m.marks[-1] if m.marks else 0
    if len(m.stack) > floor:
        m.stack.pop()
    elif m.marks:
        m.marks.pop()
    else:
        raise VMError("stack underflow")


def _pop_mark(m: Machine) -> None:
    m.pop_mark()


def _reduce(m: Machine, pos: int | None) -> None:
    args = m.pop()
    func = m.pop()
    m.push(m.invoke(func, args, "REDUCE", pos))


def _newobj(m: Machine, pos: int | None) -> None:
    args = m.pop()
    cls = m.pop()
    m.push(m.invoke(cls, args, "NEWOBJ", pos))


def _newobj_ex(m: Machine, pos: int | None) -> None:
    kwargs = m.pop()
    args = m.pop()
    cls = m.pop()
    m.push(m.invoke(cls, args, "NEWOBJ_EX", pos, kwargs=kwargs))


def _obj(m: Machine, pos: int | None) -> None:
    items = m.pop_mark()
    if not items:
        raise VMError("OBJ without a class")
    m.push(m.invoke(items[0], tuple(items[1:]), "OBJ", pos))


def _inst(m: Machine, text: str, pos: int | None) -> None:
    items = m.pop_mark()
    cls = m._import_global(text, "INST", pos)
    m.push(m.invoke(cls, tuple(items), "INST", pos))


def _proto(m: Machine, arg: Any) -> None:
    if isinstance(arg, int):
        m.scan.protocol = arg


def _stop(m: Machine) -> None:
    m.pop()  # CPython returns the top and ignores anything left below it
    m.scan.complete = True


__all__ = [
    "MARK",
    "CallRecord",
    "Machine",
    "Mark",
    "NestedScan",
    "StreamScan",
    "VMError",
]
