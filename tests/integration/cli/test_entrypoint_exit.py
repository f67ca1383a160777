"""The console entry point ends the process without the interpreter's teardown.

These run the real entry point in a child interpreter: the status is main()'s, all
output reaches the pipe, and every atexit handler still runs (those registered while
the command ran, and, by falling back to the normal exit, those registered before).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aiwarden.cli.main import main


def _run(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


_ENTRY = (
    "import sys; from aiwarden.cli.main import entrypoint; sys.argv[0] = 'aiwarden'; entrypoint()"
)


def test_all_output_is_flushed_and_the_status_kept(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["rules", "--format", "json", "--no-plugins"]
    assert main(argv) == 0
    in_process = capsys.readouterr().out
    result = _run(_ENTRY, *argv)
    assert result.returncode == 0, result.stderr
    assert result.stdout == in_process
    assert len(json.loads(result.stdout)) > 100


def test_findings_and_usage_errors_keep_their_status(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import pickle\npickle.loads(data)\n", encoding="utf-8")
    found = _run(_ENTRY, "scan", str(tmp_path), "--no-progress", "--fail-on", "low")
    assert found.returncode == 1, found.stderr
    assert "AIW-" in found.stdout
    usage = _run(_ENTRY, "scan", "--no-such-option")
    assert usage.returncode == 2
    assert "no-such-option" in usage.stderr
    assert usage.stderr.count("\n") == 1 and "Traceback" not in usage.stderr


def test_a_handler_registered_while_the_command_runs_still_runs() -> None:
    code = """
        import atexit, sys
        from aiwarden.cli import main as cli_main

        command = cli_main.main

        def main(argv=None):
            atexit.register(print, "handler registered during the command", flush=True)
            return command(argv)

        cli_main.main = main
        sys.argv = ["aiwarden", "--version"]
        cli_main.entrypoint()
    """
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("handler registered during the command")


def test_a_handler_registered_before_the_entry_point_still_runs() -> None:
    code = """
        import atexit, sys
        atexit.register(print, "handler registered first", flush=True)
        from aiwarden.cli.main import entrypoint
        sys.argv = ["aiwarden", "--version"]
        entrypoint()
    """
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("handler registered first")
