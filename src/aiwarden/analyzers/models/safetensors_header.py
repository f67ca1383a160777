"""The safetensors analyzer: a full validator of the header, never reading tensor data.

safetensors cannot carry code, but a malformed header is how loaders are crashed or
tricked (a length past the end of the file, offsets outside the data, overlapping or
misdescribed tensors, data appended after the described tensors to build a polyglot).
A file that the reference implementation would refuse is reported as untrustworthy.
Files named ``*.safetensors`` whose content is not recognised as safetensors are
validated too, so a bogus header cannot escape by failing classification.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

if TYPE_CHECKING:
    from aiwarden.analyzers.models import _safetensors_checks as checks
    from aiwarden.analyzers.models._safetensors_checks import HeaderReport
else:  # the header validator loads with the first safetensors file
    checks = lazy_import("aiwarden.analyzers.models._safetensors_checks")

_GUIDELINES = ("SD-3.d", "DV-1.b", "DP-2.a")
_OWASP = ("LLM03:2025",)
_ATLAS = ("AML.T0010.003", "AML.T0011.000")
_SPEC = "https://github.com/huggingface/safetensors"
_DOCS = "https://huggingface.co/docs/safetensors/index"

INVALID_HEADER = Rule(
    id=RuleId("AIW-MOD401"),
    title="safetensors header is invalid",
    severity=Severity.HIGH,
    summary="The safetensors header is malformed or does not describe the file's data.",
    help=(
        "A safetensors file is an 8-byte little-endian header length, a UTF-8 JSON header "
        "and the raw tensor bytes. The reference loader refuses a header that is longer "
        "than the file or 100 MB, is not valid JSON, names an unknown dtype, or whose "
        "`data_offsets` do not tile the data section exactly with `shape x dtype` bytes "
        "per tensor. Other loaders are less strict: such files are used to crash or "
        "confuse them (out-of-bounds reads, denial of service), to smuggle bytes after "
        "the described tensors (polyglot files that are also zips or pickles), or to "
        "make two parsers see different tensors (duplicate keys)."
    ),
    remediation=(
        "Do not load the file. Re-download it from the publisher and verify its hash, or "
        "re-export it with the `safetensors` library."
    ),
    guidelines=_GUIDELINES,
    cwe=(20, 1284),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_SPEC, _DOCS),
    tags=("model", "safetensors", "fail-closed"),
)

METADATA_ANOMALY = Rule(
    id=RuleId("AIW-MOD402"),
    title="safetensors header carries unusual metadata",
    severity=Severity.MEDIUM,
    summary="The header holds oversized metadata, a pickle-like blob or unexpected fields.",
    help=(
        "`__metadata__` is free text meant for small facts such as `format: pt`. Megabytes "
        "of metadata, a base64 pickle (`gASV...`) in a metadata value, or unexpected "
        "fields in tensor entries are not needed to load the weights and are a place to "
        "hide a payload for a second-stage loader."
    ),
    remediation="Inspect the metadata and re-export the weights without it if it is not expected.",
    guidelines=_GUIDELINES,
    cwe=(20, 502),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_SPEC, _DOCS),
    tags=("model", "safetensors"),
)

RULES: tuple[Rule, ...] = (INVALID_HEADER, METADATA_ANOMALY)


class SafetensorsAnalyzer(Analyzer):
    """Validates the header of safetensors files (by content, or by the ``.safetensors`` name)."""

    name: ClassVar[str] = "model-safetensors"
    rules: ClassVar[tuple[Rule, ...]] = RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset({FileFormat.SAFETENSORS})

    def accepts(self, artifact: Artifact) -> bool:
        """safetensors content, or a file named ``*.safetensors`` that is not a container."""
        return artifact.format is FileFormat.SAFETENSORS or artifact.named_but_unrecognised(
            ".safetensors"
        )

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        report = _validate(artifact, limits)
        if report.errors and artifact.format is not FileFormat.SAFETENSORS:
            report.errors.insert(
                0, f"file is named .safetensors but is not ({artifact.format.value})"
            )
        for message in report.errors[:20]:
            yield make_finding(
                INVALID_HEADER,
                artifact.location(offset=0),
                f"Invalid safetensors header: {message}.",
                evidence=message,
                fingerprint_key=f"safetensors: {message}",
            )
        for message in report.anomalies[:20]:
            yield make_finding(
                METADATA_ANOMALY,
                artifact.location(offset=8),
                f"Unusual safetensors header: {message}.",
                evidence=message,
                fingerprint_key=f"safetensors-meta: {message}",
            )


def _validate(artifact: Artifact, limits: Limits) -> HeaderReport:
    with artifact.open() as handle:
        head = handle.read(8)
        report = checks.read_header(head, artifact.size)
        if report.errors:
            return report
        length = report.header_len
        if length > min(limits.max_read_bytes, checks.MAX_HEADER):
            raise LimitExceeded(
                "max_read_bytes", limits.max_read_bytes, f"header is {length} bytes"
            )
        raw = handle.read(length)
    if len(raw) != length:
        report.errors.append("file is shorter than its declared header")
        return report
    checks.check_header(raw, artifact.size, report)
    return report
