"""The walk behind :mod:`.savedmodel`: graph nodes, functions and assets, read as protobuf.

It lives apart from the analyzer so that a scan without protobuf files never loads it
or the protobuf reader (the analyzer module itself is imported by every scan).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.protobuf import (
    LEN,
    VARINT,
    Field,
    ProtobufError,
    Walker,
    parse_failure,
    scan_file,
    top_level,
)
from aiwarden.analyzers.models.savedmodel import (
    CHECKPOINT_OPS,
    FILE_READ_OP,
    FILE_WRITE_OP,
    MAX_NODES,
    NETWORK_OP,
    PYTHON_OP,
    TEXT_TABLE_OP,
    UNPARSEABLE_GRAPH,
    Capability,
    judge,
    suspicious_path,
)
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Severity

_STRING_LIMIT = 4096
_RULES: dict[Capability, Rule] = {
    Capability.PYTHON: PYTHON_OP,
    Capability.WRITE: FILE_WRITE_OP,
    Capability.READ: FILE_READ_OP,
    Capability.LIST: FILE_READ_OP,
    Capability.NETWORK: NETWORK_OP,
    Capability.TABLE: TEXT_TABLE_OP,
}


def graph_findings(artifact: Artifact, limits: Limits) -> Iterator[Finding]:
    """The findings for the SavedModel or GraphDef ``artifact``; ``LimitExceeded`` at a bound."""
    outcome = scan_file(artifact.path, lambda walker: _GraphScan(artifact, limits, walker))
    scan = outcome.scan
    yield from scan.findings
    if outcome.error is not None:
        yield _parse_failure(artifact, outcome.error)
    if outcome.limit is not None:
        raise outcome.limit


class _Node:
    """What one ``NodeDef`` says, as far as the checks need.

    This, :class:`_Hit` and :class:`_Scope` are created when the module loads (before
    every pooled scan forks): plain classes and a named tuple cost a fraction of what
    dataclasses do to create.
    """

    __slots__ = ("const", "first_input", "functions", "name", "offset", "op", "strings")

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.name = ""
        self.op = ""
        self.first_input = ""
        self.strings: dict[str, list[str]] = {}
        self.functions: list[str] = []
        self.const: str | None = None


class _Hit(NamedTuple):
    """An op found in a node: directly (``via`` False) or named by a function attribute."""

    node: _Node
    op: str
    capability: Capability
    detail: str
    via: bool


class _Scope:
    """One graph or function body: its ``Const`` strings and its flagged nodes."""

    __slots__ = ("consts", "hits", "where")

    def __init__(self, where: str) -> None:
        self.where = where
        self.consts: dict[str, str] = {}
        self.hits: list[_Hit] = []


class _GraphScan:
    """One walk over a SavedModel or GraphDef; findings accumulate as scopes close."""

    def __init__(self, artifact: Artifact, limits: Limits, walker: Walker) -> None:
        self.artifact = artifact
        self.limits = limits
        self.walker = walker
        self.findings: list[Finding] = []
        self.nodes = 0
        self.read = 0

    def run(self) -> None:
        """Walk the file as a SavedModel or a GraphDef, whichever its shape says.

        Field 1 decides (a varint in a SavedModel, a node message in a GraphDef); a file
        with neither shape's field 1 is walked both ways and the findings are merged.
        """
        top = top_level(self.walker)
        shape = {(f.number, f.wire) for f in top}
        whole = Field(0, LEN, self.walker.size, 0, 0, self.walker.size)
        if self.artifact.name.lower() == "saved_model.pb" or (1, VARINT) in shape:
            self._saved_model(top)
        elif (1, LEN) in shape:
            self._graph_def(whole, "the graph")
        else:
            self._either(top, whole)

    def _either(self, top: list[Field], whole: Field) -> None:
        errors: list[ProtobufError] = []
        for as_saved_model in (True, False):
            try:
                if as_saved_model:
                    self._saved_model(top)
                else:
                    self._graph_def(whole, "the graph")
            except ProtobufError as exc:
                errors.append(exc)
        if len(errors) == 2:
            raise errors[0]
        unique = {f.fingerprint_key: f for f in self.findings}
        self.findings[:] = unique.values()

    def _saved_model(self, top: list[Field]) -> None:
        metas = [f for f in top if f.number == 2 and f.wire == LEN]
        for index, meta in enumerate(metas):
            for item in self._sub(meta):
                if item.number == 2:
                    self._graph_def(item, f"meta graph {index}")
                elif item.number == 6:
                    self._asset(item, f"meta graph {index}")

    def _asset(self, asset: Field, where: str) -> None:
        """An ``AssetFileDef`` whose ``filename`` leaves ``assets/`` (the loader joins it)."""
        filename = ""
        for item in self._sub(asset):
            if item.number == 2:
                filename = self._text(item)
        if suspicious_path(filename):
            self.findings.append(_asset_finding(self.artifact, asset, filename, where))

    def _sub(self, message: Field) -> Iterator[Field]:
        """The length-delimited fields of ``message``, decoded as they are consumed."""
        return (f for f in self.walker.fields(message.start, message.end) if f.wire == LEN)

    def _text(self, item: Field) -> str:
        self.read += min(item.value, _STRING_LIMIT)
        if self.read > self.limits.max_read_bytes:
            raise LimitExceeded("max_read_bytes", self.limits.max_read_bytes, "graph strings")
        return self.walker.text(item, _STRING_LIMIT)

    def _graph_def(self, graph: Field, where: str) -> None:
        scope = _Scope(where)
        try:
            for item in self._sub(graph):
                if item.number == 1:
                    self._node(item, scope)
                elif item.number == 2:
                    self._library(item)
        finally:  # report what was found even when the rest does not parse
            self._close(scope)

    def _library(self, library: Field) -> None:
        for function in self._sub(library):
            if function.number == 1:
                self._function(function)

    def _function(self, function: Field) -> None:
        items = list(self._sub(function))
        name = ""
        for item in items:
            if item.number == 1:
                name = self._signature_name(item)
        scope = _Scope(f"function '{name}'")
        try:
            for item in items:
                if item.number == 3:
                    self._node(item, scope)
        finally:
            self._close(scope)

    def _signature_name(self, signature: Field) -> str:
        name = ""
        for item in self._sub(signature):
            if item.number == 1:
                name = self._text(item)
        return name

    def _node(self, message: Field, scope: _Scope) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LimitExceeded("max_nodes", MAX_NODES, "TensorFlow nodes")
        node = _Node(message.offset)
        for item in self._sub(message):
            if item.number == 1:
                node.name = self._text(item)
            elif item.number == 2:
                node.op = self._text(item)
            elif item.number == 3 and not node.first_input:
                node.first_input = self._text(item)
            elif item.number == 5:
                self._attr_entry(item, node, 0)
        if node.op == "Const" and node.const is not None:
            scope.consts[node.name] = node.const
        for op, via in [(node.op, False), *((name, True) for name in node.functions)]:
            judged = judge(op, {} if via else node.strings)
            if judged is not None and not (via and op in CHECKPOINT_OPS):
                scope.hits.append(_Hit(node, op, judged[0], judged[1], via))

    def _attr_entry(self, entry: Field, node: _Node, depth: int) -> None:
        if depth > self.limits.max_nesting_depth:
            raise LimitExceeded("max_nesting_depth", self.limits.max_nesting_depth, "attrs")
        key, value = "", None
        for item in self._sub(entry):
            if item.number == 1:
                key = self._text(item)
            elif item.number == 2:
                value = item
        if value is not None:
            self._attr_value(value, key, node, depth)

    def _attr_value(self, value: Field, key: str, node: _Node, depth: int) -> None:
        for item in self._sub(value):
            if item.number == 2:
                node.strings.setdefault(key, []).append(self._text(item))
            elif item.number == 1:
                self._attr_list(item, key, node, depth)
            elif item.number == 10:
                self._name_attr_list(item, node, depth)
            elif item.number == 8 and key == "value" and node.const is None:
                node.const = self._tensor_string(item)

    def _attr_list(self, values: Field, key: str, node: _Node, depth: int) -> None:
        for item in self._sub(values):
            if item.number == 2:
                node.strings.setdefault(key, []).append(self._text(item))
            elif item.number == 9:
                self._name_attr_list(item, node, depth)

    def _name_attr_list(self, message: Field, node: _Node, depth: int) -> None:
        for item in self._sub(message):
            if item.number == 1:
                node.functions.append(self._text(item))
            elif item.number == 2:
                self._attr_entry(item, node, depth + 1)

    def _tensor_string(self, tensor: Field) -> str | None:
        for item in self._sub(tensor):
            if item.number == 8:
                return self._text(item)
        return None

    def _close(self, scope: _Scope) -> None:
        for hit in scope.hits:
            path = None if hit.via else scope.consts.get(_input_name(hit.node.first_input))
            finding = _op_finding(self.artifact, scope, hit, path)
            if finding is not None:
                self.findings.append(finding)


def _input_name(text: str) -> str:
    """The node an input names: ``^ctrl`` and ``node:out:0`` forms reduced to ``node``."""
    return text.lstrip("^").split(":", 1)[0]


def _op_finding(artifact: Artifact, scope: _Scope, hit: _Hit, path: str | None) -> Finding | None:
    severity, detail = None, hit.detail
    if detail == "checkpoint":
        if path is None or not suspicious_path(path):
            return None
        severity, detail = Severity.MEDIUM, ""
    via = " (named by a function attribute)" if hit.via else ""
    extra = f" ({detail})" if detail else ""
    target = f" on {path!r}" if path is not None else ""
    message = (
        f"Op `{hit.op}`{via} in node '{hit.node.name}' of {scope.where} "
        f"{hit.capability.value}{target}{extra}."
    )
    return make_finding(
        _RULES[hit.capability],
        artifact.location(offset=hit.node.offset),
        message,
        severity=severity,
        evidence=f"{hit.op}({path!r})" if path is not None else hit.op,
        fingerprint_key=f"tf-op:{hit.op}:{hit.node.name}:{scope.where}",
    )


def _asset_finding(artifact: Artifact, asset: Field, filename: str, where: str) -> Finding:
    return make_finding(
        FILE_READ_OP,
        artifact.location(offset=asset.offset),
        f"Asset of {where} names {filename!r}, outside the SavedModel's assets directory: "
        "loading the model feeds that local file to the graph (for example to a lookup "
        "table).",
        evidence=f"asset_file_def.filename={filename!r}",
        fingerprint_key=f"tf-asset:{filename}",
    )


def _parse_failure(artifact: Artifact, error: ProtobufError) -> Finding:
    return parse_failure(UNPARSEABLE_GRAPH, artifact, error, "TensorFlow graph", "tf-parse")
