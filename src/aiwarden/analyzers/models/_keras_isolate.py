"""Run the HDF5 parsing in a forked child, so that a crash of the C library is a finding.

The HDF5 C library is not hardened against hostile files: a crafted object header can
crash the process (fuzzing a Keras ``.h5`` segfaults it within a few hundred tries).
Where ``os.fork`` exists, the issues are produced in a child process and streamed back
one JSON line each; the parent yields every issue that arrived, and turns a crash, a
``LimitExceeded`` or an error of the child into the same outcome it would have had
inline. Nothing crosses the pipe but JSON built by this module.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import select
import signal
import time
from collections.abc import Callable, Generator, Iterator
from typing import BinaryIO

from aiwarden.analyzers.interface import LimitExceeded
from aiwarden.analyzers.models._keras_issue import Issue
from aiwarden.analyzers.models._keras_rules import KERAS_RULES, UNPARSEABLE_CONFIG
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity

Located = tuple[str | None, Issue]
Producer = Callable[[], Iterator[Located]]
_RULES: dict[str, Rule] = {rule.id: rule for rule in KERAS_RULES}


def run_isolated(
    produce: Producer, what: str, timeout_s: float = 60.0, *, in_disposable_process: bool = False
) -> Iterator[Located]:
    """Yield what ``produce()`` yields, computed in a forked child where possible.

    Inside one of the engine's disposable worker processes (``in_disposable_process``)
    the worker itself is the isolation: a crash or a hang of the HDF5 library ends
    that worker and is reported as an ``AIW-ENG`` finding, so no extra fork is made.

    Raise :class:`LimitExceeded` if the child runs past ``timeout_s`` (the HDF5 library
    can loop on hostile files).
    """
    if in_disposable_process or not hasattr(os, "fork"):
        yield from produce()
        return
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, reported through the pipe
        os.close(read_fd)
        _child(produce, write_fd)
    os.close(write_fd)
    reaped = False
    try:
        ended = yield from _relay(read_fd, timeout_s, what)
        _, status = os.waitpid(pid, 0)
        reaped = True
        if not ended or status != 0:
            yield None, _crash_issue(what, status)
    finally:
        if not reaped:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def _child(produce: Producer, fd: int) -> None:  # pragma: no cover - child process
    code = 0
    faulthandler.disable()  # a crash here is expected and reported by the parent
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            try:
                for member, issue in produce():
                    out.write(json.dumps({"issue": _encode(member, issue)}) + "\n")
                    out.flush()
                end: dict[str, object] = {"end": True}
            except LimitExceeded as exc:
                end = {"limit": [exc.limit, exc.value, exc.detail]}
            except Exception as exc:  # reported by the parent as an analyzer error
                end = {"error": f"{type(exc).__name__}: {exc}"[:400]}
            out.write(json.dumps(end) + "\n")
    except BaseException:
        code = 1
    os._exit(code)


def _encode(member: str | None, issue: Issue) -> dict[str, object]:
    return {
        "member": member,
        "rule": issue.rule.id,
        "message": issue.message,
        "evidence": issue.evidence,
        "key": issue.key,
        "severity": issue.severity.value if issue.severity else None,
        "confidence": issue.confidence.value,
    }


def _decode(item: dict[str, object]) -> Located:
    severity = item.get("severity")
    issue = Issue(
        _RULES[str(item["rule"])],
        str(item["message"]),
        evidence=str(item["evidence"]),
        key=str(item["key"]),
        severity=Severity(severity) if isinstance(severity, str) else None,
        confidence=Confidence(str(item["confidence"])),
    )
    member = item.get("member")
    return (member if isinstance(member, str) else None), issue


def _relay(fd: int, timeout_s: float, what: str) -> Generator[Located, None, bool]:
    """Yield the child's issues; return whether it reported a normal end."""
    with os.fdopen(fd, "rb") as pipe:
        for line in _lines(pipe, timeout_s, what):
            message = json.loads(line)
            if "issue" in message:
                yield _decode(message["issue"])
            elif "limit" in message:
                limit, value, detail = message["limit"]
                raise LimitExceeded(str(limit), value, str(detail))
            elif "error" in message:
                raise RuntimeError(f"HDF5 analysis failed: {message['error']}")
            else:
                return True
    return False


def _lines(pipe: BinaryIO, timeout_s: float, what: str) -> Iterator[bytes]:
    """Complete lines from the child's pipe until EOF; LimitExceeded past ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    pending = b""
    while True:
        ready, _, _ = select.select([pipe], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            raise LimitExceeded("timeout_s", timeout_s, f"reading {what}")
        chunk = os.read(pipe.fileno(), 65536)
        if not chunk:
            return
        pending += chunk
        *complete, pending = pending.split(b"\n")
        yield from complete


def _crash_issue(what: str, status: int) -> Issue:
    cause = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"status {status}"
    return Issue(
        UNPARSEABLE_CONFIG,
        f"The HDF5 library crashed while reading {what} ({cause}): the file is malformed, "
        "possibly crafted to crash scanners, and could not be checked completely.",
        evidence=f"HDF5 reader crashed ({cause})",
        key="h5-crash",
    )
