"""Extract the chat templates of a tokenizer/processor configuration JSON file.

``chat_template`` is either a string or a list of ``{"name": ..., "template": ...}``
objects (transformers' named templates such as ``default``, ``tool_use``, ``rag``).
Every value of a duplicated ``chat_template`` key is returned, because JSON parsers
disagree on which one wins.
"""

from __future__ import annotations

import json
from typing import NamedTuple

KEY = "chat_template"


class FoundTemplate(NamedTuple):
    """One template: a label for messages, its source and the JSON line it sits on."""

    label: str
    source: str
    line: int | None


class ConfigProblem(NamedTuple):
    """Why (part of) the configuration could not be checked."""

    message: str
    line: int | None = None
    column: int | None = None


def extract_templates(raw: bytes) -> tuple[list[FoundTemplate], list[ConfigProblem]]:
    """The chat templates in ``raw`` and the problems that kept some from being checked."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [], [ConfigProblem(f"not valid UTF-8 at byte {exc.start}", line)]
    duplicates: list[object] = []
    try:
        data = json.loads(text, object_pairs_hook=lambda pairs: _collect(pairs, duplicates))
    except json.JSONDecodeError as exc:
        return [], [ConfigProblem(f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)]
    except RecursionError:
        return [], [ConfigProblem("JSON is nested too deeply to parse")]
    if not isinstance(data, dict):
        return [], [
            ConfigProblem(f"top-level JSON value is a {type(data).__name__}, not an object")
        ]
    where = _line_of(text, f'"{KEY}"')
    templates, problems = _templates_of(data.get(KEY), where)
    if duplicates:
        problems.append(ConfigProblem(f"`{KEY}` appears {len(duplicates) + 1} times", where))
        for value in duplicates:
            more, more_problems = _templates_of(value, where)
            templates.extend(more)
            problems.extend(more_problems)
    return templates, problems


def _collect(pairs: list[tuple[str, object]], duplicates: list[object]) -> dict[str, object]:
    values = [v for k, v in pairs if k == KEY]
    duplicates.extend(values[:-1])
    return dict(pairs)


def _templates_of(
    value: object, line: int | None
) -> tuple[list[FoundTemplate], list[ConfigProblem]]:
    if value is None:
        return [], []
    if isinstance(value, str):
        return [FoundTemplate(f"`{KEY}`", value, line)], []
    if not isinstance(value, list):
        kind = type(value).__name__
        return [], [ConfigProblem(f"`{KEY}` is a {kind}, not a string or a list", line)]
    templates: list[FoundTemplate] = []
    problems: list[ConfigProblem] = []
    for index, item in enumerate(value):
        if isinstance(item, dict) and isinstance(item.get("template"), str):
            name = item.get("name")
            label = f"`{KEY}` `{name}`" if isinstance(name, str) else f"`{KEY}[{index}]`"
            templates.append(FoundTemplate(label[:200], item["template"], line))
        else:
            problems.append(
                ConfigProblem(f"`{KEY}[{index}]` is not a {{name, template}} object", line)
            )
    return templates, problems


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return None if index < 0 else text.count("\n", 0, index) + 1
