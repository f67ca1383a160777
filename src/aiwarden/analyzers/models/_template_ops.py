"""Jinja filters and Python string methods, modelled over constants for the template checker.

Each entry takes the constant receiver followed by constant arguments and returns a
constant; anything it cannot handle raises ``TypeError``/``ValueError`` and the caller
widens the result. Nothing here calls into Jinja or into objects from the template.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from aiwarden.analyzers.models._template_values import (
    MAX_SEQUENCE,
    MAX_STRING,
    DictV,
    elements,
    percent_format,
    replace,
    str_format,
    to_text,
)

Op = Callable[..., object]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _join(value: object, sep: object = "", attribute: object = None) -> str:
    if attribute is not None:
        raise TypeError("join by attribute is not modelled")
    text = to_text(sep).join(to_text(e) for e in elements(value))
    if len(text) > MAX_STRING:
        raise ValueError("too long")
    return text


def _first(value: object) -> object:
    return elements(value)[0]


def _last(value: object) -> object:
    return elements(value)[-1]


def _reverse(value: object) -> object:
    if isinstance(value, str):
        return value[::-1]
    return tuple(reversed(elements(value)))


def _as_list(value: object) -> tuple[object, ...]:
    return elements(value)


def _sort(value: object, reverse: object = False, case_sensitive: object = False) -> object:
    items = elements(value)
    return tuple(sorted(items, key=lambda e: (type(e).__name__, to_text(e)), reverse=bool(reverse)))


def _unique(value: object) -> object:
    return tuple(dict.fromkeys(elements(value)))


def _tojson(value: object, indent: object = None) -> str:
    plain = _plain(value)
    return json.dumps(plain, indent=indent if isinstance(indent, int) else None, sort_keys=True)


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, DictV):
        return {to_text(k): _plain(v) for k, v in value.items}
    return value


def _default(value: object, default: object = "", boolean: object = False) -> object:
    return default if boolean and not value else value


def _strip(value: object, chars: object = None) -> str:
    return _text(value).strip(None if chars is None else _text(chars))


def _lstrip(value: object, chars: object = None) -> str:
    return _text(value).lstrip(None if chars is None else _text(chars))


def _rstrip(value: object, chars: object = None) -> str:
    return _text(value).rstrip(None if chars is None else _text(chars))


def _split(value: object, sep: object = None, maxsplit: object = -1) -> tuple[object, ...]:
    limit = maxsplit if isinstance(maxsplit, int) else -1
    parts = _text(value).split(None if sep is None else _text(sep), limit)
    if len(parts) > MAX_SEQUENCE:
        raise ValueError("too long")
    return tuple(parts)


def _str_join(sep: object, items: object) -> str:
    return _join(items, sep)


def _pad(value: object, width: object, fill: object = " ") -> tuple[str, int, str]:
    if not isinstance(width, int) or width > MAX_STRING:
        raise ValueError("width too large")
    return _text(value), width, _text(fill)


def _center(value: object, width: object = 80, fill: object = " ") -> str:
    text, size, pad = _pad(value, width, fill)
    return text.center(size, pad)


def _ljust(value: object, width: object, fill: object = " ") -> str:
    text, size, pad = _pad(value, width, fill)
    return text.ljust(size, pad)


def _rjust(value: object, width: object, fill: object = " ") -> str:
    text, size, pad = _pad(value, width, fill)
    return text.rjust(size, pad)


def _removeprefix(value: object, prefix: object) -> str:
    return _text(value).removeprefix(_text(prefix))


def _removesuffix(value: object, suffix: object) -> str:
    return _text(value).removesuffix(_text(suffix))


def _format_filter(value: object, *args: object) -> str:
    return percent_format(value, args if len(args) != 1 else args[0])


def _escape(value: object) -> str:
    text = to_text(value)
    for raw, safe in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;")):
        text = text.replace(raw, safe)
    return text


def _chars(method: Callable[[str], str]) -> Op:
    def op(value: object) -> str:
        return method(_text(value))

    return op


def _identity(value: object, *args: object) -> object:
    return value


def _items(value: object) -> tuple[object, ...]:
    if isinstance(value, DictV):
        return tuple(value.items)
    raise TypeError("not a mapping")


def _keys(value: object) -> tuple[object, ...]:
    if isinstance(value, DictV):
        return tuple(k for k, _v in value.items)
    raise TypeError("not a mapping")


def _values(value: object) -> tuple[object, ...]:
    if isinstance(value, DictV):
        return tuple(v for _k, v in value.items)
    raise TypeError("not a mapping")


def _get(value: object, key: object, default: object = None) -> object:
    if isinstance(value, DictV):
        try:
            return value.get(key)
        except KeyError:
            return default
    raise TypeError("not a mapping")


def _string(value: object) -> str:
    return to_text(value)


_CASE: dict[str, Op] = {
    "lower": _chars(str.lower),
    "upper": _chars(str.upper),
    "title": _chars(str.title),
    "capitalize": _chars(str.capitalize),
}

FILTERS: dict[str, Op] = {
    **_CASE,
    "trim": _strip,
    "string": _string,
    "join": _join,
    "first": _first,
    "last": _last,
    "reverse": _reverse,
    "list": _as_list,
    "sort": _sort,
    "unique": _unique,
    "replace": replace,
    "format": _format_filter,
    "tojson": _tojson,
    "default": _default,
    "d": _default,
    "safe": _identity,
    "e": _escape,
    "escape": _escape,
    "forceescape": _escape,
    "center": _center,
    "items": _items,
}
"""Jinja filters modelled over constants (receiver first)."""

METHODS: dict[str, Op] = {
    **_CASE,
    "swapcase": _chars(str.swapcase),
    "casefold": _chars(str.casefold),
    "strip": _strip,
    "lstrip": _lstrip,
    "rstrip": _rstrip,
    "replace": replace,
    "split": _split,
    "join": _str_join,
    "format": str_format,
    "center": _center,
    "ljust": _ljust,
    "rjust": _rjust,
    "removeprefix": _removeprefix,
    "removesuffix": _removesuffix,
    "items": _items,
    "keys": _keys,
    "values": _values,
    "get": _get,
}
"""Python methods on constants modelled by the checker (receiver first)."""
