"""The abstract values of the chat-template checker, and the constant string operations.

The checker never renders a template. It evaluates expressions *symbolically*: a
:class:`Val` is the set of constant values an expression may take (when every input is a
constant of the template), plus flags saying that it may also be a value from the render
context (``data``) or a string built in a way that was not modelled (``built``). The names
that reach attribute lookups are resolved from these sets; a name that cannot be resolved
is itself suspicious.

Every operation here works on plain Python constants (``str``, ``int``, ``float``,
``bool``, ``None``, tuples and :class:`DictV`) and is bounded: results longer than
:data:`MAX_STRING` or sets larger than :data:`MAX_OPTIONS` are widened to "built".
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Callable, Iterable
from typing import NamedTuple

MAX_OPTIONS = 32
"""Most constant values one expression may take before it is widened to 'built'."""
MAX_STRING = 4096
"""Longest constant string the checker computes; longer results are widened."""
MAX_SEQUENCE = 256
"""Longest constant list (``range``, ``|list`` of a string) the checker computes."""
_MAX_DANGER = 8

_INTROSPECTION = frozenset(
    {
        # frame, generator and code-object internals (jinja2.sandbox's unsafe attributes)
        "mro", "func_globals", "func_code", "func_closure", "im_func", "im_self", "im_class",
        "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await",
        "ag_frame", "ag_code", "ag_await", "f_globals", "f_locals", "f_builtins", "f_back",
        "f_code", "tb_frame", "tb_next", "co_code", "co_consts",
        # modules and process access reached by SSTI payloads
        "os", "sys", "subprocess", "builtins", "modules", "globals", "popen", "system",
        "spawnv", "spawnl", "execv", "execl", "check_output", "check_call", "getoutput",
        "getstatusoutput", "import_module", "load_module", "exec", "eval", "environ",
        "application", "environment",
    }
)  # fmt: skip
"""Attribute names that no chat template needs and that SSTI payloads use."""


def is_dangerous_name(name: str) -> bool:
    """True for a private/dunder name or a known introspection or OS-access attribute."""
    return name.startswith("_") or name in _INTROSPECTION


class DictV:
    """A constant mapping (``dict(a=1)`` or ``{'a': 1}``), as ordered key/value pairs.

    Immutable and hashed by its items (it is kept in sets of constant options); not a
    tuple, so that it never passes for a constant list. A plain ``__slots__`` class: a
    frozen dataclass costs more to create at import than this whole module's logic.
    """

    __slots__ = ("items",)
    items: tuple[tuple[object, object], ...]

    def __init__(self, items: tuple[tuple[object, object], ...]) -> None:
        object.__setattr__(self, "items", items)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is DictV:
            return self.items == other.items
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.items,))

    def __repr__(self) -> str:
        return f"DictV(items={self.items!r})"

    def get(self, key: object) -> object:
        """The value for ``key``; ``KeyError`` if absent."""
        for k, v in self.items:
            if k == key:
                return v
        raise KeyError(key)


class Val(NamedTuple):
    """What an expression may evaluate to (an immutable record, compared field by field).

    ``options`` are the constant values it may take; ``data`` says it may also come from
    the render context (messages, tools, ...); ``built`` that it may also be a string
    computed in a way the checker did not model; ``danger`` keeps dangerous names seen
    while computing it, so that widening never hides them.
    """

    options: frozenset[object] = frozenset()
    data: bool = False
    built: bool = False
    danger: frozenset[str] = frozenset()

    @property
    def exact(self) -> bool:
        """True if every possible value is known."""
        return bool(self.options) and not self.data and not self.built

    @property
    def unknown(self) -> bool:
        """True if some possible value is not known."""
        return self.data or self.built

    @property
    def stringy(self) -> bool:
        """True if a string took part in computing this value."""
        return self.built or any(isinstance(o, str) for o in self.options)


DATA = Val(data=True)
BUILT = Val(built=True)
BOTTOM = Val()


def known(*values: object) -> Val:
    """A value that is one of ``values``."""
    return make(values)


def make(values: Iterable[object], *, data: bool = False, built: bool = False) -> Val:
    """Build a :class:`Val`, widening oversized sets and recording dangerous names."""
    options: set[object] = set()
    danger: set[str] = set()
    for value in values:
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                built = True
                continue
            if is_dangerous_name(value) or _has_dangerous_part(value):
                danger.add(value[:64])
        options.add(value)
        if len(options) > MAX_OPTIONS:
            return Val(built=True, data=data, danger=frozenset(list(danger)[:_MAX_DANGER]))
    return Val(frozenset(options), data, built, frozenset(list(danger)[:_MAX_DANGER]))


def _has_dangerous_part(value: str) -> bool:
    if "." not in value or len(value) > 256:
        return False
    return any(is_dangerous_name(part) for part in value.split(".") if part)


def join(*vals: Val) -> Val:
    """The least value that covers every one of ``vals``."""
    options: set[object] = set()
    data = built = False
    danger: set[str] = set()
    for val in vals:
        options.update(val.options)
        data, built = data or val.data, built or val.built
        danger.update(val.danger)
    joined = make(options, data=data, built=built)
    if danger - joined.danger:
        extra = list(joined.danger | danger)[:_MAX_DANGER]
        joined = Val(joined.options, joined.data, joined.built, frozenset(extra))
    return joined


def taint(*vals: Val) -> Val:
    """An unknown result computed from ``vals``: 'built' if a string took part, else data."""
    danger = frozenset(d for v in vals for d in v.danger)
    if any(v.stringy for v in vals):
        return Val(built=True, danger=danger)
    return Val(data=True, danger=danger)


def apply(fn: Callable[..., object], *vals: Val) -> Val:
    """``fn`` over every combination of the constant options of ``vals``.

    An unknown input, a combination that raises, or too many combinations give the
    :func:`taint` of the inputs (joined with whatever was computed).
    """
    if any(not v.options for v in vals):
        return taint(*vals)
    total = 1
    for val in vals:
        total *= len(val.options)
    if total > MAX_OPTIONS:
        return taint(*vals)
    results: list[object] = []
    failed = False
    for combo in itertools.product(*(sorted(v.options, key=repr) for v in vals)):
        try:
            results.append(fn(*combo))
        except (TypeError, ValueError, KeyError, IndexError, OverflowError, ZeroDivisionError):
            failed = True
    computed = make(results)
    if failed or any(v.unknown for v in vals):
        return join(computed, taint(*vals))
    return join(computed, Val(danger=frozenset(d for v in vals for d in v.danger)))


# --- constant operations ------------------------------------------------------------------

_PERCENT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?P<width>\d*)(?:\.(?P<prec>\d*))?[diouxXeEfFgGcrsa%]"
)


def to_text(value: object) -> str:
    """``str()`` of a constant, as Jinja would print it."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)) or value is None:
        return str(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(repr(v) if isinstance(v, str) else to_text(v) for v in value) + "]"
    raise TypeError("not printable")


def concat(*parts: object) -> str:
    """Jinja's ``~``: the text of every part joined."""
    text = "".join(to_text(p) for p in parts)
    _check_len(text)
    return text


def percent_format(template: object, args: object) -> str:
    """``template % args`` for constants, refusing oversized widths."""
    if not isinstance(template, str):
        raise TypeError("not a string")
    for match in _PERCENT.finditer(template):
        for group in ("width", "prec"):
            if len(match.group(group) or "") > 3:
                raise ValueError("width too large")
    if isinstance(args, DictV):
        args = {k: v for k, v in args.items if isinstance(k, str)}
    elif not isinstance(args, tuple):
        args = (args,)
    text = template % args
    _check_len(text)
    return text


def str_format(template: object, *args: object, **kwargs: object) -> str:
    """``template.format(...)`` for constants, refusing attribute access and big widths."""
    if not isinstance(template, str):
        raise TypeError("not a string")
    for _lit, field, spec, _conv in string.Formatter().parse(template):
        if field is not None and ("." in field or "[" in field):
            raise ValueError("attribute access in format field")
        if spec and ("{" in spec or any(len(m) > 3 for m in re.findall(r"\d+", spec))):
            raise ValueError("unsafe format spec")
    if not all(isinstance(a, (str, int, float, bool)) or a is None for a in args):
        raise TypeError("non-constant argument")
    text = template.format(*args, **kwargs)
    _check_len(text)
    return text


def format_fields(template: str) -> list[str]:
    """The attribute/index parts named in ``template``'s replacement fields (``{0.a[b]}``)."""
    parts: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return parts
    for _lit, field, spec, _conv in parsed:
        for text in (field or "", spec or ""):
            parts.extend(re.findall(r"[.\[]\s*([^.\[\]{}]+)", text))
    return parts


def replace(text: object, old: object, new: object, count: object = -1) -> str:
    """``str.replace`` for constants, bounded in output size."""
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        raise TypeError("not strings")
    limit = count if isinstance(count, int) and not isinstance(count, bool) else -1
    hits = text.count(old) if old else len(text) + 1
    if limit >= 0:
        hits = min(hits, limit)
    if len(text) + hits * max(0, len(new) - len(old)) > MAX_STRING:
        raise ValueError("too long")
    return text.replace(old, new, limit)


def repeat(left: object, right: object) -> object:
    """``*`` on constants, bounded."""
    if isinstance(left, (str, tuple)) and isinstance(right, int):
        if right * len(left) > MAX_STRING:
            raise ValueError("too long")
        return left * right
    if isinstance(right, (str, tuple)):
        return repeat(right, left)
    return _number(left) * _number(right)


def add(left: object, right: object) -> object:
    """``+`` on constants of matching kinds."""
    if isinstance(left, str) and isinstance(right, str):
        return concat(left, right)
    if isinstance(left, tuple) and isinstance(right, tuple):
        if len(left) + len(right) > MAX_SEQUENCE:
            raise ValueError("too long")
        return left + right
    return _number(left) + _number(right)


def arith(op: str, left: object, right: object) -> object:
    """``-``, ``/``, ``//`` and ``**`` on numeric constants (``**`` bounded)."""
    a, b = _number(left), _number(right)
    if op == "sub":
        return a - b
    if op == "div":
        return a / b
    if op == "floordiv":
        return a // b
    if abs(b) > 64 or abs(a) > 2**32:
        raise OverflowError("power too large")
    return a**b


def _number(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("not a number")
    return value


def _check_len(text: str) -> None:
    if len(text) > MAX_STRING:
        raise ValueError("too long")


def elements(value: object) -> tuple[object, ...]:
    """What iterating a constant yields: characters, items or keys."""
    if isinstance(value, str):
        if len(value) > MAX_SEQUENCE:
            raise ValueError("too long")
        return tuple(value)
    if isinstance(value, tuple):
        return value
    if isinstance(value, DictV):
        return tuple(k for k, _v in value.items)
    raise TypeError("not iterable")


def subscript(value: object, key: object) -> object:
    """``value[key]`` on constants (Jinja's getitem)."""
    if isinstance(value, DictV):
        return value.get(key)
    if isinstance(value, (str, tuple)) and isinstance(key, int) and not isinstance(key, bool):
        return value[key]
    raise TypeError("not subscriptable")


def slice_of(value: object, start: object, stop: object, step: object) -> object:
    """``value[start:stop:step]`` on constants."""
    if not isinstance(value, (str, tuple)):
        raise TypeError("not sliceable")
    for bound in (start, stop, step):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
            raise TypeError("bad slice")
    return value[slice(_index(start), _index(stop), _index(step))]


def _index(bound: object) -> int | None:
    return bound if isinstance(bound, int) else None
