"""Lambda layers and serialised lambdas in a Keras config.

Keras writes a Python lambda in three shapes: Keras 2 ``function`` as a base64 string
or ``[code, defaults, closure]`` with ``function_type: "lambda"``; Keras 3
``{"class_name": "__lambda__", "config": {"code": ...}}`` (``"value"`` in
``serialization_lib``). Keras's ``func_load`` falls back to ``raw_unicode_escape``
when the string is not base64, so with ``function_type: "lambda"`` any string is code.
The same holds for ``output_shape`` and ``mask``.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterator

from aiwarden.analyzers.models._keras_issue import Issue
from aiwarden.analyzers.models._keras_marshal import BytecodeSummary, looks_like_code, summarize
from aiwarden.analyzers.models._keras_policy import RefVerdict, judge
from aiwarden.analyzers.models._keras_rules import (
    DANGEROUS_REFERENCE,
    LAMBDA_BYTECODE,
    LAMBDA_FUNCTION,
)

_SLOTS = (
    ("function", "function_type"),
    ("output_shape", "output_shape_type"),
    ("mask", "mask_type"),
)
_LAMBDA_CLASSES = frozenset({"Lambda"})


def is_lambda(class_name: str) -> bool:
    """True for the Lambda layer class, however its name is qualified."""
    return class_name.replace(">", ".").rsplit(".", 1)[-1] in _LAMBDA_CLASSES


def lambda_issues(
    value: dict[object, object], class_name: str, where: str, path: str
) -> Iterator[Issue]:
    """Issues for a Keras object dict: a Lambda layer, or a bare ``__lambda__``."""
    if class_name == "__lambda__":
        yield _bytecode_issue(_lambda_dict_code(value), f"serialised lambda in {where}", path)
        return
    config = value.get("config")
    if not is_lambda(class_name) or not isinstance(config, dict):
        return
    for slot, type_key in _SLOTS:
        item = config.get(slot)
        kind = config.get(type_key)
        payload = _bytecode(item, kind)
        if payload is not None:
            where_slot = f"Lambda layer `{slot}` in {where}"
            yield _bytecode_issue(payload, where_slot, f"{path}.config.{slot}")
        elif _is_named_function(item, slot, kind):
            yield from _named_function(config, slot, item, where, f"{path}.config.{slot}")


def _lambda_dict_code(value: dict[object, object]) -> str:
    inner = value.get("config")
    if not isinstance(inner, dict):
        return ""
    code: object = inner.get("code", inner.get("value"))
    if isinstance(code, list) and code:
        code = code[0]
    return code if isinstance(code, str) else ""


def _bytecode(item: object, kind: object) -> str | None:
    """The serialised code of a lambda slot, or ``None`` if it holds no bytecode."""
    if isinstance(item, dict) and item.get("class_name") == "__lambda__":
        return _lambda_dict_code(item)
    if isinstance(item, list) and len(item) == 3 and isinstance(item[0], str):
        return item[0]
    if isinstance(item, str) and (kind == "lambda" or looks_like_code(decode(item))):
        return item
    return None


def _is_named_function(item: object, slot: str, kind: object) -> bool:
    if isinstance(item, str):
        return True
    if isinstance(item, dict):
        return isinstance(item.get("class_name"), str)
    return slot == "function" and item is not None and kind != "raw"


def decode(code: str) -> bytes:
    """The bytes Keras's ``func_load`` would unmarshal from ``code``."""
    try:
        return binascii.a2b_base64(code.encode("ascii"))
    except (UnicodeEncodeError, binascii.Error, ValueError):
        return code.encode("raw_unicode_escape")


def _bytecode_issue(code: str, what: str, key: str) -> Issue:
    summary = summarize(decode(code)) if code else BytecodeSummary(structured=False)
    names = summary.suspicious
    hint = f" It references {', '.join(names[:8])}." if names else ""
    return Issue(
        LAMBDA_BYTECODE,
        f"{what[0].upper()}{what[1:]} holds marshalled Python bytecode ({summary.size} bytes) "
        f"that runs when the model is loaded.{hint}",
        evidence=summary.describe(),
        key=f"lambda:{key}",
    )


def _named_function(
    config: dict[object, object], slot: str, item: object, where: str, key: str
) -> Iterator[Issue]:
    name, module = _function_name(config, item)
    shown = f"{module}.{name}" if module else name
    yield Issue(
        LAMBDA_FUNCTION,
        f"Lambda layer `{slot}` in {where} calls the function `{shown}`, resolved by name "
        "when the model is loaded and called with arguments from the config.",
        evidence=f"{slot}: {str(item)[:300]}",
        key=f"lambda-fn:{key}",
    )
    if module and isinstance(item, str) and judge(module, name) is RefVerdict.DANGEROUS:
        yield Issue(
            DANGEROUS_REFERENCE,
            f"Lambda layer in {where} resolves `{name}` in the globals of module `{module}` "
            f"(legacy Keras `module` key): `{shown}` can execute code or reach the system.",
            evidence=f"module: {module!r}, {slot}: {name!r}",
            key=f"ref:{key}:{name}",
        )


def _function_name(config: dict[object, object], item: object) -> tuple[str, str]:
    if isinstance(item, dict):
        inner = item.get("config")
        name = inner if isinstance(inner, str) else item.get("class_name")
        module = item.get("module")
        return str(name), module if isinstance(module, str) else ""
    module = config.get("module")
    return str(item)[:200], module if isinstance(module, str) else ""
