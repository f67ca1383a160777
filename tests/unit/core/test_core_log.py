"""Lazy loggers: no logging import until a message, and the CLI's setup still applies."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aiwarden.core import log


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )


def test_setup_waits_for_the_first_message_when_logging_is_not_loaded() -> None:
    result = _run(
        """
        import sys
        from aiwarden.core import log

        def setup():
            import logging
            handler = logging.StreamHandler(sys.stdout)
            handler.setFormatter(logging.Formatter("configured: %(levelname)s: %(message)s"))
            logger = logging.getLogger("aiwarden")
            logger.handlers[:] = [handler]
            logger.setLevel(logging.DEBUG)
            logger.propagate = False

        log.configure(setup)
        print("loaded before:", "logging" in sys.modules)
        log.get_logger("aiwarden.x").debug("hello %s", "world")
        log.get_logger("aiwarden.x").warning("careful")
        """
    )
    assert result.stdout.splitlines() == [
        "loaded before: False",
        "configured: DEBUG: hello world",
        "configured: WARNING: careful",
    ]


def test_setup_runs_at_once_when_logging_is_loaded(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []
    log.configure(lambda: calls.append("setup"))
    assert calls == ["setup"]
    with caplog.at_level("WARNING", logger="aiwarden.test"):
        log.get_logger("aiwarden.test").warning("value %d", 3)
    assert [r.getMessage() for r in caplog.records] == ["value 3"]
    assert calls == ["setup"]


def test_the_cli_formats_a_discovery_warning(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_bytes(b"#" * (2 * 1024 * 1024))  # too large: not read
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from aiwarden.cli.main import main; sys.exit(main(sys.argv[1:]))",
            "scan",
            ".",
            "-f",
            "json",
            "--no-progress",
        ],
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        input="",
    )
    assert result.returncode == 0, result.stderr
    assert "aiwarden: WARNING: " in result.stderr
    assert ".gitignore: not read, nothing in it is ignored" in result.stderr


def test_an_empty_scan_loads_neither_logging_nor_importlib_metadata(tmp_path: Path) -> None:
    result = _run(
        f"""
        import sys
        from aiwarden.cli.main import main
        code = main(["scan", {str(tmp_path)!r}, "-f", "json", "-o", {str(tmp_path)!r} + "/r.json",
                     "--no-progress"])
        heavy = ["logging", "importlib.metadata", "importlib.resources", "tarfile", "tomllib",
                 "tempfile", "aiwarden.engine.executor", "aiwarden.engine.worker",
                 "aiwarden.engine.archives", "aiwarden.engine.suppressions",
                 "aiwarden.engine.baseline", "aiwarden.core.catalogue"]
        print(code, [name for name in heavy if name in sys.modules])
        """
    )
    assert result.stdout.split("\n")[-2] == "0 []"


def test_exc_info_reaches_the_record(caplog: pytest.LogCaptureFixture) -> None:
    logger = log.get_logger("aiwarden.test")
    caplog.set_level("DEBUG", logger="aiwarden.test")
    try:
        raise ValueError("boom")
    except ValueError:
        logger.debug("check %s failed", "x", exc_info=True)
    (record,) = caplog.records
    assert record.getMessage() == "check x failed"
    assert record.exc_info is not None and record.exc_info[0] is ValueError


def test_no_module_of_the_package_takes_a_plain_logger() -> None:
    """A plain logger would print before the CLI's handler is set up (no ``aiwarden:``)."""
    package = Path(log.__file__).resolve().parents[1]
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "log.py"
        and "logging.getLogger(__name__)" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
