"""Secrets (AIW-SEC), personal data (NB002) and active content (NB006) in notebooks."""

from __future__ import annotations

import base64
import random
import string
from pathlib import Path

import pytest
from nb_builders import code, display, dumps, error, line_of, markdown, notebook, scan, stream

from aiwarden.core.finding import Finding

RNG = random.Random(2024)
HF = "hf_" + "".join(RNG.choice(string.ascii_letters) for _ in range(34))
GHP = "ghp_" + "".join(RNG.choice(string.ascii_letters + string.digits) for _ in range(36))


def by_rule(findings: list[Finding], prefix: str) -> list[Finding]:
    return [f for f in findings if f.rule_id.startswith(prefix)]


def assert_redacted(findings: list[Finding], secret: str) -> None:
    for f in findings:
        for text in (f.message, f.evidence or "", f.fingerprint_key):
            assert secret not in text
            assert secret[4:-4] not in text


def test_secret_in_a_code_cell_is_located_at_its_line(tmp_path: Path) -> None:
    nb = notebook([markdown("setup\n"), code(f'import os\nos.environ["HF_TOKEN"] = "{HF}"\n')])
    raw = dumps(nb)
    (finding,) = by_rule(scan(tmp_path, nb), "AIW-SEC")
    assert finding.rule_id == "AIW-SEC001"
    assert finding.location.line == line_of(raw, HF)
    assert finding.message.startswith("Cell 2, line 2: Hugging Face")
    assert_redacted([finding], HF)


def test_pragma_allowlist_in_a_cell(tmp_path: Path) -> None:
    nb = notebook([code(f'TOKEN = "{HF}"  # pragma: allowlist secret\n')])
    assert by_rule(scan(tmp_path, nb), "AIW-SEC") == []


def test_secret_in_markdown(tmp_path: Path) -> None:
    nb = notebook([markdown(f"Use the token `{GHP}` to clone.\n")])
    (finding,) = by_rule(scan(tmp_path, nb), "AIW-SEC")
    assert finding.rule_id == "AIW-SEC002"
    assert finding.message.startswith("Cell 1, line 1: GitHub")


OUTPUTS = {
    "stream": stream(f"logged in with {HF}\n"),
    "text/plain": display({"text/plain": [f"'{HF}'"]}),
    "text/html": display({"text/html": [f"<td>{HF}</td>"]}),
    "application/json": display({"application/json": {"config": {"token": HF}}}),
    "traceback": error("bad token", [f"HTTPError: 401 for token {HF}"]),
}


@pytest.mark.parametrize("output", OUTPUTS.values(), ids=OUTPUTS.keys())
def test_secret_in_saved_outputs(tmp_path: Path, output: dict[str, object]) -> None:
    nb = notebook([code("login()\n", outputs=[output])])
    raw = dumps(nb)
    (finding,) = by_rule(scan(tmp_path, nb), "AIW-SEC")
    assert finding.message.startswith("Cell 1, output 1 (")
    assert finding.location.line is not None
    assert line_of(raw, '"outputs"') < finding.location.line <= line_of(raw, HF)
    assert_redacted([finding], HF)


def test_secrets_in_notebook_metadata_and_widget_state(tmp_path: Path) -> None:
    widgets = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {"abc": {"model_name": "TextModel", "state": {"value": GHP}}},
            "version_major": 2,
        }
    }
    nb = notebook(
        [code("x = 1\n", metadata={"secrets": {"hf": HF}})], metadata={"widgets": widgets}
    )
    findings = by_rule(scan(tmp_path, nb), "AIW-SEC")
    assert sorted(f.rule_id for f in findings) == ["AIW-SEC001", "AIW-SEC002"]
    messages = sorted(f.message.split(":")[0] for f in findings)
    assert messages == ["Cell 1 metadata", "Notebook metadata"]
    assert_redacted(findings, HF)
    assert_redacted(findings, GHP)


def test_image_outputs_are_not_scanned_as_text(tmp_path: Path) -> None:
    png = base64.b64encode(RNG.randbytes(60_000)).decode()
    out = display({"image/png": png, "text/plain": ["<Figure size 640x480 with 1 Axes>"]})
    assert scan(tmp_path, notebook([code("plot()\n", outputs=[out])])) == []


def test_personal_data_in_outputs_only(tmp_path: Path) -> None:
    table = "<table><tr><td>alice.smith@corp-mail.io</td><td>4111 1111 1111 1111</td></tr></table>"
    nb = notebook(
        [
            code('send("bob.jones@corp-mail.io")\n'),
            code("df.head()\n", outputs=[display({"text/html": [table]})]),
            code("print(user)\n", outputs=[stream("IBAN: GB82 WEST 1234 5698 7654 32\n")]),
        ]
    )
    findings = by_rule(scan(tmp_path, nb), "AIW-NB002")
    kinds = [(f.message.split(",")[0], f.evidence) for f in findings]
    assert [k[0] for k in kinds] == ["Cell 2", "Cell 2", "Cell 3"]
    assert all("alice.smith" not in f.message and "4111 1111" not in f.message for f in findings)
    assert findings[0].severity.value == "medium"


ACTIVE = {
    "application/javascript": display({"application/javascript": ["alert(1)"]}),
    "script tag": display({"text/html": ["<div></div><script>fetch('/api')</script>"]}),
    "event handler": display({"text/html": ["<img src=x onerror=alert(1)>"]}),
    "javascript url": display({"text/html": ['<a href="javascript:alert(1)">x</a>']}),
}


@pytest.mark.parametrize("output", ACTIVE.values(), ids=ACTIVE.keys())
def test_active_outputs(tmp_path: Path, output: dict[str, object]) -> None:
    (finding,) = by_rule(
        scan(tmp_path, notebook([code("show()\n", outputs=[output])])), "AIW-NB006"
    )
    assert finding.severity.value == "low"
    assert finding.message.startswith("Cell 1, output 1: ")


def test_plain_html_output_is_not_active(tmp_path: Path) -> None:
    out = display({"text/html": ["<table class='dataframe'><tr><td>one</td></tr></table>"]})
    assert by_rule(scan(tmp_path, notebook([code("df\n", outputs=[out])])), "AIW-NB006") == []
