"""Bounded YAML loading with line numbers: ``yaml.compose`` (safe, no construction) to a tree.

Aliases are node references in the composed graph, so an alias bomb costs nothing until it
is walked; the conversion counts every node it visits (repeats included) against a budget,
and stops at a nesting depth, so hostile YAML becomes a :class:`YamlBound` instead of a hang.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

import yaml  # type: ignore[import-untyped]

MAX_DOCUMENTS: Final = 200
MAX_NODES: Final = 200_000
MAX_DEPTH: Final = 64
C_NESTING_BOUND: Final = 1000
"""libyaml composes recursively in C, where deep nesting is not caught as a RecursionError:
text whose nesting cannot exceed this bound uses it (13x faster), other text the pure-Python
parser, whose recursion is checked."""
_LIBYAML: Final = getattr(yaml, "CSafeLoader", None)

Value = dict[str, "Y"] | list["Y"] | str | None


class YamlBound(Exception):
    """A bound (documents, nodes, depth) was hit while loading; ``line`` is where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class YamlBroken(Exception):
    """The text is not valid YAML; ``line`` is where the parser gave up."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(slots=True)
class Y:
    """One YAML node: a mapping, sequence or scalar (kept as text), and its 1-based line."""

    value: Value
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    block: bool = False
    """A literal or folded block scalar (``|``/``>``): its text starts on the next line."""

    def get(self, key: str) -> Y | None:
        """The child at ``key`` of a mapping (None otherwise)."""
        return self.value.get(key) if isinstance(self.value, dict) else None

    def at(self, *keys: str) -> Y | None:
        """The node at a path of mapping keys, or None."""
        node: Y | None = self
        for key in keys:
            node = node.get(key) if node is not None else None
        return node

    def text_at(self, *keys: str) -> str | None:
        """The scalar text at a path of mapping keys, or None."""
        node = self.at(*keys)
        return node.text() if node is not None else None

    def list_at(self, *keys: str) -> list[Y]:
        """The sequence at a path of mapping keys (empty if absent or not a sequence)."""
        node = self.at(*keys)
        return node.seq() if node is not None else []

    def text(self) -> str | None:
        """The scalar's text (None for collections and null)."""
        return self.value if isinstance(self.value, str) else None

    def items(self) -> Iterator[tuple[str, Y]]:
        """A mapping's entries (nothing for other nodes)."""
        if isinstance(self.value, dict):
            yield from self.value.items()

    def seq(self) -> list[Y]:
        """A sequence's entries (empty for other nodes)."""
        return self.value if isinstance(self.value, list) else []

    def text_line(self) -> int:
        """The line the scalar's text starts on."""
        return self.line + 1 if self.block else self.line

    def key_line(self, key: str) -> int:
        """The line of ``key`` in this mapping (this node's line if absent)."""
        return self.key_lines.get(key, self.line)

    def is_true(self) -> bool:
        """True for YAML true-ish scalars (``true``, ``yes``, ``on``)."""
        text = self.text()
        return text is not None and text.strip().lower() in ("true", "yes", "on", "1")

    def is_false(self) -> bool:
        """True for YAML false-ish scalars."""
        text = self.text()
        return text is not None and text.strip().lower() in ("false", "no", "off", "0")


class _Converter:
    def __init__(self) -> None:
        self.budget = MAX_NODES

    def convert(self, node: yaml.Node, depth: int) -> Y:
        line = node.start_mark.line + 1
        self.budget -= 1
        if self.budget < 0:
            raise YamlBound(f"more than {MAX_NODES} YAML nodes (alias expansion?)", line)
        if depth > MAX_DEPTH:
            raise YamlBound(f"YAML nested deeper than {MAX_DEPTH} levels", line)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth, line)
        if isinstance(node, yaml.SequenceNode):
            return Y([self.convert(item, depth + 1) for item in node.value], line)
        text = str(node.value)
        if node.tag == "tag:yaml.org,2002:null" and text in ("", "~", "null", "Null", "NULL"):
            return Y(None, line)
        return Y(text, line, block=node.style in ("|", ">"))

    def _mapping(self, node: yaml.MappingNode, depth: int, line: int) -> Y:
        out: dict[str, Y] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.convert(value_node, depth + 1)
                for part in [merged, *merged.seq()]:
                    for key, value in part.items():
                        out.setdefault(key, value)
                        key_lines.setdefault(key, part.key_line(key))
                continue
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            out[key] = self.convert(value_node, depth + 1)
            key_lines[key] = key_node.start_mark.line + 1
        return Y(out, line, key_lines)


def nesting_bound(text: str) -> int:
    """An upper bound on the nesting depth of ``text``, from a cheap character count.

    Flow collections can nest across lines, so every ``[`` and ``{`` counts; block
    nesting needs more indentation or one more ``-``/``:`` on a line. The block count can
    undercount by up to a factor of two (a sequence at its key's indentation), well inside
    the C stack's margin over :data:`C_NESTING_BOUND`.
    """
    flow = text.count("[") + text.count("{")
    block = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        block = max(block, len(line) - len(stripped) + line.count("-") + line.count(":"))
    return flow + block


def _loader_for(text: str) -> type[yaml.SafeLoader]:
    if _LIBYAML is not None and nesting_bound(text) <= C_NESTING_BOUND:
        return _LIBYAML  # type: ignore[no-any-return]
    return yaml.SafeLoader  # type: ignore[no-any-return]


def load_documents(text: str) -> list[Y]:
    """Every non-empty document of ``text``; raises :class:`YamlBroken` or :class:`YamlBound`."""
    converter = _Converter()
    docs: list[Y] = []
    try:
        for count, node in enumerate(yaml.compose_all(text, Loader=_loader_for(text))):
            if count >= MAX_DOCUMENTS:
                raise YamlBound(f"more than {MAX_DOCUMENTS} YAML documents", 1)
            if node is not None:
                docs.append(converter.convert(node, 0))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlBroken(f"{exc.problem or exc.context or 'invalid YAML'}", line) from None
    except yaml.YAMLError as exc:
        raise YamlBroken(str(exc).splitlines()[0][:200], 1) from None
    except RecursionError:
        raise YamlBound("YAML nesting exhausted the parser's recursion limit", 1) from None
    return docs
