"""Inline and config suppressions; AIW-ENG findings are never suppressed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aiw_test_support import make_rule
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.location import Location
from aiwarden.core.report import Suppression, SuppressionKind
from aiwarden.core.rule import Rule
from aiwarden.engine.config import ConfigSuppression, Settings
from aiwarden.engine.rules import ANALYZER_ERROR
from aiwarden.engine.suppressions import NO_REASON, apply_suppressions, parse_inline


def _rule(rule_id: str) -> Rule:
    return make_rule(rule_id, guidelines=("SD-1",))


def _finding(rule_id: str, path: str, line: int | None = None, **loc: object) -> Finding:
    rule = ANALYZER_ERROR if rule_id == ANALYZER_ERROR.id else _rule(rule_id)
    return make_finding(rule, Location(path, line, **loc), "msg")  # type: ignore[arg-type]


class _Files:
    """A fake file system for ``read_text`` that counts reads."""

    def __init__(self, files: dict[str, str | None]) -> None:
        self.files = files
        self.reads: list[str] = []

    def __call__(self, relpath: str) -> str | None:
        self.reads.append(relpath)
        return self.files.get(relpath)


def _apply(
    findings: list[Finding], files: dict[str, str | None], settings: Settings | None = None
) -> list[Suppression | None]:
    return apply_suppressions(findings, settings=settings or Settings(), read_text=_Files(files))


PYTHON = """import os
os.system(cmd)  # aiwarden: ignore[AIW-PY001] -- input is a constant
eval(x)  # aiwarden: ignore[AIW-PY001]
exec(y)
# aiwarden: ignore[AIW-PY003, AIW-SEC] -- next line
pickle.loads(z)
"""


def test_python_same_line_with_reason() -> None:
    result = _apply([_finding("AIW-PY001", "a.py", 2)], {"a.py": PYTHON})
    assert result == [Suppression(SuppressionKind.INLINE, "input is a constant", "a.py:2")]


def test_missing_reason_still_suppresses() -> None:
    result = _apply([_finding("AIW-PY001", "a.py", 3)], {"a.py": PYTHON})
    assert result[0] is not None and result[0].reason == NO_REASON


def test_comment_only_covers_named_rules_and_its_line() -> None:
    findings = [_finding("AIW-PY002", "a.py", 2), _finding("AIW-PY001", "a.py", 4)]
    assert _apply(findings, {"a.py": PYTHON}) == [None, None]


def test_comment_alone_applies_to_next_line_and_family_prefix() -> None:
    findings = [_finding("AIW-PY003", "a.py", 6), _finding("AIW-SEC004", "a.py", 6)]
    result = _apply(findings, {"a.py": PYTHON})
    assert [s.source if s else None for s in result] == ["a.py:5", "a.py:5"]
    assert _apply([_finding("AIW-PY003", "a.py", 7)], {"a.py": PYTHON}) == [None]


def test_stacked_standalone_comments_all_apply_to_the_next_code_line() -> None:
    text = "# aiwarden: ignore[AIW-PY001] -- a\n# aiwarden: ignore[AIW-PY002] -- b\ncall()\n"
    findings = [_finding("AIW-PY001", "s.py", 3), _finding("AIW-PY002", "s.py", 3)]
    assert [s.reason if s else None for s in _apply(findings, {"s.py": text})] == ["a", "b"]


def test_yaml_and_shell_style_comment() -> None:
    text = "services:\n  app:\n    privileged: true  # aiwarden: ignore[AIW-IAC002] -- CI only\n"
    result = _apply([_finding("AIW-IAC002", "compose.yaml", 3)], {"compose.yaml": text})
    assert result[0] is not None and result[0].reason == "CI only"


def test_double_slash_comment() -> None:
    text = '{\n  "cmd": "x" // aiwarden: ignore[AIW-AGT001] -- jsonc\n}\n'
    result = _apply([_finding("AIW-AGT001", "mcp.jsonc", 2)], {"mcp.jsonc": text})
    assert result[0] is not None and result[0].reason == "jsonc"


def test_markdown_comment_same_line_and_next_line() -> None:
    text = (
        "# Model card\n"
        "<!-- aiwarden: ignore[AIW-GOV001] -- template section -->\n"
        "TBD\n"
        "Owner: nobody <!-- aiwarden: ignore[AIW-GOV002] -->\n"
    )
    findings = [_finding("AIW-GOV001", "CARD.md", 3), _finding("AIW-GOV002", "CARD.md", 4)]
    result = _apply(findings, {"CARD.md": text})
    assert result[0] == Suppression(SuppressionKind.INLINE, "template section", "CARD.md:2")
    assert result[1] == Suppression(SuppressionKind.INLINE, NO_REASON, "CARD.md:4")


def test_file_level_suppression() -> None:
    text = "# aiwarden: ignore-file[AIW-NB] -- generated notebook\nx = 1\n\n\ny = 2\n"
    findings = [_finding("AIW-NB003", "gen.py", 5), _finding("AIW-PY001", "gen.py", 5)]
    result = _apply(findings, {"gen.py": text})
    assert result[0] == Suppression(SuppressionKind.INLINE, "generated notebook", "gen.py:1")
    assert result[1] is None


def test_marker_needs_a_comment_leader() -> None:
    text = 'msg = "aiwarden: ignore[AIW-PY001] -- not a comment"\n'
    assert _apply([_finding("AIW-PY001", "a.py", 1)], {"a.py": text}) == [None]


def test_engine_findings_are_never_suppressed() -> None:
    text = "x  # aiwarden: ignore[AIW-ENG001] -- nope\n# aiwarden: ignore-file[AIW] -- all\n"
    settings = Settings(suppressions=(ConfigSuppression("*", "AIW", "everything"),))
    result = _apply([_finding("AIW-ENG001", "a.py", 1)], {"a.py": text}, settings)
    assert result == [None]


def test_findings_without_line_or_in_archive_members_skip_inline() -> None:
    files = _Files({"a.py": "x  # aiwarden: ignore-file[AIW] -- r\n"})
    findings = [
        _finding("AIW-MOD001", "a.py", None, offset=10),
        _finding("AIW-PY001", "a.py", 1, member="inner.py"),
    ]
    result = apply_suppressions(findings, settings=Settings(), read_text=files)
    assert result == [None, None]
    assert files.reads == []


def test_read_text_called_once_per_file_and_none_is_tolerated() -> None:
    files = _Files({"a.py": PYTHON, "b.bin": None})
    findings = [_finding("AIW-PY001", "a.py", n) for n in (1, 2, 3)]
    findings += [_finding("AIW-MOD001", "b.bin", 1), _finding("AIW-MOD001", "b.bin", 2)]
    apply_suppressions(findings, settings=Settings(), read_text=files)
    assert sorted(files.reads) == ["a.py", "b.bin"]


def test_config_suppressions_match_glob_and_rule() -> None:
    settings = Settings(
        suppressions=(
            ConfigSuppression("configs/**/*.json", "AIW-AGT", "vetted MCP servers"),
            ConfigSuppression("models/legacy.pkl", "AIW-MOD001", "quarantined"),
        ),
        source=Path("/proj/.aiwarden.toml"),
    )
    findings = [
        _finding("AIW-AGT003", "configs/team/mcp.json"),
        _finding("AIW-PY001", "configs/team/mcp.json"),
        _finding("AIW-MOD001", "models/legacy.pkl"),
        _finding("AIW-MOD001", "models/new.pkl"),
    ]
    result = _apply(findings, {}, settings)
    assert result[0] == Suppression(
        SuppressionKind.CONFIG, "vetted MCP servers", "/proj/.aiwarden.toml"
    )
    assert result[1] is None
    assert result[2] is not None and result[2].reason == "quarantined"
    assert result[3] is None


def test_inline_wins_over_config() -> None:
    settings = Settings(suppressions=(ConfigSuppression("*.py", "AIW", "config"),))
    result = _apply([_finding("AIW-PY001", "a.py", 2)], {"a.py": PYTHON}, settings)
    assert result[0] is not None and result[0].kind is SuppressionKind.INLINE


def test_parse_inline_handles_crlf_and_end_line() -> None:
    parsed = parse_inline("a\r\nb  # aiwarden: ignore[AIW-PY001] -- r\r\nc\n")
    entry = parsed.find("AIW-PY001", [2])
    assert entry is not None and entry.reason == "r" and entry.line == 2
    assert parsed.find("AIW-PY001", [3]) is None
    multi = _finding("AIW-PY001", "m.py", 1, end_line=2)
    assert _apply([multi], {"m.py": "a(\n)  # aiwarden: ignore[AIW-PY001]\n"})[0] is not None


EXPIRING = """import torch
torch.load(f)  # aiwarden: ignore[AIW-PY001] until=2027-03-31 -- until the migration
torch.load(g)  # aiwarden: ignore[AIW-PY001] until=someday -- typo
torch.load(h)  # aiwarden: ignore[AIW-PY001]
"""


def _apply_on(
    day: str, line: int, settings: Settings | None = None
) -> tuple[Suppression | None, list[str]]:
    warnings: list[str] = []
    result = apply_suppressions(
        [_finding("AIW-PY001", "t.py", line)],
        settings=settings or Settings(),
        read_text=_Files({"t.py": EXPIRING}),
        today=dt.date.fromisoformat(day),
        warn=warnings.append,
    )
    return result[0], warnings


def test_an_inline_suppression_applies_until_its_date_inclusive() -> None:
    suppression, warnings = _apply_on("2027-03-31", 2)
    assert suppression == Suppression(SuppressionKind.INLINE, "until the migration", "t.py:2")
    assert warnings == []


def test_an_expired_inline_suppression_no_longer_applies_and_is_reported() -> None:
    suppression, warnings = _apply_on("2027-04-01", 2)
    assert suppression is None
    assert warnings == ["suppression at t.py:2 expired on 2027-03-31: it does not apply"]


def test_an_until_that_is_not_a_date_never_applies() -> None:
    suppression, warnings = _apply_on("2020-01-01", 3)
    assert suppression is None
    assert "'until=someday' is not a date" in warnings[0]


def test_require_reason_rejects_suppressions_without_one() -> None:
    strict = Settings(require_reason=True)
    suppression, warnings = _apply_on("2026-01-01", 4, strict)
    assert suppression is None
    assert warnings == [
        "suppression at t.py:4 gives no reason, and require-reason is set: it does not apply"
    ]
    assert _apply_on("2026-01-01", 2, strict)[0] is not None


def test_an_expired_config_suppression_no_longer_applies() -> None:
    entry = ConfigSuppression("*.json", "AIW-AGT", "vetted", dt.date(2026, 6, 30))
    settings = Settings(suppressions=(entry,))
    finding = _finding("AIW-AGT001", "mcp.json")
    warnings: list[str] = []

    def run(day: str) -> Suppression | None:
        return apply_suppressions(
            [finding],
            settings=settings,
            read_text=_Files({}),
            today=dt.date.fromisoformat(day),
            warn=warnings.append,
        )[0]

    assert run("2026-06-30") is not None
    assert run("2026-07-01") is None
    assert warnings == [
        "suppression at configuration suppressions[0] expired on 2026-06-30: it does not apply"
    ]


def test_a_reason_inside_a_json_string_loses_only_the_json_tail() -> None:
    text = '  "x = 1  # aiwarden: ignore[AIW-PY001] -- reviewed\\n",\n'
    assert parse_inline(text).by_line[1][0].reason == "reviewed"
    last = '  "x = 1  # aiwarden: ignore[AIW-PY001] -- reviewed"\n'
    assert parse_inline(last).by_line[1][0].reason == "reviewed"
    quoted = 'x = 1  # aiwarden: ignore[AIW-PY001] -- see "docs"\n'
    assert parse_inline(quoted).by_line[1][0].reason == 'see "docs"'
