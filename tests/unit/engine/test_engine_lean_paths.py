"""The engine's cheap paths: one timer handler per batch, lazy archives, scratch cleanup."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from aiw_test_support import make_rule
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.analyzers.registry import Registry
from aiwarden.cli._options import ScanInputs
from aiwarden.core import FileFormat, Finding, Severity
from aiwarden.engine import archives, worker
from aiwarden.engine._archive_meta import ARCHIVE_RULES, EXPANDABLE_CANDIDATES
from aiwarden.engine.classify import classify_file, classify_views
from aiwarden.engine.config import Settings
from aiwarden.engine.executor import Executor, InlineExecutor, ResultCallback
from aiwarden.engine.scan import ScanOptions, run_scan
from aiwarden.engine.worker import FileResult, FileTask


class Sleepy(Analyzer):
    name = "sleepy-lean"
    rules = (make_rule("AIW-TST031", Severity.LOW),)
    formats = frozenset({FileFormat.TEXT})

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterator[Finding]:
        if artifact.name.startswith("slow"):
            time.sleep(30)
        yield from ()


def _task(path: Path, timeout_s: float) -> FileTask:
    return FileTask(str(path), path.name, ("sleepy-lean",), Limits(timeout_s=timeout_s))


def test_inline_batch_times_out_one_file_and_restores_the_handler(tmp_path: Path) -> None:
    for name in ("fast1.txt", "slow.txt", "fast2.txt"):
        (tmp_path / name).write_text("x\n")
    before = signal.getsignal(signal.SIGALRM)
    results: list[FileResult] = []
    tasks = [_task(tmp_path / n, 0.3) for n in ("fast1.txt", "slow.txt", "fast2.txt")]
    InlineExecutor(Registry((Sleepy(),), ())).run(tasks, results.append)
    assert [r.failure is not None for r in results] == [False, True, False]
    assert "AIW-ENG002" in [f.rule_id for f in results[1].findings]
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_archive_candidates_are_what_archives_can_expand() -> None:
    tar_compressed = set(archives._TAR_COMPRESSED)
    assert tar_compressed | {FileFormat.ZIP, FileFormat.TAR} == set(EXPANDABLE_CANDIDATES)
    assert archives.ARCHIVE_RULES is ARCHIVE_RULES


def test_scratch_cleanup_removes_an_empty_or_a_full_directory(tmp_path: Path) -> None:
    task = FileTask(str(tmp_path / "a"), "a", (), Limits(), scratch=str(tmp_path))
    for made, leftover in ((False, False), (True, False), (True, True)):
        ctx = worker._Context(Registry((), ()), task)
        scratch = ctx.scratch
        assert not scratch.exists()  # named only: made by the first member copy
        if made:
            scratch.mkdir()
        if leftover:
            (scratch / "member").write_bytes(b"left behind")
        ctx.cleanup()
        assert not scratch.exists()
    worker._Context(Registry((), ()), task).cleanup()  # nothing named: nothing to do
    assert list(tmp_path.iterdir()) == []


def test_members_are_copied_into_a_scratch_directory_made_on_demand(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("inner.txt", b"text")
    scratch = tmp_path / "scan" / "f1"
    artifact = Artifact(path, "a.zip", FileFormat.ZIP, path.stat().st_size)
    budget = archives.Budget(Limits())
    assert (
        list(archives.iter_members(artifact, scratch, budget, skip=frozenset({"inner.txt"}))) == []
    )
    assert not scratch.exists()
    [member] = archives.iter_members(artifact, scratch, budget)
    assert isinstance(member, archives.Member) and member.path.parent == scratch
    assert member.path.read_bytes() == b"text"


def test_budget_is_made_once_per_file() -> None:
    ctx = worker._Context(Registry((), ()), FileTask("p", "p", (), Limits()))
    assert ctx.budget is ctx.budget
    assert isinstance(ctx.budget, archives.Budget)


@pytest.mark.parametrize("size", [0, 10, 4096, 4097, 70_000, 200_000])
def test_classify_views_reads_once_and_agrees_with_classify_file(tmp_path: Path, size: int) -> None:
    import zipfile

    path = tmp_path / "f.bin"
    path.write_bytes(b"\x80\x04" + b"a" * max(0, size - 2) if size else b"")
    if size >= 4097:
        with zipfile.ZipFile(path, "a") as archive:  # a polyglot: pickle head, zip tail
            archive.writestr("x.txt", "x")
    views = classify_views(path)
    assert views[0] is classify_file(path)
    assert (FileFormat.ZIP in views) is (size >= 4097)


class Recorder(Executor):
    def __init__(self) -> None:
        self.batches: list[int] = []

    def run(self, tasks: Sequence[FileTask], on_result: ResultCallback) -> None:
        self.batches.append(len(tasks))


def test_an_empty_scan_still_runs_a_given_executor(tmp_path: Path) -> None:
    recorder = Recorder()
    options = ScanOptions(targets=(tmp_path,), settings=Settings())
    report = run_scan(options, executor=recorder)
    assert recorder.batches == [0]
    assert report.scanned == () and report.findings == () and report.complete


def test_scan_inputs_are_read_only() -> None:
    values: dict[str, object] = {
        "paths": (),
        "config_path": None,
        "select": (),
        "ignore": (),
        "exclude": (),
        "no_gitignore": None,
        "jobs": None,
        "timeout": None,
        "no_plugins": False,
    }
    inputs = ScanInputs(**values)
    assert inputs.jobs is None
    with pytest.raises(AttributeError):
        inputs.jobs = 3  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected"):
        ScanInputs(**values, extra=1)


def test_a_chosen_pyproject_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tomllib

    from aiwarden.engine.config import load_settings

    (tmp_path / "pyproject.toml").write_text('[tool.aiwarden]\nselect = ["AIW-MOD"]\n')
    calls: list[str] = []
    real_loads = tomllib.loads

    def counting_loads(text: str) -> dict[str, object]:
        calls.append(text)
        return real_loads(text)

    monkeypatch.setattr(tomllib, "loads", counting_loads)
    settings = load_settings([tmp_path], env={})
    assert settings.select == ("AIW-MOD",)
    assert settings.source == (tmp_path / "pyproject.toml").resolve()
    assert len(calls) == 1
