"""Python rules in code cells: IPython syntax stripped, findings located on the .ipynb line."""

from __future__ import annotations

import json
from pathlib import Path

from nb_builders import code, dumps, line_of, markdown, notebook, scan

from aiwarden.analyzers.code.python_source import check_python_source
from aiwarden.analyzers.notebooks._magics import clean_cell

UNSAFE = "import pickle\n\ndata = pickle.loads(blob)\n"


def python_rule_ids(source: str) -> list[str]:
    """What the Python analyzer itself reports for ``source`` (the ground truth)."""
    return [i.rule.id for i in check_python_source(source) if i.rule.id != "AIW-PY099"]


def test_python_finding_is_located_on_the_ipynb_line_of_the_cell_line(tmp_path: Path) -> None:
    expected = python_rule_ids(UNSAFE)
    assert expected, "the pickle rule must flag pickle.loads for this test to mean anything"
    nb = notebook([markdown("# Title\n"), code(UNSAFE, cell_id="a1b2")])
    raw = dumps(nb)
    findings = [f for f in scan(tmp_path, nb) if f.rule_id.startswith("AIW-PY")]
    assert [f.rule_id for f in findings] == expected
    finding = findings[0]
    physical = line_of(raw, '"data = pickle.loads(blob)\\n"')
    assert finding.location.path == "analysis.ipynb"
    assert finding.location.line == physical
    raw_line = raw.split("\n")[physical - 1]
    assert finding.location.column is not None
    assert raw_line[finding.location.column - 1 :].startswith("pickle.loads")
    assert finding.message.startswith("Cell 2, line 3: ")
    assert finding.fingerprint_key.startswith("cell[a1b2]:")
    assert str(physical) not in finding.fingerprint_key.replace("a1b2", "")


def test_fingerprint_follows_the_cell_id_not_its_position(tmp_path: Path) -> None:
    before = scan(tmp_path, notebook([code(UNSAFE, cell_id="keep")]))
    after = scan(
        tmp_path, notebook([markdown("new\n"), code("x = 1\n"), code(UNSAFE, cell_id="keep")])
    )
    key = [f.fingerprint_key for f in before if f.rule_id.startswith("AIW-PY")]
    assert key == [f.fingerprint_key for f in after if f.rule_id.startswith("AIW-PY")]
    assert before[0].location.line != after[-1].location.line


def test_cells_without_id_use_their_index(tmp_path: Path) -> None:
    findings = scan(tmp_path, notebook([code("x = 1\n"), code(UNSAFE)]))
    assert all(f.fingerprint_key.startswith("cell#2:") for f in findings)


def test_ipython_syntax_is_stripped_and_lines_are_kept(tmp_path: Path) -> None:
    source = (
        "%matplotlib inline\n"
        "!ls -la \\\n"
        "   /data\n"
        "files = !ls\n"
        "size = %sx du -sh .\n"
        "pickle?\n"
        "??pickle.loads\n"
        "import pickle\n"
        "for f in files:\n"
        "    !echo $f\n"
        "    obj = pickle.load(open(f, 'rb'))\n"
    )
    clean = clean_cell(source)
    assert clean.python is not None
    assert clean.python.count("\n") == source.count("\n")
    compile(clean.python, "<cell>", "exec")
    findings = scan(tmp_path, notebook([code(source)]))
    py = [f for f in findings if f.rule_id.startswith("AIW-PY")]
    assert "AIW-PY099" not in [f.rule_id for f in py]
    assert [f.rule_id for f in py] == python_rule_ids(clean.python)
    assert py and py[0].message.startswith("Cell 1, line 11: ")


def test_cell_magics(tmp_path: Path) -> None:
    timed = "%%time\nimport pickle\npickle.loads(b)\n"
    bash = "%%bash\npython -c 'import pickle; pickle.loads(b)'\n"
    html = "%%html\n<b>import pickle; pickle.loads(b)</b>\n"
    findings = scan(tmp_path, notebook([code(timed), code(bash), code(html)]))
    cells = {f.message.split(",")[0] for f in findings if f.rule_id.startswith("AIW-PY")}
    assert cells == {"Cell 1"}


def test_unparseable_cells_give_one_low_finding(tmp_path: Path) -> None:
    nb = notebook([code("def broken(:\n"), code("print 'python 2'\n"), code("x = 1\n")])
    findings = [f for f in scan(tmp_path, nb) if f.rule_id == "AIW-PY099"]
    assert len(findings) == 1
    assert findings[0].severity.value == "low"
    assert findings[0].message.startswith("Cell 1, line 1: ")
    assert "2 code cells" in findings[0].message


def test_source_as_a_single_string_maps_to_the_source_line(tmp_path: Path) -> None:
    nb = notebook([code(UNSAFE)])
    nb["cells"][0]["source"] = UNSAFE
    raw = dumps(nb)
    findings = [f for f in scan(tmp_path, nb) if f.rule_id.startswith("AIW-PY")]
    assert findings
    assert findings[0].location.line == line_of(raw, '"source": "import pickle')
    assert findings[0].message.startswith("Cell 1, line 3: ")


def test_compact_json_still_maps_lines(tmp_path: Path) -> None:
    nb = notebook([markdown("x\n"), code(UNSAFE)])
    findings = [f for f in scan(tmp_path, json.dumps(nb)) if f.rule_id.startswith("AIW-PY")]
    assert findings and findings[0].location.line == 1
    assert findings[0].message.startswith("Cell 2, line 3: ")
