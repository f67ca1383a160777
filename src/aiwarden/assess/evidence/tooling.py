"""Evidence from the tooling a project uses: monitoring, guardrails, red teaming, API
versioning.

A tool counts when a manifest declares it or the project's code imports it (see
:mod:`._code`), or for red teaming when CI runs it; code patterns (moderation calls,
rate limiters, auth dependencies, versioned routes) come from one bounded pass over the
project's Python and configuration files. All of it is heuristic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Final

from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence import _tools as tools
from aiwarden.assess.evidence._ci import load_ci, trigger_paths
from aiwarden.assess.evidence._code import Package, load_code, packages_present
from aiwarden.assess.evidence._deps import load_deps, service_signals
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

P = Package
LLM_TRACING: Final = (
    P("langfuse", ("langfuse",), ("langfuse",)),
    P("LangSmith", ("langsmith",), ("langsmith",)),
    P("Arize Phoenix", ("arize-phoenix", "arize-phoenix-otel"), ("phoenix",)),
    P("OpenInference", ("openinference-instrumentation",), ("openinference",), prefix=True),
    P("OpenLLMetry", ("traceloop-sdk",), ("traceloop",)),
    P("OpenLIT", ("openlit",), ("openlit",)),
    P("Helicone", ("helicone",), ("helicone",)),
    P("OpenTelemetry GenAI", ("opentelemetry-instrumentation-openai",
      "opentelemetry-instrumentation-anthropic", "opentelemetry-instrumentation-langchain",
      "opentelemetry-instrumentation-bedrock", "opentelemetry-instrumentation-vertexai",
      "opentelemetry-semantic-conventions-ai"), prefix=True),
)  # fmt: skip
"""Tools that record prompts and completions (inputs are logged: OM-2.a)."""
DRIFT: Final = (
    P("Evidently", ("evidently",), ("evidently",)),
    P("whylogs", ("whylogs",), ("whylogs",)),
    P("NannyML", ("nannyml",), ("nannyml",)),
    P("Alibi Detect", ("alibi-detect",), ("alibi_detect",)),
    P("Arize", ("arize",), ("arize",)),
)
SERVICE_METRICS: Final = (
    P("Prometheus client", ("prometheus-client", "prometheus-fastapi-instrumentator",
      "prometheus-flask-exporter"), ("prometheus_client", "prometheus_fastapi_instrumentator")),
    P("OpenTelemetry", ("opentelemetry-sdk", "opentelemetry-api"), ("opentelemetry",)),
    P("Datadog", ("ddtrace",), ("ddtrace",)),
)  # fmt: skip
"""Generic metrics and tracing: evidence only on a deployable service."""
GUARDRAILS: Final = (
    P("LLM Guard", ("llm-guard",), ("llm_guard",)),
    P("NeMo Guardrails", ("nemoguardrails",), ("nemoguardrails",)),
    P("Guardrails AI", ("guardrails-ai",), ("guardrails",)),
    P("Rebuff", ("rebuff",), ("rebuff",)),
    P("Azure AI Content Safety", ("azure-ai-contentsafety",), ("azure.ai.contentsafety",)),
    P("Lakera Guard", ("lakera-guard", "lakera-chainguard"), ("lakera_chainguard",)),
)
RATE_LIMITERS: Final = (
    P("slowapi", ("slowapi",), ("slowapi",)),
    P("Flask-Limiter", ("flask-limiter",), ("flask_limiter",)),
    P("fastapi-limiter", ("fastapi-limiter",), ("fastapi_limiter",)),
    P("django-ratelimit", ("django-ratelimit",), ("django_ratelimit",)),
    P("express-rate-limit", ("express-rate-limit",)),
)
REDACTION: Final = (
    P("Presidio", ("presidio-analyzer", "presidio-anonymizer"), ("presidio_analyzer",
      "presidio_anonymizer")),
    P("scrubadub", ("scrubadub",), ("scrubadub",)),
)  # fmt: skip
REDTEAM: Final = (
    P("garak", ("garak",), ("garak",)),
    P("promptfoo", ("promptfoo",)),
    P("PyRIT", ("pyrit",), ("pyrit",)),
    P("giskard", ("giskard",), ("giskard",)),
    P("inspect-ai", ("inspect-ai",), ("inspect_ai",)),
    P("deepeval", ("deepeval",), ("deepeval",)),
    P("ART", ("adversarial-robustness-toolbox",), ("art.attacks", "art.estimators")),
    P("TextAttack", ("textattack",), ("textattack",)),
)
_REDTEAM_CONFIGS: Final = ("promptfooconfig.yaml", "promptfooconfig.yml", "garak*.yaml")
_ASSET_PATHS: Final = ("model", "prompt", "data", "eval", "weights", "checkpoint", "dataset")


def _flat(found: dict[str, list[str]]) -> list[str]:
    return sorted({p for paths in found.values() for p in paths})[:10]


class Monitoring(EvidenceCheck):
    """Model and LLM monitoring: drift detection, LLM tracing, service metrics."""

    id: ClassVar[str] = "tooling.monitoring"
    title: ClassVar[str] = "Model behaviour and inputs are monitored"
    behaviours: ClassVar[tuple[str, ...]] = ("OM-1.a", "OM-2.a")
    remediation: ClassVar[str] = (
        "Monitor model outputs and inputs: drift detection (Evidently, whylogs), LLM "
        "tracing with redaction (Langfuse, Phoenix, OpenTelemetry GenAI), service metrics."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports OM-1.a for monitoring tools, OM-2.a for tools that log inputs."""
        tracing = packages_present(project, LLM_TRACING)
        found = {**packages_present(project, DRIFT), **tracing}
        if service_signals(project, load_deps(project)):
            found.update(packages_present(project, SERVICE_METRICS))
        if found:
            yield self.supports(
                "OM-1.a",
                f"model or service behaviour is monitored ({', '.join(sorted(found))})",
                Strength.HEURISTIC,
                _flat(found),
            )
        if tracing:
            redacted = load_code(project).signals.get("redaction") or packages_present(
                project, REDACTION
            )
            note = " with a redaction step" if redacted else ""
            yield self.supports(
                "OM-2.a",
                f"prompts and inputs are logged by {', '.join(sorted(tracing))}{note}",
                Strength.HEURISTIC,
                _flat(tracing),
            )


class Guardrails(EvidenceCheck):
    """Input and output guardrails, rate limits and auth, and redaction before LLM calls."""

    id: ClassVar[str] = "tooling.guardrails"
    title: ClassVar[str] = "Guardrails protect the model interface"
    behaviours: ClassVar[tuple[str, ...]] = ("OM-2.b", "DP-5.b", "DP-2.b", "SD-3.e")
    remediation: ClassVar[str] = (
        "Screen inputs and outputs (LLM Guard, NeMo Guardrails, a moderation endpoint), "
        "rate-limit and authenticate the inference endpoint, and redact personal data "
        "(Presidio) before it reaches an external model."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports OM-2.b/DP-5.b, DP-2.b and SD-3.e by the controls found."""
        code = load_code(project)
        guards = packages_present(project, GUARDRAILS)
        if code.signals.get("moderation"):
            guards["moderation or guard model calls"] = code.signals["moderation"]
        if guards:
            summary = f"inputs or outputs are screened ({', '.join(sorted(guards))})"
            yield self.supports("OM-2.b", summary, Strength.HEURISTIC, _flat(guards))
            yield self.supports("DP-5.b", summary, Strength.HEURISTIC, _flat(guards))
        limits = packages_present(project, RATE_LIMITERS)
        if code.signals.get("rate_limit"):
            limits["rate limits"] = code.signals["rate_limit"]
        if code.signals.get("auth"):
            limits["authentication"] = code.signals["auth"]
        if limits:
            yield self.supports(
                "DP-2.b",
                f"the query interface is controlled ({', '.join(sorted(limits))})",
                Strength.HEURISTIC,
                _flat(limits),
            )
        redaction = packages_present(project, REDACTION)
        if code.signals.get("redaction"):
            redaction["redaction calls"] = code.signals["redaction"]
        if redaction:
            yield self.supports(
                "SD-3.e",
                f"data is redacted before it leaves ({', '.join(sorted(redaction))})",
                Strength.HEURISTIC,
                _flat(redaction),
            )


class RedTeam(EvidenceCheck):
    """Security evaluation and red-teaming tools, and evals triggered by asset changes."""

    id: ClassVar[str] = "tooling.redteam"
    title: ClassVar[str] = "Models are evaluated and red-teamed"
    behaviours: ClassVar[tuple[str, ...]] = ("DP-4.a", "OM-3.b")
    remediation: ClassVar[str] = (
        "Red-team and evaluate the model before release (garak, promptfoo, PyRIT, "
        "inspect-ai) and re-run the evaluation in CI when models, prompts or data change."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports DP-4.a for evaluation tools; OM-3.b when CI re-runs them on asset
        changes."""
        found = packages_present(project, REDTEAM)
        configs = [c for c in project.glob(*_REDTEAM_CONFIGS) if not fs.incidental(project, c)]
        if configs:
            found["red-team configuration"] = configs
        config = load_ci(project)
        ci_hits = {n: config.matching(p) for n, p in tools.REDTEAM.items() if config.matching(p)}
        found.update({f"{n} in CI": paths for n, paths in ci_hits.items()})
        if found:
            yield self.supports(
                "DP-4.a",
                f"security evaluation or red-team tooling is used ({', '.join(sorted(found))})",
                Strength.HEURISTIC,
                _flat(found),
            )
        triggered = [
            ci.relpath
            for ci in config.workflows + config.pipelines
            if any(tools.found(tools.REDTEAM, ci.text))
            and any(k in p.lower() for p in trigger_paths(ci) for k in _ASSET_PATHS)
        ]
        if triggered:
            yield self.supports(
                "OM-3.b",
                "CI re-runs evaluations when models, prompts or data change",
                Strength.HEURISTIC,
                sorted(set(triggered)),
            )


class ApiVersioning(EvidenceCheck):
    """Versioned API routes and pinned model versions."""

    id: ClassVar[str] = "tooling.api-versioning"
    title: ClassVar[str] = "APIs and model versions are versioned"
    behaviours: ClassVar[tuple[str, ...]] = ("OM-3.c",)
    remediation: ClassVar[str] = (
        "Serve the model behind versioned routes (/v1/) and pin model versions (dated "
        "snapshots, revisions) so users can evaluate changes before they switch."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports OM-3.c for versioned routes or pinned model versions."""
        code = load_code(project)
        routes = code.signals.get("versioned_route", [])
        if routes:
            yield self.supports(
                "OM-3.c", "the API is served under versioned routes", Strength.HEURISTIC, routes
            )
        pinned = code.signals.get("pinned_model", [])
        if pinned:
            yield self.supports(
                "OM-3.c",
                f"model versions are pinned (dated snapshots or revisions in "
                f"{fs.plural(len(pinned), 'file')})",
                Strength.HEURISTIC,
                pinned[:10],
            )


CHECKS: tuple[EvidenceCheck, ...] = (Monitoring(), Guardrails(), RedTeam(), ApiVersioning())
