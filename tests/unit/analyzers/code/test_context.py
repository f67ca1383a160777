"""ModuleContext: name resolution through imports and assignments, constant folding."""

from __future__ import annotations

import ast
import textwrap

import pytest

from aiwarden.analyzers.code.context import UNKNOWN, ModuleContext


def _ctx(source: str) -> ModuleContext:
    return ModuleContext.parse(textwrap.dedent(source))


def _call_names(source: str) -> list[set[str]]:
    ctx = _ctx(source)
    return [set(ctx.call_names(call)) for call in ctx.calls()]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import torch\ntorch.load(f)", "torch.load"),
        ("import torch as t\nt.load(f)", "torch.load"),
        ("from torch import load\nload(f)", "torch.load"),
        ("from torch import load as l\nl(f)", "torch.load"),
        ("import os.path\nos.path.join(a)", "os.path.join"),
        ("import torch.serialization as ts\nts.load(f)", "torch.serialization.load"),
        ("eval(x)", "builtins.eval"),
        ("import pickle\nloader = pickle.loads\nloader(b)", "pickle.loads"),
        ("from . import utils\nutils.load(f)", ".utils.load"),
        ("from .pkg import helper\nhelper(f)", ".pkg.helper"),
    ],
)
def test_a_call_resolves_through_imports_and_aliases(source: str, expected: str) -> None:
    assert _call_names(source)[-1] == {expected}


def test_an_instance_method_is_named_after_the_constructor_call() -> None:
    names = _call_names(
        """
        from openai import OpenAI
        client = OpenAI()
        reply = client.chat.completions.create(model="m", messages=[])
        """
    )
    assert names[-1] == {"openai.OpenAI().chat.completions.create"}


def test_a_conditional_import_yields_every_possible_name() -> None:
    names = _call_names(
        """
        try:
            import cPickle as pickle
        except ImportError:
            import pickle
        pickle.loads(b)
        """
    )
    assert names[-1] == {"cPickle.loads", "pickle.loads"}


def test_a_shadowed_builtin_is_not_the_builtin() -> None:
    names = _call_names(
        """
        def eval(x):
            return x
        eval("1")
        """
    )
    assert names[-1] == set()


def test_function_scope_names_do_not_leak_and_globals_are_seen() -> None:
    names = _call_names(
        """
        import pickle
        def f():
            import json as pickle
            return pickle.loads(b)
        def g():
            return pickle.loads(b)
        """
    )
    assert names == [{"json.loads"}, {"pickle.loads"}]


def test_class_bodies_are_skipped_by_methods() -> None:
    names = _call_names(
        """
        import pickle
        class C:
            pickle = None
            def m(self):
                return pickle.loads(b)
        """
    )
    assert names[-1] == {"pickle.loads"}


def test_self_referencing_rebinding_does_not_loop() -> None:
    names = _call_names("x = x.y\nx.z()")
    assert names == [set()]


def _kwarg(source: str, name: str) -> object:
    ctx = _ctx(source)
    call = ctx.calls()[-1]
    return ctx.constant(ctx.argument(call, name))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("f(trust_remote_code=True)", True),
        ("flag = True\nf(trust_remote_code=flag)", True),
        ("a = True\nflag = a\nf(trust_remote_code=flag)", True),
        ("f(trust_remote_code=not False)", True),
        ("f(x=-1)", -1),
        ("f(x='a' + 'b')", "ab"),
        ("f(x=f'plain')", "plain"),
        ("f(x=('a', 1))", ("a", 1)),
        ("flag = True\nflag = False\nf(x=flag)", UNKNOWN),
        ("def g(flag=True):\n    f(x=flag)", UNKNOWN),
        ("f(x=os.environ['A'])", UNKNOWN),
        ("f(x=f'{y}')", UNKNOWN),
        ("f()", UNKNOWN),
    ],
)
def test_constants_are_folded_only_when_provable(source: str, expected: object) -> None:
    assert _kwarg(source, "x" if "x=" in source else "trust_remote_code") == expected


def test_positional_arguments_are_found_unless_a_star_precedes_them() -> None:
    ctx = _ctx("f(a, b)\nf(*args, b)")
    first, second = ctx.calls()
    assert isinstance(ctx.argument(first, "name", 1), ast.Name)
    assert ctx.argument(second, "name", 1) is None


def test_unknown_has_no_truth_value() -> None:
    with pytest.raises(TypeError):
        bool(UNKNOWN)


def test_an_issue_carries_evidence_and_a_line_free_fingerprint() -> None:
    from aiw_test_support import make_rule

    ctx = _ctx("import torch\n\ndef load(p):\n    return torch.load(p)\n")
    call = ctx.calls()[0]
    issue = ctx.issue(make_rule("AIW-PY001"), call, "unsafe")
    assert (issue.line, issue.column) == (4, 12)
    assert issue.evidence == "return torch.load(p)"
    assert issue.fingerprint_key == "load: torch.load(p)"
    moved = _ctx("import torch\n\n\n\ndef load(p):\n    return torch.load(p)\n")
    assert moved.issue(make_rule("AIW-PY001"), moved.calls()[0], "x").fingerprint_key == (
        issue.fingerprint_key
    )


def _rebinding_module(depth: int) -> str:
    lines = ["import numpy as np", "v0 = np.zeros(3)"]
    for i in range(1, depth):
        lines += [f"v{i} = v{i - 1}.dot(v{i - 1})", f"v{i} = v{i - 1}.T.copy()"]
    lines.append(f"logger.info(v{depth - 1}.run())")
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(60)  # a hang guard: without memoisation this enumerates 2**40 names
def test_names_rebound_from_each_other_resolve_once_each() -> None:
    ctx = _ctx(_rebinding_module(40))
    names = ctx.call_names(ctx.calls()[-1])
    assert all(name.startswith("numpy.zeros().") for name in names)
    assert len(names) <= 32


@pytest.mark.timeout(60)
def test_every_checker_finishes_on_a_rebinding_module() -> None:
    from aiwarden.analyzers.code.python_source import check_python_source

    assert check_python_source(_rebinding_module(60)) == []


def test_a_with_target_is_the_context_manager() -> None:
    names = _call_names("import tarfile\nwith tarfile.open(p) as tar:\n    tar.extractall()\n")
    assert names[-1] == {"tarfile.open().extractall"}


def test_a_conventional_module_name_bound_nowhere_is_that_module() -> None:
    assert _call_names("np.load(f, allow_pickle=True)")[-1] == {"numpy.load"}
    assert _call_names("np = object()\nnp.load(f)")[-1] == {"builtins.object().load"}
