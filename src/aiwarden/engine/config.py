"""Settings: defaults, the config file, ``AIWARDEN_*`` variables and CLI overrides.

Precedence is CLI > environment > file > defaults. The config file is found by
walking up from the targets: in each directory ``.aiwarden.toml`` wins over
``aiwarden.toml``, which wins over a ``pyproject.toml`` that has a ``[tool.aiwarden]``
table. Every problem is a :class:`~aiwarden.errors.ConfigError` naming the file (or
variable) and key, in one line.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from aiwarden.core.rule import RULE_ID_PATTERN
from aiwarden.core.severity import Severity
from aiwarden.engine._fs import read_regular_file
from aiwarden.engine._patterns import compile_patterns
from aiwarden.errors import ConfigError

CONFIG_NAMES = (".aiwarden.toml", "aiwarden.toml", "pyproject.toml")
"""Config file names in order of preference within one directory."""
CONFIG_MAX_BYTES = 8 * 1024 * 1024
SELECTOR_PATTERN = re.compile(r"^AIW(-(?P<family>[A-Z]{2,5})(?P<number>\d{1,3})?)?$")
"""A rule selector: ``AIW`` (everything), a family ``AIW-MOD`` or (part of) an id."""
_TOOL_TABLE = (
    r"""tool["']?[ \t]*\.[ \t]*["']?aiwarden"""
    r"""|^[ \t]*\[[ \t]*["']?tool["']?[ \t]*\]"""
    r"""|^[ \t]*["']?tool["']?[ \t]*="""
)
"""Where a ``[tool.aiwarden]`` table can come from (see :func:`_may_hold_tool_table`)."""
ENGINE_PREFIX = "AIW-ENG"
"""Engine rules report files that were not fully scanned; they cannot be disabled."""

_FILE_KEYS: dict[str, str] = {
    "select": "select",
    "ignore": "ignore",
    "exclude": "exclude",
    "fail-on": "fail_on",
    "per-path-ignores": "per_path_ignores",
    "suppress": "suppressions",
    "jobs": "jobs",
    "timeout": "timeout_s",
    "respect-gitignore": "respect_gitignore",
    "require-reason": "require_reason",
    "profile": "profile",
}
_ENV_KEYS: dict[str, str] = {
    "AIWARDEN_SELECT": "select",
    "AIWARDEN_IGNORE": "ignore",
    "AIWARDEN_EXCLUDE": "exclude",
    "AIWARDEN_FAIL_ON": "fail_on",
    "AIWARDEN_JOBS": "jobs",
    "AIWARDEN_TIMEOUT": "timeout_s",
    "AIWARDEN_RESPECT_GITIGNORE": "respect_gitignore",
    "AIWARDEN_REQUIRE_REASON": "require_reason",
}
_OVERRIDE_KEYS = frozenset(
    {"select", "ignore", "exclude", "fail_on", "jobs", "timeout_s", "respect_gitignore"}
)
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class ConfigSuppression(NamedTuple):
    """A config-file suppression, for formats without comments (JSON, binaries).

    ``path`` is a gitignore-style glob relative to the project root; ``rule`` a rule id
    or family prefix (``AIW-MOD001``, ``AIW-MOD``); ``reason`` why the finding is
    accepted (required); ``until`` the last day the suppression applies
    (``until = 2027-03-31``), none for no expiry.
    """

    path: str
    rule: str
    reason: str
    until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable about a scan, after merging every source."""

    select: tuple[str, ...] = ("AIW",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: Severity = Severity.HIGH
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    suppressions: tuple[ConfigSuppression, ...] = ()
    jobs: int | None = None
    timeout_s: float = 60.0
    respect_gitignore: bool = True
    require_reason: bool = False
    """Inline suppressions without a reason do not apply (and are reported)."""
    profile: tuple[tuple[str, bool], ...] = ()
    """Project traits declared for ``aiwarden assess`` (``[tool.aiwarden.profile]``)."""
    source: Path | None = None
    project_root: Path | None = None

    def rule_enabled(self, rule_id: str, relpath: str) -> bool:
        """Whether ``rule_id`` runs on ``relpath``.

        The longest selector in ``select`` or ``ignore`` that matches decides (ignore
        wins a tie), then ``per_path_ignores`` may turn the rule off for a path.
        ``AIW-ENG`` rules are always enabled, so a scan can never hide its own failures.
        """
        if rule_id.startswith(ENGINE_PREFIX):
            return True
        selected = _longest_match(self.select, rule_id)
        ignored = _longest_match(self.ignore, rule_id)
        if selected < 0 or ignored >= selected:
            return False
        if not relpath:
            return True
        for pattern, selectors in self.per_path_ignores:
            if _longest_match(selectors, rule_id) >= 0 and _path_matches(pattern, relpath):
                return False
        return True


def rule_matches(selector: str, rule_id: str) -> bool:
    """True if ``selector`` (``AIW``, a family ``AIW-MOD`` or an id prefix) covers ``rule_id``.

    Families match whole (``AIW-PY`` does not cover ``AIW-PYX001``); digits match as a
    prefix (``AIW-MOD00`` covers ``AIW-MOD001``).
    """
    sel = SELECTOR_PATTERN.match(selector)
    rule = RULE_ID_PATTERN.match(rule_id)
    if sel is None:
        return False
    if rule is None:
        return rule_id.startswith(selector)
    if sel.group("family") is None:
        return True
    number = sel.group("number") or ""
    return sel.group("family") == rule.group("family") and rule.group("number").startswith(number)


def _longest_match(selectors: Sequence[str], rule_id: str) -> int:
    """Length of the longest selector covering ``rule_id``; -1 if none does."""
    return max((len(s) for s in selectors if rule_matches(s, rule_id)), default=-1)


def _path_matches(pattern: str, relpath: str) -> bool:
    return compile_patterns((pattern,)).match_file(relpath)


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a directory, or a file's parent)."""
    found = _find_config(start)
    return found[0] if found is not None else None


def _find_config(start: Path) -> tuple[Path, dict[str, Any] | None] | None:
    """:func:`find_config`, with the parsed document of a ``pyproject.toml`` it chose.

    Choosing a ``pyproject.toml`` means parsing it (does it have ``[tool.aiwarden]``?);
    the document is handed on so that the settings are read from that same parse.
    """
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate, None
            text = _read_text(candidate)
            if not _may_hold_tool_table(text):
                continue
            document = _parse_toml(candidate, text)
            if _has_tool_table(document):
                return candidate, document
    return None


def _may_hold_tool_table(text: str) -> bool:
    """False only when ``text`` cannot declare a ``[tool.aiwarden]`` table (no need to parse it).

    A TOML key is bare or quoted, and only spaces or tabs may surround the dots of a
    dotted key, so the table can only come from ``tool.aiwarden`` in some spelling
    (``[tool.aiwarden]``, ``[tool."aiwarden"]``, ``tool . aiwarden.jobs = 2``), from a
    ``[tool]`` table, or from a ``tool = {...}`` inline table; a quoted key written with
    ``\\u``/``\\U`` escapes could spell either word, so such a file is always parsed.
    Most projects' ``pyproject.toml`` is about other tools, or names aiwarden only as a
    dependency, and the TOML parser is pure Python (a few milliseconds of every start-up).
    """
    if "\\u" in text or "\\U" in text:
        return True
    return "aiwarden" in text and re.search(_TOOL_TABLE, text, re.MULTILINE) is not None


def _has_tool_table(document: dict[str, Any]) -> bool:
    tool = document.get("tool")
    return isinstance(tool, dict) and "aiwarden" in tool


def load_settings(
    targets: Sequence[Path],
    *,
    config_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> Settings:
    """Merge defaults, the config file, the environment and CLI ``overrides``.

    ``env`` defaults to :data:`os.environ`; ``overrides`` uses :class:`Settings`
    field names and ignores ``None`` values. Raise :class:`ConfigError` on any problem.
    """
    if config_path is not None:
        if not config_path.exists():
            raise ConfigError(str(config_path), "config file not found")
        if not config_path.is_file():
            raise ConfigError(str(config_path), "not a regular file")
        source: Path | None = config_path.absolute()
        document: dict[str, Any] | None = None
    else:
        found = _find_config(_common_start(targets))
        source, document = found if found is not None else (None, None)
    settings = Settings()
    if source is not None:
        settings = replace(settings, **_file_values(source, document), source=source)
        settings = replace(settings, project_root=source.parent)
    settings = replace(settings, **_env_values(os.environ if env is None else env))
    return replace(settings, **_override_values(overrides or {}))


def _common_start(targets: Sequence[Path]) -> Path:
    if not targets:
        return Path.cwd()
    dirs = [t.absolute() if t.is_dir() else t.absolute().parent for t in targets]
    return Path(os.path.commonpath([str(d) for d in dirs]))


def _read_toml(path: Path) -> dict[str, Any]:
    return _parse_toml(path, _read_text(path))


def _read_text(path: Path) -> str:
    try:
        return read_regular_file(path, CONFIG_MAX_BYTES).decode("utf-8")
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), "not valid UTF-8") from None


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    import tomllib  # only when there is a config file to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"invalid TOML: {exc}") from None


def _file_values(path: Path, document: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validated :class:`Settings` fields from a config file (``document``: parsed already)."""
    if document is None:
        document = _read_toml(path)
    if path.name == "pyproject.toml":
        tool = document.get("tool", {})
        table = tool.get("aiwarden", {}) if isinstance(tool, dict) else {}
        prefix = "tool.aiwarden."
        if not isinstance(table, dict):
            raise ConfigError(str(path), "must be a table", key="tool.aiwarden")
    else:
        table, prefix = document, ""
    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key not in _FILE_KEYS:
            raise ConfigError(str(path), _unknown_key_message(key), key=prefix + key)
        name = _FILE_KEYS[key]
        try:
            values[name] = _FIELD_PARSERS[name](raw)
        except _Invalid as exc:
            raise ConfigError(str(path), str(exc), key=prefix + key + exc.subkey) from None
    return values


def _unknown_key_message(key: str) -> str:
    import difflib  # only for this error message

    close = difflib.get_close_matches(key, list(_FILE_KEYS), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key{hint} (known keys: {', '.join(_FILE_KEYS)})"


def _env_values(env: Mapping[str, str]) -> dict[str, Any]:
    """Validated :class:`Settings` fields from ``AIWARDEN_*`` variables (empty ones unset)."""
    values: dict[str, Any] = {}
    for variable, name in _ENV_KEYS.items():
        raw = env.get(variable, "").strip()
        if not raw:
            continue
        try:
            values[name] = _FIELD_PARSERS[name](_from_env_string(name, raw))
        except _Invalid as exc:
            raise ConfigError(variable, str(exc)) from None
    return values


def _from_env_string(name: str, raw: str) -> object:
    """Turn a variable's text into the value a config file would hold."""
    if name in ("select", "ignore", "exclude"):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if name == "jobs":
        return _parse_int(raw)
    if name == "timeout_s":
        return _parse_float(raw)
    if name in ("respect_gitignore", "require_reason"):
        return _parse_bool(raw)
    return raw


def _override_values(overrides: Mapping[str, object]) -> dict[str, Any]:
    """Validated :class:`Settings` fields from CLI ``overrides``."""
    values: dict[str, Any] = {}
    for name, raw in overrides.items():
        if raw is None:
            continue
        if name not in _OVERRIDE_KEYS:
            raise ConfigError("command line", "unknown setting", key=name)
        value = raw.value if isinstance(raw, Severity) else raw
        if isinstance(value, tuple):
            value = list(value)
        try:
            values[name] = _FIELD_PARSERS[name](value)
        except _Invalid as exc:
            raise ConfigError("command line", str(exc), key=name + exc.subkey) from None
    return values


class _Invalid(ValueError):
    """A value of the wrong type or range; ``subkey`` locates it inside the key."""

    def __init__(self, message: str, subkey: str = "") -> None:
        super().__init__(message)
        self.subkey = subkey


def _parse_int(raw: str) -> object:
    try:
        return int(raw)
    except ValueError:
        raise _Invalid(f"expected an integer, got {raw!r}") from None


def _parse_float(raw: str) -> object:
    try:
        return float(raw)
    except ValueError:
        raise _Invalid(f"expected a number, got {raw!r}") from None


def _parse_bool(raw: str) -> object:
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _Invalid(f"expected true/false/1/0, got {raw!r}")


def _type_name(value: object) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array"}.get(
        type(value), "table" if isinstance(value, dict) else type(value).__name__
    )


def _string_list(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list):
        raise _Invalid(f"expected an array of strings, got {_type_name(value)}")
    for item in value:
        if not isinstance(item, str):
            raise _Invalid(f"expected an array of strings, found {_type_name(item)}")
    return tuple(value)


def _selectors(value: object) -> tuple[str, ...]:
    items = _string_list(value)
    for item in items:
        if not SELECTOR_PATTERN.match(item):
            raise _Invalid(
                f"invalid rule selector {item!r} (expected AIW, a family such as AIW-MOD, "
                "or a rule id such as AIW-MOD001)"
            )
    return items


def _patterns(value: object) -> tuple[str, ...]:
    items = _string_list(value)
    try:
        compile_patterns(items)
    except ValueError as exc:
        raise _Invalid(str(exc)) from None
    return items


def _severity(value: object) -> Severity:
    if not isinstance(value, str):
        raise _Invalid(f"expected a severity name, got {_type_name(value)}")
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise _Invalid(str(exc)) from None


def _jobs(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"expected an integer, got {_type_name(value)}")
    if value < 1:
        raise _Invalid(f"must be at least 1, got {value}")
    return value


def _timeout(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(f"expected a number of seconds, got {_type_name(value)}")
    if not math.isfinite(value) or value <= 0:
        raise _Invalid(f"must be a positive number of seconds, got {value}")
    return float(value)


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"expected true or false, got {_type_name(value)}")
    return value


def _per_path_ignores(value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise _Invalid(f"expected a table of glob = [rule ids], got {_type_name(value)}")
    result: list[tuple[str, tuple[str, ...]]] = []
    for pattern, selectors in value.items():
        try:
            compile_patterns((pattern,))
            result.append((pattern, _selectors(selectors)))
        except ValueError as exc:  # includes _Invalid
            raise _Invalid(str(exc), f'."{pattern}"') from None
    return tuple(result)


def _suppressions(value: object) -> tuple[ConfigSuppression, ...]:
    if not isinstance(value, list):
        raise _Invalid(f"expected an array of tables, got {_type_name(value)}")
    return tuple(_suppression(entry, index) for index, entry in enumerate(value))


def _suppression(entry: object, index: int) -> ConfigSuppression:
    where = f"[{index}]"
    if not isinstance(entry, dict):
        raise _Invalid(f"expected a table {{path, rule, reason}}, got {_type_name(entry)}", where)
    for key in entry:
        if key not in ("path", "rule", "reason", "until"):
            raise _Invalid("unknown key (expected path, rule, reason, until)", f"{where}.{key}")
    for key in ("path", "rule", "reason"):
        item = entry.get(key)
        if not isinstance(item, str) or not item.strip():
            raise _Invalid("is required and must be a non-empty string", f"{where}.{key}")
    if not SELECTOR_PATTERN.match(entry["rule"]):
        raise _Invalid(f"invalid rule selector {entry['rule']!r}", f"{where}.rule")
    try:
        compile_patterns((entry["path"],))
    except ValueError as exc:
        raise _Invalid(str(exc), f"{where}.path") from None
    until = _until(entry.get("until"), f"{where}.until")
    return ConfigSuppression(entry["path"], entry["rule"], entry["reason"].strip(), until)


def _until(value: object, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _Invalid("must be a date (until = 2027-03-31)", where)


def _profile(value: object) -> tuple[tuple[str, bool], ...]:
    """``{trait = true|false}``; trait names are checked by the assessment."""
    if not isinstance(value, dict):
        raise _Invalid(f"must be a table of true/false values, not {_type_name(value)}")
    out: list[tuple[str, bool]] = []
    for name, flag in value.items():
        if not isinstance(flag, bool):
            raise _Invalid(f"must be true or false, not {_type_name(flag)}", f".{name}")
        out.append((str(name), flag))
    return tuple(out)


_FIELD_PARSERS: dict[str, Callable[[object], object]] = {
    "select": _selectors,
    "ignore": _selectors,
    "exclude": _patterns,
    "fail_on": _severity,
    "per_path_ignores": _per_path_ignores,
    "suppressions": _suppressions,
    "jobs": _jobs,
    "timeout_s": _timeout,
    "respect_gitignore": _bool,
    "require_reason": _bool,
    "profile": _profile,
}
