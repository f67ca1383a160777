"""conda ``environment.yml``: conda match specs and the ``pip:`` subsection.

The YAML is only *composed* into nodes with PyYAML's safe loader (no object is
constructed, anchors are not expanded), which keeps line numbers and cannot execute
anything. Only the expected shape is walked: a top-level mapping whose
``dependencies`` sequence holds strings and one ``{pip: [...]}`` mapping.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml  # type: ignore[import-untyped]

from aiwarden.analyzers.deps._pep508 import Origin, RequirementError, parse_requirement
from aiwarden.analyzers.deps.manifest import (
    ECOSYSTEM_CONDA,
    Dependency,
    IndexOption,
    ManifestProblem,
    ManifestResult,
)

_MATCH_SPEC = re.compile(
    r"^(?:(?P<channel>[A-Za-z0-9_./:-]+)::)?(?P<name>[A-Za-z0-9_.-]+)\s*"
    r"(?P<spec>[=<>!~ ][^\[]*)?(?:\[.*\])?$"
)


def parse(path: Path, text: str, relpath: str, root: Path) -> ManifestResult:
    """Parse a conda environment file."""
    del path, root
    result = ManifestResult()
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        result.problems.append(ManifestProblem(relpath, None, f"invalid YAML: {_one_line(exc)}"))
        return result
    if document is None:
        return result
    if not isinstance(document, yaml.MappingNode):
        result.problems.append(ManifestProblem(relpath, 1, "top level is not a mapping"))
        return result
    for key, value in document.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "dependencies":
            _dependencies(result, value, relpath)
        elif isinstance(key, yaml.ScalarNode) and key.value == "channels":
            _channels(result, value, relpath)
    return result


def _dependencies(result: ManifestResult, node: yaml.Node, relpath: str) -> None:
    if not isinstance(node, yaml.SequenceNode):
        result.problems.append(ManifestProblem(relpath, _line(node), "dependencies is not a list"))
        return
    for item in node.value:
        if isinstance(item, yaml.ScalarNode):
            _conda_spec(result, str(item.value), relpath, _line(item))
        elif isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if isinstance(key, yaml.ScalarNode) and key.value == "pip":
                    _pip(result, value, relpath)
        else:
            result.problems.append(ManifestProblem(relpath, _line(item), "unexpected entry"))


def _pip(result: ManifestResult, node: yaml.Node, relpath: str) -> None:
    if not isinstance(node, yaml.SequenceNode):
        result.problems.append(ManifestProblem(relpath, _line(node), "pip: is not a list"))
        return
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            continue
        text, line = str(item.value).strip(), _line(item)
        if text.startswith("--extra-index-url") or text.startswith(("--index-url", "-i ")):
            option = "extra-index-url" if text.startswith("--extra") else "index-url"
            value = text.split("=", 1)[1] if "=" in text else text.split(None, 1)[-1]
            result.index_urls.append(IndexOption(option, value.strip(), relpath, line))
            continue
        if text.startswith("-"):
            continue
        try:
            result.add(parse_requirement(text, Origin(relpath, line)))
        except RequirementError as exc:
            result.problems.append(
                ManifestProblem(relpath, line, f"cannot parse requirement {text[:80]!r}: {exc}")
            )


def _conda_spec(result: ManifestResult, text: str, relpath: str, line: int) -> None:
    match = _MATCH_SPEC.match(text.strip())
    if match is None:
        result.problems.append(ManifestProblem(relpath, line, f"cannot parse {text[:80]!r}"))
        return
    name = match.group("name")
    spec = (match.group("spec") or "").strip()
    result.add(
        Dependency(
            name=name,
            normalized=name.lower(),
            ecosystem=ECOSYSTEM_CONDA,
            specifier=spec,
            version=conda_exact_version(spec),
            path=relpath,
            line=line,
            kind="registry",
            hashed=False,
            locked=False,
            direct=True,
        )
    )


def conda_exact_version(spec: str) -> str | None:
    """The version a conda match spec pins: ``==1.2.3``, ``=1.2.3=build``, ``1.2.3 build``
    or a bare ``=1.2.3`` (which conda reads as ``1.2.3.*``, but which names one release)."""
    text = spec.strip()
    if not text:
        return None
    if text.startswith("=="):
        text = text[2:]
    elif text.startswith("="):
        text = text[1:]
    elif text[0] in "<>!~":
        return None
    version = re.split(r"[= ]", text.strip(), maxsplit=1)[0]
    if not version or any(c in version for c in "*|,<>!"):
        return None
    return version


def _channels(result: ManifestResult, node: yaml.Node, relpath: str) -> None:
    if not isinstance(node, yaml.SequenceNode):
        return
    for item in node.value:
        if isinstance(item, yaml.ScalarNode) and "://" in str(item.value):
            result.index_urls.append(
                IndexOption("conda-channel", str(item.value), relpath, _line(item))
            )


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]
