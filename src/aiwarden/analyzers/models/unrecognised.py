"""Files named like model artefacts whose content is no model format aiwarden can parse.

Recognition is by content, so a file called ``model.pt`` that is really a 7-Zip archive
(the nullifAI technique), an encrypted or truncated blob, or a format no analyzer reads
would otherwise pass as "not a model" and produce no finding at all. Failing closed,
such a file is reported (``AIW-MOD007``). A Git LFS pointer committed in place of the
model is reported separately and at low severity (``AIW-MOD008``): the model exists
elsewhere and was not scanned.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar, Final

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Confidence, Severity

if TYPE_CHECKING:
    from aiwarden.analyzers.models import containers as containers
else:  # the container readers load with the first model-named file
    containers = lazy_import("aiwarden.analyzers.models.containers")

MODEL_SUFFIXES: Final = (
    ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".joblib", ".dill", ".h5", ".hdf5",
    ".keras", ".ggml", ".npy", ".npz", ".onnx", ".mar",
    ".tflite", ".msgpack", ".pdparams",
)  # fmt: skip
"""Extensions that only model and weight files use (``.bin`` is too generic;
``.safetensors`` and ``.gguf`` files are validated by their own analyzers even when
their content is unrecognisable)."""

_LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"
_SIGNATURES: Final = (
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (the nullifAI technique: torch.load cannot open "
     "it, and scanners that only open zip archives skip it)"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard stream"),
    (b"\x04\x22\x4d\x18", "an LZ4 frame"),
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "an ELF executable or shared library"),
)  # fmt: skip
_GUIDELINES = ("SD-3.d", "DV-1.b", "DP-2.a")
_REFS = (
    "https://www.reversinglabs.com/blog/rl-identifies-malware-ml-model-hosted-on-hugging-face",
    "https://git-lfs.com/",
)

UNRECOGNISED = Rule(
    id=RuleId("AIW-MOD007"),
    title="File named like a model is in no format aiwarden can parse",
    severity=Severity.HIGH,
    summary="A model-file name (.pt, .pkl, .onnx, ...) holds content that matches no "
    "model format, so it could not be checked.",
    help=(
        "aiwarden recognises model files by their bytes. This file carries a model "
        "extension but its content is none of the formats aiwarden parses: it may be a "
        "different container (7-Zip, RAR, zstd), encrypted, truncated or corrupt. "
        "Malicious models have used exactly this to pass scanners that give up "
        "silently (the 2025 nullifAI models were PyTorch files packed with 7-Zip). "
        "A file that could not be checked is reported rather than treated as clean."
    ),
    remediation=(
        "Find out what the file is before anything loads it. Replace it with the "
        "publisher's original in a standard format (safetensors, a zip-format PyTorch "
        "checkpoint), or suppress this finding in the config with the reason."
    ),
    guidelines=_GUIDELINES,
    cwe=(434, 20),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0010.003", "AML.T0011.000"),
    references=_REFS,
)

LFS_POINTER = Rule(
    id=RuleId("AIW-MOD008"),
    title="Model file is a Git LFS pointer; the model itself was not scanned",
    severity=Severity.LOW,
    summary="The file is a Git LFS pointer, so the model it stands for is not in the scanned tree.",
    help=(
        "Git LFS replaces large files with small text pointers. The model this pointer "
        "refers to lives in LFS storage and was not part of the scan. Run "
        "`git lfs pull` before scanning, or scan the downloaded artefacts where they "
        "are used."
    ),
    remediation="Fetch the LFS objects (`git lfs pull`) and scan again.",
    guidelines=_GUIDELINES,
    cwe=(1059,),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0010.003",),
    references=_REFS[1:],
)

_UNPARSED: Final = frozenset({FileFormat.BINARY, FileFormat.TEXT})
"""Content no model analyzer parses (an empty file carries nothing to check)."""


def _describe(head: bytes, fmt: FileFormat) -> str:
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            return what
    return "text" if fmt is FileFormat.TEXT else "unrecognised binary data"


class UnrecognisedModelAnalyzer(Analyzer):
    """Reports model-named files that no model analyzer can parse."""

    name: ClassVar[str] = "model-unrecognised"
    rules: ClassVar[tuple[Rule, ...]] = (UNRECOGNISED, LFS_POINTER)
    formats: ClassVar[frozenset[FileFormat]] = _UNPARSED

    def accepts(self, artifact: Artifact) -> bool:
        """Unparsed content under a model-file name (joblib's raw lzma dumps excepted)."""
        if artifact.format not in _UNPARSED:
            return False
        name = artifact.name.lower()
        if not name.endswith(MODEL_SUFFIXES):
            return False
        if name.endswith(".pth") and artifact.format is FileFormat.TEXT:
            return False  # a site-packages path configuration file, not a checkpoint
        with artifact.open() as handle:
            return not containers.is_lzma_alone(handle.read(16))

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """One finding: an LFS pointer, or content that matches no model format."""
        with artifact.open() as handle:
            head = handle.read(64)
        return self._findings(artifact, head)

    def _findings(self, artifact: Artifact, head: bytes) -> Iterator[Finding]:
        if head.startswith(_LFS_POINTER):
            yield make_finding(
                LFS_POINTER,
                artifact.location(),
                f"{artifact.name} is a Git LFS pointer; the model was not scanned",
                fingerprint_key="lfs-pointer",
            )
            return
        what = _describe(head, artifact.format)
        yield make_finding(
            UNRECOGNISED,
            artifact.location(),
            f"{artifact.name} is named like a model but its content is {what}; "
            "no model format could be parsed from it",
            confidence=Confidence.MEDIUM,
            evidence=head[:16].hex(" "),
            fingerprint_key="unrecognised-model",
        )
