"""Load analyzers from the ``aiwarden.checks`` entry-point group.

Built-in analyzers register through the same group in aiwarden's own
``pyproject.toml``, so the plugin mechanism is exercised on every scan. Plugins are
loaded only from installed distributions, never from a path named in a config or
baseline file. A plugin that fails to load, is not an :class:`Analyzer`, speaks
another API version or reuses a rule id is skipped with a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from aiwarden.analyzers._entry_points import group_entry_points
from aiwarden.analyzers.interface import API_VERSION, Analyzer
from aiwarden.core.log import get_logger
from aiwarden.core.rule import RULE_ID_PATTERN, Rule

ENTRY_POINT_GROUP = "aiwarden.checks"
BUILTIN_PREFIX = "aiwarden."

if TYPE_CHECKING:
    from aiwarden.analyzers._entry_points import EntryPointLike

logger = get_logger(__name__)


class Registry(NamedTuple):
    """The analyzers that loaded, and warnings about those that did not."""

    analyzers: tuple[Analyzer, ...]
    warnings: tuple[str, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule of every loaded analyzer, in load order."""
        return tuple(rule for analyzer in self.analyzers for rule in analyzer.rules)

    def analyzer(self, name: str) -> Analyzer:
        """The loaded analyzer called ``name``."""
        for analyzer in self.analyzers:
            if analyzer.name == name:
                return analyzer
        raise KeyError(name)


def _problem(entry: EntryPointLike, cls: object) -> str | None:
    if not (isinstance(cls, type) and issubclass(cls, Analyzer)):
        return "is not an aiwarden Analyzer subclass"
    if getattr(cls, "api_version", None) != API_VERSION:
        return f"speaks analyzer API {cls.api_version}, this aiwarden speaks {API_VERSION}"
    if not getattr(cls, "name", ""):
        return "declares no name"
    rules = getattr(cls, "rules", None)
    if not rules or not all(isinstance(r, Rule) for r in rules):
        return "declares no rules"
    bad = [r.id for r in rules if not RULE_ID_PATTERN.match(r.id)]
    if bad:
        return f"declares malformed rule ids {bad}"
    return None


def load_analyzers(
    entries: Iterable[EntryPointLike] | None = None, *, builtin_only: bool = False
) -> Registry:
    """Load every analyzer registered in ``aiwarden.checks`` (or in ``entries``).

    The group is read as ``importlib.metadata.entry_points(group=...)`` reads it, without
    importing that module (see :mod:`aiwarden.analyzers._entry_points`).
    """
    if entries is None:
        entries = group_entry_points(ENTRY_POINT_GROUP)
    analyzers: list[Analyzer] = []
    warnings: list[str] = []
    names: set[str] = set()
    rule_ids: set[str] = set()
    for entry in sorted(entries, key=lambda e: (not e.value.startswith(BUILTIN_PREFIX), e.name)):
        if builtin_only and not entry.value.startswith(BUILTIN_PREFIX):
            continue
        try:
            cls = entry.load()
        except Exception as exc:  # a broken plugin must not stop the scan
            warnings.append(f"plugin {entry.name!r} ({entry.value}) failed to load: {exc}")
            continue
        problem = _problem(entry, cls)
        if problem is None:
            analyzer: Analyzer = cls()
            clash = {r.id for r in analyzer.rules} & rule_ids
            if analyzer.name in names:
                problem = f"reuses the analyzer name {analyzer.name!r}"
            elif clash:
                problem = f"reuses rule ids {sorted(clash)}"
        if problem is not None:
            warnings.append(f"plugin {entry.name!r} ({entry.value}) skipped: {problem}")
            continue
        analyzers.append(analyzer)
        names.add(analyzer.name)
        rule_ids.update(r.id for r in analyzer.rules)
    for message in warnings:
        logger.warning(message)
    return Registry(tuple(analyzers), tuple(warnings))
