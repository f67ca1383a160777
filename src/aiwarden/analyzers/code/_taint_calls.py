"""How taint passes through a call that is neither a source nor a summarised local helper.

By default the result of a call carries the taints of its receiver and arguments
(``tainted.strip()``, ``"".join(parts)``, ``json.loads(text)``, ``helper(text)``).
Calls that return numbers or booleans (``int(x)``, ``len(x)``, ``x.isdigit()``) are
clean; escaping functions clear the one sink kind they protect (``shlex.quote`` for
shell strings, ``html.escape`` for HTML, ``os.path.basename`` for file paths).
"""

from __future__ import annotations

import ast
import re
from typing import Final

from aiwarden.analyzers.code._taint_types import EMPTY, SinkKind, TaintSet
from aiwarden.analyzers.code.context import ModuleContext

CLEAN_FUNCTIONS: Final = frozenset(
    f"builtins.{name}"
    for name in [
        "int",
        "float",
        "bool",
        "complex",
        "len",
        "hash",
        "id",
        "isinstance",
        "issubclass",
        "callable",
        "ord",
        "abs",
        "round",
        "range",
        "hex",
        "oct",
        "bin",
        "type",
        "sum",
        "any",
        "all",
        "print",
        "hasattr",
        "divmod",
    ]
)
"""Builtins whose result cannot carry attacker-chosen text."""

CLEAN_PREFIXES: Final = ("math.", "hashlib.", "uuid.", "secrets.", "time.", "random.", "zlib.crc")
"""Modules whose functions return digests, numbers or fresh values."""

CLEAN_METHODS: Final = frozenset(
    [
        "isdigit",
        "isalpha",
        "isalnum",
        "isnumeric",
        "isdecimal",
        "isidentifier",
        "isspace",
        "islower",
        "isupper",
        "istitle",
        "isascii",
        "startswith",
        "endswith",
        "count",
        "find",
        "rfind",
        "index",
        "rindex",
        "exists",
        "is_file",
        "is_dir",
        "is_absolute",
        "is_relative_to",
        "is_symlink",
        "hexdigest",
        "digest",
        "__len__",
        "__contains__",
        "total_seconds",
        "bit_length",
    ]
)
"""Methods that return a number or a boolean."""

SANITISERS: Final[dict[str, frozenset[SinkKind]]] = {
    **dict.fromkeys(("shlex.quote", "pipes.quote", "shlex.join"), frozenset({SinkKind.SHELL})),
    **dict.fromkeys(
        (
            "html.escape",
            "cgi.escape",
            "markupsafe.escape",
            "flask.escape",
            "jinja2.escape",
            "bleach.clean",
            "nh3.clean",
            "django.utils.html.escape",
            "django.utils.html.conditional_escape",
            "xml.sax.saxutils.escape",
        ),
        frozenset({SinkKind.HTML}),
    ),
    **dict.fromkeys(
        (
            "os.path.basename",
            "posixpath.basename",
            "ntpath.basename",
            "werkzeug.utils.secure_filename",
            "werkzeug.security.safe_join",
            "werkzeug.utils.safe_join",
            "flask.safe_join",
            "pathvalidate.sanitize_filename",
            "pathvalidate.sanitize_filepath",
        ),
        frozenset({SinkKind.PATH}),
    ),
    **dict.fromkeys(
        ("urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.urlencode"),
        frozenset({SinkKind.URL}),
    ),
}
"""Escaping functions and the sink kind each one makes safe."""

MUTATORS: Final = frozenset(
    ["append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft"]
)
"""Methods that put their argument into the receiver container."""


_NAMED: Final = (
    (re.compile(r"saniti[sz]|escape|bleach|clean_html"), frozenset({SinkKind.HTML})),
    (re.compile(r"saniti[sz]|quote|escape"), frozenset({SinkKind.SHELL})),
    (
        re.compile(r"saniti[sz]|valid|(?<!un)safe|secure|relative_path|confine|jail|within"),
        frozenset({SinkKind.PATH}),
    ),
    (re.compile(r"saniti[sz]|valid|allow|(?<!un)safe"), frozenset({SinkKind.URL})),
)
"""Helper names that say what they make safe (``validate_path``, ``sanitize_html``...)."""


def named_sanitiser(call: ast.Call, taints: TaintSet) -> TaintSet:
    """``taints`` cleared for the kinds the callee's own name promises to make safe.

    Project helpers (``self.get_relative_path(p)``, ``sanitize_html(s)``,
    ``validate_url(u)``) usually check or escape what their name says; code and SQL
    sinks are never cleared this way.
    """
    if not taints:
        return taints
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    lowered = name.lower()
    cleared = frozenset().union(*(kinds for pattern, kinds in _NAMED if pattern.search(lowered)))
    if not cleared:
        return taints
    return frozenset(t.sanitised(cleared) for t in taints)


def call_result(
    ctx: ModuleContext,
    call: ast.Call,
    receiver: TaintSet,
    args: list[TaintSet],
    keywords: dict[str, TaintSet],
) -> TaintSet:
    """The taints of ``call``'s result from those of its receiver and arguments."""
    flowing = receiver.union(*args, *keywords.values())
    if not flowing:
        return EMPTY
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in CLEAN_METHODS:
        return EMPTY
    names = ctx.call_names(call)
    if names & CLEAN_FUNCTIONS or any(n.startswith(CLEAN_PREFIXES) for n in names):
        return EMPTY
    cleared: frozenset[SinkKind] = frozenset().union(
        *(SANITISERS[n] for n in names if n in SANITISERS)
    )
    if not cleared and isinstance(func, ast.Attribute) and func.attr == "escape":
        cleared = frozenset({SinkKind.HTML})  # Markup.escape, markupsafe.escape via aliases
    if cleared:
        return frozenset(t.sanitised(cleared) for t in flowing)
    return flowing
