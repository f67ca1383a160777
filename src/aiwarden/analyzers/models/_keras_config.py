"""Parse a Keras model config (JSON) with bounds, and walk it for dangerous constructs.

The walk is iterative and visits every JSON node, so Lambda layers and references are
found at any depth: inside nested Functional/Sequential models, wrappers such as
``TimeDistributed`` and ``Bidirectional``, layer ``arguments``, compile and training
configs. Nothing named in the config is imported or called.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import NamedTuple

from aiwarden.analyzers.interface import LimitExceeded
from aiwarden.analyzers.models import _keras_lambda as lam
from aiwarden.analyzers.models._keras_issue import Issue
from aiwarden.analyzers.models._keras_policy import RefVerdict, judge, judge_string
from aiwarden.analyzers.models._keras_rules import (
    CUSTOM_OBJECT,
    DANGEROUS_REFERENCE,
    EXTERNAL_RESOURCE,
    UNPARSEABLE_CONFIG,
)
from aiwarden.core.severity import Confidence, Severity

MAX_CONFIG_BYTES = 16 * 1024 * 1024
"""Largest config text parsed (real configs are kilobytes to a few megabytes)."""
MAX_DEPTH = 256
"""Deepest JSON nesting walked; nested models add about six levels each."""
MAX_NODES = 4_000_000
"""Most JSON values walked in one config."""

_FUNCTION_SLOTS = frozenset(
    {"activation", "loss", "losses", "metrics", "weighted_metrics", "function", "fn"}
)
_FUNCTION_SUFFIXES = ("_initializer", "_regularizer", "_constraint", "_activation", "_fn")
_VOCAB_LAYERS = frozenset({"StringLookup", "IntegerLookup", "TextVectorization", "IndexLookup"})
_PATH_KEYS = {"TFSMLayer": "filepath", "KerasLayer": "handle"}


def parse_config(data: bytes | str, source: str) -> tuple[object, Issue | None]:
    """Parse config text; return the value, or ``None`` and a fail-closed issue.

    Raise :class:`LimitExceeded` when the text is larger than :data:`MAX_CONFIG_BYTES`.
    """
    if len(data) > MAX_CONFIG_BYTES:
        raise LimitExceeded("max_config_bytes", MAX_CONFIG_BYTES, f"{source} is {len(data)}")
    try:
        value = json.loads(data)
    except RecursionError:
        return None, _parse_issue(source, "it is nested too deeply to parse")
    except (ValueError, TypeError) as exc:  # JSONDecodeError and UnicodeDecodeError
        return None, _parse_issue(source, f"it is not valid JSON ({str(exc)[:160]})")
    if not isinstance(value, dict):
        return None, _parse_issue(source, f"it is a JSON {type(value).__name__}, not an object")
    return value, None


def _parse_issue(source: str, why: str) -> Issue:
    return Issue(
        UNPARSEABLE_CONFIG,
        f"Keras model config in {source} could not be checked: {why}.",
        evidence=why,
        key=f"parse:{source}",
    )


def shape_issue(source: str, config: dict[str, object]) -> Issue | None:
    """A fail-closed issue if a model config lacks the ``class_name``/``config`` shape."""
    if isinstance(config.get("class_name"), str) and isinstance(config.get("config"), dict):
        return None
    keys = ", ".join(sorted(str(k) for k in config)[:10])
    return _parse_issue(source, f"it is not a Keras object config (keys: {keys})")


class _Node(NamedTuple):
    """A config value to visit, where it sits, and the layers around it (a named tuple:
    cheaper to create at import than a dataclass, and only built and read)."""

    value: object
    path: str
    slot: str
    layers: tuple[str, ...]
    depth: int


def walk_config(root: object, source: str) -> Iterator[Issue]:
    """Yield one issue per dangerous construct in ``root`` (deduplicated by key).

    Raise :class:`LimitExceeded` (after yielding what was found) past
    :data:`MAX_DEPTH` or :data:`MAX_NODES`.
    """
    seen: set[str] = set()
    stack = [_Node(root, "$", "", (), 0)]
    count = 0
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise LimitExceeded("max_config_nodes", MAX_NODES, f"in {source}")
        if node.depth > MAX_DEPTH:
            raise LimitExceeded("max_config_depth", MAX_DEPTH, f"in {source}")
        for issue in _node_issues(node, source):
            if issue.key not in seen:
                seen.add(issue.key)
                yield issue
        stack.extend(reversed(list(_children(node))))


def _children(node: _Node) -> Iterator[_Node]:
    value = node.value
    if isinstance(value, dict):
        layers = node.layers + _layer_name(value)
        keyed = isinstance(value.get("class_name"), str)
        for key, child in value.items():
            slot = str(key)
            if not keyed and _is_function_slot(node.slot) and not _is_function_slot(slot):
                slot = node.slot
            yield _Node(child, f"{node.path}.{key}", slot, layers, node.depth + 1)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield _Node(child, f"{node.path}[{index}]", node.slot, node.layers, node.depth + 1)


def _layer_name(value: dict[object, object]) -> tuple[str, ...]:
    if not isinstance(value.get("class_name"), str):
        return ()
    config = value.get("config")
    name = config.get("name") if isinstance(config, dict) else None
    return (str(name),) if isinstance(name, str) else ()


def _is_function_slot(slot: str) -> bool:
    return slot in _FUNCTION_SLOTS or slot.endswith(_FUNCTION_SUFFIXES)


def _where(node: _Node, source: str) -> str:
    layers = "/".join(node.layers + _layer_name_of(node))
    inside = f" (layer `{layers}`)" if layers else ""
    return f"{source} at `{node.path}`{inside}"


def _layer_name_of(node: _Node) -> tuple[str, ...]:
    return _layer_name(node.value) if isinstance(node.value, dict) else ()


def _node_issues(node: _Node, source: str) -> Iterator[Issue]:
    value = node.value
    if isinstance(value, str):
        if _is_function_slot(node.slot):
            yield from _string_reference(value, node, source)
        return
    if not isinstance(value, dict):
        return
    where = _where(node, source)
    class_name = value.get("class_name")
    if isinstance(class_name, str):
        yield from lam.lambda_issues(value, class_name, where, node.path)
        yield from _string_reference(class_name, node, source, legacy_class=True)
        yield from _resource_issues(value, class_name, where, node.path)
    yield from _module_reference(value, where, node.path)


def _string_reference(
    text: str, node: _Node, source: str, *, legacy_class: bool = False
) -> Iterator[Issue]:
    if len(text) > 512 or (legacy_class and not any(c in text for c in ".>:")):
        return  # a bare class name is only looked up in Keras's registry
    verdict = judge_string(text)
    where = _where(node, source)
    if verdict is RefVerdict.DANGEROUS:
        yield Issue(
            DANGEROUS_REFERENCE,
            f"Keras config names `{text}` as a {'class' if legacy_class else 'function'} in "
            f"{where}: a callable that can execute code or reach the system.",
            evidence=f"{node.slot or 'class_name'}: {text!r}",
            key=f"ref:{node.path}:{text}",
        )
    elif verdict is RefVerdict.CUSTOM and not legacy_class:
        yield Issue(
            CUSTOM_OBJECT,
            f"Keras config names the function `{text}` outside Keras in {where}.",
            evidence=f"{node.slot}: {text!r}",
            key=f"custom:{node.path}:{text}",
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
        )


def _module_reference(value: dict[object, object], where: str, path: str) -> Iterator[Issue]:
    module, class_name = value.get("module"), value.get("class_name")
    if not isinstance(module, str) or not isinstance(class_name, str):
        return
    inner = value.get("config")
    is_function = class_name == "function"
    name = inner if is_function and isinstance(inner, str) else class_name
    verdict = judge(module, name)
    dotted = f"{module}.{name}"
    evidence = json.dumps({k: value.get(k) for k in ("module", "class_name", "registered_name")})
    if is_function:
        evidence = evidence[:-1] + f', "config": {json.dumps(inner)[:200]}}}'
    if verdict is RefVerdict.DANGEROUS:
        yield Issue(
            DANGEROUS_REFERENCE,
            f"Keras config references `{dotted}` in {where}; deserialising it imports and "
            "uses a callable that can execute code or reach the system (CVE-2025-1550 class).",
            evidence=evidence,
            key=f"ref:{path}:{dotted}",
        )
    elif verdict is RefVerdict.CUSTOM:
        registered = isinstance(value.get("registered_name"), str) and not is_function
        kind = "function" if is_function else "class"
        yield Issue(
            CUSTOM_OBJECT,
            f"Keras config references the {kind} `{dotted}` from outside Keras in {where}; "
            "loading the model runs that module's code.",
            evidence=evidence,
            key=f"custom:{path}:{dotted}",
            severity=Severity.MEDIUM if registered else Severity.HIGH,
        )


def _resource_issues(
    value: dict[object, object], class_name: str, where: str, path: str
) -> Iterator[Issue]:
    config = value.get("config")
    if not isinstance(config, dict):
        return
    short = class_name.rsplit(".", 1)[-1]
    key = "vocabulary" if short in _VOCAB_LAYERS else _PATH_KEYS.get(short)
    target = config.get(key) if key else None
    if not isinstance(target, str) or not target.strip():
        return
    outside = target.startswith(("/", "\\", "~")) or ".." in target or "://" in target
    yield Issue(
        EXTERNAL_RESOURCE,
        f"`{short}` layer in {where} makes the loader read `{key}` from `{target[:200]}`, "
        "a path or URL outside the model.",
        evidence=f"{key}: {target[:300]!r}",
        key=f"resource:{path}:{key}",
        severity=Severity.HIGH if outside or ":" in target else Severity.MEDIUM,
    )
