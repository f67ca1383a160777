"""A small immutable record base: value semantics without a dataclass's creation cost.

``@dataclass(frozen=True, slots=True)`` compiles half a dozen methods with ``exec`` when
its module is imported, about half a millisecond per class on every run of the CLI.
The records on the start-up path that nothing passes to ``dataclasses.replace``,
``fields`` or ``asdict`` derive from :class:`Record` instead and behave as such a
dataclass does: fields in ``__match_args__`` order (``__slots__ = __match_args__``;
the slots' own order is not relied on, formatters sort it), equality and hashing by the tuple of
fields for two records of the same class, ``Name(field=value, ...)`` as repr,
:class:`dataclasses.FrozenInstanceError` on assignment, and pickling by value.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any


class Record:
    """Base of immutable records.

    A subclass lists its fields in ``__match_args__`` (in ``__init__`` order), sets
    ``__slots__ = __match_args__``, and sets each field in ``__init__`` with
    ``object.__setattr__``.
    """

    __slots__ = ()
    __match_args__: tuple[str, ...] = ()

    def _fields(self) -> tuple[str, ...]:
        return self.__match_args__

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields())

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            assert isinstance(other, Record)
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields())
        return f"{type(self).__qualname__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[type[Record], tuple[Any, ...]]:
        return (type(self), self._values())
