"""The ONNX model analyzer: external-data paths, custom operators, pickles in tensors.

The file is memory-mapped and walked with aiwarden's own bounded protobuf reader
(:mod:`aiwarden.analyzers.models._protobuf`); ``onnx.load`` and any runtime are never
used, and tensor payloads are skipped by offset, never copied. Field numbers come
from ``onnx/onnx.proto``. It reports:

* ``AIW-MOD301`` a tensor whose external-data location escapes the model directory
  (``..``, absolute, drive or UNC paths, or a symlink that resolves outside);
* ``AIW-MOD302`` a node that runs Python (``PyOp``, the language-interop operator of
  onnxruntime and onnxruntime-extensions);
* ``AIW-MOD303`` an operator domain outside the standard and onnxruntime built-in
  ones (a custom-op library, native code the user must load);
* ``AIW-MOD304`` a tensor whose bytes are a pickle;
* ``AIW-MOD305`` a file that does not parse as an ONNX ``ModelProto`` (fail closed).

The main graph, every subgraph (``If``/``Loop``/``Scan`` attributes), the model-local
functions and the training graphs are walked, to ``Limits.max_nesting_depth``.
"""

from __future__ import annotations

import io
import os
import pickletools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models._protobuf import (
    LEN,
    Field,
    ProtobufError,
    Walker,
    looks_like_onnx,
    parse_failure,
    path_looks_like_onnx,
    scan_file,
    top_level,
)
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

STANDARD_DOMAINS = frozenset(
    {"", "ai.onnx", "ai.onnx.ml", "ai.onnx.training", "ai.onnx.preview.training", "ai.onnx.preview"}
)
"""Operator domains defined by the ONNX specification."""

RUNTIME_DOMAINS = frozenset(
    {
        "com.microsoft",
        "com.microsoft.nchwc",
        "com.microsoft.experimental",
        "com.microsoft.mlfeaturizers",
        "com.microsoft.dml",
        "com.ms.internal.nhwc",
        "org.pytorch.aten",
    }
)
"""Domains whose kernels are compiled into onnxruntime itself: no library is loaded."""

PYTHON_OPS = frozenset({"PyOp", "PythonOp", "PythonOpGrad"})
"""Operator types that call into Python (onnxruntime language interop, ORTModule)."""

MAX_NODES = 5_000_000
PICKLE_WINDOW = 64 * 1024
_PYOP_ATTRS = ("module", "class_name", "compute", "func_name")

_GUIDELINES = ("SD-3.d", "DV-1.b", "DP-2.a")
_OWASP = ("LLM03:2025",)
_ATLAS = ("AML.T0011.000", "AML.T0010.003")
_ONNX_EXTERNAL = "https://onnx.ai/onnx/repo-docs/ExternalData.html"
_ONNX_IR = "https://onnx.ai/onnx/repo-docs/IR.html"
_ORT_PYOP = "https://onnxruntime.ai/docs/reference/operators/add-custom-op.html"
_ORT_EXT = "https://github.com/microsoft/onnxruntime-extensions"
_CVE_TRAVERSAL = "https://nvd.nist.gov/vuln/detail/CVE-2024-27318"

EXTERNAL_DATA_ESCAPE = Rule(
    id=RuleId("AIW-MOD301"),
    title="ONNX external data path escapes the model directory",
    severity=Severity.HIGH,
    summary="A tensor's external-data location points outside the directory of the model.",
    help=(
        "ONNX tensors may keep their bytes in a separate file named by the `location` "
        "entry of `external_data`, relative to the model's directory. A location with `..` "
        "segments, an absolute, drive-letter or UNC path, or a symlink that resolves "
        "outside the directory makes the loader read any file the user can read (for "
        "example `/etc/passwd` or an SSH key) into a weight, where model outputs can leak "
        "it; re-saving such a model writes to the same path (CVE-2024-27318, "
        "CVE-2024-5187). aiwarden never reads the external file."
    ),
    remediation=(
        "Do not load the model. Keep external data files next to the model with plain "
        "relative names, and re-export the model from its source if it came like this."
    ),
    guidelines=_GUIDELINES,
    cwe=(22, 59),
    owasp_llm=_OWASP,
    atlas=(*_ATLAS, "AML.T0025"),
    references=(_ONNX_EXTERNAL, _CVE_TRAVERSAL),
    tags=("model", "onnx", "path-traversal"),
)

PYTHON_OPERATOR = Rule(
    id=RuleId("AIW-MOD302"),
    title="ONNX node runs Python code",
    severity=Severity.CRITICAL,
    summary="The graph holds a Python operator (PyOp) that imports and calls Python code.",
    help=(
        "onnxruntime's language-interop `PyOp` imports the module named by its `module` "
        "attribute and calls the class and method the node names; onnxruntime-extensions "
        "runs Python functions registered as custom ops of `ai.onnx.contrib`. Inference on "
        "this model therefore runs Python chosen by whoever wrote the file."
    ),
    remediation=(
        "Do not run the model. Replace Python operators with standard ONNX operators or "
        "reviewed native kernels before deployment."
    ),
    guidelines=_GUIDELINES,
    cwe=(94, 829),
    owasp_llm=_OWASP,
    atlas=(*_ATLAS, "AML.T0050"),
    references=(_ORT_PYOP, _ORT_EXT),
    tags=("model", "onnx", "code-execution"),
)

CUSTOM_DOMAIN = Rule(
    id=RuleId("AIW-MOD303"),
    title="ONNX model uses operators from a non-standard domain",
    severity=Severity.HIGH,
    summary="Operators outside the ONNX and onnxruntime domains need a custom-op library.",
    help=(
        "Operators from a custom domain only run after the user registers a custom "
        "operator library (a native shared object, or onnxruntime-extensions for "
        "`ai.onnx.contrib`). That library is code outside the model that the model "
        "requires, and a tampered model can ask for a library with unsafe operators. "
        "Model-local functions and the built-in `com.microsoft` contrib domains are not "
        "reported. It is reported as high because running the model means loading "
        "native code that the model file itself chooses; suppress it in the config, "
        "with a reason, for custom-op libraries you build and pin yourself."
    ),
    remediation=(
        "Check that every custom domain comes from a library you trust and pin; prefer "
        "models that use standard ONNX operators only."
    ),
    guidelines=_GUIDELINES,
    cwe=(829,),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_ONNX_IR, _ORT_EXT),
    tags=("model", "onnx", "custom-op"),
)

PICKLE_TENSOR = Rule(
    id=RuleId("AIW-MOD304"),
    title="ONNX tensor holds a pickle",
    severity=Severity.HIGH,
    summary="A tensor's raw or string data is a Python pickle stream.",
    help=(
        "ONNX weights are plain numbers; a tensor whose bytes parse as a pickle is a "
        "payload smuggled through a format that scanners treat as safe. Any tool that "
        "later unpickles the tensor (for example a pre/post-processing step) runs the "
        "code it imports. The evidence lists the callables the pickle imports."
    ),
    remediation=(
        "Do not use the model; never unpickle tensor contents. Obtain the model from its "
        "publisher and verify its hash."
    ),
    guidelines=_GUIDELINES,
    cwe=(502,),
    owasp_llm=_OWASP,
    atlas=(*_ATLAS, "AML.T0018.002"),
    references=(_ONNX_IR, "https://docs.python.org/3/library/pickle.html"),
    tags=("model", "onnx", "pickle"),
)

ONNX_UNPARSEABLE = Rule(
    id=RuleId("AIW-MOD305"),
    title="ONNX model could not be parsed",
    severity=Severity.HIGH,
    summary="The file is not a well-formed ONNX ModelProto, so it could not be fully checked.",
    help=(
        "aiwarden walks the protobuf wire format of ONNX models itself. This file is "
        "truncated, malformed (a length past its message, an unknown wire type, a group), "
        "not a `ModelProto` at all, or deeper than the configured bound. Parser "
        "differentials hide payloads from scanners, so the file is reported rather than "
        "passed; findings from the part that parsed are still reported."
    ),
    remediation="Re-download the model from its publisher and verify its hash.",
    guidelines=_GUIDELINES,
    cwe=(20,),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_ONNX_IR,),
    tags=("model", "onnx", "fail-closed"),
)

ONNX_RULES: tuple[Rule, ...] = (
    EXTERNAL_DATA_ESCAPE,
    PYTHON_OPERATOR,
    CUSTOM_DOMAIN,
    PICKLE_TENSOR,
    ONNX_UNPARSEABLE,
)


class OnnxAnalyzer(Analyzer):
    """Checks ONNX models without loading them."""

    name: ClassVar[str] = "model-onnx"
    rules: ClassVar[tuple[Rule, ...]] = ONNX_RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset({FileFormat.ONNX, FileFormat.PROTOBUF})

    def accepts(self, artifact: Artifact) -> bool:
        """``.onnx`` files, and ``.pb`` files whose content is an ONNX ``ModelProto``."""
        if artifact.format is FileFormat.ONNX:
            return True
        return artifact.format is FileFormat.PROTOBUF and path_looks_like_onnx(artifact.path)

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        outcome = scan_file(artifact.path, lambda walker: _OnnxScan(artifact, limits, walker))
        scan = outcome.scan
        yield from scan.finish()
        if outcome.error is not None:
            yield _parse_failure(artifact, outcome.error)
        if outcome.limit is not None:
            raise outcome.limit


@dataclass(slots=True)
class _DomainUse:
    """How a non-standard domain is used, for one ``AIW-MOD303`` finding."""

    offset: int
    ops: dict[str, int] = field(default_factory=dict)


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


_DRIVE = re.compile(r"^[A-Za-z]:")
_SEPARATORS = re.compile(r"[\\/]+")


def escape_reason(location: str, base: Path | None) -> str | None:
    """Why an external-data ``location`` escapes ``base`` (the model directory), or None.

    ``base`` is None when the model is not a plain file on disk (an archive member):
    then only the text of the location is judged and symlinks are not followed.
    """
    if "\x00" in location:
        return "contains a NUL byte"
    if location.startswith(("\\\\", "//")):
        return "is a UNC or network path"
    if location.startswith(("/", "\\")):
        return "is an absolute path"
    if _DRIVE.match(location):
        return "starts with a drive letter"
    if ".." in _SEPARATORS.split(location):
        return "climbs out of the model directory with '..'"
    if base is None or not location:
        return None
    root = os.path.realpath(base)
    target = os.path.realpath(Path(root, location))
    if os.path.commonpath([root, target]) != root:
        return f"resolves through a symlink to {target}, outside the model directory"
    return None


_PICKLE_PROTOCOLS = frozenset({2, 3, 4, 5})
_IMPORT_OPS = frozenset({"GLOBAL", "INST"})
_MIN_OPS = 8
_MIN_OPS_CUT = 16


def starts_like_pickle(head: bytes) -> bool:
    """True if ``head`` could start a pickle: ``PROTO 2..5`` or a protocol 0/1 import."""
    if head[:1] == b"\x80":
        return head[1:2] != b"" and head[1] in _PICKLE_PROTOCOLS
    return head[:1] in (b"c", b"(", b"i")


def sniff_pickle(data: bytes, total: int) -> list[str] | None:
    """The callables a pickle in ``data`` imports, or None if ``data`` is not a pickle.

    ``data`` is a prefix of a payload of ``total`` bytes. Opcodes are decoded with
    :func:`pickletools.genops` (never executed). A stream counts as a pickle when it
    reaches ``STOP`` after importing a callable or after several opcodes, or decodes
    cleanly up to the window cut; protocol 0/1 streams (no ``PROTO`` header) must import
    a callable. Tiny streams such as ``PROTO 2, NONE, STOP`` are left alone: float
    weights can spell them by chance, and they carry no code.
    """
    imports: list[str] = []
    strings: list[str] = []
    count, stopped = 0, False
    try:
        for opcode, arg, _pos in pickletools.genops(io.BytesIO(data)):
            count += 1
            if opcode.name in _IMPORT_OPS and isinstance(arg, str):
                imports.append(arg.replace(" ", "."))
            elif opcode.name == "STACK_GLOBAL":
                imports.append(".".join(strings[-2:]) if len(strings) >= 2 else "<computed>")
            elif isinstance(arg, str):
                strings = [*strings[-1:], arg]
            if opcode.name == "STOP":
                stopped = True
                break
    except Exception:  # hostile bytes may raise anything while decoding
        if not (total > len(data) and count >= _MIN_OPS_CUT):
            return None
    if stopped and count < _MIN_OPS and not imports:
        return None
    if data[:1] != b"\x80" and not imports:
        return None
    return imports
