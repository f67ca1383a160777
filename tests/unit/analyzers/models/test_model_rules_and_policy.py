"""Rule metadata, registration and the import policy of the pickle analyzer."""

from __future__ import annotations

import pytest

from aiwarden.analyzers.models._policy import Verdict, classify
from aiwarden.analyzers.models.rules import MODEL_RULES
from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer
from aiwarden.analyzers.registry import load_analyzers
from aiwarden.core.severity import Severity


def test_rule_ids_and_severities() -> None:
    assert {r.id: r.severity for r in MODEL_RULES} == {
        "AIW-MOD001": Severity.INFO,
        "AIW-MOD002": Severity.CRITICAL,
        "AIW-MOD003": Severity.MEDIUM,
        "AIW-MOD004": Severity.HIGH,
        "AIW-MOD005": Severity.HIGH,
        "AIW-MOD006": Severity.HIGH,
    }


def test_analyzer_loads_through_the_entry_point() -> None:
    registry = load_analyzers(builtin_only=True)
    analyzer = registry.analyzer("model-serialization")
    assert isinstance(analyzer, PickleSerializationAnalyzer)
    assert registry.warnings == ()


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("os", "system"),
        ("posix", "system"),
        ("nt", "system"),
        ("subprocess", "Popen"),
        ("builtins", "eval"),
        ("__builtin__", "exec"),
        ("builtins", "getattr"),
        ("runpy", "_run_code"),
        ("importlib", "import_module"),
        ("socket", "create_connection"),
        ("pickle", "loads"),
        ("_pickle", "loads"),
        ("marshal", "loads"),
        ("ctypes", "CDLL"),
        ("types", "CodeType"),
        ("operator", "methodcaller"),
        ("requests.api", "get"),
        ("urllib.request", "urlopen"),
        ("torch.hub", "load"),
        ("torch.storage", "_load_from_bytes"),
        ("numpy.testing._private.utils", "runstring"),
        ("asyncio.subprocess", "create_subprocess_shell"),
        ("torch.serialization", "os.system"),
        ("collections", "OrderedDict.__init__.__globals__"),
        ("os", None),
    ],
)
def test_dangerous_imports(module: str, name: str | None) -> None:
    assert classify(module, name) is Verdict.DANGEROUS


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("torch._utils", "_rebuild_tensor_v2"),
        ("torch._utils", "_rebuild_parameter"),
        ("torch", "FloatStorage"),
        ("collections", "OrderedDict"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "dtype"),
        ("_codecs", "encode"),
        ("__builtin__", "set"),
        ("copy_reg", "_reconstructor"),
    ],
)
def test_safe_imports(module: str, name: str) -> None:
    assert classify(module, name) is Verdict.SAFE


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("functools", "partial"),
        ("mymodel.net", "Net"),
        ("builtins", "type"),
        (None, "system"),
        ("mymodel", None),
    ],
)
def test_unknown_imports(module: str | None, name: str | None) -> None:
    assert classify(module, name) is Verdict.UNKNOWN
