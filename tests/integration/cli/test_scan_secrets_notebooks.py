"""``aiwarden scan`` of a project with a ``.env`` key and a leaky notebook, in-process."""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

import pytest

from aiwarden.cli.main import main

RNG = random.Random(77)
ALNUM = string.ascii_letters + string.digits
OPENAI = (
    "sk-proj-"
    + "".join(RNG.choice(ALNUM) for _ in range(74))
    + "T3BlbkFJ"
    + "".join(RNG.choice(ALNUM) for _ in range(74))
)
HF = "hf_" + "".join(RNG.choice(string.ascii_letters) for _ in range(34))


def notebook_text() -> str:
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "id": "c0ffee",
        "metadata": {},
        "outputs": [{"name": "stdout", "output_type": "stream", "text": [f"token={HF}\n"]}],
        "source": ["from huggingface_hub import login\n", f'login(token="{HF}")\n'],
    }
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1) + "\n"


def test_json_report_has_redacted_secret_findings_and_never_the_secret(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(f"OPENAI_API_KEY={OPENAI}\n")
    (tmp_path / "explore.ipynb").write_text(notebook_text())
    code = main(["scan", str(tmp_path), "-f", "json", "--no-progress"])
    out, _ = capsys.readouterr()
    assert code == 1
    for secret in (OPENAI, HF, OPENAI[8:-8], HF[4:-4]):
        assert secret not in out
    report = json.loads(out)
    assert report["scan"]["complete"] is True
    sec = [f for f in report["findings"] if f["rule_id"].startswith("AIW-SEC")]
    env = [f for f in sec if f["location"]["path"] == ".env"]
    assert [f["rule_id"] for f in env] == ["AIW-SEC001"]
    assert env[0]["evidence"] == f"{OPENAI[:4]}…{OPENAI[-4:]} ({len(OPENAI)} chars)"
    nb = sorted(
        (f["location"]["line"], f["message"])
        for f in sec
        if f["location"]["path"] == "explore.ipynb"
    )
    assert [m.split(":")[0] for _, m in nb] == ["Cell 1, output 1 (stream)", "Cell 1, line 2"]
    assert all(line is not None for line, _ in nb)


def test_inline_aiwarden_suppression_applies_to_secret_findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "settings.py").write_text(
        f'HF_TOKEN = "{HF}"  # aiwarden: ignore[AIW-SEC001] -- revoked test token\n'
    )
    code = main(["scan", str(tmp_path), "-f", "json", "--no-progress"])
    out, _ = capsys.readouterr()
    report = json.loads(out)
    assert code == 0
    assert [f["suppressed"] for f in report["findings"]] == [True]
    assert HF not in out


def test_selecting_only_secret_rules_still_scans_notebooks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "explore.ipynb").write_text(notebook_text())
    code = main(["scan", str(tmp_path), "-f", "json", "--no-progress", "--select", "AIW-SEC"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {f["rule_id"] for f in report["findings"]} == {"AIW-SEC001"}
    assert len(report["findings"]) == 2


def test_an_inline_suppression_inside_a_notebook_cell_keeps_a_clean_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = notebook_text().replace(
        f'login(token=\\"{HF}\\")\\n"',
        f'login(token=\\"{HF}\\")  # aiwarden: ignore[AIW-SEC001] -- revoked test token\\n"',
    )
    assert "aiwarden: ignore" in text
    (tmp_path / "explore.ipynb").write_text(text)
    main(["scan", str(tmp_path), "-f", "json", "--no-progress"])
    report = json.loads(capsys.readouterr().out)
    cell = [f for f in report["findings"] if f["message"].startswith("Cell 1, line 2")]
    assert [f["suppression"]["reason"] for f in cell] == ["revoked test token"]


def test_taint_steps_are_labelled_in_sarif_and_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each related location of an LLM-output flow says what it is (source, helper)."""
    app = tmp_path / "app.py"
    app.write_text(
        "from openai import OpenAI\n"
        "client = OpenAI()\n\n"
        "def ask(q):\n"
        "    r = client.chat.completions.create(model='m', messages=[], max_tokens=5, timeout=5)\n"
        "    return r.choices[0].message.content\n\n"
        "def run(q):\n"
        "    eval(ask(q))\n"
    )
    assert main(["scan", str(app), "-f", "sarif", "--no-progress"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    flow = next(r for r in results if r["ruleId"] == "AIW-PY008")
    texts = [r["message"]["text"] for r in flow["relatedLocations"]]
    assert texts[0].startswith("LLM output (") and texts[0].endswith(":5:9)")
    assert texts[1].startswith("returned by ask() (")
    assert main(["scan", str(app), "--no-progress", "--color", "never"]) == 1
    assert "(returned by ask())" in capsys.readouterr().out
