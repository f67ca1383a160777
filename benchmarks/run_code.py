"""Benchmark aiwarden's Python code rules against Bandit and Ruff's ``S`` rules.

    bash benchmarks/peers/setup_code.sh        # once: peers venv + the large tree
    .venv/bin/python benchmarks/run_code.py    # prints and writes CODE_RESULTS.md

Part 1 scores every tool on the labelled corpus in ``benchmarks/code/corpus`` (precision
and recall per aiwarden rule; see ``code/labels.py`` for how lines are matched and
``code/mapping.py`` for which peer rule stands in for which aiwarden rule). Part 2 times
aiwarden, Bandit and Ruff over the same large tree (transformers + langchain sources).
Numbers only: nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "code"))

from labels import Corpus, Key, load_corpus  # noqa: E402
from mapping import BANDIT, RUFF, RULES, covered, peer_rules_for  # noqa: E402

REPO = HERE.parent
CORPUS = HERE / "code" / "corpus"
CACHE = HERE / ".cache"
AIWARDEN = REPO / ".venv" / "bin" / "aiwarden"
PEERS = HERE / ".venv-code-peers" / "bin"
TREE_VENV = CACHE / "code-tree-venv"
TREE_PACKAGES = ("transformers", "langchain", "langchain_core", "langchain_community")
RESULTS_MD = HERE / "CODE_RESULTS.md"
RESULTS_JSON = CACHE / "code-results.json"
TIMINGS_JSON = CACHE / "code-timings.json"
CORPUS_TIMEOUT_S = 300
TREE_TIMEOUT_S = 1800
TARGET = 0.95
SETUP_HINT = "run `bash benchmarks/peers/setup_code.sh` first"


class HarnessError(Exception):
    """A tool is missing or failed: the message says what to do."""


@dataclass(frozen=True)
class Hit:
    """One finding of one tool: path relative to the scanned root, line, rule, text."""

    path: str
    line: int
    code: str
    message: str


@dataclass
class Score:
    """True/false positives and false negatives of one tool on one rule."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        """Accumulate ``other`` (micro-averaging)."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        """TP / (TP + FP); None when the tool reported nothing."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """TP / (TP + FN); None when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Outcome:
    """A tool's result on the corpus: matched keys, false keys and the raw hits."""

    tool: str
    found: set[Key] = field(default_factory=set)
    false: dict[Key, str] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    covers: set[str] = field(default_factory=lambda: set(RULES))

    def score(self, corpus: Corpus, rule: str) -> Score:
        """TP/FP/FN for ``rule`` (an uncovered rule has recall 0: every case is missed)."""
        expected = {k for k in corpus.expected if k[2] == rule}
        tp = len({k for k in self.found if k[2] == rule})
        fp = sum(1 for k in self.false if k[2] == rule)
        return Score(tp, fp, len(expected) - tp)

    def total(self, corpus: Corpus, rules: Iterable[str]) -> Score:
        """Micro-averaged score over ``rules``."""
        total = Score()
        for rule in rules:
            total.add(self.score(corpus, rule))
        return total


# --------------------------------------------------------------------------- tools


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise HarnessError(f"{what} not found at {path}: {SETUP_HINT}")
    return path


def _run(argv: Sequence[str], stdout: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIWARDEN_")}
    with stdout.open("w", encoding="utf-8") as out:
        return subprocess.run(
            list(argv), stdout=out, stderr=subprocess.PIPE, text=True, timeout=timeout, env=env
        )


def _empty_config(tmp: Path) -> Path:
    """An empty aiwarden config, so no repository config or suppression applies."""
    config = tmp / "aiwarden.toml"
    config.write_text("# benchmark: defaults only\n", encoding="utf-8")
    return config


def aiwarden_argv(paths: Sequence[Path], config: Path, out: Path, jobs: int | None) -> list[str]:
    """The aiwarden command line: JSON report, defaults, no config file, no gitignore."""
    argv = [str(_require(AIWARDEN, "aiwarden")), "scan", *map(str, paths), "--format", "json"]
    argv += ["--output", str(out), "--exit-zero", "--no-progress", "--no-gitignore"]
    argv += ["--config", str(config)]
    return argv + (["--jobs", str(jobs)] if jobs else [])


def bandit_argv(paths: Sequence[Path], out: Path) -> list[str]:
    """Bandit, recursive, default profile and levels, JSON to ``out``."""
    bandit = _require(PEERS / "bandit", "bandit (benchmarks/.venv-code-peers)")
    return [str(bandit), "-r", *map(str, paths), "-f", "json", "-q", "-o", str(out)]


def ruff_argv(paths: Sequence[Path]) -> list[str]:
    """Ruff with only the ``S`` rules, no config file, no cache, JSON on stdout."""
    ruff = _require(PEERS / "ruff", "ruff (benchmarks/.venv-code-peers)")
    argv = [str(ruff), "check", "--isolated", "--select", "S", "--output-format", "json"]
    return [*argv, "--no-cache", "--exit-zero", *map(str, paths)]


def _rel(path: str, base: Path, root: Path) -> str:
    full = Path(path) if Path(path).is_absolute() else base / path
    try:
        return full.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return full.as_posix()


def parse_aiwarden(report: dict[str, Any], root: Path) -> list[Hit]:
    """Active (not suppressed) findings of an aiwarden JSON report."""
    base = Path(report["scan"]["root"])
    hits = []
    for finding in report["findings"]:
        if finding.get("suppressed"):
            continue
        loc = finding["location"]
        path = _rel(loc["path"], base, root)
        hits.append(Hit(path, int(loc.get("line") or 0), finding["rule_id"], finding["message"]))
    return hits


def parse_bandit(report: dict[str, Any], root: Path) -> list[Hit]:
    """Findings of a Bandit JSON report."""
    return [
        Hit(_rel(r["filename"], Path.cwd(), root), r["line_number"], r["test_id"], r["issue_text"])
        for r in report["results"]
    ]


def parse_ruff(report: list[dict[str, Any]], root: Path) -> list[Hit]:
    """Findings of a Ruff JSON report."""
    return [
        Hit(_rel(r["filename"], Path.cwd(), root), r["location"]["row"], r["code"], r["message"])
        for r in report
    ]


def _load_json(path: Path, proc: subprocess.CompletedProcess[str], tool: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise HarnessError(f"{tool} wrote no JSON (exit {proc.returncode}): {proc.stderr}") from exc


def corpus_hits(tmp: Path) -> dict[str, list[Hit]]:
    """Run the three tools over the corpus; their findings by tool name."""
    config = _empty_config(tmp)
    aiw_out, bandit_out, ruff_out = tmp / "aiw.json", tmp / "bandit.json", tmp / "ruff.json"
    proc = _run(aiwarden_argv([CORPUS], config, aiw_out, None), tmp / "aiw.stdout", 300)
    aiw = parse_aiwarden(_load_json(aiw_out, proc, "aiwarden"), CORPUS)
    proc = _run(bandit_argv([CORPUS], bandit_out), tmp / "bandit.stdout", CORPUS_TIMEOUT_S)
    bandit = parse_bandit(_load_json(bandit_out, proc, "bandit"), CORPUS)
    proc = _run(ruff_argv([CORPUS]), ruff_out, CORPUS_TIMEOUT_S)
    ruff = parse_ruff(_load_json(ruff_out, proc, "ruff"), CORPUS)
    return {"aiwarden": aiw, "Bandit": bandit, "Ruff S": ruff}


# --------------------------------------------------------------------------- scoring


def score_aiwarden(corpus: Corpus, hits: list[Hit]) -> Outcome:
    """aiwarden's own rule ids compared with the markers directly."""
    outcome = Outcome("aiwarden", hits=hits)
    for hit in hits:
        if hit.code not in RULES:
            continue
        key = corpus.key(hit.path, hit.line, hit.code)
        if key in corpus.expected:
            outcome.found.add(key)
        elif key not in corpus.allowed:
            outcome.false.setdefault(key, hit.message)
    return outcome


def score_peer(
    name: str, corpus: Corpus, hits: list[Hit], table: dict[str, tuple[str, ...]]
) -> Outcome:
    """A peer's findings credited through ``table`` (see ``code/mapping.py``)."""
    outcome = Outcome(name, hits=hits, covers=covered(table))
    for hit in hits:
        rules = table.get(hit.code)
        if not rules:
            continue
        keys = [corpus.key(hit.path, hit.line, rule) for rule in rules]
        matched = [key for key in keys if key in corpus.expected]
        if matched:
            outcome.found.update(matched)
        elif not any(key in corpus.allowed for key in keys):
            outcome.false.setdefault(keys[0], f"{hit.code}: {hit.message}")
    return outcome


# --------------------------------------------------------------------------- throughput


@dataclass
class Timing:
    """One timed tool run over the tree."""

    tool: str
    wall_s: float
    cpu_s: float
    returncode: int
    findings: int
    files_seen: int | None
    by_rule: dict[str, int] = field(default_factory=dict)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: Sequence[str], stdout: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds (the child and the children it waited for) of one run."""
    cpu0, wall0 = _children_cpu(), time.perf_counter()
    proc = _run(argv, stdout, TREE_TIMEOUT_S)
    wall, cpu = time.perf_counter() - wall0, _children_cpu() - cpu0
    if proc.returncode not in (0, 1):
        raise HarnessError(f"{argv[0]} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return wall, cpu, proc.returncode


def tree_paths() -> list[Path]:
    """The package directories of the large tree (site-packages of the scratch venv)."""
    found = sorted(TREE_VENV.glob("lib/python*/site-packages"))
    if not found:
        raise HarnessError(f"no scratch tree at {TREE_VENV}: {SETUP_HINT}")
    paths = [found[0] / name for name in TREE_PACKAGES]
    for path in paths:
        _require(path, f"package {path.name} of the tree")
    return paths


def count_python(paths: Iterable[Path]) -> tuple[int, int]:
    """Number of ``*.py`` files and of their physical lines."""
    files = lines = 0
    for root in paths:
        for path in root.rglob("*.py"):
            files += 1
            with path.open("rb") as fh:
                lines += sum(1 for _ in fh)
    return files, lines


def _aiwarden_counts(out: Path) -> tuple[int, int, dict[str, int]]:
    report = json.loads(out.read_text(encoding="utf-8"))
    by_rule: dict[str, int] = {}
    for finding in report["findings"]:
        by_rule[finding["rule_id"]] = by_rule.get(finding["rule_id"], 0) + 1
    return len(report["findings"]), len(report["files"]["scanned"]), by_rule


def _one_run(tool: str, paths: list[Path], tmp: Path) -> Timing:
    out = tmp / f"{tool.replace(' ', '_')}.json"
    config = _empty_config(tmp)
    if tool.startswith("aiwarden"):
        jobs = 1 if "1" in tool else None
        wall, cpu, rc = timed(aiwarden_argv(paths, config, out, jobs), tmp / "stdout")
        findings, seen, by_rule = _aiwarden_counts(out)
        return Timing(tool, wall, cpu, rc, findings, seen, by_rule)
    if tool == "Bandit":
        wall, cpu, rc = timed(bandit_argv(paths, out), tmp / "stdout")
        report = json.loads(out.read_text(encoding="utf-8"))
        return Timing(tool, wall, cpu, rc, len(report["results"]), None)
    wall, cpu, rc = timed(ruff_argv(paths), out)
    return Timing(tool, wall, cpu, rc, len(json.loads(out.read_text(encoding="utf-8"))), None)


THROUGHPUT_TOOLS = ("aiwarden (default jobs)", "aiwarden --jobs 1", "Bandit", "Ruff S")


def throughput(paths: list[Path], repeat: int, tmp: Path) -> list[Timing]:
    """Time every tool ``repeat`` times over ``paths``; keep the median run of each.

    Rounds interleave the tools (A B C D, A B C D, ...) so that load from other processes
    on the host falls on all of them alike.
    """
    runs: dict[str, list[Timing]] = {tool: [] for tool in THROUGHPUT_TOOLS}
    for round_no in range(1, repeat + 1):
        for tool in THROUGHPUT_TOOLS:
            timing = _one_run(tool, paths, tmp)
            runs[tool].append(timing)
            print(f"  round {round_no}: {tool} {timing.wall_s:.1f} s wall", file=sys.stderr)
    timings = []
    for tool in THROUGHPUT_TOOLS:
        ordered = sorted(runs[tool], key=lambda t: t.wall_s)
        median = ordered[len(ordered) // 2]
        median.cpu_s = statistics.median(t.cpu_s for t in ordered)
        timings.append(median)
    return timings


@dataclass
class Measured:
    """The timings of one throughput measurement, with what they were measured on."""

    timings: list[Timing]
    files: int
    lines: int
    repeat: int
    load: str
    measured_at: str
    packages: list[str]


def measure_tree(repeat: int, tmp: Path) -> Measured:
    """Count the tree, time every tool over it and save the result for ``--reuse-timings``."""
    paths = tree_paths()
    files, lines = count_python(paths)
    before = _loadavg()
    timings = throughput(paths, repeat, tmp)
    now = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    load = f"{before} / {_loadavg()}"
    measured = Measured(timings, files, lines, repeat, load, now, list(TREE_PACKAGES))
    data = {**measured.__dict__, "timings": [t.__dict__ for t in timings]}
    TIMINGS_JSON.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS_JSON.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return measured


def load_measured() -> Measured:
    """The timings saved by the last full run."""
    try:
        data = json.loads(TIMINGS_JSON.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise HarnessError(
            f"no saved timings in {TIMINGS_JSON}: run without --reuse-timings"
        ) from exc
    data["timings"] = [Timing(**t) for t in data["timings"]]
    return Measured(**data)


def _loadavg() -> str:
    return ", ".join(f"{v:.1f}" for v in os.getloadavg())


# --------------------------------------------------------------------------- report


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _cell(outcome: Outcome, corpus: Corpus, rule: str) -> str:
    s = outcome.score(corpus, rule)
    if rule not in outcome.covers:
        return f"no rule (0/0/{s.fn})"
    return f"{_fmt(s.precision)} / {_fmt(s.recall)} ({s.tp}/{s.fp}/{s.fn})"


def rule_table(corpus: Corpus, outcomes: list[Outcome]) -> list[str]:
    """Per-rule precision / recall (TP/FP/FN) of every tool."""
    head = "| rule | expected | " + " | ".join(f"{o.tool} P / R (TP/FP/FN)" for o in outcomes)
    lines = [head + " |", "|---|---:|" + "---|" * len(outcomes)]
    for rule, title in RULES.items():
        n = sum(1 for k in corpus.expected if k[2] == rule)
        cells = " | ".join(_cell(o, corpus, rule) for o in outcomes)
        lines.append(f"| {rule} {title} | {n} | {cells} |")
    return lines


def totals_table(corpus: Corpus, outcomes: list[Outcome]) -> list[str]:
    """Micro-averaged totals over all rules and over each peer's covered rules."""
    scopes: list[tuple[str, set[str]]] = [("all 21 rules", set(RULES))]
    scopes += [(f"rules {o.tool} covers ({len(o.covers)})", o.covers) for o in outcomes[1:]]
    lines = ["| scope | " + " | ".join(o.tool for o in outcomes) + " |"]
    lines.append("|---|" + "---|" * len(outcomes))
    for label, rules in scopes:
        cells = []
        for o in outcomes:
            s = o.total(corpus, sorted(rules))
            cells.append(f"P {_fmt(s.precision)} / R {_fmt(s.recall)} ({s.tp}/{s.fp}/{s.fn})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def mapping_table() -> list[str]:
    """Which peer rules are credited for which aiwarden rule."""
    lines = ["| aiwarden rule | Bandit | Ruff |", "|---|---|---|"]
    for rule in RULES:
        bandit = ", ".join(peer_rules_for(BANDIT, rule)) or "no rule"
        ruff = ", ".join(peer_rules_for(RUFF, rule)) or "no rule"
        lines.append(f"| {rule} | {bandit} | {ruff} |")
    return lines


def failing_cases(corpus: Corpus, outcome: Outcome) -> list[str]:
    """Every missed and every false finding of ``outcome``, file:line and rule."""
    lines: list[str] = []
    for key in sorted(corpus.expected - outcome.found, key=lambda k: (k[2], k[0], k[1])):
        unit = key[:2]
        got = sorted({h.code for h in outcome.hits if corpus.key(h.path, h.line, "")[:2] == unit})
        where = f"`{key[0]}:{key[1]}`"
        lines.append(f"- FN {key[2]} {where} expected {key[2]}, got {', '.join(got) or 'nothing'}")
    for key, message in sorted(
        outcome.false.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])
    ):
        lines.append(f"- FP {key[2]} `{key[0]}:{key[1]}` not expected: {message}")
    return lines or ["- none"]


def misses_by_target(corpus: Corpus, outcome: Outcome) -> list[str]:
    """Rules under the precision or recall target."""
    below = []
    for rule in RULES:
        s = outcome.score(corpus, rule)
        if (s.precision or 0.0) < TARGET or (s.recall or 0.0) < TARGET:
            below.append(f"{rule} (P {_fmt(s.precision)}, R {_fmt(s.recall)})")
    return below


def throughput_table(timings: list[Timing], files: int, lines: int) -> list[str]:
    """Lines per second (wall and CPU) of each tool over the tree."""
    out = [
        "| tool | .py files | Python lines | files seen | findings | wall s | CPU s "
        "| lines/s (wall) | lines/s (CPU) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        seen = "" if t.files_seen is None else str(t.files_seen)
        out.append(
            f"| {t.tool} | {files} | {lines} | {seen} | {t.findings} | {t.wall_s:.1f} | "
            f"{t.cpu_s:.1f} | {lines / t.wall_s:,.0f} | {lines / max(t.cpu_s, 1e-9):,.0f} |"
        )
    return out


def _first_line(argv: Sequence[str]) -> str:
    try:
        proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=False)
    except OSError as exc:
        return f"unavailable ({exc})"
    text = (proc.stdout or proc.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def versions() -> list[str]:
    """Versions of the tools and of the packages in the tree."""
    lines = [
        f"- aiwarden: `{_first_line([str(AIWARDEN), '--version'])}`",
        f"- Bandit: `{_first_line([str(PEERS / 'bandit'), '--version'])}`",
        f"- Ruff: `{_first_line([str(PEERS / 'ruff'), '--version'])}`",
    ]
    dists = sorted(
        p.name.removesuffix(".dist-info")
        for p in TREE_VENV.glob("lib/python*/site-packages/*.dist-info")
    )
    tree = [d for d in dists if d.split("-")[0] in TREE_PACKAGES]
    lines.append(f"- tree: {', '.join(tree) or 'not installed'}")
    lines.append(
        f"- host: Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}"
    )
    return lines


NOTES = """\
How findings are matched (the same for every tool): a finding and a `# expect:` marker
match when they fall in the same *unit*: the smallest statement containing the line
(a compound statement only contributes its header; a function's decorators, `def` line
and docstring form one unit). Several findings of one rule in one unit count once. Any
finding of a measured rule in a unit without an `expect` marker for that rule is a
false positive, including findings on lines marked `# ok:`, except a rule named in an
`; allow:` after the `expect` (a generic rule subsumed by the expected specific one:
`pickle.loads(request.data)` expects PY015 and allows PY002).

Peers are credited through the table below (`benchmarks/code/mapping.py`): a peer
finding is a true positive for each mapped aiwarden rule expected in its unit, otherwise
a false positive of the first mapped rule. The mapping is generous: generic sink rules
(`eval`, `exec`, `shell=True`, `os.system`, SQL strings, `Markup`) are credited for
both the LLM-output (PY008) and MCP-parameter (PY016) sinks although they do not know
where the data comes from; B104/S104 (the string `0.0.0.0`) counts for PY014 and PY013;
B701/S701 (Jinja autoescape) for PY012 although it checks XSS escaping, not sandboxing.
Where a peer has no rule the cell says `no rule` and its recall is 0 (all cases missed);
totals are given over all rules and over only the rules each peer covers. Peer rules
that are not mapped (e.g. B403/S403 `import pickle`, B603 `subprocess` without a shell,
B113 `requests` without a timeout) are ignored. Bandit and Ruff run with their defaults
(`bandit -r`, `ruff check --isolated --select S`); aiwarden with an empty config file.
"""


def corpus_section(corpus: Corpus, outcomes: list[Outcome]) -> list[str]:
    """Part 1 of the report: the corpus scores."""
    n_files, n_lines = len(corpus.lines), sum(corpus.lines.values())
    aiw = outcomes[0]
    below = misses_by_target(corpus, aiw)
    other = sorted({h.code for h in aiw.hits if h.code not in RULES})
    out = [
        "## 1. Precision and recall on the labelled corpus",
        "",
        f"`benchmarks/code/corpus`: {n_files} files, {n_lines} lines, "
        f"{len(corpus.expected)} expected findings, {len(corpus.documented_ok)} documented "
        "tricky negatives (`# ok:`). Cells: precision / recall (TP/FP/FN).",
        "",
        *rule_table(corpus, outcomes),
        "",
        "### Totals (micro-averaged)",
        "",
        *totals_table(corpus, outcomes),
        "",
        f"aiwarden rules below the {TARGET} precision/recall target: "
        + (", ".join(below) if below else "none")
        + ".",
    ]
    if other:
        out.append(
            f"Other aiwarden rule ids reported on the corpus (not scored): {', '.join(other)}."
        )
    if corpus.problems:
        out += ["", "Corpus problems:", *(f"- {p}" for p in corpus.problems)]
    out += ["", "### How it is scored", "", NOTES, *mapping_table(), ""]
    out += ["### aiwarden: every missed and false finding", "", *failing_cases(corpus, aiw)]
    for peer in outcomes[1:]:
        out += ["", f"### {peer.tool}: false positives (its misses are in code-results.json)", ""]
        out += [f"- {k[2]} `{k[0]}:{k[1]}` {msg}" for k, msg in sorted(peer.false.items())]
    return out


def throughput_section(m: Measured) -> list[str]:
    """Part 2 of the report: lines per second over the large tree."""
    timings, files, lines, repeat = m.timings, m.files, m.lines, m.repeat
    bandit = next(t for t in timings if t.tool == "Bandit")
    ratios = [
        f"- {t.tool}: {bandit.wall_s / t.wall_s:.2f}x Bandit's lines/s (wall), "
        f"{bandit.cpu_s / max(t.cpu_s, 1e-9):.2f}x (CPU)"
        for t in timings
        if t.tool.startswith("aiwarden")
    ]
    aiw = timings[0].by_rule
    counts = ", ".join(f"{rule} {n}" for rule, n in sorted(aiw.items())) or "none"
    return [
        "## 2. Throughput on a large tree",
        "",
        f"Sources of {', '.join(m.packages)} in `benchmarks/.cache/code-tree-venv` "
        f"(installed with `--no-deps`). Median of {repeat} run(s) each. Lines are physical "
        "lines of `*.py` files, counted by this script; every tool is given the same "
        f"{len(m.packages)} directories. aiwarden runs all its analyzers (it also reads "
        "the non-Python files: `files seen`); CPU is user+sys of the tool and the children "
        "it waited for.",
        "",
        f"Measured {m.measured_at}; load average of the host before / after: {m.load} (other "
        "processes "
        "running at the same time inflate wall seconds; CPU seconds are the steadier measure).",
        "",
        *throughput_table(timings, files, lines),
        "",
        *ratios,
        "",
        f"aiwarden findings on the tree by rule (library code, unlabelled): {counts}.",
    ]


def write_json(corpus: Corpus, outcomes: list[Outcome]) -> None:
    """Every tool's raw corpus findings and its FPs/FNs, for the rule authors."""
    data = {
        o.tool: {
            "hits": [h.__dict__ for h in o.hits],
            "false_negatives": sorted(map(list, corpus.expected - o.found)),
            "false_positives": [[*k, m] for k, m in sorted(o.false.items())],
        }
        for o in outcomes
    }
    RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--no-throughput", action="store_true", help="skip the large-tree timings")
    parser.add_argument(
        "--reuse-timings",
        action="store_true",
        help="rescore the corpus but print the timings saved by the last full run",
    )
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per tool (median)")
    parser.add_argument("--output", type=Path, default=RESULTS_MD, help="markdown results file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the whole benchmark; print the report and write it to ``--output``."""
    args = _args(argv)
    corpus = load_corpus(CORPUS)
    with tempfile.TemporaryDirectory(prefix="aiw-code-bench-") as tmpdir:
        tmp = Path(tmpdir)
        try:
            hits = corpus_hits(tmp)
            outcomes = [score_aiwarden(corpus, hits["aiwarden"])]
            outcomes.append(score_peer("Bandit", corpus, hits["Bandit"], BANDIT))
            outcomes.append(score_peer("Ruff S", corpus, hits["Ruff S"], RUFF))
            report = [f"# Code-rule benchmark ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)", ""]
            report += [*versions(), "", *corpus_section(corpus, outcomes), ""]
            if args.reuse_timings:
                report += throughput_section(load_measured())
            elif not args.no_throughput:
                report += throughput_section(measure_tree(max(1, args.repeat), tmp))
        except (HarnessError, subprocess.TimeoutExpired) as exc:
            print(f"run_code.py: {exc}", file=sys.stderr)
            return 2
    write_json(corpus, outcomes)
    text = "\n".join(report).rstrip() + "\n"
    print(text)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
