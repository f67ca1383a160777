"""Walk pickle opcodes without executing them, and record every callable imported.

``pickletools.genops`` only parses; on top of it a small symbolic stack tracks which
values are string constants (including those stored in and fetched from the memo), so
that ``STACK_GLOBAL`` operands are resolved the way the real unpickler resolves them,
not from "the two most recent strings", which an attacker can reorder. Whatever cannot
be resolved is reported as unresolved. The stack model follows pickletools' own
``stack_before``/``stack_after`` metadata, with marks kept on the stack.
"""

from __future__ import annotations

import pickletools
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Final, cast

from aiwarden.analyzers.interface import LimitExceeded
from aiwarden.analyzers.models._stream import BoundedReader, ContainerError, SpeculationAbandoned

MAX_OPCODES: Final = 50_000_000
"""Opcodes parsed per stream before giving up (pathological streams)."""
MAX_STACK: Final = 5_000_000
"""Symbolic stack depth before giving up; real pickles stay in the hundreds."""
MAX_MEMO_STRINGS: Final = 1_000_000
"""String memo entries remembered; beyond this, fetched values count as unresolved."""
SPECULATIVE_WINDOW: Final = 4 * 1024 * 1024
"""Bytes a speculative parse (data after a pickle) may use before it must import."""

_PARSE_ERRORS: Final = (ValueError, struct.error, OverflowError)
_STRING_OPS: Final = frozenset(
    {
        "STRING",
        "BINSTRING",
        "SHORT_BINSTRING",
        "UNICODE",
        "BINUNICODE",
        "SHORT_BINUNICODE",
        "BINUNICODE8",
    }
)
_PUT_OPS: Final = frozenset({"PUT", "BINPUT", "LONG_BINPUT"})
_GET_OPS: Final = frozenset({"GET", "BINGET", "LONG_BINGET"})
_EXT_OPS: Final = frozenset({"EXT1", "EXT2", "EXT4"})
_CALL_OPS: Final = frozenset({"REDUCE", "INST", "OBJ", "NEWOBJ", "NEWOBJ_EX", "BUILD"})


class _Marker:
    """A stack entry that is not a known string: a mark or an opaque value."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


MARK: Final = _Marker("MARK")
OPAQUE: Final = _Marker("OPAQUE")
StackItem = str | _Marker


class StackUnderflow(Exception):
    """The stream pops more than it pushed; the real unpickler would stop here."""


@dataclass(frozen=True, slots=True)
class ImportRef:
    """A callable the stream imports. ``None`` marks an operand that was not resolved."""

    module: str | None
    name: str | None
    opcode: str
    offset: int | None

    @property
    def dotted(self) -> str:
        """``module.name``, with ``<?>`` for unresolved parts."""
        return f"{self.module if self.module is not None else '<?>'}.{self.name or '<?>'}"

    @property
    def resolved(self) -> bool:
        """True when both module and name are known strings."""
        return self.module is not None and self.name is not None


@dataclass(slots=True)
class StreamScan:
    """What one pickle stream (one ``... STOP``) imports and whether it parsed."""

    start: int
    protocol: int | None = None
    imports: list[ImportRef] = field(default_factory=list)
    calls: int = 0
    opcodes: int = 0
    complete: bool = False
    error: str | None = None
    error_offset: int | None = None
    limit: LimitExceeded | None = None


class _MemoKeys:
    """The memo's key set in O(1) space for the usual dense 0..n-1 numbering."""

    def __init__(self) -> None:
        self._dense = 0
        self._sparse: set[int] = set()

    def add(self, key: int) -> None:
        if key < self._dense:
            return
        self._sparse.add(key)
        while self._dense in self._sparse:
            self._sparse.discard(self._dense)
            self._dense += 1

    def __len__(self) -> int:
        return self._dense + len(self._sparse)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int) and (0 <= key < self._dense or key in self._sparse)


class _Machine:
    """A symbolic pickle VM that tracks string constants and records imports."""

    def __init__(self, scan: StreamScan) -> None:
        self.scan = scan
        self.stack: list[StackItem] = []
        self.memo: dict[int, str] = {}
        self.memo_keys = _MemoKeys()
        self.desynced = False
        self.executed = False
        """True once a call ran on a consistent stack after an import: a working pickle."""

    def step(self, op: pickletools.OpcodeInfo, arg: Any, pos: int | None) -> None:
        """Apply one opcode."""
        self.scan.opcodes += 1
        if self.scan.opcodes > MAX_OPCODES:
            raise LimitExceeded("max_pickle_opcodes", MAX_OPCODES, f"stream at {self.scan.start}")
        name = op.name
        if name == "PROTO" and isinstance(arg, int):
            self.scan.protocol = arg
        if name in _CALL_OPS:
            self.scan.calls += 1
        self._record_imports(name, arg, pos)
        if self.desynced:
            return
        try:
            self._apply(op, arg)
        except StackUnderflow as exc:
            self.desynced = True
            if self.scan.error is None:
                self.scan.error = f"{exc} at {name}"
                self.scan.error_offset = pos
        if name in _CALL_OPS and self.scan.imports and not self.desynced:
            self.executed = True
        if len(self.stack) > MAX_STACK:
            raise LimitExceeded("max_pickle_stack", MAX_STACK, f"stream at {self.scan.start}")

    def _record_imports(self, name: str, arg: Any, pos: int | None) -> None:
        if name in ("GLOBAL", "INST"):
            module, _, attr = str(arg).partition(" ")
            self.scan.imports.append(ImportRef(module, attr, name, pos))
        elif name in _EXT_OPS:
            # The extension registry maps codes to callables at load time: unresolvable.
            self.scan.imports.append(ImportRef(None, f"<extension code {arg}>", name, pos))
        elif name == "STACK_GLOBAL":
            self.scan.imports.append(ImportRef(self._operand(2), self._operand(1), name, pos))

    def _operand(self, depth: int) -> str | None:
        if self.desynced or len(self.stack) < depth:
            return None
        item = self.stack[-depth]
        return item if isinstance(item, str) else None

    def _apply(self, op: pickletools.OpcodeInfo, arg: Any) -> None:
        name = op.name
        if name in _STRING_OPS:
            self.stack.append(arg if isinstance(arg, str) else OPAQUE)
        elif name in _PUT_OPS:
            self._memo_put(int(arg), self._top())
        elif name == "MEMOIZE":
            self._memo_put(len(self.memo_keys), self._top())
        elif name in _GET_OPS:
            if int(arg) not in self.memo_keys:
                raise StackUnderflow(f"memo key {arg} was never stored")
            self.stack.append(self.memo.get(int(arg), OPAQUE))
        elif name == "DUP":
            self.stack.append(self._top())
        elif name == "POP":
            if not self.stack:
                raise StackUnderflow("stack underflow")
            self.stack.pop()  # pops a mark too, like the real unpickler
        else:
            self._generic(op)

    def _generic(self, op: pickletools.OpcodeInfo) -> None:
        before = op.stack_before
        if pickletools.markobject in before:
            self._pop_to_mark()
            self._pop(before.index(pickletools.markobject))
        else:
            self._pop(len(before))
        for item in op.stack_after:
            self.stack.append(MARK if item is pickletools.markobject else OPAQUE)

    def _top(self) -> StackItem:
        if not self.stack or self.stack[-1] is MARK:
            raise StackUnderflow("stack underflow")
        return self.stack[-1]

    def _pop(self, count: int) -> None:
        for _ in range(count):
            if not self.stack or self.stack[-1] is MARK:
                raise StackUnderflow("stack underflow")
            self.stack.pop()

    def _pop_to_mark(self) -> None:
        while self.stack:
            if self.stack.pop() is MARK:
                return
        raise StackUnderflow("no MARK on the stack")

    def _memo_put(self, key: int, value: StackItem) -> None:
        self.memo_keys.add(key)
        if isinstance(value, str) and (key in self.memo or len(self.memo) < MAX_MEMO_STRINGS):
            self.memo[key] = value
        else:
            self.memo.pop(key, None)


def _parse_one(reader: BoundedReader, scan: StreamScan, *, speculative: bool) -> bool:
    """Parse one stream into ``scan``; False if a speculative parse found no pickle.

    A speculative parse is kept when it reached STOP cleanly, when it hit a limit (fail
    closed), or when it imported something and called it on a consistent stack before
    failing: the real unpickler would have run that call before raising.
    """
    machine = _Machine(scan)
    next_opcode = scan.start
    if speculative:
        reader.open_window(SPECULATIVE_WINDOW)
    try:
        for op, arg, pos in pickletools.genops(cast(IO[bytes], reader)):
            machine.step(op, arg, pos)
            next_opcode = reader.tell()
            if scan.imports:
                reader.close_window()  # it imports: scan it to the end, within the budgets
            if op.name == "STOP":
                scan.complete = True
    except _PARSE_ERRORS as exc:
        scan.error = str(exc)
        scan.error_offset = next_opcode
    except SpeculationAbandoned:
        return False
    except ContainerError as exc:
        if speculative and not machine.executed:
            raise
        scan.error = f"the data under the pickle could not be read: {exc}"
        scan.error_offset = next_opcode
    except LimitExceeded as exc:
        scan.limit = exc
    finally:
        reader.close_window()
    if not speculative or machine.executed or scan.limit is not None:
        return True
    return scan.complete and scan.error is None


def iter_streams(reader: BoundedReader, *, committed: bool) -> Iterator[StreamScan]:
    """Yield every pickle stream in ``reader``: the first, then any that follow its STOP.

    With ``committed`` the data at the start is known to be a pickle, and a parse error
    is reported; otherwise (and always after the first STOP) the parse is speculative:
    data that does not parse as a pickle and imports nothing ends the walk quietly, as
    for the raw storage bytes that follow the pickles of a legacy torch file.
    """
    speculative = not committed
    while not reader.at_eof():
        scan = StreamScan(start=reader.tell())
        if not _parse_one(reader, scan, speculative=speculative):
            return
        yield scan
        if not scan.complete or scan.limit is not None:
            return
        speculative = True
