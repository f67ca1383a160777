"""Benchmark aiwarden against modelscan, picklescan, fickling and modelaudit.

    bash benchmarks/peers/setup.sh      # once: the peers' virtualenv
    python benchmarks/run_models.py     # builds the corpus if needed, runs every tool

Prints detection / false-positive rates per format and per technique, CPU time
and peak memory per tool, then times each tool on a 1.5 GB PyTorch checkpoint
and a 1.5 GB safetensors file.  Writes benchmarks/.cache/results.json.
Numbers only: nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus.build import CACHE, build, build_big  # noqa: E402
from corpus.manifest import Sample, load  # noqa: E402

REPO = HERE.parent
AIWARDEN = REPO / ".venv" / "bin" / "aiwarden"
PEERS = HERE / ".venv-peers" / "bin"
TIMEOUT_S = 600
BIG_TIMEOUT_S = 300


@dataclass
class Usage:
    """Resources of one tool run (children included): seconds and MiB."""

    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss_mb: float = 0.0
    runs: int = 0
    timeouts: int = 0

    def add(self, other: Usage) -> None:
        self.wall_s += other.wall_s
        self.cpu_s += other.cpu_s
        self.peak_rss_mb = max(self.peak_rss_mb, other.peak_rss_mb)
        self.runs += other.runs
        self.timeouts += other.timeouts


@dataclass
class Completed:
    returncode: int
    stdout: str
    usage: Usage


MEASURE = HERE / "_measure.py"


def run_measured(argv: list[str], cwd: Path | None = None, timeout: float = TIMEOUT_S) -> Completed:
    """Run ``argv`` under ``_measure.py``: CPU (user+sys) and peak RSS from its ``wait4``."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "usage.json"
        log = Path(tmp) / "out.txt"
        wrapper = [sys.executable, "-S", "-E", str(MEASURE), str(report), *argv]
        with log.open("wb") as out:
            proc = subprocess.Popen(
                wrapper,
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env={**os.environ, "NO_COLOR": "1"},
            )
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        text = log.read_text(encoding="utf-8", errors="replace")
        data = _read_json(report)
    if not data:
        return Completed(-9, text, Usage(timeout, 0.0, 0.0, 1, 1))
    usage = Usage(
        float(data["wall_s"]),
        float(data["cpu_s"]),  # type: ignore[arg-type]
        float(data["peak_rss_mb"]),
        1,
        0,
    )  # type: ignore[arg-type]
    return Completed(int(data["returncode"]), text, usage)  # type: ignore[call-overload]


@dataclass
class ToolRun:
    """What one tool reported over the corpus: flagged paths as the tool wrote them."""

    flagged: set[str] = field(default_factory=set)
    errors: int = 0
    usage: Usage = field(default_factory=Usage)


PICKLE_FAMILY = frozenset(
    {
        "pickle",
        "pytorch-zip",
        "pytorch-legacy",
        "pytorch-tar",
        "torchscript",
        "npy",
        "npz",
        "joblib",
        "zip",
    }
)


class Tool:
    name = ""
    mode = ""  # how the corpus is fed to it, for the README/table
    supports: frozenset[str] | None = None  # formats it claims; None: all

    def available(self) -> bool:
        raise NotImplementedError

    def version(self) -> str:
        raise NotImplementedError

    def scan_corpus(self, root: Path, samples: list[Sample]) -> ToolRun:
        raise NotImplementedError

    def scan_file(self, path: Path) -> Completed:
        raise NotImplementedError


def _json_file(
    argv_with_out: Callable[[Path], list[str]], cwd: Path | None = None, timeout: float = TIMEOUT_S
) -> tuple[Completed, dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        done = run_measured(argv_with_out(out), cwd, timeout)
        data = _read_json(out)
    return done, data


def _read_json(path: Path) -> dict[str, object]:
    """The tool's JSON report; {} when absent or not one JSON object (fickling appends)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Aiwarden(Tool):
    name = "aiwarden"
    mode = "one run over the corpus directory, -j 2"

    def available(self) -> bool:
        return AIWARDEN.exists()

    def prepare(self) -> None:
        """Compile aiwarden's bytecode, as `pip install` does for every peer.

        The development install is editable and this machine sets
        PYTHONDONTWRITEBYTECODE, so without this step every run would recompile
        aiwarden from source while the peers load their installed .pyc files.
        """
        python = AIWARDEN.parent / "python"
        code = "import aiwarden, os; print(os.path.dirname(aiwarden.__file__))"
        package = subprocess.run(
            [str(python), "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([str(python), "-m", "compileall", "-q", package], env=env, check=True)

    def version(self) -> str:
        return run_measured([str(AIWARDEN), "--version"]).stdout.strip().split()[-1]

    def _argv(self, target: str | list[str], out: Path) -> list[str]:
        return [
            str(AIWARDEN),
            "scan",
            *([target] if isinstance(target, str) else target),
            "-f",
            "json",
            "-o",
            str(out),
            "--no-progress",
            "--no-gitignore",
            "-j",
            "2",
        ]

    def scan_corpus(self, root: Path, samples: list[Sample]) -> ToolRun:
        done, report = _json_file(lambda out: self._argv(".", out), cwd=root)
        run = ToolRun(usage=done.usage)
        scan = report.get("scan", {})
        base = Path(scan["root"]) if isinstance(scan, dict) and "root" in scan else root
        for finding in report.get("findings", []):  # type: ignore[union-attr]
            if finding["severity"] in ("high", "critical") and not finding.get("suppressed"):
                # paths are relative to the scan root (the git work tree holding the corpus)
                where = (base / finding["location"]["path"]).resolve()
                run.flagged.add(where.relative_to(root.resolve()).as_posix())
        files = report.get("files", {})
        run.errors = len(files.get("failed", [])) if isinstance(files, dict) else 0
        if done.returncode not in (0, 1):
            run.errors += 1
        return run

    def scan_file(self, path: Path) -> Completed:
        done, _ = _json_file(lambda out: self._argv(str(path), out), timeout=BIG_TIMEOUT_S)
        return done


class ModelScan(Tool):
    name = "modelscan"
    mode = "one run over the corpus directory, JSON report; HIGH/CRITICAL count"
    supports = PICKLE_FAMILY | {"keras-h5", "keras-v3"}  # tf-savedmodel needs its TF extra
    exe = PEERS / "modelscan"

    def available(self) -> bool:
        return self.exe.exists()

    def version(self) -> str:
        return _pip_version("modelscan")

    def scan_corpus(self, root: Path, samples: list[Sample]) -> ToolRun:
        done, report = _json_file(
            lambda out: [str(self.exe), "-p", str(root), "-r", "json", "-o", str(out)]
        )
        run = ToolRun(usage=done.usage, errors=len(report.get("errors", []) or []))  # type: ignore[arg-type]
        for issue in report.get("issues", []) or []:  # type: ignore[union-attr]
            if issue.get("severity") in ("HIGH", "CRITICAL"):
                run.flagged.add(str(issue.get("source", "")))
        return run

    def scan_file(self, path: Path) -> Completed:
        return _json_file(
            lambda out: [str(self.exe), "-p", str(path), "-r", "json", "-o", str(out)],
            timeout=BIG_TIMEOUT_S,
        )[0]


PICKLESCAN_HIT = re.compile(r"^(?P<path>.*): dangerous import '.*' FOUND$")


class PickleScan(Tool):
    name = "picklescan"
    mode = (
        "one run per sample (a directory run aborts on the first file it cannot parse);"
        " 'dangerous import' lines count"
    )
    exe = PEERS / "picklescan"
    supports = PICKLE_FAMILY

    def available(self) -> bool:
        return self.exe.exists()

    def version(self) -> str:
        return _pip_version("picklescan")

    def scan_corpus(self, root: Path, samples: list[Sample]) -> ToolRun:
        run = ToolRun()
        for sample in samples:
            done = run_measured([str(self.exe), "-p", str(root / sample.scope)])
            run.usage.add(done.usage)
            for line in done.stdout.splitlines():
                match = PICKLESCAN_HIT.match(line)
                if match:
                    run.flagged.add(match["path"])
                elif line.startswith(("ERROR", "Unhandled exception")):
                    run.errors += 1
        return run

    def scan_file(self, path: Path) -> Completed:
        return run_measured([str(self.exe), "-p", str(path)], timeout=BIG_TIMEOUT_S)


class Fickling(Tool):
    name = "fickling"
    mode = "one `--check-safety` run per sample file (its CLI takes one file); exit 1 = unsafe"
    exe = PEERS / "fickling"
    supports = frozenset({"pickle", "pytorch-legacy", "npy", "joblib"})

    def available(self) -> bool:
        return self.exe.exists()

    def version(self) -> str:
        return _pip_version("fickling")

    def _argv(self, path: Path, out: Path) -> list[str]:
        return [str(self.exe), "--check-safety", str(path), "--json-output", str(out)]

    def scan_corpus(self, root: Path, samples: list[Sample]) -> ToolRun:
        run = ToolRun()
        for sample in samples:
            done, _ = _json_file(lambda out, s=sample: self._argv(root / s.path, out))
            run.usage.add(done.usage)
            if done.returncode == 1:
                run.flagged.add(sample.path)
            elif done.returncode != 0:
                run.errors += 1
        return run

    def scan_file(self, path: Path) -> Completed:
        return _json_file(lambda out: self._argv(path, out), timeout=BIG_TIMEOUT_S)[0]


class ModelAudit(Tool):
    name = "modelaudit"
    mode = "one run over the corpus directory, JSON; 'critical' issues count"
    exe = PEERS / "modelaudit"

    def available(self) -> bool:
        return self.exe.exists()

    def version(self) -> str:
        return _pip_version("modelaudit")

    def _argv(self, target: Path, out: Path) -> list[str]:
        return [
            str(self.exe),
            "scan",
            str(target),
            "--format",
            "json",
            "-o",
            str(out),
            "--no-cache",
            "-q",
        ]

    def scan_corpus(self, root: Path, samples: list[Sample]) -> ToolRun:
        done, report = _json_file(lambda out: self._argv(root, out))
        run = ToolRun(usage=done.usage, errors=int(bool(report.get("has_errors"))))
        for issue in report.get("issues", []) or []:  # type: ignore[union-attr]
            if issue.get("severity") == "critical":
                run.flagged.add(str(issue.get("location") or ""))
        return run

    def scan_file(self, path: Path) -> Completed:
        return _json_file(lambda out: self._argv(path, out), timeout=BIG_TIMEOUT_S)[0]


TOOLS: list[Tool] = [Aiwarden(), ModelScan(), PickleScan(), Fickling(), ModelAudit()]


def _pip_version(package: str) -> str:
    done = run_measured([str(PEERS / "python"), "-m", "pip", "show", package])
    match = re.search(r"^Version: (\S+)", done.stdout, re.MULTILINE)
    return match[1] if match else "?"


SEPARATORS = ("/", ":", " ", "(", "[", "!", "#")


def attribute(flagged: Iterable[str], root: Path, samples: list[Sample]) -> set[str]:
    """Sample paths that own at least one flagged location (longest scope wins)."""
    scopes = sorted(samples, key=lambda s: len(s.scope), reverse=True)
    prefix = str(root) + "/"
    hit: set[str] = set()
    for raw in flagged:
        rel = raw[len(prefix) :] if raw.startswith(prefix) else raw.removeprefix("./")
        for sample in scopes:
            tail = rel[len(sample.scope) :]
            if rel.startswith(sample.scope) and (not tail or tail.startswith(SEPARATORS)):
                hit.add(sample.path)
                break
    return hit


def rate(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}%" if total else "    - "


Supports = dict[str, frozenset[str] | None]


def _claims(supports: Supports, tool: str, fmt: str) -> bool:
    claimed = supports[tool]
    return claimed is None or fmt in claimed


def format_table(
    samples: list[Sample], detected: dict[str, set[str]], supports: Supports
) -> list[str]:
    groups: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[sample.format].append(sample)
    tools = list(detected)
    head = f"{'format':<17} {'mal':>4} {'ben':>4} | " + " | ".join(f"{t:^13}" for t in tools)
    lines = [head, "-" * len(head)]
    for name in sorted(groups):
        mal = [s for s in groups[name] if s.malicious]
        ben = [s for s in groups[name] if not s.malicious]
        cells = []
        for tool in tools:
            det = sum(s.path in detected[tool] for s in mal)
            fp = sum(s.path in detected[tool] for s in ben)
            cell = f"{rate(det, len(mal))} {rate(fp, len(ben)) if ben else ''}"
            cells.append(cell if _claims(supports, tool, name) else f"({cell.strip()})")
        lines.append(
            f"{name:<17} {len(mal):>4} {len(ben):>4} | " + " | ".join(f"{c:^13}" for c in cells)
        )
    return lines


def technique_table(samples: list[Sample], detected: dict[str, set[str]]) -> list[str]:
    groups: dict[tuple[str, str], list[Sample]] = defaultdict(list)
    for sample in samples:
        if sample.malicious:
            groups[(sample.format, sample.technique)].append(sample)
    tools = list(detected)
    labels = {k: f"{k[0]}: {k[1]}" for k in groups}
    width = max(len(v) for v in labels.values()) + 1
    head = f"{'format: technique':<{width}} {'n':>3} | " + " | ".join(f"{t:^10}" for t in tools)
    lines = [head, "-" * len(head)]
    for key in sorted(groups):
        rows = groups[key]
        counts = [sum(s.path in detected[t] for s in rows) for t in tools]
        cells = [f"{c}/{len(rows)}" for c in counts]
        flag = "" if any(counts[1:]) or not counts[1:] else "  <- no peer"
        lines.append(
            f"{labels[key]:<{width}} {len(rows):>3} | "
            + " | ".join(f"{c:^10}" for c in cells)
            + flag
        )
    return lines


def _share(hits: set[str], rows: list[Sample]) -> str:
    got = sum(s.path in hits for s in rows)
    return f"{got:>3}/{len(rows):<3} {rate(got, len(rows))}"


def totals_table(
    samples: list[Sample],
    detected: dict[str, set[str]],
    runs: dict[str, ToolRun],
    supports: Supports,
) -> list[str]:
    head = (
        f"{'tool':<11} {'detected':>14} {'false pos':>13} {'det (own fmts)':>16} "
        f"{'fp (own fmts)':>14} {'CPU s':>8} {'wall s':>8} {'peak MiB':>9} {'procs':>6} "
        f"{'errors':>7}"
    )
    lines = [head, "-" * len(head)]
    for tool, hits in detected.items():
        own = [s for s in samples if _claims(supports, tool, s.format)]
        usage = runs[tool].usage
        lines.append(
            f"{tool:<11} {_share(hits, [s for s in samples if s.malicious])} "
            f"{_share(hits, [s for s in samples if not s.malicious]):>13} "
            f"{_share(hits, [s for s in own if s.malicious]):>16} "
            f"{_share(hits, [s for s in own if not s.malicious]):>14} {usage.cpu_s:8.2f} "
            f"{usage.wall_s:8.2f} {usage.peak_rss_mb:9.1f} {usage.runs:>6} "
            f"{runs[tool].errors:>7}"
        )
    return lines


def same_files_table(
    samples: list[Sample], runs: dict[str, ToolRun], tools: list[Tool], root: Path
) -> list[str]:
    """aiwarden's CPU time on exactly the files of the formats each peer claims."""
    head = (
        f"{'peer':<11} {'formats':<34} {'files':>5} {'peer CPU s (all files)':>22} "
        f"{'aiwarden CPU s (these files)':>28}"
    )
    lines = [head, "-" * len(head)]
    aiwarden = next((t for t in tools if isinstance(t, Aiwarden)), None)
    for tool in tools:
        if aiwarden is None or tool.supports is None or tool.name not in runs:
            continue
        paths = [s.path for s in samples if s.format in tool.supports]
        done, _report = _json_file(lambda out, p=paths: aiwarden._argv(p, out), cwd=root)
        formats = ",".join(sorted(tool.supports))
        formats = formats if len(formats) <= 34 else formats[:33] + "…"
        lines.append(
            f"{tool.name:<11} {formats:<34} {len(paths):>5} "
            f"{runs[tool.name].usage.cpu_s:>22.2f} {done.usage.cpu_s:>28.2f}"
        )
    return lines


def big_files(tools: list[Tool]) -> tuple[list[str], dict[str, dict[str, dict[str, object]]]]:
    paths = build_big(CACHE / "big")
    head = f"{'tool':<11} {'file':<12} {'size GB':>7} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} rc"
    lines = [head, "-" * len(head)]
    results: dict[str, dict[str, dict[str, object]]] = defaultdict(dict)
    for tool in tools:
        for kind, path in paths.items():
            done = tool.scan_file(path)
            u = done.usage
            rc = "timeout" if u.timeouts else str(done.returncode)
            results[tool.name][kind] = {**asdict(u), "returncode": done.returncode}
            lines.append(
                f"{tool.name:<11} {kind:<12} {path.stat().st_size / 1e9:7.2f} "
                f"{u.wall_s:8.2f} {u.cpu_s:8.2f} {u.peak_rss_mb:9.1f} {rc}"
            )
    return lines, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rebuild", action="store_true", help="regenerate the corpus")
    parser.add_argument("--no-big", action="store_true", help="skip the 1.5 GB timings")
    parser.add_argument("--tools", default="", help="comma-separated subset of tools")
    args = parser.parse_args(argv)

    root = CACHE / "corpus"
    if args.rebuild or not (root / "manifest.json").exists():
        build(root)
    samples = load(root)
    wanted = set(filter(None, args.tools.split(",")))
    tools = [t for t in TOOLS if t.available() and (not wanted or t.name in wanted)]
    missing = [t.name for t in TOOLS if not t.available()]
    if missing:
        print(f"not installed (run benchmarks/peers/setup.sh): {', '.join(missing)}")

    for tool in tools:
        prepare = getattr(tool, "prepare", None)
        if prepare is not None:
            prepare()
    versions = {t.name: t.version() for t in tools}
    print("tools: " + ", ".join(f"{n} {v}" for n, v in versions.items()))
    print(f"corpus: {len(samples)} samples, {sum(s.malicious for s in samples)} malicious, {root}")
    runs: dict[str, ToolRun] = {}
    for tool in tools:
        print(f"  scanning with {tool.name} ({tool.mode}) ...", flush=True)
        runs[tool.name] = tool.scan_corpus(root, samples)
    detected = {name: attribute(run.flagged, root, samples) for name, run in runs.items()}

    supports = {t.name: t.supports for t in tools}
    sections = {
        "By format: detection % on malicious, false-positive % on benign"
        " (parenthesised: a format the tool does not claim)": format_table(
            samples, detected, supports
        ),
        "By technique (malicious samples detected)": technique_table(samples, detected),
        "Totals (all samples, then only the formats each tool claims)": totals_table(
            samples, detected, runs, supports
        ),
    }
    sections["CPU on the same files: aiwarden over only the formats each peer claims"] = (
        same_files_table(samples, runs, tools, root)
    )
    big_results: dict[str, dict[str, dict[str, object]]] = {}
    if not args.no_big:
        lines, big_results = big_files(tools)
        sections["1.5 GB files, one run per tool and file"] = lines
    for title, lines in sections.items():
        print(f"\n== {title} ==")
        print("\n".join(lines))

    missed = {
        name: sorted(s.path for s in samples if s.malicious and s.path not in hits)
        for name, hits in detected.items()
    }
    false_pos = {
        name: sorted(s.path for s in samples if not s.malicious and s.path in hits)
        for name, hits in detected.items()
    }
    results = {
        "versions": versions,
        "modes": {t.name: t.mode for t in tools},
        "claimed_formats": {t.name: sorted(t.supports) if t.supports else "all" for t in tools},
        "samples": len(samples),
        "usage": {name: asdict(run.usage) for name, run in runs.items()},
        "errors": {name: run.errors for name, run in runs.items()},
        "detected": {name: sorted(hits) for name, hits in detected.items()},
        "missed": missed,
        "false_positives": false_pos,
        "big_files": big_results,
    }
    out = CACHE / "results.json"
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nresults: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
