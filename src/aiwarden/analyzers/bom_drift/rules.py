"""Rules of the BOM drift analyzer (``AIW-BOM``)."""

from __future__ import annotations

from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

_GUIDELINES = ("DV-2.c", "DV-2.d", "DV-3.c")
_ATLAS = ("AML.M0023", "AML.M0014", "AML.T0010.003")
_MLBOM = "https://cyclonedx.org/capabilities/mlbom/"
_SPEC = "https://cyclonedx.org/docs/1.6/json/"
_GUIDE = "https://cyclonedx.org/guides/OWASP_CycloneDX-Authoritative-Guide-to-SBOM-en.pdf"

BOM_DRIFT = Rule(
    id=RuleId("AIW-BOM001"),
    title="AI bill of materials disagrees with the model files",
    severity=Severity.HIGH,
    summary=(
        "A committed CycloneDX BOM lists a model whose file changed or is missing, or a "
        "model file in the project is not listed."
    ),
    help=(
        "An ML-BOM records each model artefact with its SHA-256 so that reviewers, "
        "deployment pipelines and auditors know exactly which weights ship. When the "
        "files no longer match, the BOM documents a system that does not exist:\n\n"
        "* **hash changed** (high): the bytes of a listed model differ from the recorded "
        "digest. Either the model was retrained or replaced without updating the BOM, or "
        "it was tampered with (a swapped checkpoint is how a backdoored or code-carrying "
        "model gets in);\n"
        "* **missing** (medium): a listed model file is gone;\n"
        "* **not listed** (medium): a model file in the project is not in the BOM, so it "
        "was never reviewed.\n\n"
        "Paths are resolved relative to the BOM's directory (or the scan root when the "
        "paths live there). Example of a listed model as `aiwarden bom` writes it:\n\n"
        "```json\n"
        '{"type": "machine-learning-model", "name": "models/clf.safetensors",\n'
        ' "hashes": [{"alg": "SHA-256", "content": "9f86d0..."}],\n'
        ' "properties": [{"name": "aiwarden:path", "value": "models/clf.safetensors"}]}\n'
        "```"
    ),
    remediation=(
        "Find out why the model changed. If the change is intended, regenerate the BOM "
        "(`aiwarden bom . -o bom.cdx.json`) and commit it with the model; if not, restore "
        "the model from a trusted copy and verify its hash."
    ),
    guidelines=_GUIDELINES,
    cwe=(1357, 494),
    owasp_llm=("LLM03:2025",),
    atlas=_ATLAS,
    references=(_MLBOM, _SPEC, _GUIDE),
    tags=("bom", "supply-chain", "integrity"),
)

BOM_UNREADABLE = Rule(
    id=RuleId("AIW-BOM002"),
    title="AI bill of materials cannot be read",
    severity=Severity.MEDIUM,
    summary="A committed CycloneDX BOM is not valid JSON or not a well-formed CycloneDX BOM.",
    help=(
        'A file that declares itself a CycloneDX BOM (`"bomFormat": "CycloneDX"`, or '
        "named `*.cdx.json`) could not be checked against the project's models: it is not "
        "valid JSON, its `components` are not a list of objects, a model's hash is "
        "malformed, or a listed path points outside the project. Tools that consume the "
        "BOM (dependency-track, audits) will reject it or, worse, read only part of it, "
        "and aiwarden cannot tell whether the models it lists are the ones that ship. "
        "Example: a merge conflict left in the file:\n\n"
        '```\n<<<<<<< HEAD\n  "serialNumber": "urn:uuid:...",\n```'
    ),
    remediation=(
        "Regenerate the BOM (`aiwarden bom . -o bom.cdx.json`) or fix it, and validate it "
        "against the CycloneDX 1.6 schema."
    ),
    guidelines=_GUIDELINES,
    cwe=(1357,),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.M0023",),
    references=(_SPEC, _MLBOM),
    tags=("bom", "supply-chain", "fail-closed"),
)

RULES: tuple[Rule, ...] = (BOM_DRIFT, BOM_UNREADABLE)
