"""A JSON file that is neither a tool manifest nor a BOM is turned away cheaply.

Every JSON file may be a captured ``tools/list`` result (agents) or a CycloneDX BOM
(bom-drift); both analyzers decide from the text first and load their readers only
for files that pass. The probe runs in a fresh interpreter so that the modules other
tests loaded do not hide a regression.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

_READERS = (
    "aiwarden.analyzers.agents._manifest",
    "aiwarden.analyzers.agents._jsonc",
    "aiwarden.analyzers.bom_drift.document",
)

_PROBE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from aiwarden.analyzers.registry import load_analyzers
    from aiwarden.engine.config import Settings
    from aiwarden.engine.scan import ScanOptions, run_scan

    registry = load_analyzers(builtin_only=True)
    report = run_scan(
        ScanOptions((Path(sys.argv[1]),), Settings(respect_gitignore=False)), registry=registry
    )
    print(json.dumps({
        "loaded": sorted(name for name in sys.argv[2:] if name in sys.modules),
        "rules": sorted({rf.finding.rule_id for rf in report.findings}),
    }))
    """
)


def _probe(root: Path) -> dict[str, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(root), *_READERS],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    result: dict[str, list[str]] = json.loads(out.strip().splitlines()[-1])
    return result


def test_plain_json_loads_neither_reader(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"hidden_size": 768, "layers": 12}', encoding="utf-8")
    assert _probe(tmp_path)["loaded"] == []


def test_a_manifest_and_a_bom_still_load_their_readers(tmp_path: Path) -> None:
    tools = [{"name": "run", "description": "d", "inputSchema": {"type": "object"}}]
    (tmp_path / "tools.json").write_text(json.dumps({"tools": tools}), encoding="utf-8")
    (tmp_path / "bom.json").write_text(
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}', encoding="utf-8"
    )
    assert _probe(tmp_path)["loaded"] == sorted(_READERS)
