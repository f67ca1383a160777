"""Jinja's own lexer and parser, loaded without the rest of Jinja, for the template checker.

The chat-template checker only parses templates (it never compiles or renders them), but
``import jinja2`` runs ``jinja2/__init__``, which loads the environment, compiler, runtime,
filters, loaders and bytecode cache: about twice the CPU time of the six submodules that
parsing needs (``exceptions``, ``utils``, ``_identifier``, ``lexer``, ``nodes``,
``parser``). This module loads those six from jinja2's own directory under the private
package name :data:`ALIAS`, so ``jinja2/__init__`` never runs and ``sys.modules`` gets no
``jinja2`` entry (code that imports the real ``jinja2`` later gets the normal package),
and drives Jinja's :class:`Parser` with :class:`_ParseEnvironment`, which holds exactly
what parsing reads from an environment.

If anything in that fails (a jinja2 release with another layout), :func:`load` falls back
to the real ``ImmutableSandboxedEnvironment``, as the checker used before. Either way
:data:`nodes` is the node module whose classes :data:`parse` builds trees of: the analysis
modules must take ``nodes`` from here, because classes loaded under :data:`ALIAS` are not
``jinja2.nodes``' classes.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import nodes

__all__ = ["ALIAS", "load", "nodes", "parse"]

ALIAS = "_aiwarden_jinja2"
"""The private package name jinja2's parsing submodules are loaded under."""

Parse = Callable[[str], "nodes.Template"]

# Parsed once at load: a jinja2 whose parser needs more from an environment than
# _ParseEnvironment offers fails here, and the real environment is used instead.
_SMOKE = (
    "{%- for m in ms if m -%}{% do m.f(1) %}{% break %}{% continue %}{% endfor %}"
    "{% generation %}{{ m['a']|f ~ 'x' }}{% endgeneration %}"
)


class _Tag:
    """One statement tag the parser hands to us: what Jinja's ``Extension`` offers it."""

    __slots__ = ("parse", "tags")

    def __init__(self, tags: set[str], parse: Callable[[Any], Any]) -> None:
        self.tags = tags
        self.parse = parse


class _ParseEnvironment:
    """What Jinja's ``Parser`` and ``Lexer`` read from an environment, and nothing else.

    The lexer settings are those of ``ImmutableSandboxedEnvironment(trim_blocks=True,
    lstrip_blocks=True)``; the tags are those of the ``loopcontrols`` and ``do``
    extensions and transformers' ``{% generation %}`` block. :meth:`parse`,
    :meth:`_parse`, :meth:`preprocess` and :meth:`_tokenize` mirror ``Environment``'s
    methods of those names (same call depth, same exceptions).
    """

    block_start_string = "{%"
    block_end_string = "%}"
    variable_start_string = "{{"
    variable_end_string = "}}"
    comment_start_string = "{#"
    comment_end_string = "#}"
    line_statement_prefix: str | None = None
    line_comment_prefix: str | None = None
    trim_blocks = True
    lstrip_blocks = True
    newline_sequence = "\n"
    keep_trailing_newline = False

    def __init__(self, package: dict[str, ModuleType]) -> None:
        self._nodes = package["nodes"]
        self._parser = package["parser"].Parser
        self._syntax_error: type[Exception] = package["exceptions"].TemplateSyntaxError
        self.lexer = package["lexer"].get_lexer(self)
        self._tags = (
            _Tag({"break", "continue"}, self._parse_loop_control),
            _Tag({"do"}, self._parse_do),
            _Tag({"generation"}, self._parse_generation),
        )

    def iter_extensions(self) -> Iterator[_Tag]:
        """The tag parsers, in the order the real environment lists its extensions."""
        return iter(self._tags)

    def parse(self, source: str) -> nodes.Template:
        """The template's AST; a syntax error carries its message alone, as Jinja's does."""
        try:
            return self._parse(source)
        except self._syntax_error as exc:
            # Environment.handle_exception marks the error translated (str() is then the
            # bare message) and attaches the source before re-raising it.
            if not getattr(exc, "translated", True):
                exc.translated = True  # type: ignore[attr-defined]
                exc.source = source  # type: ignore[attr-defined]
            raise

    def _parse(self, source: str) -> nodes.Template:
        template: nodes.Template = self._parser(self, source).parse()
        return template

    def preprocess(self, source: str, name: str | None = None, filename: str | None = None) -> str:
        """No extension here preprocesses; Jinja still coerces the source to ``str``."""
        return str(source)

    def _tokenize(
        self, source: str, name: str | None, filename: str | None = None, state: str | None = None
    ) -> Any:
        """The lexer's ``TokenStream`` (no extension here filters the token stream)."""
        source = self.preprocess(source, name, filename)
        return self.lexer.tokenize(source, name, filename, state)

    # --- the extensions' tags (the nodes jinja2.ext and transformers build) -----------

    def _parse_loop_control(self, parser: Any) -> Any:
        token = next(parser.stream)
        if token.value == "break":
            return self._nodes.Break(lineno=token.lineno)
        return self._nodes.Continue(lineno=token.lineno)

    def _parse_do(self, parser: Any) -> Any:
        statement = self._nodes.ExprStmt(lineno=next(parser.stream).lineno)
        statement.node = parser.parse_tuple()
        return statement

    def _parse_generation(self, parser: Any) -> Any:
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return self._nodes.Scope(body, lineno=lineno)


def _load_light() -> tuple[ModuleType, Parse]:
    """jinja2's parsing submodules under :data:`ALIAS`, and a parse-only environment."""
    package = sys.modules.get(ALIAS)
    if package is None:
        found = importlib.util.find_spec("jinja2")  # locates it; runs nothing
        if found is None or not found.submodule_search_locations:
            raise ImportError("jinja2 is not installed as a package")
        spec = importlib.machinery.ModuleSpec(ALIAS, None, is_package=True)
        spec.submodule_search_locations = list(found.submodule_search_locations)
        package = importlib.util.module_from_spec(spec)
        sys.modules[ALIAS] = package
    names = ("exceptions", "lexer", "nodes", "parser")
    loaded = {name: importlib.import_module(f"{ALIAS}.{name}") for name in names}
    environment = _ParseEnvironment(loaded)
    if not isinstance(environment.parse(_SMOKE), loaded["nodes"].Template):
        raise ImportError("jinja2's parser returned something other than a Template")
    return loaded["nodes"], environment.parse


def _load_real() -> tuple[ModuleType, Parse]:
    """The checker's original path: the real sandboxed environment's ``parse``."""
    from jinja2 import nodes as real_nodes
    from jinja2.ext import Extension, do, loopcontrols
    from jinja2.parser import Parser
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class GenerationTag(Extension):
        """transformers' ``{% generation %}...{% endgeneration %}`` block."""

        tags = {"generation"}  # noqa: RUF012 - jinja2's Extension API declares it this way

        def parse(self, parser: Parser) -> nodes.Node:
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
            return real_nodes.Scope(body, lineno=lineno)

    environment = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols, do, GenerationTag]
    )
    return real_nodes, environment.parse


def load() -> tuple[ModuleType, Parse]:
    """The node module and the parse function: the light path, else the real environment."""
    try:
        return _load_light()
    except Exception:  # any failure of the light path: a jinja2 laid out differently
        for name in [n for n in sys.modules if n == ALIAS or n.startswith(ALIAS + ".")]:
            del sys.modules[name]
        return _load_real()


_nodes_module, parse = load()
"""``parse(source)``: the template's AST. Raises what ``Environment.parse`` raises."""

if not TYPE_CHECKING:
    nodes = _nodes_module
