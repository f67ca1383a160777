"""The symbolic dict: later constant keys replace earlier ones, as in the real unpickler."""

from __future__ import annotations

import math

from aiwarden.analyzers.models._pickle_values import MAX_CONTAINER_ITEMS, Opaque, SDict


def test_a_repeated_constant_key_replaces_the_value_in_place() -> None:
    d = SDict()
    d.set("a", 1)
    d.set("b", 2)
    d.set("a", 3)
    assert d.items == [("a", 3), ("b", 2)]
    assert d.get("a") == 3


def test_keys_of_different_types_stay_apart() -> None:
    d = SDict()
    for key in (1, True, 1.0, "1", b"1", None):
        d.set(key, key)
    assert [k for k, _ in d.items] == [1, True, 1.0, "1", b"1", None]


def test_nan_keys_never_match_and_symbolic_keys_are_kept() -> None:
    d = SDict()
    nan = math.nan
    d.set(nan, 1)
    d.set(nan, 2)
    d.set(Opaque("x"), 3)
    d.set(Opaque("x"), 4)
    assert len(d.items) == 4


def test_a_full_dict_counts_new_keys_but_still_replaces_known_ones() -> None:
    d = SDict()
    for index in range(MAX_CONTAINER_ITEMS):
        d.set(index, 0)
    d.set("new", 1)
    d.set(5, "replaced")
    assert d.dropped == 1
    assert len(d.items) == MAX_CONTAINER_ITEMS
    assert d.items[5] == (5, "replaced")


def test_every_key_of_a_full_dict_can_be_replaced() -> None:
    d = SDict()
    for index in range(MAX_CONTAINER_ITEMS):
        d.set(f"key{index}", index)
    for index in range(MAX_CONTAINER_ITEMS):
        d.set(f"key{index}", -index)
    assert d.items[-1] == (f"key{MAX_CONTAINER_ITEMS - 1}", 1 - MAX_CONTAINER_ITEMS)
