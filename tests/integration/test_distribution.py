"""The pre-commit hooks and the GitHub Action call aiwarden the way the CLI accepts."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from aiwarden.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def _hooks() -> list[dict[str, object]]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert isinstance(hooks, list)
    return hooks


def _action() -> dict[str, object]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert isinstance(action, dict)
    return action


@pytest.mark.parametrize("hook", _hooks(), ids=lambda h: str(h["id"]))
def test_each_pre_commit_hook_runs_on_staged_files(
    hook: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert {"id", "name", "entry", "language"} <= set(hook)
    argv = shlex.split(str(hook["entry"]))
    assert argv[0] == "aiwarden"
    staged = tmp_path / "app.py"
    staged.write_text("print('hello')\n")
    assert main([*argv[1:], str(staged)]) == 0
    capsys.readouterr()


def test_the_action_only_uses_inputs_it_declares() -> None:
    action = _action()
    inputs = action["inputs"]
    assert isinstance(inputs, dict)
    used = set(re.findall(r"inputs\.([a-z-]+)", (ROOT / "action.yml").read_text()))
    assert used <= set(inputs)
    assert {"path", "fail-on", "baseline", "config", "sarif-file"} <= set(inputs)


def _scan_script() -> str:
    runs = _action()["runs"]
    assert isinstance(runs, dict)
    steps = [s for s in runs["steps"] if s.get("id") == "scan"]
    assert len(steps) == 1
    return str(steps[0]["run"])


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_action_scan_step_writes_sarif_and_reports_the_exit_code(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "clean.py").write_text("x = 1\n")
    aiwarden = Path(sys.executable).parent / "aiwarden"  # the venv running the tests
    assert aiwarden.exists(), f"{aiwarden}: install the package (pip install -e .) first"
    output = tmp_path / "github_output"
    env = {
        "PATH": f"{aiwarden.parent}:/usr/bin:/bin",
        "AIW_PATHS": str(project),
        "AIW_FAIL_ON": "high",
        "AIW_BASELINE": "",
        "AIW_CONFIG": "",
        "AIW_SARIF": str(tmp_path / "out.sarif"),
        "AIW_SUMMARY": "true",
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    subprocess.run(["bash", "-e", "-c", _scan_script()], env=env, check=True, timeout=120)
    assert output.read_text() == "exit-code=0\n"
    assert '"version": "2.1.0"' in (tmp_path / "out.sarif").read_text()
    assert (tmp_path / "summary.md").read_text().strip()


def test_the_readme_first_command_writes_the_html_assessment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    first = next(line for line in block.group(1).splitlines() if not line.startswith("#"))
    argv = shlex.split(first.split("&&")[-1])
    assert argv[0] == ".venv/bin/aiwarden"
    assert argv[1:3] == ["assess", "examples/chatbot"]
    out = argv.index("-o") + 1
    argv[out] = str(tmp_path / argv[out])
    monkeypatch.chdir(ROOT)
    assert main([*argv[1:], "--no-progress"]) == 0
    html = (tmp_path / "aiwarden-report.html").read_text(encoding="utf-8")
    assert "SD-1" in html and "OM-4" in html
