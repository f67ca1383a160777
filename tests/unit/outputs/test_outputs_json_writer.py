"""The indented JSON writer matches json.dumps(indent=2) for every JSON-able value."""

from __future__ import annotations

import json
import random

import pytest

from aiwarden.outputs.json import dumps_indented


class Text(str):
    pass


class Number(int):
    pass


class Items(list[object]):
    pass


class Mapping(dict[object, object]):
    pass


_LEAVES: list[object] = [
    None, True, False, 0, -5, 10**20, 1.5, float("nan"), float("inf"), -0.0, 1e300,
    "x", "", "\u00e9\u2028\"\\\n\x00", Text("s"), Number(3), [], {}, Items(), Mapping(), (),
]  # fmt: skip
_KEYS: list[object] = ["a", "b", 1, 2.5, None, True, False, Text("k"), "\u00fc"]


def _value(rng: random.Random, depth: int = 0) -> object:
    pick = rng.random()
    if depth > 3 or pick < 0.45:
        return rng.choice(_LEAVES)
    if pick < 0.7:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if pick < 0.78:
        return Items(_value(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    if pick < 0.85:
        return tuple(_value(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    kind = Mapping if rng.random() < 0.2 else dict
    return kind({rng.choice(_KEYS): _value(rng, depth + 1) for _ in range(rng.randint(0, 4))})


@pytest.mark.parametrize("seed", range(5))
def test_random_values_match_the_standard_library(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(400):
        value = _value(rng)
        assert dumps_indented(value) == json.dumps(value, indent=2)


def test_unserialisable_values_raise_type_error() -> None:
    with pytest.raises(TypeError):
        dumps_indented({"a": [object()]})
    with pytest.raises(TypeError):
        dumps_indented({(1, 2): 1})
