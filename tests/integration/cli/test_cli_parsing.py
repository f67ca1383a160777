"""The command line's parsing: one-line usage errors, help on every level, lazy commands."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aiwarden import __version__
from aiwarden.cli import main as cli_main
from aiwarden.cli._options import scan_inputs
from aiwarden.cli._parser import Group, Leaf, summary
from aiwarden.cli.main import main

# Every option of every command, as the command line has always had them.
OPTIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("-h", "--help", "-V", "--version", "-v", "--verbose"),
    ("scan",): (
        *("--config", "--select", "--ignore", "--exclude", "--no-gitignore", "-j", "--jobs"),
        *("--timeout", "--no-plugins", "-f", "--format", "-o", "--output", "--fail-on"),
        *("--baseline", "--exit-zero", "--color", "--no-progress", "-h", "--help"),
    ),
    ("rules",): ("-f", "--format", "--no-plugins", "-h", "--help"),
    ("guidelines",): ("-f", "--format", "-h", "--help"),
    ("baseline",): ("-h", "--help"),
    ("baseline", "create"): (
        *("--config", "--select", "--ignore", "--exclude", "--no-gitignore", "-j", "--jobs"),
        *("--timeout", "--no-plugins", "-o", "--output", "-h", "--help"),
    ),
    ("mcp",): ("-h", "--help"),
    ("mcp", "lock"): ("-o", "--output", "--check", "-h", "--help"),
    ("db",): ("-h", "--help"),
    ("db", "import"): ("--db", "-h", "--help"),
    ("db", "status"): ("--db", "-h", "--help"),
    ("bom",): (
        *("-o", "--output", "-f", "--format", "--exclude", "--no-gitignore"),
        *("--no-dependencies", "--reproducible", "-h", "--help"),
    ),
    ("assess",): (
        *("--config", "--select", "--ignore", "--exclude", "--no-gitignore", "-j", "--jobs"),
        *("--timeout", "--no-plugins", "-f", "--format", "-o", "--output", "--attestations"),
        *("--history", "--fail-under", "--detail", "--color", "--no-progress", "-h", "--help"),
    ),
    ("attest",): ("-h", "--help"),
    ("attest", "init"): ("--force", "-h", "--help"),
    ("attest", "check"): ("-h", "--help"),
}


@pytest.mark.parametrize("command", sorted(OPTIONS), ids=" ".join)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_on_every_level_lists_each_option(
    command: tuple[str, ...], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, flag]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(f"usage: {' '.join(('aiwarden', *command))} [OPTIONS]")
    words = set(out.replace(",", " ").split())
    assert [option for option in OPTIONS[command] if option not in words] == []


def test_top_level_help_lists_every_command_with_its_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for name, (_, line) in cli_main._COMMANDS.items():
        assert f"{name} {line}" in out


@pytest.mark.parametrize("name", sorted(cli_main._COMMANDS))
def test_each_summary_is_the_first_line_of_the_commands_own_help(name: str) -> None:
    module_name, line = cli_main._COMMANDS[name]
    command = importlib.import_module(module_name).COMMAND
    assert isinstance(command, Leaf | Group)
    assert line == summary(command.description)
    assert line and "\n" not in line


def test_group_summaries_are_their_subcommands_first_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["db", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "status Show the advisory data that scans will use." in out


def test_help_is_at_most_100_columns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["scan", "--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert max(len(line) for line in lines) > 80  # the width is used, not argparse's 80


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-V"]) == 0
    assert capsys.readouterr().out == f"aiwarden, version {__version__}\n"


@pytest.mark.parametrize(
    ("argv", "see", "message"),
    [
        (["scan", "--no-such-flag"], "scan", "unrecognized arguments: --no-such-flag"),
        (["scan", "--sel", "AIW-MOD"], "scan", "unrecognized arguments: --sel"),
        (["scan", "-v"], "scan", "unrecognized arguments: -v"),
        (["-x", "scan"], "", "unrecognized arguments: -x"),
        (["rules", "--format"], "rules", "argument -f/--format: expected one argument"),
        (["scan", "-f", "xml"], "scan", "argument -f/--format: invalid choice: 'xml'"),
        (["scan", "--fail-on", "huge"], "scan", "argument --fail-on: invalid choice: 'huge'"),
        (["scan", "-j", "0"], "scan", "argument -j/--jobs: 0 is not in the range x>=1"),
        (["scan", "-j", "two"], "scan", "argument -j/--jobs: 'two' is not a valid integer"),
        (["scan", "--timeout", "0"], "scan", "argument --timeout: 0.0 is not in the range x>0"),
        (["assess", "--fail-under", "101"], "assess", "101.0 is not in the range 0<=x<=100"),
        (["nosuch"], "", "unknown command 'nosuch' (choose from assess, attest, baseline,"),
        (["db", "nosuch"], "db", "unknown command 'nosuch' (choose from import, status)"),
        (["-v"], "", "missing command"),
        (["baseline", "--"], "baseline", "missing command"),
        (["bom"], "bom", "the following arguments are required: PATH"),
        (["rules", "AIW-MOD001", "extra"], "rules", "unrecognized arguments: extra"),
        (["db", "status", "extra"], "db status", "unrecognized arguments: extra"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(
    argv: list[str], see: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    prog = f"aiwarden {see}".strip()
    assert err.startswith("aiwarden: error: ")
    assert err.endswith(f" (see '{prog} --help')\n")
    assert message in err


def test_paths_are_checked_as_before(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "f.txt"
    a_file.write_text("x")
    cases = [
        (["scan", "-o", str(tmp_path)], f"File {str(tmp_path)!r} is a directory"),
        (["scan", "--config", str(tmp_path)], f"File {str(tmp_path)!r} is a directory"),
        (["mcp", "lock", str(a_file)], f"Directory {str(a_file)!r} is a file"),
        (["attest", "check", str(tmp_path)], f"File {str(tmp_path)!r} is a directory"),
        (["db", "status", "--db", str(tmp_path)], f"File {str(tmp_path)!r} is a directory"),
    ]
    for argv, message in cases:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err


def test_options_and_paths_mix_and_repeated_options_append() -> None:
    parser = importlib.import_module("aiwarden.cli.scan").COMMAND.parser("aiwarden scan")
    argv = ["a", "--select", "AIW-MOD", "-fjson", "b", "--select=AIW-SEC,AIW-PY", "-j1"]
    argv += ["--fail-on", "HIGH", "--no-gitignore", "--", "-c", "--exit-zero"]
    args = parser.parse_anywhere(argv)
    inputs = scan_inputs(args)
    assert inputs.paths == (Path("a"), Path("b"), Path("-c"), Path("--exit-zero"))
    assert inputs.select == ("AIW-MOD", "AIW-SEC,AIW-PY")
    assert (inputs.jobs, inputs.no_gitignore, args.fmt, args.fail_on) == (1, True, "json", "high")
    assert args.exit_zero is False
    defaults = scan_inputs(parser.parse_anywhere([]))
    assert (defaults.paths, defaults.select, defaults.no_gitignore) == ((), (), None)


def test_a_bare_command_shows_its_help_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, prog in (([], "aiwarden"), (["db"], "aiwarden db")):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.startswith(f"usage: {prog} [OPTIONS] COMMAND")


def test_verbose_adds_the_traceback_to_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "AIW-XYZ999"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["-vv", "rules", "AIW-XYZ999"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Traceback") and "unknown rule" in err.splitlines()[-1]


def test_a_closed_stdout_ends_quietly_with_status_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            raise io.UnsupportedOperation("no descriptor")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["rules", "--format", "json", "--no-plugins"]) == 1
    assert capsys.readouterr().err == ""


def _fresh(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_importing_main_imports_no_command_click_or_difflib() -> None:
    loaded = _fresh(
        """
        import sys
        import aiwarden.cli.main
        from aiwarden.cli.main import main
        assert main(["--help"]) == 0
        print(sorted(m for m in sys.modules if m.startswith("aiwarden.cli.")
                     or m in ("click", "difflib")))
        """
    )
    assert loaded.splitlines()[-1] == "['aiwarden.cli._parser', 'aiwarden.cli.main']"


def test_only_the_command_that_runs_is_imported() -> None:
    loaded = _fresh(
        """
        import sys
        from aiwarden.cli.main import main
        assert main(["rules", "--format", "json", "--no-plugins"]) == 0
        print(sorted(m for m in sys.modules if m.startswith("aiwarden.cli.")
                     or m in ("click", "difflib")))
        """
    )
    assert (
        loaded.splitlines()[-1]
        == "['aiwarden.cli._parser', 'aiwarden.cli.main', 'aiwarden.cli.rules']"
    )


def test_the_console_script_reports_a_usage_error_in_one_line() -> None:
    script = Path(sys.executable).with_name("aiwarden")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "aiwarden"]
    result = subprocess.run(
        [*command, "scan", "--select"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "aiwarden: error: argument --select: expected one argument (see 'aiwarden scan --help')\n"
    )
