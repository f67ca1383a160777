"""The walk behind :mod:`.onnx_model`: graphs, nodes, functions and tensors, read as protobuf.

It lives apart from the analyzer so that a scan without ONNX or protobuf files never
loads it or the protobuf reader (the analyzer module itself is imported by every scan).
"""

from __future__ import annotations

from collections.abc import Iterator

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.onnx_model import (
    CUSTOM_DOMAIN,
    EXTERNAL_DATA_ESCAPE,
    MAX_NODES,
    ONNX_UNPARSEABLE,
    PICKLE_TENSOR,
    PICKLE_WINDOW,
    PYTHON_OPERATOR,
    PYTHON_OPS,
    RUNTIME_DOMAINS,
    STANDARD_DOMAINS,
    escape_reason,
    sniff_pickle,
    starts_like_pickle,
)
from aiwarden.analyzers.models.protobuf import (
    LEN,
    Field,
    ProtobufError,
    Walker,
    looks_like_onnx,
    parse_failure,
    scan_file,
    top_level,
)
from aiwarden.core.finding import Finding, make_finding

_PYOP_ATTRS = ("module", "class_name", "compute", "func_name")


def model_findings(artifact: Artifact, limits: Limits) -> Iterator[Finding]:
    """The findings for the ONNX model ``artifact``; ``LimitExceeded`` at a bound."""
    outcome = scan_file(artifact.path, lambda walker: _OnnxScan(artifact, limits, walker))
    scan = outcome.scan
    yield from scan.finish()
    if outcome.error is not None:
        yield _parse_failure(artifact, outcome.error)
    if outcome.limit is not None:
        raise outcome.limit


class _DomainUse:
    """How a non-standard domain is used, for one ``AIW-MOD303`` finding.

    A plain class: it is created when the module loads (before every pooled scan
    forks), where a dataclass costs half a millisecond to create.
    """

    __slots__ = ("offset", "ops")

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.ops: dict[str, int] = {}


class _OnnxScan:
    """One walk over a ``ModelProto``; findings accumulate so a failure keeps them."""

    def __init__(self, artifact: Artifact, limits: Limits, walker: Walker) -> None:
        self.artifact = artifact
        self.limits = limits
        self.walker = walker
        self.findings: list[Finding] = []
        self.domains: dict[str, _DomainUse] = {}
        self.local_functions: set[tuple[str, str]] = set()
        self.local_domains: set[str] = set()
        self.nodes = 0
        self.read = 0
        self.base = None if artifact.member is not None else artifact.path.parent

    def run(self) -> None:
        """Walk the whole model; raise ``ProtobufError``/``LimitExceeded`` on failure."""
        top = top_level(self.walker)
        if not looks_like_onnx(top):
            raise ProtobufError("not an ONNX ModelProto (no ir_version and graph)", 0)
        functions = [f for f in top if f.number == 25 and f.wire == LEN]
        for fn in functions:
            self._register_function(fn)
        for item in top:
            if item.wire != LEN:
                continue
            if item.number == 8:
                self._opset_import(item)
            elif item.number == 7:
                self._graph(item, 0, "the main graph")
            elif item.number == 20:
                self._training_info(item)
        for fn in functions:
            self._function(fn)

    def finish(self) -> list[Finding]:
        """Every finding so far, with one per non-standard domain appended."""
        extra = [_domain_finding(self.artifact, d, u) for d, u in sorted(self.domains.items())]
        return self.findings + extra

    # -- structure ------------------------------------------------------------------

    def _sub(self, message: Field) -> Iterator[Field]:
        """The length-delimited fields of ``message``, decoded as they are consumed."""
        return (f for f in self.walker.fields(message.start, message.end) if f.wire == LEN)

    def _strings(self, message: Field, numbers: tuple[int, ...]) -> dict[int, str]:
        """The last value of each singular string field in ``numbers`` (protobuf semantics)."""
        found: dict[int, str] = {}
        for item in self.walker.fields(message.start, message.end):
            if item.wire == LEN and item.number in numbers:
                found[item.number] = self._text(item)
        return found

    def _text(self, item: Field) -> str:
        self._charge(min(item.value, 4096))
        return self.walker.text(item)

    def _charge(self, size: int) -> None:
        self.read += size
        if self.read > self.limits.max_read_bytes:
            raise LimitExceeded("max_read_bytes", self.limits.max_read_bytes, "ONNX strings")

    def _register_function(self, fn: Field) -> None:
        names = self._strings(fn, (1, 10))
        domain = names.get(10, "")
        self.local_functions.add((domain, names.get(1, "")))
        self.local_domains.add(domain)

    def _opset_import(self, entry: Field) -> None:
        domain = self._strings(entry, (1,)).get(1, "")
        known = STANDARD_DOMAINS | RUNTIME_DOMAINS
        if domain not in known and domain not in self.local_domains:
            self.domains.setdefault(domain, _DomainUse(entry.offset))

    def _training_info(self, info: Field) -> None:
        for item in self._sub(info):
            if item.number in (1, 2):
                self._graph(item, 1, "a training graph")

    def _function(self, fn: Field) -> None:
        names = self._strings(fn, (1, 10))
        where = f"model-local function '{names.get(10, '')}:{names.get(1, '')}'"
        for item in self._sub(fn):
            if item.number == 7:
                self._node(item, 1, where)
            elif item.number == 11:
                self._attribute(item, 1, where)
            elif item.number == 9:
                self._opset_import(item)

    def _graph(self, graph: Field, depth: int, where: str) -> None:
        if depth > self.limits.max_nesting_depth:
            raise LimitExceeded("max_nesting_depth", self.limits.max_nesting_depth, where)
        for item in self._sub(graph):
            if item.number == 1:
                self._node(item, depth, where)
            elif item.number == 5:
                self._tensor(item, f"initializer in {where}")
            elif item.number == 15:
                self._sparse(item, f"sparse initializer in {where}")

    def _node(self, node: Field, depth: int, where: str) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LimitExceeded("max_nodes", MAX_NODES, "ONNX nodes")
        name = op_type = domain = ""
        attrs: list[Field] = []
        for item in self._sub(node):
            if item.number == 3:
                name = self._text(item)
            elif item.number == 4:
                op_type = self._text(item)
            elif item.number == 7:
                domain = self._text(item)
            elif item.number == 5:
                attrs.append(item)
        label = f"node '{name or op_type}' ({op_type}) in {where}"
        values = dict(self._attribute(attr, depth + 1, label) for attr in attrs)
        self._check_operator(node, name, op_type, domain, values)

    def _check_operator(
        self, node: Field, name: str, op_type: str, domain: str, attrs: dict[str, str | None]
    ) -> None:
        if op_type in PYTHON_OPS:  # even when a local function shadows the name
            self.findings.append(_python_finding(self.artifact, node, name, op_type, domain, attrs))
        if (domain, op_type) in self.local_functions:
            return  # a call of a model-local function, whose body is walked on its own
        if domain not in STANDARD_DOMAINS | RUNTIME_DOMAINS:
            use = self.domains.setdefault(domain, _DomainUse(node.offset))
            use.ops[op_type] = use.ops.get(op_type, 0) + 1

    def _attribute(self, attr: Field, depth: int, where: str) -> tuple[str, str | None]:
        """Walk one ``AttributeProto``; return its name and its string value, if any."""
        items = list(self._sub(attr))
        name, value = "", None
        for item in items:
            if item.number == 1:
                name = self._text(item)
            elif item.number == 4:
                value = self._text(item)
        label = f"attribute '{name}' of {where}"
        for item in items:
            if item.number in (6, 11):
                self._graph(item, depth, f"subgraph {label}")
            elif item.number in (5, 10):
                self._tensor(item, f"tensor {label}")
            elif item.number in (22, 23):
                self._sparse(item, f"sparse tensor {label}")
        return name, value

    def _sparse(self, sparse: Field, where: str) -> None:
        for item in self._sub(sparse):
            if item.number in (1, 2):
                self._tensor(item, where)

    def _tensor(self, tensor: Field, where: str) -> None:
        name = ""
        locations: list[str] = []
        payloads: list[Field] = []
        for item in self.walker.fields(tensor.start, tensor.end):
            if item.wire != LEN:
                continue
            if item.number == 8:
                name = self._text(item)
            elif item.number in (9, 6):
                payloads.append(item)
            elif item.number == 13:
                key, value = self._entry(item)
                if key == "location":
                    locations.append(value)
        label = f"tensor '{name}' ({where})"
        # Loaders keep the last "location" entry; every one is checked all the same.
        for location in locations:
            self._check_location(tensor, label, location)
        for payload in payloads:
            self._check_pickle(payload, label)

    def _entry(self, entry: Field) -> tuple[str, str]:
        values = self._strings(entry, (1, 2))
        return values.get(1, ""), values.get(2, "")

    # -- checks ---------------------------------------------------------------------

    def _check_location(self, tensor: Field, label: str, location: str) -> None:
        reason = escape_reason(location, self.base)
        if reason is None:
            return
        self.findings.append(
            make_finding(
                EXTERNAL_DATA_ESCAPE,
                self.artifact.location(offset=tensor.offset),
                f"External data of {label} is read from {location!r}, which {reason}.",
                evidence=f"location={location!r}",
                fingerprint_key=f"external-data:{label}:{location}",
            )
        )

    def _check_pickle(self, payload: Field, label: str) -> None:
        if payload.value < 2:
            return
        head = self.walker.data(payload, 2)
        if not starts_like_pickle(head):
            return
        self._charge(min(payload.value, PICKLE_WINDOW))
        imports = sniff_pickle(self.walker.data(payload, PICKLE_WINDOW), payload.value)
        if imports is None:
            return
        shown = ", ".join(imports[:8]) or "no imports"
        self.findings.append(
            make_finding(
                PICKLE_TENSOR,
                self.artifact.location(offset=payload.start),
                f"The data of {label} is a pickle stream ({payload.value} bytes) importing: "
                f"{shown}.",
                evidence=shown,
                fingerprint_key=f"pickle-tensor:{label}",
            )
        )


def _python_finding(
    artifact: Artifact,
    node: Field,
    name: str,
    op_type: str,
    domain: str,
    attrs: dict[str, str | None],
) -> Finding:
    details = ", ".join(f"{k}={attrs[k]!r}" for k in _PYOP_ATTRS if attrs.get(k) is not None)
    return make_finding(
        PYTHON_OPERATOR,
        artifact.location(offset=node.offset),
        f"Node '{name or '(unnamed)'}' is a {op_type} operator of domain '{domain}' that runs "
        "Python code" + (f" ({details})." if details else "."),
        evidence=f"{domain}:{op_type}" + (f" {details}" if details else ""),
        fingerprint_key=f"python-op:{domain}:{op_type}:{details}",
    )


def _domain_finding(artifact: Artifact, domain: str, use: _DomainUse) -> Finding:
    ops = ", ".join(sorted(use.ops)[:10]) + (", ..." if len(use.ops) > 10 else "")
    count = sum(use.ops.values())
    if count:
        nodes = "1 node uses" if count == 1 else f"{count} nodes use"
        what = f"{nodes} operators of custom domain '{domain}' ({ops})"
    else:
        what = f"The model imports the opset of custom domain '{domain}'"
    if domain == "ai.onnx.contrib":
        what += "; this is onnxruntime-extensions, which can run Python custom ops"
    return make_finding(
        CUSTOM_DOMAIN,
        artifact.location(offset=use.offset),
        f"{what}; running the model needs a custom operator library for it.",
        evidence=f"domain={domain!r}" + (f" ops: {ops}" if ops else ""),
        fingerprint_key=f"custom-domain:{domain}",
    )


def _parse_failure(artifact: Artifact, error: ProtobufError) -> Finding:
    return parse_failure(ONNX_UNPARSEABLE, artifact, error, "ONNX model", "onnx-parse")
