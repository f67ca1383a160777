"""Symbolic values of the pickle VM: constants, imported callables, calls, containers.

Nothing here is ever executed. A :class:`Ref` stands for an imported callable (or a
module reached through an import gadget), a :class:`Call` for the result of invoking
something, and :class:`Opaque` for a value the emulation does not model. Containers
keep a bounded number of items so that hostile streams cannot grow memory without
bound; :func:`render` turns a value into the short, readable evidence shown to users.
"""

from __future__ import annotations

from typing import Final, TypeAlias

MAX_CONTAINER_ITEMS: Final = 4096
"""Items kept per symbolic list, set or dict; more are counted but dropped."""
_RENDER_CHARS: Final = 300
_RENDER_DEPTH: Final = 6
_RENDER_ITEMS: Final = 6
_CONST_CHARS: Final = 80
_CONSTANT_KEYS: Final = frozenset({str, int, bytes, bool, float, type(None)})
"""Key types whose later occurrence replaces an earlier one, as in a real dict."""


class Mark:
    """The MARK pseudo-object on the stack."""

    def __repr__(self) -> str:
        return "MARK"


MARK: Final = Mark()


class Ref:
    """An imported callable or module; ``None`` marks a part that was not resolved.

    ``via`` names the gadget (``builtins.getattr``, ``builtins.__import__``) through
    which a reference was *derived* from another value rather than imported directly.
    ``is_module`` is set for a module object (``__import__('os')``).

    The symbolic values are plain slotted classes compared by identity: the VM makes
    them in its hot loop, nothing compares, hashes by value or prints them, and a
    dataclass would cost its creation at import on every scan.
    """

    __slots__ = ("_dotted", "is_module", "module", "name", "offset", "opcode", "via")

    def __init__(
        self,
        module: str | None,
        name: str | None,
        opcode: str,
        offset: int | None,
        via: str | None = None,
        is_module: bool = False,
    ) -> None:
        self.module = module
        self.name = name
        self.opcode = opcode
        self.offset = offset
        self.via = via
        self.is_module = is_module
        self._dotted: str | None = None

    @property
    def dotted(self) -> str:
        """``module.name`` with ``<?>`` for unresolved parts (just ``module`` for a module).

        Computed once: a reference is never changed after it is made (the VM, the
        evaluator and the findings only read it), and the name is asked for at every
        call, BUILD and finding.
        """
        dotted = self._dotted
        if dotted is None:
            module = self.module if self.module is not None else "<?>"
            if self.is_module:
                dotted = module
            else:
                dotted = f"{module}.{self.name if self.name is not None else '<?>'}"
            self._dotted = dotted
        return dotted

    @property
    def resolved(self) -> bool:
        """True when both parts are known strings."""
        return self.module is not None and (self.is_module or self.name is not None)


class Call:
    """The result of invoking ``func`` with ``args`` (REDUCE, NEWOBJ, OBJ, INST ...).

    ``result`` holds the value when the call is a pure function the emulation can
    evaluate on constants (a base64 decode, a string join, ``getattr`` on a module).
    ``state`` is what a later BUILD set on the object.
    """

    __slots__ = ("args", "evaluated", "func", "kwargs", "offset", "opcode", "result", "state")

    def __init__(
        self,
        func: Value,
        args: Value,
        opcode: str,
        offset: int | None,
        kwargs: Value = None,
        state: Value = None,
        result: Value = None,
        evaluated: bool = False,
    ) -> None:
        self.func = func
        self.args = args
        self.opcode = opcode
        self.offset = offset
        self.kwargs = kwargs
        self.state = state
        self.result = result
        self.evaluated = evaluated


class Opaque:
    """A value the emulation does not model (an out-of-band buffer, a broken operand)."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what


class PersId:
    """A persistent id (torch storages): resolved by the loader, not the pickle."""

    __slots__ = ("pid",)

    def __init__(self, pid: Value) -> None:
        self.pid = pid


class SList:
    """A list, set or frozenset under construction (``kind`` says which)."""

    __slots__ = ("dropped", "items", "kind")

    def __init__(self, kind: str, items: list[Value] | None = None, dropped: int = 0) -> None:
        self.kind = kind
        self.items: list[Value] = [] if items is None else items
        self.dropped = dropped

    def add(self, item: Value) -> None:
        """Append ``item`` unless the container is full (then count it)."""
        if len(self.items) < MAX_CONTAINER_ITEMS:
            self.items.append(item)
        else:
            self.dropped += 1


class SDict:
    """A dict under construction, as (key, value) pairs in insertion order.

    ``_index`` holds the position in ``items`` of each constant key: replacing a key is
    O(1). A string key is its own slot (the common case, no tuple to build); any other
    constant key is slotted by (type, key), so ``1``, ``1.0`` and ``True`` stay
    distinct. A string never equals a tuple, so the two kinds of slot cannot collide.
    """

    __slots__ = ("_index", "dropped", "items")

    def __init__(
        self,
        items: list[tuple[Value, Value]] | None = None,
        dropped: int = 0,
        _index: dict[object, int] | None = None,
    ) -> None:
        self.items: list[tuple[Value, Value]] = [] if items is None else items
        self.dropped = dropped
        self._index: dict[object, int] = {} if _index is None else _index

    def set(self, key: Value, value: Value) -> None:
        """Set ``key`` (constant keys replace earlier ones), within the size bound."""
        kind = type(key)
        slot: object
        if kind is str:
            slot = key
        elif kind in _CONSTANT_KEYS and key == key:  # NaN: no match
            slot = (kind, key)
        else:
            slot = None
        items = self.items
        if slot is not None:
            index = self._index.get(slot)
            if index is not None:
                items[index] = (key, value)
                return
        if len(items) < MAX_CONTAINER_ITEMS:
            if slot is not None:
                self._index[slot] = len(items)
            items.append((key, value))
        else:
            self.dropped += 1

    def set_pairs(self, flat: list[Value], start: int) -> None:
        """:meth:`set` each (key, value) pair of ``flat[start:]``, in order (SETITEMS).

        String keys, nearly all keys of real pickles, take :meth:`set`'s string branch
        inline; any other key goes through :meth:`set` itself.
        """
        items, index = self.items, self._index
        for position in range(start, len(flat) - 1, 2):
            key = flat[position]
            if type(key) is not str:
                self.set(key, flat[position + 1])
                continue
            slot = index.get(key)
            if slot is not None:
                items[slot] = (key, flat[position + 1])
            elif len(items) < MAX_CONTAINER_ITEMS:
                index[key] = len(items)
                items.append((key, flat[position + 1]))
            else:
                self.dropped += 1

    def get(self, key: str) -> Value | None:
        """The value stored under the string ``key``, or None.

        A string key is always indexed (str is a constant key type, and a string equals
        itself), and replaced in place when set again, so the index finds the one item
        a scan of ``items`` for that key would find; a key dropped at the size bound is
        in neither.
        """
        index = self._index.get(key)
        return None if index is None else self.items[index][1]


Value: TypeAlias = (
    bool
    | int
    | float
    | str
    | bytes
    | tuple["Value", ...]
    | Ref
    | Call
    | Opaque
    | PersId
    | SList
    | SDict
    | Mark
    | None
)


def resolve(value: Value) -> Value:
    """The evaluated result of a call when the emulation computed one, else ``value``."""
    seen = 0
    while isinstance(value, Call) and value.evaluated and seen < 16:
        value = value.result
        seen += 1
    return value


def render(value: Value, limit: int = _RENDER_CHARS) -> str:
    """A short, Python-like rendering of ``value`` for evidence (``os.system('id')``)."""
    text = _render(value, 0)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _const(value: str | bytes) -> str:
    text = repr(value)
    return text if len(text) <= _CONST_CHARS else text[: _CONST_CHARS - 4] + "…" + text[-1]


def _items(values: list[Value] | tuple[Value, ...], depth: int, extra: int = 0) -> str:
    shown = [_render(v, depth + 1) for v in values[:_RENDER_ITEMS]]
    if len(values) > _RENDER_ITEMS or extra:
        shown.append("…")
    return ", ".join(shown)


def _render(value: Value, depth: int) -> str:
    if depth > _RENDER_DEPTH:
        return "…"
    if isinstance(value, str | bytes):
        return _const(value)
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, tuple):
        return f"({_items(value, depth)}{',' if len(value) == 1 else ''})"
    if isinstance(value, Ref):
        return value.dotted
    if isinstance(value, Call):
        return _render_call(value, depth)
    if isinstance(value, SList):
        inner = _items(value.items, depth, value.dropped)
        return f"[{inner}]" if value.kind == "list" else f"{value.kind}({{{inner}}})"
    if isinstance(value, SDict):
        pairs = [f"{_render(k, depth + 1)}: {_render(v, depth + 1)}" for k, v in value.items[:4]]
        more = ", …" if len(value.items) > 4 or value.dropped else ""
        return "{" + ", ".join(pairs) + more + "}"
    if isinstance(value, PersId):
        return f"<persistent id {_render(value.pid, depth + 1)}>"
    if isinstance(value, Opaque):
        return f"<{value.what}>"
    return "<mark>"


def _render_call(call: Call, depth: int) -> str:
    func = _render(call.func, depth + 1)
    args = call.args
    inner = _items(args, depth) if isinstance(args, tuple) else f"*{_render(args, depth + 1)}"
    if call.kwargs is not None:
        inner += f", **{_render(call.kwargs, depth + 1)}"
    text = f"{func}({inner})"
    if depth > 0 and not isinstance(call.func, Ref):
        return text
    return f"<{text}>" if depth > 0 else text
