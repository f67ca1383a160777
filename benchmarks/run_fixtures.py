"""Precision and recall of the deployment, agent and governance rules on the fixture twins.

Each family has a vulnerable project and a hardened twin under ``tests/fixtures/`` and a
hand-checked expectation, the ``VULNERABLE`` set of (rule, file, line) in the family's
integration test. This script copies each twin to a scratch directory (so nothing of the
surrounding repository leaks in), scans it with the real ``aiwarden`` command, and prints
true/false positives and misses per family and in total. Every finding on a hardened twin
is a false positive.

    .venv/bin/python benchmarks/run_fixtures.py
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIWARDEN = Path(sys.executable).parent / "aiwarden"
Key = tuple[str, str, int]


@dataclass(frozen=True)
class Family:
    name: str
    fixtures: str
    test: str
    select: str


FAMILIES = (
    Family("agents and MCP", "agents", "tests/integration/cli/test_mcp.py", "AIW-AGT,AIW-SEC"),
    Family("deployment", "infra", "tests/integration/test_infra_fixtures.py", "AIW-IAC,AIW-SEC"),
    Family("governance", "governance", "tests/integration/test_governance_fixtures.py", "AIW-GOV"),
)


def expected(family: Family) -> set[Key]:
    """The hand-checked ``VULNERABLE`` set of the family's integration test."""
    sys.path.insert(0, str(ROOT / "tests"))
    spec = importlib.util.spec_from_file_location(f"expect_{family.fixtures}", ROOT / family.test)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {(rule, path, line) for rule, path, line in module.VULNERABLE}


def scan(project: Path, select: str) -> set[Key]:
    """(rule, path, line) of every finding the CLI reports on a scratch copy of ``project``."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / project.name
        shutil.copytree(project, copy, symlinks=True)
        argv = [str(AIWARDEN), "scan", str(copy), "--select", select, "-f", "json"]
        done = subprocess.run(argv, capture_output=True, text=True, cwd=scratch, check=False)
        if done.returncode not in (0, 1):
            raise SystemExit(f"aiwarden failed on {project}: {done.stderr.strip()}")
        report = json.loads(done.stdout)
        base = Path(report["scan"]["root"]).resolve()
        found: set[Key] = set()
        for finding in report["findings"]:
            where = (base / finding["location"]["path"]).resolve().relative_to(copy.resolve())
            found.add((finding["rule_id"], where.as_posix(), finding["location"]["line"] or 0))
        return found


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def row(name: str, want: int, tp: int, fp: int, fn: int) -> str:
    scores = f"{ratio(tp, tp + fp):>9} {ratio(tp, tp + fn):>7}"
    return f"{name:<16} {want:>8} {tp:>4} {fp:>4} {fn:>4} {scores}"


def main() -> int:
    head = (
        f"{'family':<16} {'expected':>8} {'TP':>4} {'FP':>4} {'FN':>4} "
        f"{'precision':>9} {'recall':>7}"
    )
    print(head)
    print("-" * len(head))
    totals = [0, 0, 0, 0]
    misses: list[str] = []
    for family in FAMILIES:
        want = expected(family)
        fixtures = ROOT / "tests" / "fixtures" / family.fixtures
        got = scan(fixtures / "vulnerable", family.select)
        clean = scan(fixtures / "hardened", family.select)
        tp, fp, fn = len(got & want), len(got - want) + len(clean), len(want - got)
        misses += [f"  FN {family.name}: {k}" for k in sorted(want - got)]
        misses += [f"  FP {family.name}: {k}" for k in sorted((got - want) | clean)]
        for index, value in enumerate((len(want), tp, fp, fn)):
            totals[index] += value
        print(row(family.name, len(want), tp, fp, fn))
    want, tp, fp, fn = totals
    print(row("total", want, tp, fp, fn))
    print("\n".join(misses) or "no misses, no false positives")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
