"""The TensorFlow SavedModel analyzer: graph ops that touch files, the network or Python.

``saved_model.pb`` (a ``SavedModel``) and frozen graphs (a bare ``GraphDef`` in any
``.pb``) are memory-mapped and walked with aiwarden's own bounded protobuf reader;
TensorFlow is never imported. Field numbers come from TensorFlow's
``saved_model.proto``, ``meta_graph.proto``, ``graph.proto``, ``function.proto``,
``node_def.proto``, ``attr_value.proto`` and ``tensor.proto``.

Every node of every meta graph and every function of the function library is
checked, and so is every function name referenced from an attribute (a primitive op
named as ``f`` of a ``PartitionedCall`` runs as that op). It reports:

* ``AIW-MOD201`` ops that run Python (``PyFunc``, ``PyFuncStateless``, ``EagerPyFunc``);
* ``AIW-MOD202`` ops that write files (``WriteFile``, legacy ``Save``/``SaveSlices``,
  dataset writers, ``PrintV2`` to ``file://``, debug ops with ``file://`` URLs ...);
* ``AIW-MOD203`` ops that read files or list directories (``ReadFile``,
  ``MatchingFiles``, file datasets and readers, ``ImmutableConst`` ...), and asset
  file names that leave the SavedModel's ``assets/`` directory;
* ``AIW-MOD204`` ops that talk to the network (RPC ops, tf.data service, ``grpc://``
  debug URLs ...);
* ``AIW-MOD205`` lookup tables initialised from a text file (usually a vocabulary
  asset, so low severity);
* ``AIW-MOD206`` a file that could not be parsed (fail closed).

Ordinary checkpoint ops (``SaveV2``, ``RestoreV2``, ``MergeV2Checkpoints``,
``ShardedFilename``, ``StringJoin``) are not findings unless their path is a constant
that is absolute or climbs with ``..``. Unknown (custom) op names are not findings.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models._protobuf import (
    LEN,
    VARINT,
    Field,
    ProtobufError,
    Walker,
    parse_failure,
    path_looks_like_onnx,
    scan_file,
    top_level,
)
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity


class Capability(enum.Enum):
    """What an op can do outside the tensor world."""

    PYTHON = "runs Python code"
    WRITE = "writes files"
    READ = "reads files"
    LIST = "lists directories"
    NETWORK = "talks to the network"
    TABLE = "reads a text file into a lookup table"


PYTHON_OPS = frozenset({"PyFunc", "PyFuncStateless", "EagerPyFunc"})
WRITE_OPS = frozenset(
    {
        "WriteFile",
        "Save",
        "SaveSlices",
        "DatasetToTFRecord",
        "ExperimentalDatasetToTFRecord",
        "SaveDataset",
        "SaveDatasetV2",
        "DistributedSave",
        "SnapshotDataset",
        "SnapshotDatasetV2",
        "CreateSummaryFileWriter",
        "CreateSummaryDbWriter",
    }
)
READ_OPS = frozenset(
    {
        "ReadFile",
        "ImmutableConst",
        "FixedLengthRecordDataset",
        "FixedLengthRecordDatasetV2",
        "CSVDataset",
        "CSVDatasetV2",
        "ExperimentalCSVDataset",
        "TFRecordDataset",
        "TFRecordDatasetV2",
        "TextLineDataset",
        "LMDBDataset",
        "ExperimentalLMDBDataset",
        "LoadDataset",
        "SnapshotDatasetReader",
        "SnapshotChunkDataset",
        "WholeFileReader",
        "WholeFileReaderV2",
        "TextLineReader",
        "TextLineReaderV2",
        "FixedLengthRecordReader",
        "FixedLengthRecordReaderV2",
        "TFRecordReader",
        "TFRecordReaderV2",
        "LMDBReader",
    }
)
LIST_OPS = frozenset({"MatchingFiles", "MatchingFilesDataset", "ExperimentalMatchingFilesDataset"})
NETWORK_OPS = frozenset(
    {
        "RpcCall",
        "RpcClient",
        "RpcServer",
        "RpcServerRegister",
        "RpcServerStart",
        "RpcCheckStatus",
        "RpcGetValue",
        "Rpc",
        "TryRpc",
        "DataServiceDataset",
        "DataServiceDatasetV2",
        "DataServiceDatasetV3",
        "DataServiceDatasetV4",
        "RegisterDataset",
        "RegisterDatasetV2",
        "GcsConfigureCredentials",
        "GcsConfigureBlockCache",
        "BigQueryReader",
    }
)
TABLE_OPS = frozenset({"InitializeTableFromTextFile", "InitializeTableFromTextFileV2"})
DEBUG_OPS = frozenset(
    {
        "DebugIdentity",
        "DebugIdentityV2",
        "DebugIdentityV3",
        "DebugNanCount",
        "DebugNumericSummary",
    }
)
PROTO_OPS = frozenset({"DecodeProtoV2", "EncodeProto"})
CHECKPOINT_OPS: dict[str, Capability] = {
    "SaveV2": Capability.WRITE,
    "MergeV2Checkpoints": Capability.WRITE,
    "RestoreV2": Capability.READ,
    "Restore": Capability.READ,
    "RestoreSlice": Capability.READ,
}
"""Ordinary checkpoint ops: reported only when their path is a suspicious constant."""

_FIXED: tuple[tuple[frozenset[str], Capability], ...] = (
    (PYTHON_OPS, Capability.PYTHON),
    (WRITE_OPS, Capability.WRITE),
    (READ_OPS, Capability.READ),
    (LIST_OPS, Capability.LIST),
    (NETWORK_OPS, Capability.NETWORK),
    (TABLE_OPS, Capability.TABLE),
)

MAX_NODES = 5_000_000
_STRING_LIMIT = 4096

_GUIDELINES = ("SD-3.d", "DV-1.b", "DP-2.a")
_OWASP = ("LLM03:2025",)
_ATLAS = ("AML.T0011.000", "AML.T0010.003")
_TF_SECURITY = "https://github.com/tensorflow/tensorflow/blob/master/SECURITY.md"
_TF_IO = "https://www.tensorflow.org/api_docs/python/tf/io/read_file"
_TF_PYFUNC = "https://www.tensorflow.org/api_docs/python/tf/py_function"
_TENSORABUSE = "https://github.com/ZJU-SEC/TensorAbuse"
_REMEDIATION = (
    "Do not load or serve this model. A SavedModel is a program: inspect it with "
    "`saved_model_cli show --all`, remove the offending ops, or rebuild the model from "
    "reviewed code and re-export it."
)


def _rule(
    number: int,
    title: str,
    severity: Severity,
    summary: str,
    help_: str,
    *,
    cwe: tuple[int, ...] = (73, 200),
    technique: str = "AML.T0025",
    reference: str = _TF_IO,
) -> Rule:
    return Rule(
        id=RuleId(f"AIW-MOD{number}"),
        title=title,
        severity=severity,
        summary=summary,
        help=help_,
        remediation=_REMEDIATION,
        guidelines=_GUIDELINES,
        cwe=cwe,
        owasp_llm=_OWASP,
        atlas=(*_ATLAS, technique),
        references=(_TF_SECURITY, reference, _TENSORABUSE),
        tags=("model", "tensorflow"),
    )


PYTHON_OP = _rule(
    201,
    "TensorFlow graph runs Python code",
    Severity.CRITICAL,
    "The graph holds a PyFunc-family op, which calls back into Python when it runs.",
    "`PyFunc`, `PyFuncStateless` and `EagerPyFunc` (from `tf.py_function` / "
    "`tf.numpy_function`) call a Python function registered in the loading process. "
    "Loading such a graph ties the model to code outside it, and a process that "
    "registers callbacks can be made to run them with attacker-chosen inputs.",
    cwe=(94,),
    technique="AML.T0050",
    reference=_TF_PYFUNC,
)
FILE_WRITE_OP = _rule(
    202,
    "TensorFlow graph writes files",
    Severity.HIGH,
    "The graph holds an op that writes files (WriteFile, legacy Save, dataset writers ...).",
    "Running this SavedModel writes to the file system through ops such as `WriteFile`, "
    "the legacy `Save`/`SaveSlices` (which write at the exact path given, unlike "
    "`SaveV2`), dataset writers, `PrintV2` with a `file://` output stream or debug ops "
    "with `file://` URLs. A model can drop files (cron jobs, shell profiles, SSH keys) "
    "as soon as it is served: the documented 'SavedModel with file read/write ops' "
    "technique.",
)
FILE_READ_OP = _rule(
    203,
    "TensorFlow graph reads files or lists directories",
    Severity.HIGH,
    "The graph holds an op that reads local files or lists directories (ReadFile, MatchingFiles).",
    "Ops such as `ReadFile`, `MatchingFiles`, file datasets and readers, or "
    "`ImmutableConst` read local files or enumerate directories when the model runs. The "
    "contents can flow into model outputs, so anyone who can query the served model can "
    "exfiltrate local files (keys, credentials, other models).",
)
NETWORK_OP = _rule(
    204,
    "TensorFlow graph talks to the network",
    Severity.HIGH,
    "The graph holds an op that opens network connections (RPC, tf.data service, gRPC URLs).",
    "Ops such as `RpcCall`, `DataServiceDataset`, `RegisterDataset`, GCS configuration "
    "ops or debug ops with `grpc://` URLs connect to hosts named in the graph. A served "
    "model can then send inputs, outputs or local data to an attacker, or fetch data "
    "from one.",
)
TEXT_TABLE_OP = _rule(
    205,
    "TensorFlow lookup table is initialised from a text file",
    Severity.LOW,
    "A lookup table reads a text file when the model starts (usually a vocabulary asset).",
    "`InitializeTableFromTextFile` reads the file named by its input into a lookup "
    "table. Text models use it for vocabulary assets shipped in `assets/`, which is "
    "benign; check that the path is the bundled asset and not an arbitrary local file.",
)
UNPARSEABLE_GRAPH = _rule(
    206,
    "TensorFlow SavedModel could not be parsed",
    Severity.HIGH,
    "The SavedModel or GraphDef is malformed or exceeds a bound, so it was not fully checked.",
    "aiwarden walks the protobuf wire format of SavedModels itself. This file is "
    "truncated, malformed (a length past its message, an unknown wire type, a group) or "
    "not a SavedModel at all. It is reported rather than passed; findings from the part "
    "that parsed are still reported.",
    cwe=(20,),
)

SAVEDMODEL_RULES: tuple[Rule, ...] = (
    PYTHON_OP,
    FILE_WRITE_OP,
    FILE_READ_OP,
    NETWORK_OP,
    TEXT_TABLE_OP,
    UNPARSEABLE_GRAPH,
)
_RULES: dict[Capability, Rule] = {
    Capability.PYTHON: PYTHON_OP,
    Capability.WRITE: FILE_WRITE_OP,
    Capability.READ: FILE_READ_OP,
    Capability.LIST: FILE_READ_OP,
    Capability.NETWORK: NETWORK_OP,
    Capability.TABLE: TEXT_TABLE_OP,
}
_SKIPPED_NAMES = frozenset({"keras_metadata.pb", "fingerprint.pb"})


class SavedModelAnalyzer(Analyzer):
    """Checks TensorFlow SavedModels and frozen graphs without loading them."""

    name: ClassVar[str] = "model-savedmodel"
    rules: ClassVar[tuple[Rule, ...]] = SAVEDMODEL_RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset({FileFormat.PROTOBUF})

    def accepts(self, artifact: Artifact) -> bool:
        """Protobuf files, except ONNX models and the non-graph SavedModel side files."""
        if artifact.format is not FileFormat.PROTOBUF:
            return False
        if artifact.name.lower() in _SKIPPED_NAMES:
            return False
        return not path_looks_like_onnx(artifact.path)

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        outcome = scan_file(artifact.path, lambda walker: _GraphScan(artifact, limits, walker))
        scan = outcome.scan
        yield from scan.findings
        if outcome.error is not None:
            yield _parse_failure(artifact, outcome.error)
        if outcome.limit is not None:
            raise outcome.limit


@dataclass(slots=True)
class _Node:
    """What one ``NodeDef`` says, as far as the checks need."""

    offset: int
    name: str = ""
    op: str = ""
    first_input: str = ""
    strings: dict[str, list[str]] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)
    const: str | None = None


@dataclass(frozen=True, slots=True)
class _Hit:
    """An op found in a node: directly (``via`` False) or named by a function attribute."""

    node: _Node
    op: str
    capability: Capability
    detail: str
    via: bool


@dataclass(slots=True)
class _Scope:
    """One graph or function body: its ``Const`` strings and its flagged nodes."""

    where: str
    consts: dict[str, str] = field(default_factory=dict)
    hits: list[_Hit] = field(default_factory=list)


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


def judge(op: str, strings: dict[str, list[str]]) -> tuple[Capability, str] | None:
    """What ``op`` (with its string attrs) can do, and a detail for the message; or None."""
    for names, capability in _FIXED:
        if op in names:
            return capability, ""
    if op == "PrintV2":
        stream = "".join(strings.get("output_stream", []))
        return (Capability.WRITE, f"output_stream={stream!r}") if _is_file(stream) else None
    if op in DEBUG_OPS:
        return _debug_urls(strings.get("debug_urls", []))
    if op in PROTO_OPS:
        source = "".join(strings.get("descriptor_source", []))
        if source and source != "local://" and not source.startswith("bytes://"):
            return Capability.READ, f"descriptor_source={source!r}"
        return None
    if op in CHECKPOINT_OPS:
        return CHECKPOINT_OPS[op], "checkpoint"
    return None


def _is_file(url: str) -> bool:
    return url.lower().startswith("file://")


def _debug_urls(urls: list[str]) -> tuple[Capability, str] | None:
    if not urls:
        return None
    detail = f"debug_urls={urls[:3]!r}"
    if all(_is_file(url) for url in urls):
        return Capability.WRITE, detail
    return Capability.NETWORK, detail


def _input_name(text: str) -> str:
    """The node an input names: ``^ctrl`` and ``node:out:0`` forms reduced to ``node``."""
    return text.lstrip("^").split(":", 1)[0]


_DRIVE = re.compile(r"^[A-Za-z]:")
_SEPARATORS = re.compile(r"[\\/]+")


def suspicious_path(path: str) -> bool:
    """True for a path that is absolute, on a drive or share, remote, or climbs with ``..``."""
    if path.startswith(("/", "\\", "~")) or _DRIVE.match(path):
        return True
    if "://" in path:
        return True
    return ".." in _SEPARATORS.split(path)


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
