"""Benchmark the infra analyzer (AIW-IAC) on its fixture pair, and compare with Checkov.

    python3 -m venv benchmarks/.venv-infra-peers                 # once, optional
    benchmarks/.venv-infra-peers/bin/pip install checkov          # once, optional
    .venv/bin/python benchmarks/run_infra.py [--copies 300]

Part 1 scores aiwarden against the hand-checked expectation in
``tests/integration/test_infra_fixtures.py`` (vulnerable twin: every expected finding is a
true positive; hardened twin: every finding is a false positive). Part 2 times the scan of
the fixtures and of ``--copies`` copies of both twins. Part 3 runs Checkov, when installed,
on the same Dockerfile and Kubernetes files and says, for each AI-specific exposure, which
tool reports it. Numbers only: nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "infra"
EXPECTATION = ROOT / "tests" / "integration" / "test_infra_fixtures.py"
CHECKOV = ROOT / "benchmarks" / ".venv-infra-peers" / "bin" / "checkov"
Finding = tuple[str, str, int]

# The incidents of issue 6 and the aiwarden rule(s) that stand for each.
INCIDENTS: dict[str, tuple[str, ...]] = {
    "ShadowRay (Ray dashboard/Jobs API open)": ("AIW-IAC003",),
    "ShellTorch (TorchServe management plane)": ("AIW-IAC004",),
    "Probllama (Ollama without auth)": ("AIW-IAC005",),
    "MLflow without auth": ("AIW-IAC006",),
    "Jupyter with empty token": ("AIW-IAC007",),
    "Inference server without key / remote code": ("AIW-IAC008",),
    "Gradio share / public demo UI": ("AIW-IAC009",),
    "AI port published on all interfaces": ("AIW-IAC002",),
    "Model fetched without integrity": ("AIW-IAC011",),
    "Ingress/NetworkPolicy for model servers": ("AIW-IAC013",),
    "Metrics endpoint exposed": ("AIW-IAC015",),
    "Auth disabled in Helm values": ("AIW-IAC016",),
    "Over-privileged AI workload": ("AIW-IAC010",),
    "Unpinned base image": ("AIW-IAC012",),
    "No resource limits on inference pods": ("AIW-IAC014",),
    "Secret in manifest": ("AIW-IAC001",),
}
# Checkov checks that report the same problem as an aiwarden rule (generic hygiene only:
# Checkov has no check for the AI-service exposures).
CHECKOV_EQUIVALENT: dict[str, frozenset[str]] = {
    "AIW-IAC010": frozenset(
        {"CKV_K8S_16", "CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19", "CKV_K8S_27", "CKV_DOCKER_8"}
    ),
    "AIW-IAC012": frozenset({"CKV_DOCKER_7", "CKV_K8S_14", "CKV_K8S_43"}),
    "AIW-IAC014": frozenset({"CKV_K8S_11", "CKV_K8S_13"}),
    "AIW-IAC013": frozenset({"CKV2_K8S_6"}),
    "AIW-IAC001": frozenset({"CKV_SECRET_6"}),
}


def expected_findings() -> set[Finding]:
    """The ``VULNERABLE`` set literal of the integration test (parsed, not imported)."""
    tree = ast.parse(EXPECTATION.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "VULNERABLE":
            return set(ast.literal_eval(node.value))
    raise SystemExit("VULNERABLE not found in the expectation file")


def aiwarden(target: Path, jobs: int = 1) -> tuple[list[Finding], float]:
    """aiwarden's (rule, relpath, line) findings on ``target`` and the wall time."""
    argv = [sys.executable, "-m", "aiwarden", "scan", str(target), "--select", "AIW-IAC,AIW-SEC"]
    argv += ["-f", "json", "--no-progress", *(["-j", str(jobs)] if jobs else [])]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    report = json.loads(proc.stdout)
    found = []
    for item in report["findings"]:
        relpath = item["location"]["path"].split(f"{target.name}/", 1)[-1]
        found.append((item["rule_id"], relpath, item["location"]["line"]))
    return found, elapsed


def score() -> None:
    """Precision and recall on the fixture pair."""
    expected = expected_findings()
    found, _ = aiwarden(FIXTURES / "vulnerable")
    clean, _ = aiwarden(FIXTURES / "hardened")
    true_pos = len(set(found) & expected)
    false_pos = len(set(found) - expected) + len(clean)
    precision = true_pos / (true_pos + false_pos) if found or clean else 1.0
    recall = true_pos / len(expected)
    print("== Part 1: fixtures (hand-checked expectation; exact by construction)")
    print(f"expected {len(expected)}  found {len(found)} + {len(clean)} on the hardened twin")
    print(f"precision {precision:.3f}  recall {recall:.3f}")
    for missing in sorted(expected - set(found)):
        print("  missed:", missing)
    for extra in sorted((set(found) - expected) | set(clean)):
        print("  false positive:", extra)


def timings(copies: int) -> None:
    """Wall time on the fixtures and on ``copies`` copies of both twins."""
    print("\n== Part 2: speed")
    runs = [aiwarden(FIXTURES / "vulnerable")[1] for _ in range(5)]
    print(f"vulnerable fixture (-j 1, whole CLI process): median {statistics.median(runs):.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        for index in range(copies):
            for twin in ("vulnerable", "hardened"):
                shutil.copytree(FIXTURES / twin, corpus / f"{twin}-{index:04d}")
        files = [p for p in corpus.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        for jobs in (1, 0):
            found, elapsed = aiwarden(corpus, jobs)
            label = "-j 1" if jobs == 1 else "-j auto"
            print(
                f"{len(files)} files ({size / 1e6:.1f} MB, {copies} copies of both twins), "
                f"{label}: {elapsed:.2f} s = {len(files) / elapsed:.0f} files/s, "
                f"{len(found)} findings"
            )


def checkov(directory: Path) -> list[tuple[str, str, int, int]]:
    """Checkov's failed checks: (check id, relpath, first line, last line)."""
    argv = [str(CHECKOV), "-d", str(directory), "--framework", "dockerfile,kubernetes,secrets"]
    argv += ["-o", "json", "--quiet", "--compact", "--skip-download"]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    reports = json.loads(proc.stdout or "[]")
    out = []
    for report in reports if isinstance(reports, list) else [reports]:
        for check in report.get("results", {}).get("failed_checks", []):
            relpath = check["file_path"].split(f"{directory.name}/", 1)[-1].lstrip("/")
            first, last = check["file_line_range"]
            out.append((check["check_id"], relpath, first, last))
    return out


def compare() -> None:
    """Which AI-specific exposures each tool reports on the vulnerable twin."""
    print("\n== Part 3: aiwarden vs Checkov on the vulnerable twin")
    if not CHECKOV.exists():
        print("Checkov not installed in benchmarks/.venv-infra-peers: skipped")
        return
    expected = {f for f in expected_findings() if f[0].startswith("AIW-IAC")}
    ours, _ = aiwarden(FIXTURES / "vulnerable")
    theirs = checkov(FIXTURES / "vulnerable")
    print(f"Checkov: {len(theirs)} failed checks; aiwarden: {len(ours)} findings")
    print(f"{'exposure':46} {'aiwarden':>9} {'Checkov':>8}")
    for incident, rules in INCIDENTS.items():
        targets = [f for f in expected if f[0] in rules]
        caught = sum(1 for f in targets if f in set(ours))
        equivalent = frozenset().union(*(CHECKOV_EQUIVALENT.get(r, frozenset()) for r in rules))
        matched = sum(
            1
            for _, path, line in targets
            if any(c in equivalent and p == path and a <= line <= b for c, p, a, b in theirs)
        )
        print(f"{incident:46} {caught:>4}/{len(targets):<4} {matched:>3}/{len(targets):<4}")
    print("(Checkov counted when an equivalent check's resource range covers the line;")
    print(" it has no docker-compose, config.properties or Jupyter support.)")


def main() -> int:
    """Run the three parts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=300)
    args = parser.parse_args()
    score()
    timings(args.copies)
    compare()
    return 0


if __name__ == "__main__":
    sys.exit(main())
