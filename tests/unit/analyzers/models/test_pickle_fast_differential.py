"""The fused interpreter (``_pickle_fast``) against the general path: identical results.

Every input is scanned twice, once with ``_pickle_ops.FUSED_LOOP`` on and once off, and
everything the scan produces is compared: each stream's imports, calls (evidence,
offsets, counts, verdicts), nested scans, module writes, errors and error offsets, opcode
count, complete/executed flags and limit, the events of whole artifacts, what escaped,
the reader's position and budgets afterwards, and the stack, memo and marks each VM
ended with (containers and calls fingerprinted). Inputs: every pickle-bearing file of
the benchmark corpus, the pickles of ``pickle_builders``, pickles written by the
standard library, and hypothesis-made random, mutated and opcode-soup byte strings, run
with the real limits, tight read budgets, small VM limits, small speculative windows and
sources that hand out a few bytes at a time (so opcodes straddle buffer edges).
Nothing is ever unpickled.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import decimal
import enum
import fractions
import io
import pickle
import pickletools
import struct
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pickle_builders import (
    MARK,
    MEMOIZE,
    REDUCE,
    STOP,
    TUPLE1,
    binget,
    binint1,
    binput,
    call,
    global_,
    os_system_protocol0,
    payload,
    proto,
    sbu,
    stack_global,
    state_dict_pickle,
)

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models import _pickle_fast, _pickle_ops, _pickle_vm, serialization
from aiwarden.analyzers.models._pickle_ops import ScanContext, StreamScan, iter_streams
from aiwarden.analyzers.models._pickle_values import Call, Ref, SDict, SList, render
from aiwarden.analyzers.models._stream import BoundedReader, Budget
from aiwarden.engine.classify import classify_file

pytestmark = pytest.mark.filterwarnings("ignore:invalid escape sequence:DeprecationWarning")

CORPUS = Path(__file__).resolve().parents[4] / "benchmarks" / ".cache" / "corpus"
ANALYZER = serialization.PickleSerializationAnalyzer()


def record_fields(value: object) -> list[str] | None:
    """The public field names of a scan record: a dataclass's fields, or the ``__slots__``
    of one of aiwarden's plain record classes (underscored names are caches); else None."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in dataclasses.fields(value)]
    elif type(value).__module__.startswith("aiwarden.") and hasattr(type(value), "__slots__"):
        names = [n for klass in type(value).__mro__ for n in getattr(klass, "__slots__", ())]
    else:
        return None
    return [name for name in names if not name.startswith("_")]


def normal(value: object) -> object:
    """A comparable, plain rendering of a scan result (records, exceptions, enums)."""
    if isinstance(value, BaseException):
        extra = {k: normal(v) for k, v in vars(value).items()} if hasattr(value, "__dict__") else {}
        return (type(value).__name__, str(value), extra)
    fields = None if isinstance(value, tuple) else record_fields(value)
    if fields is not None:
        return (type(value).__name__, {name: normal(getattr(value, name)) for name in fields})
    if isinstance(value, dict):
        return {normal(k): normal(v) for k, v in value.items()}  # type: ignore[misc]
    if isinstance(value, list | tuple):
        return [normal(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def shape(value: object, depth: int = 0) -> object:
    """A depth-bounded fingerprint of a symbolic value: its rendering, and for containers
    and calls their sizes, dropped counts and parts (what a rendering elides)."""
    if depth > 3:
        return render(value)  # type: ignore[arg-type]
    if isinstance(value, SList):
        items = [shape(item, depth + 1) for item in value.items[:40]]
        return ("list", value.kind, len(value.items), value.dropped, items)
    if isinstance(value, SDict):
        pairs = [(shape(k, depth + 1), shape(v, depth + 1)) for k, v in value.items[:40]]
        return ("dict", len(value.items), value.dropped, pairs)
    if isinstance(value, Call):
        parts = (value.func, value.args, value.state, value.result)
        return (
            "call",
            value.opcode,
            value.offset,
            value.evaluated,
            *(shape(p, depth + 1) for p in parts),
        )
    if isinstance(value, tuple):
        return ("tuple", [shape(item, depth + 1) for item in value[:40]], len(value))
    return render(value)  # type: ignore[arg-type]


def machine_state(machine: _pickle_vm.Machine) -> object:
    """The symbolic state a VM ended in: stack, memo and marks, fingerprinted."""
    return (
        [shape(value) for value in machine.stack],
        {key: shape(value) for key, value in machine.memo.items()},
        list(machine.marks),
        machine.desynced,
    )


def both(run: Callable[[], object], monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """``run()`` with the general path, then with the fused loop, and the VMs' final states."""
    results = []
    original = ScanContext.machine
    for fused in (False, True):
        machines: list[_pickle_vm.Machine] = []

        def machine(
            ctx: ScanContext,
            scan: StreamScan,
            reader: BoundedReader,
            made: list[_pickle_vm.Machine] = machines,
        ) -> _pickle_vm.Machine:
            made.append(original(ctx, scan, reader))
            return made[-1]

        monkeypatch.setattr(ScanContext, "machine", machine)
        monkeypatch.setattr(_pickle_ops, "FUSED_LOOP", fused)
        outcome = run()
        results.append((outcome, [machine_state(m) for m in machines]))
    monkeypatch.setattr(ScanContext, "machine", original)
    return results[0], results[1]


class Trickle:
    """A source that hands out a few bytes per read: ``step``, then sizes cycling past it."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = io.BytesIO(data)
        self._steps = [step, step + 1, 2 * step + 3, 1, step + 8]
        self._turn = 0

    def read(self, size: int = -1, /) -> bytes:
        self._turn += 1
        step = self._steps[self._turn % len(self._steps)]
        return self._data.read(min(size, step) if size >= 0 else step)


def scan_bytes(
    data: bytes,
    *,
    committed: bool = True,
    limits: Limits | None = None,
    step: int = 0,
    decompressed: bool = False,
) -> object:
    """Every stream of ``data`` and the reader's state afterwards, or what escaped."""
    budget = Budget(limits or Limits())
    source = Trickle(data, step) if step else io.BytesIO(data)
    reader = BoundedReader(source, budget, decompressed=decompressed, label="t")
    streams: list[object] = []
    try:
        for scan in iter_streams(reader, ScanContext(budget), committed=committed):
            streams.append(normal(scan))
    except Exception as exc:  # what escapes must escape alike
        streams.append(normal(exc))
    return streams, reader.tell(), budget.read_left, budget.decompressed_left


def scan_artifact(path: Path, limits: Limits) -> object:
    """The events of a whole artifact (every container, member and stream) and its budget."""
    fmt = classify_file(path)
    artifact = Artifact(path, path.name, fmt, path.stat().st_size)
    if not ANALYZER.accepts(artifact):
        return None
    ctx = ScanContext(Budget(limits))
    found: list[object] = []
    try:
        events, container = serialization._events(artifact, ctx)
        found.append(container)
        found.extend(normal(event) for event in events)
    except Exception as exc:  # what escapes must escape alike
        found.append(normal(exc))
    return found, ctx.budget.read_left, ctx.budget.decompressed_left


def assert_same(data: bytes, monkeypatch: pytest.MonkeyPatch, **kw: object) -> object:
    general, fused = both(lambda: scan_bytes(data, **kw), monkeypatch)  # type: ignore[arg-type]
    assert fused == general
    return fused


# -- the corpus ----------------------------------------------------------------------


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "manifest.json")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the benchmark corpus is not downloaded")
@pytest.mark.parametrize(
    "limits",
    [Limits(), Limits(max_read_bytes=20_000, max_decompressed_bytes=30_000)],
    ids=["default", "tight"],
)
def test_corpus_files_scan_identically(monkeypatch: pytest.MonkeyPatch, limits: Limits) -> None:
    compared = 0
    for path in _corpus_files():
        general, fused = both(lambda p=path: scan_artifact(p, limits), monkeypatch)  # type: ignore[misc]
        assert fused == general, path
        compared += general[0] is not None
    assert compared > 50


# -- built and standard pickles ---------------------------------------------------------


class _Gadget:
    """An object whose pickle calls ``os.system(command)`` (written, never loaded)."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, ...]:
        import os

        return (os.system, (self.command,))


def _stdlib_pickles() -> Iterator[bytes]:
    values: list[object] = [
        {"a": 1, "b": [1.5, None, True, False], "c": ("x", b"y", 2**40, -7)},
        [list(range(300)), {str(i): i for i in range(300)}, {1, 2}, frozenset({3})],
        ("é" * 300, b"\x00" * 300, bytearray(b"ab"), 1e300, -(2**70)),
        [[[]], {}, (), ((1,), (1, 2), (1, 2, 3), (1, 2, 3, 4))],
    ]
    shared = ["shared"]
    values.append([shared, shared, {"k": shared}])
    values.append(
        [
            collections.OrderedDict([("a", shared), ("b", (shared, 2))]),
            datetime.datetime(2020, 1, 2, 3, 4, 5),
            decimal.Decimal("1.5"),
            fractions.Fraction(1, 3),
            collections.Counter("hello"),
            types.SimpleNamespace(x=[1, 2], y={"z": shared}),
            _Gadget("id"),
            _Gadget("uname"),
            {"nested": [_Gadget("x"), shared]},
        ]
    )
    for value in values:
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            yield pickle.dumps(value, protocol=protocol)


def _built_pickles() -> Iterator[bytes]:
    yield state_dict_pickle()
    yield os_system_protocol0()
    for p in range(6):
        yield payload(p=p)
        yield payload("builtins", "exec", "print(1)", p=p)
    yield proto(4) + call(stack_global("os", "system"), sbu("id")) + STOP
    yield proto(4) + sbu("a") + MEMOIZE + binget(0) + binget(0) + TUPLE1 + STOP
    yield proto(2) + binint1(1) + binput(3) + binget(4) + STOP  # missing memo key
    yield proto(2) + TUPLE1 + STOP  # underflow
    yield proto(2) + global_("os", "system") + REDUCE + STOP  # underflow in a call
    yield proto(2) + MARK + binint1(1) + b"u" + STOP  # SETITEMS without a target
    yield proto(2) + b"}" + MARK + binint1(1) + b"u" + STOP  # odd SETITEMS
    yield proto(2) + b"]" + MARK + b"e" + b"a" + STOP  # APPEND underflow
    yield proto(4) + b"\x8c\x02\xff\xfe." + STOP  # undecodable text
    yield proto(2) + b"\xff" + STOP  # unknown opcode
    yield state_dict_pickle() + payload()  # a second stream after the first
    yield state_dict_pickle() + b"\x80\x02K\x01" * 10  # trailing junk


BUILT = [*_built_pickles(), *_stdlib_pickles()]


@pytest.mark.parametrize("step", [0, 1, 3, 7])
@pytest.mark.parametrize("decompressed", [False, True])
def test_built_pickles_scan_identically(
    monkeypatch: pytest.MonkeyPatch, step: int, decompressed: bool
) -> None:
    for data in BUILT:
        for committed in (True, False):
            assert_same(
                data, monkeypatch, step=step, committed=committed, decompressed=decompressed
            )


def _big_pickles() -> Iterator[bytes]:
    big = 5000  # past the 4096 items a symbolic container keeps
    value = [list(range(big)), {i: i for i in range(big)}, {str(i): i for i in range(big)}]
    value.append([[str(i % 7) for i in range(big)], {str(i % 4100): i for i in range(big)}])
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        yield pickle.dumps(value, protocol=protocol)


@pytest.mark.parametrize("step", [0, 7])
def test_container_bounds_scan_identically(monkeypatch: pytest.MonkeyPatch, step: int) -> None:
    for data in _big_pickles():
        assert_same(data, monkeypatch, step=step)


def test_truncations_and_tight_budgets_scan_identically(monkeypatch: pytest.MonkeyPatch) -> None:
    for data in BUILT:
        for cut in range(0, len(data), max(1, len(data) // 60)):
            assert_same(data[:cut], monkeypatch)
        for budget in range(0, len(data) + 2, max(1, len(data) // 30)):
            limits = Limits(max_read_bytes=budget, max_decompressed_bytes=budget + 1)
            assert_same(data, monkeypatch, limits=limits, step=5, decompressed=True)
            assert_same(data, monkeypatch, limits=limits)


@pytest.mark.parametrize(
    "ops,stack,memo", [(5, 10**6, 10**6), (10**6, 4, 10**6), (10**6, 10**6, 2)]
)
def test_vm_limits_hit_identically(
    monkeypatch: pytest.MonkeyPatch, ops: int, stack: int, memo: int
) -> None:
    for module in (_pickle_vm, _pickle_fast):
        monkeypatch.setattr(module, "MAX_OPCODES", ops)
        monkeypatch.setattr(module, "MAX_STACK", stack)
        monkeypatch.setattr(module, "MAX_MEMO", memo)
    for data in BUILT:
        assert_same(data, monkeypatch)
        assert_same(data, monkeypatch, step=2)


def test_small_speculative_windows_behave_identically(monkeypatch: pytest.MonkeyPatch) -> None:
    second = proto(4) + sbu("x" * 40) + MEMOIZE + b"0" + payload(p=4)[2:]
    for window in (1, 4, 16, 64):
        monkeypatch.setattr(_pickle_ops, "SPECULATIVE_WINDOW", window)
        for data in [state_dict_pickle() + second, *BUILT[:10]]:
            assert_same(data, monkeypatch, committed=False)
            assert_same(data, monkeypatch, committed=False, step=3)


def test_fused_loop_is_the_default() -> None:
    assert _pickle_ops.FUSED_LOOP is True


# -- hypothesis ----------------------------------------------------------------------------


def _arg_bytes(info: pickletools.OpcodeInfo, draw: st.DrawFn) -> bytes:
    """A plausible (or slightly wrong) argument for ``info``."""
    arg = info.arg
    if arg is None:
        return b""
    small = draw(st.integers(0, 6))
    if arg.n > 0:
        return draw(st.binary(min_size=arg.n, max_size=arg.n))
    if arg.n == pickletools.UP_TO_NEWLINE:
        return draw(st.sampled_from([b"os\nsystem\n", b"1\n", b"'a'\n", b"x", b"\n"]))
    if arg.n == pickletools.TAKEN_FROM_ARGUMENT1:
        return bytes([small]) + draw(st.binary(min_size=small, max_size=small))
    if arg.n == pickletools.TAKEN_FROM_ARGUMENT4:
        return struct.pack("<i", small) + draw(st.binary(min_size=small, max_size=small))
    return struct.pack("<Q", small) + draw(st.binary(min_size=small, max_size=small))


@st.composite
def opcode_soup(draw: st.DrawFn) -> bytes:
    """A random sequence of real opcodes with plausible arguments."""
    hot = [op for op in pickletools.opcodes if op.name in _HOT]
    count = draw(st.integers(0, 40))
    parts = [proto(draw(st.integers(0, 5)))] if draw(st.booleans()) else []
    for _ in range(count):
        info = draw(
            st.sampled_from(hot) if draw(st.booleans()) else st.sampled_from(pickletools.opcodes)
        )
        parts.append(info.code.encode("latin-1") + _arg_bytes(info, draw))
    if draw(st.booleans()):
        parts.append(STOP)
    return b"".join(parts)


_HOT = {
    "BINGET", "LONG_BINGET", "MEMOIZE", "BINPUT", "LONG_BINPUT", "BININT1", "BININT2",
    "BININT", "BINFLOAT", "NONE", "NEWTRUE", "NEWFALSE", "MARK", "EMPTY_DICT", "EMPTY_LIST",
    "EMPTY_TUPLE", "TUPLE", "TUPLE1", "TUPLE2", "TUPLE3", "SETITEM", "SETITEMS", "APPEND",
    "APPENDS", "FRAME", "SHORT_BINUNICODE", "BINUNICODE", "SHORT_BINBYTES", "BINBYTES",
    "BUILD", "REDUCE", "NEWOBJ", "STACK_GLOBAL", "GLOBAL", "STOP", "POP", "DUP",
}  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A built or standard pickle with a few bytes flipped, inserted, removed or cut."""
    data = bytearray(draw(st.sampled_from(BUILT)))
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.integers(0, 2))
        if action == 0 and where < len(data):
            data[where] = draw(st.integers(0, 255))
        elif action == 1:
            data[where:where] = draw(st.binary(min_size=1, max_size=6))
        else:
            del data[where : where + draw(st.integers(1, 4))]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


_INPUTS = st.one_of(st.binary(max_size=200), opcode_soup(), mutated())


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_INPUTS, step=st.sampled_from([0, 1, 4]), committed=st.booleans())
def test_random_bytes_scan_identically(
    monkeypatch: pytest.MonkeyPatch, data: bytes, step: int, committed: bool
) -> None:
    assert_same(data, monkeypatch, step=step, committed=committed)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_INPUTS, budget=st.integers(0, 300), limit=st.integers(1, 40))
def test_random_bytes_under_small_limits_scan_identically(
    monkeypatch: pytest.MonkeyPatch, data: bytes, budget: int, limit: int
) -> None:
    for module in (_pickle_vm, _pickle_fast):
        monkeypatch.setattr(module, "MAX_OPCODES", limit)
        monkeypatch.setattr(module, "MAX_STACK", limit // 2 + 1)
        monkeypatch.setattr(module, "MAX_MEMO", limit // 4 + 1)
    monkeypatch.setattr(_pickle_ops, "SPECULATIVE_WINDOW", budget // 2 + 1)
    limits = Limits(max_read_bytes=budget, max_decompressed_bytes=budget // 2 + 5)
    assert_same(data, monkeypatch, limits=limits, committed=False, decompressed=True, step=3)
    assert_same(data, monkeypatch, limits=limits)


def test_limit_exceeded_is_compared_by_its_fields() -> None:
    assert normal(LimitExceeded("a", 1, "b")) != normal(LimitExceeded("a", 2, "b"))


def test_scan_records_are_compared_by_their_fields() -> None:
    """Plain slotted records are rendered field by field, caches left out."""
    assert normal(StreamScan(0, opcodes=1)) != normal(StreamScan(0, opcodes=2))
    fresh, asked = Ref("os", "system", "GLOBAL", 0), Ref("os", "system", "GLOBAL", 0)
    assert asked.dotted == "os.system"  # fills the cache of one of them only
    assert normal(fresh) == normal(asked) != normal(Ref("os", "popen", "GLOBAL", 0))
