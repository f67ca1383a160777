"""Taints are values: equal by their fields (the origin node by identity), new on change."""

from __future__ import annotations

import ast

from aiwarden.analyzers.code._taint_types import SinkKind, Taint
from aiwarden.core.severity import Confidence


def test_equal_fields_mean_equal_taints_and_hashes() -> None:
    node = ast.Name("x")
    a = Taint(node, "src", Confidence.MEDIUM, frozenset({SinkKind.SHELL}), "p", ("f", 3))
    b = Taint(node, "src", Confidence.MEDIUM, frozenset({SinkKind.SHELL}), "p", ("f", 3))
    assert a == b and hash(a) == hash(b)
    assert len({a, b}) == 1


def test_any_field_or_another_node_makes_a_different_taint() -> None:
    node = ast.Name("x")
    base = Taint(node, "src")
    others = [
        Taint(ast.Name("x"), "src"),
        Taint(node, "other"),
        Taint(node, "src", Confidence.LOW),
        Taint(node, "src", cleared=frozenset({SinkKind.SQL})),
        Taint(node, "src", param="p"),
        Taint(node, "src", via=("f", 1)),
    ]
    assert all(base != other for other in others)
    assert base != ("src",)


def test_sanitised_and_returned_by_make_new_taints() -> None:
    node = ast.Name("x")
    base = Taint(node, "src", via=None)
    cleaned = base.sanitised(frozenset({SinkKind.HTML}))
    assert cleaned.cleared == frozenset({SinkKind.HTML}) and base.cleared == frozenset()
    assert cleaned.sanitised(frozenset({SinkKind.SQL})).cleared == {SinkKind.HTML, SinkKind.SQL}
    returned = base.returned_by(("helper", 7))
    assert returned.via == ("helper", 7)
    assert returned.returned_by(("outer", 9)).via == ("helper", 7)  # the innermost is kept
    assert returned == Taint(node, "src", via=("helper", 7))
    assert "label='src'" in repr(returned)
