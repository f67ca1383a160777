"""A module of one analyzer package is private unless its name says otherwise.

Code outside ``aiwarden/analyzers/<package>/`` (another analyzer, the assessment, the
BOM, the engine) may use that package's public modules only: an ``_underscore`` module
is free to change with its package. Imports and ``lazy_import("...")`` names count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import aiwarden

SRC = Path(aiwarden.__file__).resolve().parent
PREFIX = "aiwarden.analyzers."


def _targets(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith(PREFIX)
            and " " not in node.value
        ):
            found.append((node.lineno, node.value))
    return found


def _private_elsewhere(path: Path, dotted: str) -> bool:
    parts = dotted.split(".")
    if not dotted.startswith(PREFIX) or len(parts) < 4:
        return False
    package, module = parts[2], parts[3]
    inside = SRC / "analyzers" / package
    return module.startswith("_") and not module.startswith("__") and inside not in path.parents


def test_no_package_reaches_into_another_analyzers_private_modules() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{line} {dotted}"
        for path in sorted(SRC.rglob("*.py"))
        for line, dotted in _targets(ast.parse(path.read_text(encoding="utf-8")))
        if _private_elsewhere(path, dotted)
    ]
    assert offenders == []


def test_the_check_sees_an_offender() -> None:
    source = "from aiwarden.analyzers.models._pickle_vm import Machine\n"
    (_line, dotted), *_ = _targets(ast.parse(source))
    assert _private_elsewhere(SRC / "bom" / "x.py", dotted)
    assert not _private_elsewhere(SRC / "analyzers" / "models" / "x.py", dotted)
