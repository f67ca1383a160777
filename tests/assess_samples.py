"""Hand-built scorecards for the assessment renderer tests (on the path via ``pythonpath``).

``sample_scorecard()`` is a realistic assessment of a chatbot service that exercises
everything a renderer must show: every status (guidelines and behaviours), every
evidence strength, evidence with file paths, findings of every severity (one shared by
two behaviours), guideline-level findings, attestations in every state, next steps
linked to findings, a profile with detected and config traits, two history points and
guidelines that do not apply. ``minimal_scorecard()`` has no history, no attestations
and no next steps. Both are built from the real catalogue and behaviour table, so they
hold 17 guidelines and 63 behaviours; scores are computed the way the model defines
them (met 1, partly met 0.5, over applicable behaviours).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from aiwarden.assess.behaviours import SPECS
from aiwarden.assess.evaluate import aggregate
from aiwarden.assess.model import (
    AreaResult,
    Attestation,
    AttestationState,
    BehaviourResult,
    Evidence,
    FindingRef,
    GuidelineResult,
    NextStep,
    Polarity,
    ProfileFlag,
    ScanSummary,
    Scorecard,
    Status,
    Strength,
    TrendPoint,
)
from aiwarden.core.catalogue import Guideline, load_catalogue

SUP, UND = Polarity.SUPPORTS, Polarity.UNDERMINES
ATTESTATIONS_FILE = "aiwarden-attestations.yaml"


@dataclass(frozen=True)
class Plan:
    """What the sample says about one behaviour (everything else: needs attestation)."""

    status: Status
    reason: str
    evidence: tuple[Evidence, ...] = ()
    findings: tuple[FindingRef, ...] = ()
    attestation: Attestation | None = None


def finding(
    rule: str, title: str, severity: str, path: str, line: int | None, msg: str
) -> FindingRef:
    """A finding reference with a fingerprint derived from its location."""
    key = f"{rule}:{path}:{line}".encode()
    return FindingRef(rule, title, severity, path, line, msg, key.hex()[:32])


def ev(check: str, bid: str, pol: Polarity, strength: Strength, text: str, *paths: str) -> Evidence:
    """An evidence item."""
    return Evidence(check, bid, pol, strength, text, tuple(paths))


def attest(
    bid: str, state: AttestationState, by: str = "Priya Shah", url: str | None = None, line: int = 3
) -> Attestation:
    """An attestation of ``bid`` in ``state``, with dates that fit the state."""
    dates = {
        AttestationState.VALID: ("2026-09-12", "2027-09-12"),
        AttestationState.EXPIRED: ("2025-05-02", "2026-05-02"),
        AttestationState.UNSIGNED: (None, None),
        AttestationState.MISSING: (None, None),
    }[state]
    signer = "" if state in (AttestationState.UNSIGNED, AttestationState.MISSING) else by
    source = "" if state is AttestationState.MISSING else f"{ATTESTATIONS_FILE}:{line}"
    return Attestation(bid, SPECS[bid].prompt, signer, *dates, url, state, source)


PICKLE = finding(
    "AIW-MOD002",
    "Pickle imports a callable that can run code",
    "critical",
    "models/intent_classifier.pkl",
    None,
    "The pickle imports os.system; loading it runs a shell command.",
)
SHELL_TOOL = finding(
    "AIW-PY007",
    "Code-execution tool given to an LLM",
    "high",
    "app/agent/tools.py",
    42,
    "ShellTool() is in the agent's tool list without a sandbox.",
)
ROOT_CONTAINER = finding(
    "AIW-IAC002",
    "AI service port published on all interfaces",
    "high",
    "deploy/docker-compose.yml",
    14,
    "Port 8000 of the model server is published as 0.0.0.0:8000.",
)
PROMPT_PII = finding(
    "AIW-PY009",
    "Untrusted request data formatted into a system prompt",
    "medium",
    "app/chat.py",
    88,
    "request.json['name'] is formatted into the system prompt sent to the OpenAI API.",
)
UNPINNED = finding(
    "AIW-PY004",
    "Hugging Face download not pinned to a commit",
    "medium",
    "app/models.py",
    17,
    "from_pretrained('acme/intent-bert') has no revision=; the weights can change.",
)
DEBUG = finding(
    "AIW-PY011",
    "Unbounded LLM call",
    "low",
    "app/chat.py",
    91,
    "chat.completions.create() sets neither max_tokens nor a timeout.",
)
NO_CARD = finding(
    "AIW-MOD001",
    "Model file uses a format that can hold code",
    "info",
    "models/intent_classifier.pkl",
    None,
    "The file is a pickle; prefer safetensors for weights.",
)


def _plans_design() -> dict[str, Plan]:
    return {
        "SD-1.a": Plan(
            Status.MET,
            "A valid attestation covers it.",
            attestation=attest(
                "SD-1.a",
                AttestationState.VALID,
                url="https://wiki.example.com/security/briefing-2026",
            ),
        ),
        "SD-1.c": Plan(
            Status.PARTLY_MET,
            "A user guide exists; no attestation confirms it is used.",
            (
                ev(
                    "docs.user-guidance",
                    "SD-1.c",
                    SUP,
                    Strength.DOCUMENT_PRESENT,
                    "docs/USAGE.md has a section on AI-specific risks.",
                    "docs/USAGE.md",
                ),
            ),
        ),
        "SD-1.d": Plan(
            Status.NEEDS_ATTESTATION,
            "The attestation is not signed yet.",
            attestation=attest("SD-1.d", AttestationState.UNSIGNED, line=11),
        ),
        "SD-2.b": Plan(
            Status.NEEDS_ATTESTATION,
            "The attestation expired on 2026-05-02.",
            attestation=attest(
                "SD-2.b",
                AttestationState.EXPIRED,
                line=19,
                url="file:///srv/share/threat-model.pdf",
            ),
        ),
        "SD-3.c": Plan(
            Status.PARTLY_MET,
            "A medium-severity finding: a download is not pinned.",
            (
                ev(
                    "deps.pinned",
                    "SD-3.c",
                    SUP,
                    Strength.HEURISTIC,
                    "All AI libraries are pinned to exact versions.",
                    "requirements.txt",
                ),
            ),
            (UNPINNED,),
        ),
        "SD-3.d": Plan(
            Status.NOT_MET, "A critical finding: a pickled model can run code.", findings=(PICKLE,)
        ),
        "SD-3.e": Plan(
            Status.PARTLY_MET,
            "A medium-severity finding in the LLM client.",
            findings=(PROMPT_PII,),
        ),
        "SD-3.g": Plan(
            Status.MET,
            "CI runs a static analyser on every change.",
            (
                ev(
                    "ci.sast",
                    "SD-3.g",
                    SUP,
                    Strength.HEURISTIC,
                    "The CI workflow runs bandit and aiwarden.",
                    ".github/workflows/ci.yml",
                ),
            ),
        ),
        "SD-3.h": Plan(
            Status.NOT_MET,
            "A high-severity finding: an agent tool runs shell commands.",
            findings=(SHELL_TOOL,),
        ),
        "SD-3.i": Plan(
            Status.MET,
            "Risky features are off by default.",
            (
                ev(
                    "config.defaults",
                    "SD-3.i",
                    SUP,
                    Strength.HEURISTIC,
                    "Tool use is disabled unless ENABLE_TOOLS is set.",
                    "app/settings.py",
                ),
            ),
        ),
    }


def _plans_development() -> dict[str, Plan]:
    valid_doc = "https://docs.example.com/cards/intent-bert"
    return {
        "DV-1.a": Plan(
            Status.MET,
            "Every dependency is locked with hashes.",
            (
                ev(
                    "deps.lock-hashes",
                    "DV-1.a",
                    SUP,
                    Strength.VERIFIED,
                    "uv.lock pins 84 packages, each with a sha256 hash.",
                    "uv.lock",
                ),
            ),
        ),
        "DV-1.b": Plan(
            Status.PARTLY_MET,
            "A medium-severity finding: a download is not pinned.",
            findings=(UNPINNED,),
        ),
        "DV-2.a": Plan(
            Status.PARTLY_MET,
            "An AI-BOM exists; no attestation says it is kept current.",
            (
                ev(
                    "bom.present",
                    "DV-2.a",
                    SUP,
                    Strength.DOCUMENT_PRESENT,
                    "An AI-BOM lists 3 models and 2 datasets.",
                    "aibom.cdx.json",
                ),
            ),
        ),
        "DV-2.b": Plan(
            Status.MET,
            "Logs go through a redacting formatter.",
            (
                ev(
                    "logging.redaction",
                    "DV-2.b",
                    SUP,
                    Strength.HEURISTIC,
                    "The logging config redacts e-mail addresses and API keys.",
                    "app/logging.yaml",
                    "app/log_filters.py",
                ),
            ),
        ),
        "DV-2.c": Plan(
            Status.MET,
            "A valid attestation covers it.",
            attestation=attest("DV-2.c", AttestationState.VALID, by="Tom Okafor", line=27),
        ),
        "DV-2.d": Plan(
            Status.PARTLY_MET,
            "Models are tracked in Git LFS; restore is not attested.",
            (
                ev(
                    "assets.versioned",
                    "DV-2.d",
                    SUP,
                    Strength.HEURISTIC,
                    "Model files are tracked by Git LFS.",
                    ".gitattributes",
                ),
            ),
        ),
        "DV-2.e": Plan(
            Status.MET,
            "Retrieval reads from an allow-listed index only.",
            (
                ev(
                    "rag.allowlist",
                    "DV-2.e",
                    SUP,
                    Strength.HEURISTIC,
                    "The retriever is limited to the 'public-docs' collection.",
                    "app/retrieval.py",
                ),
            ),
        ),
        "DV-3.a": Plan(
            Status.MET,
            "Documented, and a valid attestation confirms it is kept.",
            (
                ev(
                    "docs.lifecycle",
                    "DV-3.a",
                    SUP,
                    Strength.DOCUMENT_PRESENT,
                    "docs/MODEL_LIFECYCLE.md covers training, release and retirement.",
                    "docs/MODEL_LIFECYCLE.md",
                ),
                ev(
                    "attestation",
                    "DV-3.a",
                    SUP,
                    Strength.ATTESTED,
                    "Attested by Tom Okafor on 2026-09-12.",
                    ATTESTATIONS_FILE,
                ),
            ),
            attestation=attest(
                "DV-3.a", AttestationState.VALID, by="Tom Okafor", url=valid_doc, line=35
            ),
        ),
        "DV-3.b": Plan(
            Status.MET,
            "The model card carries the security fields; attested.",
            (
                ev(
                    "docs.model-card",
                    "DV-3.b",
                    SUP,
                    Strength.DOCUMENT_PRESENT,
                    "The model card has hashes, sources and limitations.",
                    "models/MODEL_CARD.md",
                ),
            ),
            attestation=attest("DV-3.b", AttestationState.VALID, line=43),
        ),
        "DV-3.c": Plan(
            Status.MET,
            "A model card and an SBOM are kept in the repository.",
            (
                ev(
                    "docs.model-card",
                    "DV-3.c",
                    SUP,
                    Strength.DOCUMENT_PRESENT,
                    "Model card and CycloneDX SBOM present.",
                    "models/MODEL_CARD.md",
                    "sbom.cdx.json",
                ),
            ),
        ),
    }


def _plans_deployment() -> dict[str, Plan]:
    return {
        "DP-1.a": Plan(
            Status.NOT_MET,
            "A high-severity finding in the deployment files.",
            findings=(ROOT_CONTAINER,),
        ),
        "DP-1.b": Plan(
            Status.NOT_MET,
            "The inference API has no authentication.",
            (
                ev(
                    "api.auth",
                    "DP-1.b",
                    UND,
                    Strength.HEURISTIC,
                    "The FastAPI app declares no security dependency on /chat.",
                    "app/api.py",
                ),
            ),
        ),
        "DP-2.a": Plan(
            Status.MET,
            "Model files are in safe formats and match their hashes.",
            (
                ev(
                    "models.hashes",
                    "DP-2.a",
                    SUP,
                    Strength.VERIFIED,
                    "2 safetensors files match models/SHA256SUMS.",
                    "models/SHA256SUMS",
                    "models/encoder.safetensors",
                    "models/head.safetensors",
                ),
            ),
        ),
        "DP-3.a": Plan(
            Status.PARTLY_MET,
            "A plan exists; nobody attested that it is exercised.",
            (
                ev(
                    "docs.incident-response",
                    "DP-3.a",
                    SUP,
                    Strength.DOCUMENT_PRESENT,
                    "docs/INCIDENT_RESPONSE.md names AI scenarios.",
                    "docs/INCIDENT_RESPONSE.md",
                ),
            ),
            attestation=attest("DP-3.a", AttestationState.MISSING),
        ),
        "DP-4.a": Plan(
            Status.MET,
            "Red-team evaluations run in CI; attested.",
            (
                ev(
                    "ci.redteam",
                    "DP-4.a",
                    SUP,
                    Strength.HEURISTIC,
                    "promptfoo red-team suite runs on release tags.",
                    "evals/redteam.yaml",
                    ".github/workflows/release.yml",
                ),
            ),
            attestation=attest(
                "DP-4.a", AttestationState.VALID, line=51, url="https://ci.example.com/runs/4711"
            ),
        ),
        "DP-4.b": Plan(
            Status.MET,
            "Limitations are published; attested.",
            (
                ev(
                    "docs.limitations",
                    "DP-4.b",
                    SUP,
                    Strength.DOCUMENT_PRESENT,
                    "docs/LIMITATIONS.md lists known failure modes.",
                    "docs/LIMITATIONS.md",
                ),
            ),
            attestation=attest("DP-4.b", AttestationState.VALID, line=59),
        ),
        "DP-5.a": Plan(
            Status.MET,
            "Secure defaults in the shipped configuration.",
            (
                ev(
                    "config.defaults",
                    "DP-5.a",
                    SUP,
                    Strength.HEURISTIC,
                    "TLS is required and CORS is restricted by default.",
                    "deploy/config.yaml",
                ),
            ),
        ),
        "DP-5.c": Plan(
            Status.PARTLY_MET,
            "A usage guide exists; not attested.",
            (
                ev(
                    "docs.user-guidance",
                    "DP-5.c",
                    SUP,
                    Strength.DOCUMENT_PRESENT,
                    "docs/USAGE.md explains appropriate use.",
                    "docs/USAGE.md",
                ),
            ),
        ),
    }


def _plans_operation() -> dict[str, Plan]:
    return {
        "OM-3.a": Plan(
            Status.MET,
            "Dependabot keeps dependencies and images current.",
            (
                ev(
                    "ci.updates",
                    "OM-3.a",
                    SUP,
                    Strength.HEURISTIC,
                    "Dependabot covers pip and docker.",
                    ".github/dependabot.yml",
                ),
            ),
        ),
        "OM-3.b": Plan(
            Status.PARTLY_MET,
            "Prompt changes run the eval suite; not attested.",
            (
                ev(
                    "ci.evals",
                    "OM-3.b",
                    SUP,
                    Strength.HEURISTIC,
                    "Changes under prompts/ trigger the eval workflow.",
                    ".github/workflows/evals.yml",
                ),
            ),
        ),
        "OM-4.b": Plan(
            Status.NOT_MET,
            "No security policy or security.txt was found.",
            (
                ev(
                    "docs.security-policy",
                    "OM-4.b",
                    UND,
                    Strength.HEURISTIC,
                    "No SECURITY.md, .github/SECURITY.md or security.txt.",
                ),
            ),
        ),
    }


def _traits(profile: tuple[ProfileFlag, ...]) -> set[str]:
    return {flag.name for flag in profile if flag.value}


def _behaviour(bid: str, text: str, plans: dict[str, Plan], traits: set[str]) -> BehaviourResult:
    spec = SPECS[bid]
    prompt = None if spec.mode.value == "machine" else spec.prompt
    if spec.applies_if and not any(t.value in traits for t in spec.applies_if):
        names = " or ".join(t.value for t in spec.applies_if)
        return BehaviourResult(
            bid, text, Status.NOT_APPLICABLE, f"Applies only to projects that {names}."
        )
    plan = plans.get(bid)
    if plan is None:
        return BehaviourResult(
            bid,
            text,
            Status.NEEDS_ATTESTATION,
            "No evidence either way; a person can attest it.",
            attestation_prompt=prompt,
        )
    return BehaviourResult(
        bid, text, plan.status, plan.reason, plan.evidence, plan.findings, plan.attestation, prompt
    )


def _guideline(
    g: Guideline,
    plans: dict[str, Plan],
    traits: set[str],
    general: dict[str, tuple[FindingRef, ...]],
) -> GuidelineResult:
    behaviours = tuple(_behaviour(b.id, b.text, plans, traits) for b in g.behaviours)
    status, score = aggregate(behaviours)
    return GuidelineResult(
        g.id, g.title, g.area_id, status, score, behaviours, general.get(g.id, ())
    )


def build_scorecard(
    plans: dict[str, Plan],
    profile: tuple[ProfileFlag, ...],
    general: dict[str, tuple[FindingRef, ...]] | None = None,
    **fields: object,
) -> Scorecard:
    """A scorecard over the whole catalogue from per-behaviour plans; ``fields`` pass through."""
    catalogue = load_catalogue()
    traits = _traits(profile)
    guidelines = tuple(_guideline(g, plans, traits, general or {}) for g in catalogue.guidelines)
    areas = []
    for area in catalogue.areas:
        scores = [g.score for g in guidelines if g.area_id == area.id and g.score is not None]
        score = sum(scores) / len(scores) if scores else None
        areas.append(AreaResult(area.id, area.title, score, tuple(g.id for g in area.guidelines)))
    card = Scorecard(
        tool_version="0.4.0",
        project="chatbot-service",
        generated_at="2026-11-20T09:30:00Z",
        scan=ScanSummary(143, 0, True, {}, 0),
        profile=profile,
        areas=tuple(areas),
        guidelines=guidelines,
        next_steps=(),
        attestations_file=None,
    )
    return replace(card, **fields)


PROFILE = (
    ProfileFlag("uses-hosted-llm", True, "detected", "imports openai in app/chat.py"),
    ProfileFlag("trains-models", False, "detected", "no training code or training dependencies"),
    ProfileFlag("serves-models", False, "config", "[tool.aiwarden.profile] in pyproject.toml"),
    ProfileFlag(
        "runs-agents", True, "detected", "defines tools for an agent in app/agent/tools.py"
    ),
    ProfileFlag(
        "handles-personal-data", True, "config", "[tool.aiwarden.profile] in pyproject.toml"
    ),
)


def _next_steps() -> tuple[NextStep, ...]:
    return (
        NextStep(
            "Bind the model server to localhost",
            "Publish port 8000 as 127.0.0.1:8000 and put the authenticating proxy in front.",
            ("DP-1.a",),
            ("DP-1",),
            (ROOT_CONTAINER.fingerprint,),
            0.33,
        ),
        NextStep(
            "Publish a security policy",
            "Add SECURITY.md with a disclosure address and response times.",
            ("OM-4.b",),
            ("OM-4",),
            (),
            0.25,
        ),
        NextStep(
            "Renew the expired threat-model attestation",
            "Review the threat model and sign a new entry in the attestations file.",
            ("SD-2.b",),
            ("SD-2",),
            (),
            0.25,
        ),
        NextStep(
            "Replace the pickled intent classifier",
            "Convert models/intent_classifier.pkl to safetensors and delete the pickle.",
            ("SD-3.d",),
            ("SD-3",),
            (PICKLE.fingerprint, NO_CARD.fingerprint),
            0.11,
        ),
        NextStep(
            "Restrict the agent's shell tool",
            "Replace ShellTool with a tool that runs only allow-listed commands in a sandbox.",
            ("SD-3.h",),
            ("SD-3",),
            (SHELL_TOOL.fingerprint,),
            0.11,
        ),
    )


def _history(now: Scorecard) -> tuple[TrendPoint, ...]:
    statuses = {g.id: g.status.value for g in now.guidelines}
    older = dict(
        statuses,
        **{
            "DV-3": "partly met",
            "DP-4": "needs attestation",
            "OM-4": "partly met",
            "DP-1": "partly met",
        },
    )
    previous = dict(
        statuses, **{"DV-3": "partly met", "DP-4": "needs attestation", "OM-4": "partly met"}
    )
    return (
        TrendPoint("2026-09-01T10:00:00Z", 0.31, older),
        TrendPoint("2026-10-15T10:00:00Z", 0.36, previous),
    )


def sample_scorecard() -> Scorecard:
    """A realistic assessment that exercises every part of a scorecard."""
    plans = {**_plans_design(), **_plans_development(), **_plans_deployment(), **_plans_operation()}
    general = {"SD-3": (DEBUG,), "DV-2": (NO_CARD,)}
    card = build_scorecard(
        plans,
        PROFILE,
        general,
        scan=ScanSummary(
            143, 0, True, {"critical": 1, "high": 2, "medium": 2, "low": 1, "info": 1}, 2
        ),
        next_steps=_next_steps(),
        attestations_file=ATTESTATIONS_FILE,
        attestation_problems=(f"{ATTESTATIONS_FILE}:67: unknown behaviour 'SD-9.z'",),
        warnings=("The attestations file names 1 behaviour that does not exist.",),
    )
    return replace(card, history=_history(card))


def minimal_scorecard() -> Scorecard:
    """An assessment with no evidence, attestations, next steps or history."""
    profile = (ProfileFlag("serves-models", False, "detected", "no serving code found"),)
    return build_scorecard({}, profile, project="empty-project")
