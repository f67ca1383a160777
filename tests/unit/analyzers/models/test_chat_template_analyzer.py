"""ChatTemplateAnalyzer on tokenizer configurations and .jinja files, plus fuzzing."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_chat_template_real import ALL, QWEN3

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.chat_template import ChatTemplateAnalyzer, check_template
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.severity import Severity
from aiwarden.engine.classify import classify_file

PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def _scan(path: Path, relpath: str | None = None) -> list[Finding]:
    artifact = Artifact(path, relpath or path.name, classify_file(path), path.stat().st_size)
    analyzer = ChatTemplateAnalyzer()
    assert analyzer.accepts(artifact)
    return list(analyzer.analyze(artifact, Limits()))


def _config(tmp_path: Path, template: object, name: str = "tokenizer_config.json") -> Path:
    path = tmp_path / name
    body = {"bos_token": "<s>", "model_max_length": 8192, "chat_template": template}
    path.write_text(json.dumps(body, indent=2))
    return path


def test_rule_ids() -> None:
    assert [r.id for r in ChatTemplateAnalyzer.rules] == [f"AIW-MOD60{i}" for i in range(1, 7)]


def test_benign_tokenizer_config_is_clean(tmp_path: Path) -> None:
    assert _scan(_config(tmp_path, QWEN3)) == []


def test_named_templates_list_is_clean(tmp_path: Path) -> None:
    named = [{"name": k, "template": v} for k, v in ALL.items()]
    assert _scan(_config(tmp_path, named)) == []


def test_cve_2024_34359_in_tokenizer_config(tmp_path: Path) -> None:
    findings = _scan(_config(tmp_path, QWEN3 + PAYLOAD))
    assert findings and findings[0].rule_id == "AIW-MOD601"
    assert findings[0].severity is Severity.CRITICAL
    assert findings[0].location.line == 4  # the "chat_template" key's line in the JSON


def test_payload_in_a_named_template(tmp_path: Path) -> None:
    named = [{"name": "default", "template": QWEN3}, {"name": "tool_use", "template": PAYLOAD}]
    findings = _scan(_config(tmp_path, named))
    assert {f.rule_id for f in findings} == {"AIW-MOD601"}
    assert "tool_use" in findings[0].message


def test_duplicate_chat_template_keys_are_all_checked(tmp_path: Path) -> None:
    """Parser differential: Python keeps the last key; check and report both."""
    path = tmp_path / "tokenizer_config.json"
    path.write_text('{"chat_template": ' + json.dumps(PAYLOAD) + ', "chat_template": "{{ 1 }}"}')
    assert {f.rule_id for f in _scan(path)} == {"AIW-MOD601", "AIW-MOD606"}


def test_invalid_json_fails_closed(tmp_path: Path) -> None:
    path = tmp_path / "tokenizer_config.json"
    path.write_text('{"chat_template": "{{ x }}",\n  oops}')
    (finding,) = _scan(path)
    assert finding.rule_id == "AIW-MOD606"
    assert finding.location.line == 2


def test_invalid_utf8_fails_closed(tmp_path: Path) -> None:
    path = tmp_path / "tokenizer_config.json"
    path.write_bytes(b'{"chat_template": "\xff\xfe"}')
    assert [f.rule_id for f in _scan(path)] == ["AIW-MOD606"]


def test_wrong_template_type(tmp_path: Path) -> None:
    assert [f.rule_id for f in _scan(_config(tmp_path, {"x": 1}))] == ["AIW-MOD606"]


def test_unparseable_template_in_config(tmp_path: Path) -> None:
    assert [f.rule_id for f in _scan(_config(tmp_path, "{% if %}"))] == ["AIW-MOD603"]


def test_chat_template_jinja_file(tmp_path: Path) -> None:
    path = tmp_path / "chat_template.jinja"
    path.write_text("{{ bos_token }}\n" + PAYLOAD + "\n")
    findings = _scan(path)
    assert findings[0].rule_id == "AIW-MOD601"
    assert findings[0].location.line == 2


def test_other_files_are_not_accepted(tmp_path: Path) -> None:
    analyzer = ChatTemplateAnalyzer()
    for name in ("config.json", "page.jinja", "tokenizer.json"):
        path = tmp_path / name
        path.write_text("{}")
        artifact = Artifact(path, name, classify_file(path), 2)
        assert not analyzer.accepts(artifact), name
    assert classify_file(tmp_path / "config.json") is FileFormat.JSON


_TOKENS = st.sampled_from(
    ["{{", "}}", "{%", "%}", "(", ")", "[", "]", "'__'", "~", "|attr(", "|join", "x", ".", "set",
     "for", "in", "endfor", "macro", "endmacro", "namespace(", "=", ",", "'a'", " ", "\\x5f"]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(sorted(ALL.values())),
    cut=st.integers(min_value=0, max_value=5000),
    noise=st.lists(_TOKENS, max_size=12),
)
def test_mutated_templates_never_crash(base: str, cut: int, noise: list[str]) -> None:
    source = base[: cut % (len(base) + 1)] + "".join(noise) + base[cut % (len(base) + 1) :]
    issues = check_template(source, Limits())
    assert all(i.severity in Severity for i in issues)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_config_bytes_never_crash(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tokenizer_config.json"
        path.write_bytes(b'{"chat_template": ' + data)
        with contextlib.suppress(LimitExceeded):
            _scan(path)
