"""How each of the 63 behaviours of the guidelines is judged.

For every behaviour (``SD-3.d``) this table says

* its **mode**: whether a machine can settle it (``MACHINE``: unsafe model formats,
  locked dependencies), whether machine evidence needs a person's confirmation
  (``MIXED``: an incident response plan exists, but is it exercised?), or whether only
  a person can say (``ATTEST``: leadership was briefed);
* **when it applies**: the profile traits of which at least one must hold (an agent
  behaviour applies only to projects that run agents), empty for "always";
* the **attestation prompt**: what a person attests in the attestations file.

Which scan findings and which evidence checks bear on a behaviour is not listed here:
rules and evidence checks declare the behaviour ids they evidence, as rule metadata
does for the docs and SARIF. This table only holds what no check can know.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Mode(enum.Enum):
    """Who can settle a behaviour."""

    MACHINE = "machine"
    MIXED = "machine + attestation"
    ATTEST = "attestation"


class Trait(enum.Enum):
    """A trait of the project profile (detected from the scan, overridable in config)."""

    USES_HOSTED_LLM = "uses-hosted-llm"
    TRAINS_MODELS = "trains-models"
    SERVES_MODELS = "serves-models"
    RUNS_AGENTS = "runs-agents"
    HANDLES_PERSONAL_DATA = "handles-personal-data"


@dataclass(frozen=True, slots=True)
class BehaviourSpec:
    """How one behaviour is judged."""

    id: str
    mode: Mode
    prompt: str
    """What a person attests (shown in ``attest init`` and in the reports)."""
    applies_if: tuple[Trait, ...] = ()
    """The behaviour applies when any of these traits holds; empty: always."""


M, X, A = Mode.MACHINE, Mode.MIXED, Mode.ATTEST
_LLM, _TRAIN, _SERVE, _AGENT, _PII = (
    (Trait.USES_HOSTED_LLM,),
    (Trait.TRAINS_MODELS,),
    (Trait.SERVES_MODELS,),
    (Trait.RUNS_AGENTS,),
    (Trait.HANDLES_PERSONAL_DATA,),
)

_SPECS: tuple[BehaviourSpec, ...] = (
    # Secure design
    BehaviourSpec("SD-1.a", A, "System owners and senior leaders were briefed on AI threats."),
    BehaviourSpec("SD-1.b", X, "Data scientists and developers follow AI security threats."),
    BehaviourSpec("SD-1.c", X, "Users receive guidance on AI-specific risks."),
    BehaviourSpec("SD-1.d", X, "Developers are trained in secure coding and secure AI practice."),
    BehaviourSpec("SD-2.a", X, "A holistic threat assessment covers impact on users and society."),
    BehaviourSpec("SD-2.b", X, "AI-specific threats were assessed and decisions documented."),
    BehaviourSpec("SD-2.c", A, "The threat model accounts for the sensitivity of the data."),
    BehaviourSpec("SD-2.d", A, "The threat model is reassessed as threats grow."),
    BehaviourSpec("SD-3.a", A, "AI was confirmed as the right way to do the task."),
    BehaviourSpec("SD-3.b", A, "Security was weighed with function, performance and oversight."),
    BehaviourSpec("SD-3.c", X, "Due diligence was done on model providers and AI libraries."),
    BehaviourSpec("SD-3.d", M, "Third-party models are scanned and sandboxed before use."),
    BehaviourSpec("SD-3.e", M, "Data sent to external AI APIs is controlled.", _LLM),
    BehaviourSpec("SD-3.f", M, "Inputs, feedback and training data are checked and sanitised."),
    BehaviourSpec("SD-3.g", M, "AI development follows the secure development practice."),
    BehaviourSpec("SD-3.h", M, "Actions that AI components trigger are restricted.", _AGENT),
    BehaviourSpec("SD-3.i", M, "Defaults are secure and riskier capabilities are opt-in."),
    BehaviourSpec("SD-4.a", A, "The threat model informed the choice of model."),
    BehaviourSpec("SD-4.b", X, "Model provenance, data and hardening trade-offs were weighed."),
    # Secure development
    BehaviourSpec("DV-1.a", M, "The AI supply chain is assessed and monitored."),
    BehaviourSpec("DV-1.b", M, "Components come from verified, well-documented sources."),
    BehaviourSpec("DV-1.c", A, "Mission-critical AI dependencies have a failover plan."),
    BehaviourSpec("DV-1.d", X, "Supply-chain attestations (SLSA, provenance) are tracked."),
    BehaviourSpec(
        "DV-2.a", X, "AI assets (models, data, prompts, logs) are inventoried and valued."
    ),
    BehaviourSpec("DV-2.b", M, "Logs are treated as sensitive data."),
    BehaviourSpec("DV-2.c", A, "Where assets reside is known and the risks accepted."),
    BehaviourSpec(
        "DV-2.d", X, "Assets are version-controlled and can be restored to a good state."
    ),
    BehaviourSpec("DV-2.e", M, "What data AI systems can access is controlled."),
    BehaviourSpec("DV-3.a", X, "The lifecycle of models, datasets and prompts is documented."),
    BehaviourSpec("DV-3.b", X, "Documentation carries the security-relevant fields."),
    BehaviourSpec("DV-3.c", M, "Model cards, data cards and SBOMs are kept."),
    BehaviourSpec("DV-4.a", X, "Technical debt is identified and tracked."),
    BehaviourSpec("DV-4.b", A, "AI technical debt is expected and budgeted for."),
    BehaviourSpec("DV-4.c", X, "Lifecycle plans include decommissioning."),
    # Secure deployment
    BehaviourSpec("DP-1.a", M, "Infrastructure follows good security principles."),
    BehaviourSpec("DP-1.b", M, "APIs, models, data and pipelines have access controls."),
    BehaviourSpec("DP-1.c", X, "Environments with sensitive code or data are segregated."),
    BehaviourSpec("DP-2.a", M, "Models and data are protected against direct access."),
    BehaviourSpec("DP-2.b", X, "The query interface has abuse and extraction controls.", _SERVE),
    BehaviourSpec(
        "DP-2.c", M, "Model files carry hashes or signatures that consumers check.", _TRAIN + _SERVE
    ),
    BehaviourSpec("DP-2.d", A, "Privacy-enhancing techniques match the threat model.", _PII),
    BehaviourSpec("DP-3.a", X, "Incident response plans cover AI scenarios and are exercised."),
    BehaviourSpec("DP-3.b", A, "Critical resources have tested offline backups."),
    BehaviourSpec("DP-3.c", A, "Responders are trained on AI incidents."),
    BehaviourSpec("DP-3.d", X, "Customers get audit logs for their own response.", _SERVE),
    BehaviourSpec("DP-4.a", X, "Releases pass a security evaluation (red teaming, benchmarks)."),
    BehaviourSpec("DP-4.b", X, "Known limitations and failure modes are published."),
    BehaviourSpec("DP-5.a", M, "Settings are secure by default."),
    BehaviourSpec("DP-5.b", X, "Controls prevent malicious use of the system.", _SERVE),
    BehaviourSpec("DP-5.c", X, "Users are guided on appropriate use."),
    BehaviourSpec("DP-5.d", X, "Users are told which security aspects are theirs."),
    BehaviourSpec("DP-5.e", X, "Users are told how their data is used.", _SERVE + _PII),
    # Secure operation and maintenance
    BehaviourSpec("OM-1.a", X, "Model outputs and performance are monitored.", _SERVE),
    BehaviourSpec("OM-1.b", A, "Intrusions can be told apart from data drift.", _SERVE),
    BehaviourSpec("OM-2.a", X, "Inference inputs are logged within privacy rules.", _SERVE),
    BehaviourSpec("OM-2.b", X, "Out-of-distribution or adversarial inputs are detected.", _SERVE),
    BehaviourSpec("OM-3.a", M, "Updates are automated and distributed securely."),
    BehaviourSpec("OM-3.b", X, "Model, data and prompt changes are tested like releases."),
    BehaviourSpec("OM-3.c", X, "Users can evaluate model changes (versioned APIs).", _SERVE),
    BehaviourSpec("OM-4.a", A, "The team takes part in information-sharing communities."),
    BehaviourSpec("OM-4.b", M, "Security feedback has open lines (a disclosure policy)."),
    BehaviourSpec("OM-4.c", X, "Vulnerabilities are published as advisories when needed."),
    BehaviourSpec("OM-4.d", A, "Issues are remediated quickly (remediation targets)."),
)

SPECS: dict[str, BehaviourSpec] = {spec.id: spec for spec in _SPECS}
"""Behaviour id -> how it is judged; a test holds it equal to the catalogue's behaviours."""
