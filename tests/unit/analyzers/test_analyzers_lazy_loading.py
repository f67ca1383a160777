"""Loading the analyzers is cheap: their checks, parsers and pattern tables load on use.

The registry imports every built-in analyzer on every scan, also scans without a single
Python file, agent configuration or model; these tests pin that the heavy modules stay
unloaded until a file needs them, and that deferring them changed no rule.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aiwarden.analyzers._lazy import lazy_import, load_now
from aiwarden.analyzers.code._registry import all_checkers
from aiwarden.analyzers.code._rules_meta import CHECKER_RULES
from aiwarden.analyzers.code.python_source import UNPARSEABLE, python_rules

# Modules a scan of an empty directory must not execute (a lazily registered module
# that nothing has touched yet counts as not loaded).
HEAVY = (
    "pathspec",
    "jinja2",
    "_aiwarden_jinja2",  # jinja2's parser, loaded under a private name (_jinja_parse)
    "h5py",
    "aiwarden.analyzers.code._registry",
    "aiwarden.analyzers.code._taint",
    "aiwarden.analyzers.code.poisoning_patterns",
    "aiwarden.analyzers.code.checker",
    "aiwarden.analyzers.agents._hidden_text",
    "aiwarden.analyzers.agents._drift",
    "aiwarden.analyzers.agents._lockfile",
    "aiwarden.analyzers.secrets.scanner",
    "aiwarden.analyzers.secrets.patterns",
    "aiwarden.analyzers.notebooks._cells",
    "aiwarden.analyzers.notebooks._model",
    "aiwarden.analyzers.deps.manifest",
    "aiwarden.analyzers.governance.project",
    "aiwarden.analyzers.models.containers",
    "aiwarden.analyzers.models._pickle_ops",
    "aiwarden.analyzers.models._keras_h5_lite",
    "aiwarden.analyzers.models._gguf_reader",
    "aiwarden.analyzers.models._safetensors_checks",
)

_PROBE = textwrap.dedent(
    """
    import json, sys, types
    from pathlib import Path
    from aiwarden.analyzers.registry import load_analyzers
    from aiwarden.engine.config import Settings
    from aiwarden.engine.scan import ScanOptions, run_scan

    registry = load_analyzers(builtin_only=True)
    {scan}
    loaded = sorted(
        name for name, module in sys.modules.items()
        if type(module) is types.ModuleType and name in {heavy!r}
    )
    print(json.dumps({{"loaded": loaded, "rules": len(registry.rules)}}))
    """
)


def _probe(scan: str = "") -> dict[str, object]:
    code = _PROBE.format(scan=scan, heavy=set(HEAVY))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def test_loading_the_registry_executes_no_heavy_module() -> None:
    result = _probe()
    assert result["loaded"] == []
    assert isinstance(result["rules"], int) and result["rules"] > 100


def test_load_deferred_runs_the_analyzers_modules_but_not_h5py() -> None:
    """What a forking pool calls first: every deferred analyzer module, not h5py or numpy."""
    result = _probe("from aiwarden.analyzers._lazy import load_deferred; load_deferred()")
    loaded = result["loaded"]
    assert isinstance(loaded, list)
    own = [name for name in HEAVY if name.startswith("aiwarden.")]
    assert [name for name in own if name not in loaded] == []
    assert "h5py" not in loaded


def test_the_python_rules_are_listed_without_the_checkers() -> None:
    """The light rule list equals what the checkers declare, in the same order."""
    declared = tuple(rule for checker in all_checkers() for rule in checker.rules)
    assert declared == CHECKER_RULES
    assert all(a is b for a, b in zip(CHECKER_RULES, declared, strict=True))
    rules = python_rules()
    assert UNPARSEABLE in rules
    assert {r.id for r in rules} == {r.id for r in declared} | {UNPARSEABLE.id}
    assert [r.id for r in rules] == sorted(r.id for r in rules)


def test_an_empty_scan_executes_no_heavy_module(tmp_path: Path) -> None:
    """Scanning an empty directory (no .gitignore read, no exclude) loads none of them."""
    scan = (
        f"run_scan(ScanOptions((Path({str(tmp_path)!r}),), "
        "Settings(respect_gitignore=False)), registry=registry)"
    )
    assert _probe(scan)["loaded"] == []


def test_a_python_file_loads_the_python_checks(tmp_path: Path) -> None:
    """The probe can see a module load: scanning a .py file loads the checkers."""
    (tmp_path / "app.py").write_text("import pickle\npickle.loads(data)\n", encoding="utf-8")
    scan = (
        f"run_scan(ScanOptions((Path({str(tmp_path)!r}),), "
        "Settings(respect_gitignore=False)), registry=registry)"
    )
    loaded = _probe(scan)["loaded"]
    assert isinstance(loaded, list)
    assert "aiwarden.analyzers.code._registry" in loaded
    assert "aiwarden.analyzers.code.checker" in loaded


def test_lazily_loaded_checks_still_run_on_a_python_file() -> None:
    """A deferred module loads when its file turns up: the finding is there."""
    from aiwarden.analyzers.code.python_source import check_python_source

    issues = check_python_source("import pickle\npickle.loads(data)\n")
    assert any(issue.rule.id.startswith("AIW-PY") for issue in issues)


def test_the_secrets_package_exports_its_scanner_on_use() -> None:
    import aiwarden.analyzers.secrets as secrets

    assert secrets.find_secrets("nothing to see here") == []
    assert secrets.SecretMatch.__name__ == "SecretMatch"
    try:
        secrets.__getattr__("no_such_name")
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("unknown attribute did not raise")


def test_an_interrupted_deferred_import_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A time-budget alarm during the first import must not leave a half-made module."""
    marker = tmp_path / "fail-once"
    marker.write_text("")
    (tmp_path / "aiw_flaky_mod.py").write_text(
        "from pathlib import Path\n"
        "FIRST = 1\n"
        f"if Path({str(marker)!r}).exists():\n"
        f"    Path({str(marker)!r}).unlink()\n"
        "    raise TimeoutError('alarm during import')\n"
        "SECOND = 2\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "aiw_flaky_mod", raising=False)
    module = lazy_import("aiw_flaky_mod", before_fork=False)
    assert "aiw_flaky_mod" not in sys.modules  # nothing ran yet
    with pytest.raises(TimeoutError):
        _ = module.SECOND
    assert "aiw_flaky_mod" not in sys.modules  # the failed import was undone
    assert (module.FIRST, module.SECOND) == (1, 2)
    load_now(module)
    assert sys.modules["aiw_flaky_mod"].SECOND == 2
    sys.modules.pop("aiw_flaky_mod", None)


def test_lazy_import_fails_early_for_a_missing_module() -> None:
    with pytest.raises(ModuleNotFoundError):
        lazy_import("aiw_no_such_module_anywhere")
