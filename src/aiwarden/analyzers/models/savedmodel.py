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
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

if TYPE_CHECKING:
    from aiwarden.analyzers.models import _savedmodel_scan as graph_scan
    from aiwarden.analyzers.models import protobuf as pb
else:  # the protobuf reader and the graph walk load with the first protobuf file
    pb = lazy_import("aiwarden.analyzers.models.protobuf")
    graph_scan = lazy_import("aiwarden.analyzers.models._savedmodel_scan")


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
        return not pb.path_looks_like_onnx(artifact.path)

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        yield from graph_scan.graph_findings(artifact, limits)


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


_DRIVE = re.compile(r"^[A-Za-z]:")
_SEPARATORS = re.compile(r"[\\/]+")


def suspicious_path(path: str) -> bool:
    """True for a path that is absolute, on a drive or share, remote, or climbs with ``..``."""
    if path.startswith(("/", "\\", "~")) or _DRIVE.match(path):
        return True
    if "://" in path:
        return True
    return ".." in _SEPARATORS.split(path)
