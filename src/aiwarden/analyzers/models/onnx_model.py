"""The ONNX model analyzer: external-data paths, custom operators, pickles in tensors.

The file is memory-mapped and walked with aiwarden's own bounded protobuf reader
(:mod:`aiwarden.analyzers.models.protobuf`); ``onnx.load`` and any runtime are never
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
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

if TYPE_CHECKING:
    from aiwarden.analyzers.models import _onnx_scan as model_scan
    from aiwarden.analyzers.models import protobuf as pb
else:  # the protobuf reader and the model walk load with the first ONNX or protobuf file
    model_scan = lazy_import("aiwarden.analyzers.models._onnx_scan")
    pb = lazy_import("aiwarden.analyzers.models.protobuf")

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
        return artifact.format is FileFormat.PROTOBUF and pb.path_looks_like_onnx(artifact.path)

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        yield from model_scan.model_findings(artifact, limits)


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
    import pickletools  # pickle, _compat_pickle and all: loaded with the first payload

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
