"""The GGUF analyzer: bounded metadata parsing and the embedded chat templates.

GGUF holds no code, but its metadata carries Jinja chat templates
(``tokenizer.chat_template`` and ``tokenizer.chat_template.<name>``) that llama.cpp,
llama-cpp-python, Ollama and others render for every prompt; CVE-2024-34359 turned one
into remote code execution. The analyzer reads only the header (key/values and tensor
infos, never tensor data), reports a header it cannot parse (fail closed), checks the
tensor table against the file, and checks every template with
:func:`~aiwarden.analyzers.models.chat_template.check_template`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.analyzers.models._template_rules import ATLAS, GUIDELINES, template_rules
from aiwarden.analyzers.models.chat_template import (
    check_template,
    fixed_location,
    template_findings,
)
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

if TYPE_CHECKING:
    from aiwarden.analyzers.models import _gguf_parse, _gguf_reader, _gguf_tensors
    from aiwarden.analyzers.models._gguf_reader import GgufError, Header
else:  # the GGUF reader loads with the first GGUF file
    _gguf_parse = lazy_import("aiwarden.analyzers.models._gguf_parse")
    _gguf_reader = lazy_import("aiwarden.analyzers.models._gguf_reader")
    _gguf_tensors = lazy_import("aiwarden.analyzers.models._gguf_tensors")

_SPEC = "https://github.com/ggml-org/ggml/blob/master/docs/gguf.md"
_OWASP = ("LLM03:2025",)

UNPARSEABLE = Rule(
    id=RuleId("AIW-MOD501"),
    title="GGUF header could not be parsed",
    severity=Severity.HIGH,
    summary="The GGUF metadata is truncated, malformed or declares impossible sizes.",
    help=(
        "aiwarden parses GGUF metadata itself, with every count and length checked "
        "against the bytes in the file: an unsupported version, counts or string lengths "
        "past the end of the file, unknown value types, arrays nested too deeply or a "
        "truncated header make the file unparseable. Such headers have crashed GGUF "
        "loaders (heap overflows in llama.cpp's parser), and a header that cannot be "
        "parsed cannot be checked for malicious chat templates, so it is reported."
    ),
    remediation="Do not load the file; re-download it from the publisher and verify its hash.",
    guidelines=GUIDELINES,
    cwe=(20, 787),
    owasp_llm=_OWASP,
    atlas=ATLAS,
    references=(_SPEC,),
    tags=("model", "gguf", "fail-closed"),
)

INVALID_TENSORS = Rule(
    id=RuleId("AIW-MOD502"),
    title="GGUF header is inconsistent",
    severity=Severity.HIGH,
    summary="Duplicate keys or tensors, or tensor data outside, overlapping or misaligned.",
    help=(
        "llama.cpp refuses GGUF files with duplicate metadata keys or tensor names, "
        "tensors whose data lies outside the file or is misaligned, overlapping tensors "
        "and invalid alignment. Other readers are less strict: such files confuse or "
        "crash them, and duplicate keys let two parsers see different metadata (for "
        "example different chat templates)."
    ),
    remediation="Do not load the file; re-download it from the publisher and verify its hash.",
    guidelines=GUIDELINES,
    cwe=(20,),
    owasp_llm=_OWASP,
    atlas=ATLAS,
    references=(_SPEC,),
    tags=("model", "gguf"),
)

ANOMALY = Rule(
    id=RuleId("AIW-MOD503"),
    title="GGUF header has unusual content",
    severity=Severity.MEDIUM,
    summary="Unknown tensor types, undescribed trailing bytes or a non-string chat template.",
    help=(
        "The header parsed, but holds something a normal model file does not: a tensor "
        "type aiwarden does not know (so its size cannot be checked), bytes after the "
        "last tensor that no header entry describes (a place to append a second file), "
        "or a chat-template key whose value is not a string."
    ),
    remediation="Compare the file with the publisher's original.",
    guidelines=GUIDELINES,
    cwe=(20,),
    owasp_llm=_OWASP,
    atlas=ATLAS,
    references=(_SPEC,),
    tags=("model", "gguf"),
)

TEMPLATE_RULES = template_rules(511, "GGUF metadata")


class GgufAnalyzer(Analyzer):
    """Parses GGUF metadata (bounded) and checks the embedded chat templates."""

    name: ClassVar[str] = "model-gguf"
    rules: ClassVar[tuple[Rule, ...]] = (UNPARSEABLE, INVALID_TENSORS, ANOMALY, *TEMPLATE_RULES.all)
    formats: ClassVar[frozenset[FileFormat]] = frozenset({FileFormat.GGUF})

    def accepts(self, artifact: Artifact) -> bool:
        """GGUF content, or a file named ``*.gguf`` that was not recognised as anything."""
        return artifact.format is FileFormat.GGUF or artifact.named_but_unrecognised(".gguf")

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        header = _gguf_reader.Header()
        error: GgufError | None = None
        with artifact.open() as handle:
            try:
                _gguf_parse.parse(
                    _gguf_reader.Reader(handle, artifact.size, limits.max_read_bytes), header
                )
            except _gguf_reader.GgufError as exc:
                error = exc
        if error is not None:
            yield make_finding(
                UNPARSEABLE,
                artifact.location(offset=min(error.offset, max(artifact.size - 1, 0))),
                f"GGUF header could not be parsed: {error}.",
                evidence=str(error),
                fingerprint_key=f"gguf: {error}",
            )
        yield from _key_findings(artifact, header)
        yield from _template_findings(artifact, header, limits)
        if error is None:
            yield from _tensor_findings(artifact, header)


def _key_findings(artifact: Artifact, header: Header) -> Iterator[Finding]:
    seen: set[str] = set()
    for kv in header.kvs:
        if kv.key in seen:
            yield make_finding(
                INVALID_TENSORS,
                artifact.location(offset=kv.offset),
                f"GGUF metadata key {kv.key[:100]!r} appears more than once; readers disagree "
                "on which value wins.",
                fingerprint_key=f"gguf duplicate key: {kv.key[:100]}",
            )
        seen.add(kv.key)


def _template_findings(artifact: Artifact, header: Header, limits: Limits) -> Iterator[Finding]:
    for kv in header.kvs:
        if (
            not kv.key.startswith(_gguf_parse.TEMPLATE_PREFIX)
            or kv.key == "tokenizer.chat_templates"
        ):
            continue
        if kv.type != _gguf_reader.STRING or not isinstance(kv.value, str):
            yield make_finding(
                ANOMALY,
                artifact.location(offset=kv.offset),
                f"GGUF key {kv.key[:100]!r} should hold a chat template string but holds "
                f"value type {kv.type}; it was not checked.",
                fingerprint_key=f"gguf template type: {kv.key[:100]}",
            )
            continue
        issues = check_template(kv.value, limits)
        where = artifact.location(offset=kv.offset)
        context = f"GGUF `{kv.key[:100]}`"
        yield from template_findings(TEMPLATE_RULES, issues, fixed_location(where), context)


def _tensor_findings(artifact: Artifact, header: Header) -> Iterator[Finding]:
    report = _gguf_tensors.TensorReport()
    _gguf_tensors.check_tensors(header, artifact.size, report)
    for message in report.errors[:20]:
        yield make_finding(
            INVALID_TENSORS,
            artifact.location(offset=header.end),
            f"GGUF tensor table is inconsistent: {message}.",
            evidence=message,
            fingerprint_key=f"gguf tensors: {message}",
        )
    for message in report.anomalies[:20]:
        yield make_finding(
            ANOMALY,
            artifact.location(offset=header.end),
            f"GGUF header has unusual content: {message}.",
            evidence=message,
            fingerprint_key=f"gguf anomaly: {message}",
        )
