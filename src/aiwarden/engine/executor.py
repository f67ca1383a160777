"""Executors run :class:`~aiwarden.engine.worker.FileTask` objects and report each result.

:class:`ProcessExecutor` is the default: a pool of worker processes, each handed one
file at a time, so that the parent always knows which file a worker is on. A worker
that runs past the per-file budget is killed and replaced, and its file gets an
``AIW-ENG002`` finding; a worker that dies (a crash in native code, the OOM killer)
gives its file an ``AIW-ENG005`` finding. Either way the scan goes on.

:class:`InlineExecutor` runs tasks in the calling process (the time budget is
enforced with ``SIGALRM`` where available). Library users and tests use it, and
:func:`default_executor` picks it for small scans, where starting worker processes costs
more CPU than the analysis itself (see its docstring for the trade-off).
"""

from __future__ import annotations

import abc
import dataclasses
import gc
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Final

from aiwarden.analyzers._lazy import load_deferred
from aiwarden.analyzers.registry import Registry
from aiwarden.engine import rules as eng
from aiwarden.engine.worker import FileResult, FileTask, analyze_file, engine_finding, failed_result

if TYPE_CHECKING:  # multiprocessing is imported by the pool only: most scans run in-process
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

ResultCallback = Callable[[FileResult], None]


class Executor(abc.ABC):
    """Runs file tasks and calls ``on_result`` once per task, in completion order."""

    @abc.abstractmethod
    def run(self, tasks: Sequence[FileTask], on_result: ResultCallback) -> None:
        """Run every task; never raise for a problem confined to one file."""


class _Timeout(BaseException):
    """Raised by SIGALRM; a BaseException so that analyzers' ``except Exception`` miss it."""


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


@contextmanager
def _alarm_handler() -> Iterator[bool]:
    """Install the ``SIGALRM`` handler for a batch of files; yield whether it is usable.

    The handler is installed once per batch and each file only arms and disarms the
    timer (:func:`_armed`): between files no timer is pending, so the handler, which
    only turns a firing timer into :class:`_Timeout`, has nothing to do there.
    """
    if not can_run_inline():
        yield False
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _armed(seconds: float, usable: bool) -> Iterator[None]:
    """Let the timer fire after ``seconds`` (when usable and positive) during the block."""
    if not usable or seconds <= 0:
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


GC_THRESHOLDS: Final = (20_000, 20, 100)
"""Collector thresholds while files are analysed: the parsers allocate many short-lived,
acyclic objects, and every collection would otherwise walk the young ones."""


@contextmanager
def relaxed_gc() -> Iterator[None]:
    """Collect cycles less often for the duration, and never walk what exists already.

    Objects alive at the start (imported modules, the registry) are frozen into the
    permanent generation, so collections during the scan only visit the scan's own
    objects, and the collector of a forked worker does not write to (and so copy) the
    pages it shares with the parent. Thresholds and the freeze are restored after.
    """
    previous, host_froze = gc.get_threshold(), gc.get_freeze_count() > 0
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        if not host_froze:  # an embedding program's own freeze is left as it was
            gc.unfreeze()


def timeout_result(task: FileTask, elapsed: float) -> FileResult:
    """The result for a file whose analysis ran past its budget."""
    message = f"analysis stopped after {elapsed:.1f}s (per-file budget {task.limits.timeout_s:g}s)"
    return failed_result(task, engine_finding(task.relpath, eng.TIMEOUT, message), elapsed)


class InlineExecutor(Executor):
    """Run tasks one after another in this process, with ``registry`` or the installed one."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry

    def run(self, tasks: Sequence[FileTask], on_result: ResultCallback) -> None:
        """Run every task in order."""
        with relaxed_gc():
            self._run(tasks, on_result)

    def _run(self, tasks: Sequence[FileTask], on_result: ResultCallback) -> None:
        with _alarm_handler() as usable:
            for task in tasks:
                started = time.perf_counter()
                try:
                    with _armed(task.limits.timeout_s, usable):
                        result = analyze_file(task, self.registry)
                except _Timeout:
                    result = timeout_result(task, time.perf_counter() - started)
                on_result(result)


def _worker_main(conn: Connection, registry: Registry | None) -> None:
    """Loop in a worker process: receive a task, send back its result; stop on None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    while True:
        task = conn.recv()
        if task is None:
            return
        limits = dataclasses.replace(task.limits, in_disposable_process=True)
        conn.send(analyze_file(task._replace(limits=limits), registry))


class _Worker:
    """One pool process, its pipe, and the task it is on (a plain, internal record)."""

    __slots__ = ("conn", "process", "started", "task")

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.task: FileTask | None = None
        self.started = 0.0

    @property
    def deadline(self) -> float:
        assert self.task is not None
        return self.started + self.task.limits.timeout_s


class ProcessExecutor(Executor):
    """Run tasks in ``jobs`` worker processes with a hard per-file time budget."""

    def __init__(self, jobs: int | None = None, *, registry: Registry | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        # On Linux, fork: workers start in milliseconds with the analyzers already
        # imported and inherit the parent's registry. Elsewhere, spawn, and each worker
        # loads the installed analyzers itself.
        import multiprocessing  # only a pool needs it

        self._fork = sys.platform.startswith("linux")
        self._context = (
            multiprocessing.get_context("fork")
            if self._fork
            else multiprocessing.get_context("spawn")
        )
        self.registry = registry if self._fork else None

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, self.registry), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    @staticmethod
    def _stop(worker: _Worker, *, kill: bool) -> None:
        if kill:
            worker.process.kill()
        else:
            try:
                worker.conn.send(None)
            except OSError:
                worker.process.kill()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def run(self, tasks: Sequence[FileTask], on_result: ResultCallback) -> None:
        """Run every task across the pool; returns when all results were delivered."""
        pending = deque(tasks)
        count = min(self.jobs, len(pending))
        if self._fork and count > 1 and self.registry is not None:
            load_deferred()  # the workers share one import of the analyzers' checks
            import aiwarden.engine.archives  # noqa: F401  (and of the archive readers)

            names = [task.relpath.rsplit("/", 1)[-1] for task in tasks]
            for analyzer in self.registry.analyzers:
                analyzer.preload(names)
        with relaxed_gc():  # forked workers inherit the frozen heap and the thresholds
            workers = [self._spawn() for _ in range(count)]
            try:
                while pending or any(w.task for w in workers):
                    for worker in workers:
                        if worker.task is None and pending:
                            worker.task, worker.started = pending.popleft(), time.monotonic()
                            worker.conn.send(worker.task)
                    self._collect(workers, on_result)
            finally:
                for worker in workers:
                    self._stop(worker, kill=worker.task is not None)

    def _collect(self, workers: list[_Worker], on_result: ResultCallback) -> None:
        busy = [w for w in workers if w.task is not None]
        timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        from multiprocessing.connection import wait  # imported with the pool

        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
        now = time.monotonic()
        for index, worker in enumerate(workers):
            task = worker.task
            if task is None:
                continue
            result: FileResult | None = None
            replace = False
            if worker.conn in ready:
                try:
                    result = worker.conn.recv()
                except (EOFError, OSError):
                    result, replace = self._died(worker, task, now), True
            elif worker.process.sentinel in ready:
                result, replace = self._died(worker, task, now), True
            elif now >= worker.deadline:
                result, replace = timeout_result(task, now - worker.started), True
            if result is None:
                continue
            worker.task = None
            if replace:
                self._stop(worker, kill=True)
                workers[index] = self._spawn()
            on_result(result)

    @staticmethod
    def _died(worker: _Worker, task: FileTask, now: float) -> FileResult:
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        message = f"the analysis process died ({how}) while analysing this file"
        finding = engine_finding(task.relpath, eng.WORKER_DIED, message)
        return failed_result(task, finding, now - worker.started)


INLINE_MAX_FILES: Final = 256
"""Scans of at most this many files may run in-process (:func:`default_executor`)."""
INLINE_MAX_BYTES: Final = 64 * 1024 * 1024
"""Scans of at most this many bytes may run in-process, each file counted up to
``Limits.max_text_bytes`` (binary model formats are read by their index and headers, so
a large checkpoint costs no more than a small one; text is what analyzers read in full)."""
_BUILTIN_MODULES: Final = ("aiwarden.analyzers.",)
"""Where aiwarden's own analyzers live; any other analyzer is a plugin."""


def can_run_inline() -> bool:
    """True where the in-process time budget can be enforced (``SIGALRM``, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _weight(task: FileTask) -> int:
    try:
        size = Path(task.path).stat().st_size
    except OSError:
        return 0  # the analysis reports the unreadable file
    return min(size, task.limits.max_text_bytes)


def default_executor(
    tasks: Sequence[FileTask], jobs: int | None, registry: Registry | None
) -> Executor:
    """The executor for a scan: in-process when it is small, else a process pool.

    Starting and feeding worker processes costs about 0.1 s of CPU per worker, more
    than the whole analysis of a few hundred model files. A small scan (at most
    :data:`INLINE_MAX_FILES` files and :data:`INLINE_MAX_BYTES`) therefore runs in this
    process, with the same per-file budget (``SIGALRM`` interrupts the analysis,
    including a regular expression that backtracks, and the file gets ``AIW-ENG002``)
    and the same fail-closed handling of analyzer errors (``AIW-ENG001``) and limits.

    The trade-off: a crash of native code, or a call to ``os._exit``, would end the
    whole scan instead of one worker (reported as ``AIW-ENG005``). So only aiwarden's
    own analyzers run in-process: they parse with Python and the standard library, and
    the one native parser (h5py, for HDF5 files the pure-Python reader does not
    handle) runs in a forked child of its own outside a disposable worker. A scan with
    any plugin analyzer, or where the budget cannot be enforced in-process (no
    ``setitimer``, or a scan started from a thread other than the main one), always
    uses the pool.
    """
    small = len(tasks) <= INLINE_MAX_FILES and only_builtin(registry)
    if small and can_run_inline() and sum(_weight(t) for t in tasks) <= INLINE_MAX_BYTES:
        return InlineExecutor(registry)
    return ProcessExecutor(jobs, registry=registry)


def only_builtin(registry: Registry | None) -> bool:
    """True when every analyzer is aiwarden's own: plugins always get worker processes."""
    if registry is None:
        return False
    return all(type(a).__module__.startswith(_BUILTIN_MODULES) for a in registry.analyzers)
