"""The Python analyzer: parse failures are reported, never passed silently."""

from __future__ import annotations

from pathlib import Path

from aiwarden.analyzers.code.python_source import (
    UNPARSEABLE,
    PythonSourceAnalyzer,
    check_python_source,
)
from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.core.formats import FileFormat


def test_python2_source_is_reported_as_unanalysed() -> None:
    issues = check_python_source("print 'hello'\n")
    assert [i.rule for i in issues] == [UNPARSEABLE]
    assert issues[0].line == 1


def test_nesting_beyond_the_parser_is_reported_not_raised() -> None:
    issues = check_python_source("x = " + "(" * 5000 + "1" + ")" * 5000 + "\n")
    assert [i.rule for i in issues] == [UNPARSEABLE]


def test_null_bytes_are_reported_not_raised() -> None:
    issues = check_python_source("x = 1\x00\n")
    assert [i.rule for i in issues] == [UNPARSEABLE]


def test_the_analyzer_locates_findings_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text("x = 1\ndef f(:\n")
    artifact = Artifact(path, "src/broken.py", FileFormat.PYTHON, path.stat().st_size)
    findings = list(PythonSourceAnalyzer().analyze(artifact, Limits()))
    assert [f.rule_id for f in findings] == ["AIW-PY099"]
    assert findings[0].location.path == "src/broken.py"
    assert findings[0].location.line == 2
