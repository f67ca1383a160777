"""Deserialization rules: ``torch.load``, the pickle family, pickle over the network, YAML.

``AIW-PY001`` unsafe ``torch.load`` (and ``torch.jit.load`` / ``torch.package`` of
non-literal paths), ``AIW-PY002`` pickle-family loads of files, ``AIW-PY015`` pickle
over the network (reported *instead of* ``AIW-PY002`` on the same call), and
``AIW-PY022`` ``yaml.load`` without a safe loader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code._netsource import network_source
from aiwarden.analyzers.code._rules_meta import (
    PICKLE_LOAD,
    PICKLE_NETWORK,
    TORCH_LOAD,
    YAML_LOAD,
)
from aiwarden.analyzers.code._yaml_loaders import yaml_problem
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity

__all__ = ["PICKLE_LOAD", "PICKLE_NETWORK", "TORCH_LOAD", "YAML_LOAD", "DeserializationChecker"]


_PICKLE_MODULES: Final = frozenset(
    {
        "pickle",
        "cPickle",
        "_pickle",
        "pickle5",
        "dill",
        "dill._dill",
        "cloudpickle",
        "cloudpickle.cloudpickle",
        "cloudpickle.cloudpickle_fast",
        "ray.cloudpickle",
        "joblib.externals.cloudpickle",
        "srsly.cloudpickle",
    }
)
_PICKLE_NAMES: Final = frozenset(
    {"load", "loads", "Unpickler", "_load", "_loads", "_Unpickler", "load_session", "load_module"}
)
_OTHER_PICKLE: Final = frozenset(
    {
        "shelve.open",
        "shelve.Shelf",
        "shelve.DbfilenameShelf",
        "shelve.BsdDbShelf",
        "jsonpickle.decode",
        "jsonpickle.loads",
        "jsonpickle.unpickler.decode",
        "jsonpickle.Unpickler",
        "jsonpickle.unpickler.Unpickler",
        "joblib.load",
        "joblib.numpy_pickle.load",
        "sklearn.externals.joblib.load",
        "sklearn.externals.joblib.numpy_pickle.load",
        "pandas.read_pickle",
        "pandas.io.pickle.read_pickle",
        "srsly.pickle_loads",
    }
)
_NUMPY_PICKLE: Final = {"numpy.load": 2, "numpy.lib.format.read_array": 1}
_SKOPS: Final = frozenset({"skops.io.load", "skops.io.loads"})
_TORCH_LOAD: Final = frozenset({"torch.load", "torch.serialization.load"})
_TORCH_CODE: Final = frozenset(
    {
        "torch.jit.load",
        "torch.package.PackageImporter",
        "torch.package.package_importer.PackageImporter",
    }
)
_MP_CONNECTION: Final = {
    "multiprocessing.connection.Listener": 3,
    "multiprocessing.connection.Client": 2,
}
_RPYC_SERVICES: Final = frozenset({"SlaveService", "ClassicService"})


class DeserializationChecker(Checker):
    """Reports AIW-PY001, AIW-PY002, AIW-PY015 and AIW-PY022."""

    rules: ClassVar[tuple[Rule, ...]] = (TORCH_LOAD, PICKLE_LOAD, PICKLE_NETWORK, YAML_LOAD)

    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield one issue per offending call (and per rpyc classic service reference)."""
        for call in ctx.calls():
            issue = self._check_call(ctx, call, ctx.call_names(call))
            if issue is not None:
                yield issue
        yield from _rpyc_services(ctx)

    def _check_call(
        self, ctx: ModuleContext, call: ast.Call, names: frozenset[str]
    ) -> CodeIssue | None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "recv_pyobj":
            return ctx.issue(
                PICKLE_NETWORK,
                call,
                f"`{kit.short(ctx, func)}()` unpickles whatever a peer sends (ZeroMQ "
                "recv_pyobj is pickle.loads on the wire).",
            )
        if not names:
            return None
        for check in (_torch_issue, _pickle_issue, _network_issue, _yaml_issue):
            issue = check(ctx, call, names)
            if issue is not None:
                return issue
        return None


def _torch_issue(ctx: ModuleContext, call: ast.Call, names: frozenset[str]) -> CodeIssue | None:
    if names & _TORCH_LOAD:
        return _torch_load(ctx, call)
    if names & _TORCH_CODE:
        path = ctx.argument(call, "f", 0) or ctx.argument(call, "file_or_buffer", 0)
        if path is None or kit.constant_str(ctx, path) is not None:
            return None
        return ctx.issue(
            TORCH_LOAD,
            call,
            f"`{kit.short(ctx, call.func)}` loads an archive that carries code from a "
            "non-literal path; load TorchScript/torch.package archives only from trusted "
            "sources.",
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
        )
    if "torch.hub.load_state_dict_from_url" in names:
        value = kit.keyword(call, "weights_only")
        if value is not None and ctx.is_false(value):
            return ctx.issue(
                TORCH_LOAD,
                call,
                "`torch.hub.load_state_dict_from_url(..., weights_only=False)` unpickles a "
                "downloaded checkpoint.",
            )
    return None


def _torch_load(ctx: ModuleContext, call: ast.Call) -> CodeIssue | None:
    pickle_module = ctx.argument(call, "pickle_module", 2)
    weights_only = kit.keyword(call, "weights_only")
    confidence = Confidence.HIGH
    if pickle_module is not None and not ctx.is_false(pickle_module):
        problem = "with a custom `pickle_module`, which disables the restricted unpickler"
    elif weights_only is None:
        if kit.unpacked_may_set(ctx, call, "weights_only"):
            confidence = Confidence.MEDIUM
        problem = "without `weights_only=True` (the default is False before torch 2.6)"
    elif ctx.is_true(weights_only):
        return None
    elif ctx.is_false(weights_only):
        problem = "with `weights_only=False`, which unpickles arbitrary objects"
    else:
        problem = "with a `weights_only` value that is not provably True"
        confidence = Confidence.MEDIUM
    source_arg = ctx.argument(call, "f", 0)
    source = network_source(ctx, source_arg) if source_arg is not None else None
    suffix = f"; the data comes from {source}" if source else ""
    return ctx.issue(
        TORCH_LOAD,
        call,
        f"`{kit.short(ctx, call.func)}` is called {problem}{suffix}.",
        severity=Severity.CRITICAL if source else None,
        confidence=confidence,
    )


def _pickle_issue(ctx: ModuleContext, call: ast.Call, names: frozenset[str]) -> CodeIssue | None:
    matched = _pickle_name(names)
    if matched is None:
        return _numpy_or_skops(ctx, call, names)
    data = call.args[0] if call.args else None
    if data is None and call.keywords and call.keywords[0].arg is not None:
        data = call.keywords[0].value
    if data is not None and _round_trip(ctx, data, 0):
        return None
    source = network_source(ctx, data) if data is not None else None
    if source is not None:
        return ctx.issue(
            PICKLE_NETWORK,
            call,
            f"`{kit.short(ctx, call.func)}` unpickles {source}: anyone who can send it "
            "data can run code in this process.",
        )
    return ctx.issue(
        PICKLE_LOAD,
        call,
        f"`{_callee(ctx, call, matched)}` deserializes with pickle, which can execute "
        "code embedded in the data.",
    )


def _round_trip(ctx: ModuleContext, expr: ast.expr, depth: int) -> bool:
    """True when ``expr`` is bytes this code just pickled itself (``loads(dumps(x))``)."""
    if depth > 3:
        return False
    if isinstance(expr, ast.Name):
        bound = kit.expr_bindings(ctx, expr)
        return bool(bound) and all(b is not expr and _round_trip(ctx, b, depth + 1) for b in bound)
    if not isinstance(expr, ast.Call):
        return False
    for qualname in ctx.call_names(expr):
        module, _, last = qualname.rpartition(".")
        if last == "dumps" and (module in _PICKLE_MODULES or module == "jsonpickle"):
            return True
        if qualname == "io.BytesIO" and expr.args:
            return _round_trip(ctx, expr.args[0], depth + 1)
    return False


def _pickle_name(names: frozenset[str]) -> str | None:
    for qualname in sorted(names):
        if qualname in _OTHER_PICKLE:
            return qualname
        module, _, last = qualname.rpartition(".")
        if module in _PICKLE_MODULES and last in _PICKLE_NAMES:
            return qualname
    return None


def _numpy_or_skops(ctx: ModuleContext, call: ast.Call, names: frozenset[str]) -> CodeIssue | None:
    for qualname, position in _NUMPY_PICKLE.items():
        if qualname not in names:
            continue
        flag = kit.truth(ctx, ctx.argument(call, "allow_pickle", position))
        value = ctx.argument(call, "allow_pickle", position)
        if value is None or flag is False:
            return None
        return ctx.issue(
            PICKLE_LOAD,
            call,
            f"`{kit.short(ctx, call.func)}` with `allow_pickle` "
            f"{'enabled' if flag else 'not provably False'} unpickles object arrays.",
            confidence=Confidence.HIGH if flag else Confidence.MEDIUM,
        )
    if names & _SKOPS and ctx.constant(kit.keyword(call, "trusted")) is True:
        return ctx.issue(
            PICKLE_LOAD,
            call,
            "`skops.io.load(..., trusted=True)` trusts every type in the file, like pickle.",
        )
    return None


def _network_issue(ctx: ModuleContext, call: ast.Call, names: frozenset[str]) -> CodeIssue | None:
    for qualname, position in _MP_CONNECTION.items():
        if qualname in names:
            authkey = ctx.argument(call, "authkey", position)
            if authkey is not None and not ctx.is_false(authkey):
                return None
            if authkey is None and kit.unpacked_may_set(ctx, call, "authkey"):
                return None
            return ctx.issue(
                PICKLE_NETWORK,
                call,
                f"`{kit.short(ctx, call.func)}` without an `authkey`: its connections "
                "unpickle whatever an unauthenticated peer sends.",
            )
    for qualname in names:
        root, last = kit.split(qualname)
        if root == "rpyc" and ".classic." in qualname and "connect" in last:
            return ctx.issue(
                PICKLE_NETWORK,
                call,
                f"`{kit.short(ctx, call.func)}` uses rpyc classic mode, which gives the peer "
                "full remote code execution.",
            )
    return None


def _service_references(ctx: ModuleContext) -> Iterator[tuple[ast.expr, str]]:
    for name in ctx.nodes(ast.Name):
        if name.id in _RPYC_SERVICES and isinstance(name.ctx, ast.Load):
            yield name, name.id
    for attribute in ctx.nodes(ast.Attribute):
        if attribute.attr in _RPYC_SERVICES and isinstance(attribute.ctx, ast.Load):
            yield attribute, attribute.attr


def _rpyc_services(ctx: ModuleContext) -> Iterator[CodeIssue]:
    if "SlaveService" not in ctx.source and "ClassicService" not in ctx.source:
        return
    for node, last in _service_references(ctx):
        if any(q.startswith("rpyc.") for q in ctx.qualnames(node)):
            yield ctx.issue(
                PICKLE_NETWORK,
                node,
                f"rpyc `{last}` (classic mode) lets any client that connects execute "
                "arbitrary code and unpickle objects in this process.",
            )


def _yaml_issue(ctx: ModuleContext, call: ast.Call, names: frozenset[str]) -> CodeIssue | None:
    problem = yaml_problem(ctx, call, names)
    if problem is None:
        return None
    message, severity, confidence = problem
    return ctx.issue(YAML_LOAD, call, message, severity=severity, confidence=confidence)


def _callee(ctx: ModuleContext, call: ast.Call, qualname: str) -> str:
    text = kit.short(ctx, call.func)
    return text if text == qualname else f"{text}` (`{qualname}"
