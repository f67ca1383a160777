"""Evidence from the governance documents a project keeps.

The governance analyzer already reports missing and thin documents as findings
(AIW-GOV001..012), and those findings reach the scorecard through their rules'
guideline ids. These checks add what findings cannot say:

* **positive evidence**: which document exists, where, and what it covers ("SECURITY.md
  gives a private reporting channel (security@example.com) and response times; no
  safe-harbour wording"), so a behaviour can be shown as partly or fully met with the
  file to look at;
* **negative evidence only where a finding would understate it.** A GOV finding is of
  medium severity, which makes its behaviours only "partly met". Where the document is
  missing altogether (no disclosure policy, no threat model, no incident response plan,
  no model or data card for a model or dataset directory, no user documentation) or
  names none of what the behaviour is about (a threat model of an AI project without a
  single AI threat, a threat model last updated more than 12 months ago), the check
  says so, so the behaviour is "not met": this carries information the finding does
  not. Thin documents (a disclosure policy without a private channel, an IR plan
  without AI scenarios, a model card without an evaluation) are left to the findings
  alone, which keeps them "partly met" without counting the same gap twice.

Negative evidence about AI-specific documents (threat model, IR plan, user guidance,
data cards) is emitted only for projects that are recognisably AI projects (they hold
model or prompt files, import or depend on an AI library, or the scan reports an AI-only
rule); a missing disclosure policy is reported for every project.

Documents are read through :class:`~aiwarden.assess.evidence.interface.ProjectView`
(bounded, symlinks refused), cut at 512 KiB of text and parsed with the governance
analyzer's Markdown parser and topic vocabularies; nothing is executed or rendered.
The AI asset inventory (which directories need a model or data card, which prompt
files exist) is the governance analyzer's own walk, so these checks and the AIW-GOV
findings agree on it. Repository-wide process documents (SECURITY.md or security.txt,
CONTRIBUTING.md, the incident response plan) are inherited from the nearest parent
directory up to the scan root when the assessed directory has none, so a monorepo
package is judged by its repository's policies (the summary says "inherited");
documents about one system (threat model, cards, user guidance, changelog,
monitoring plan) are never inherited.
"""

from __future__ import annotations

from aiwarden.assess.evidence._docs_cards import DataCardsCheck, ModelCardsCheck
from aiwarden.assess.evidence._docs_ops import LifecycleCheck, MonitoringPlanCheck
from aiwarden.assess.evidence._docs_policy import (
    ContributingSecurityCheck,
    IncidentResponseCheck,
    SecurityPolicyCheck,
)
from aiwarden.assess.evidence._docs_prompts import SystemPromptsCheck
from aiwarden.assess.evidence._docs_threats import ThreatModelCheck
from aiwarden.assess.evidence._docs_users import UserGuidanceCheck
from aiwarden.assess.evidence.interface import EvidenceCheck

CHECKS: tuple[EvidenceCheck, ...] = (
    SecurityPolicyCheck(),
    ThreatModelCheck(),
    ModelCardsCheck(),
    DataCardsCheck(),
    SystemPromptsCheck(),
    IncidentResponseCheck(),
    UserGuidanceCheck(),
    ContributingSecurityCheck(),
    LifecycleCheck(),
    MonitoringPlanCheck(),
)
"""The document checks, in the order of the guidelines they mostly inform."""

__all__ = [
    "CHECKS",
    "ContributingSecurityCheck",
    "DataCardsCheck",
    "IncidentResponseCheck",
    "LifecycleCheck",
    "ModelCardsCheck",
    "MonitoringPlanCheck",
    "SecurityPolicyCheck",
    "SystemPromptsCheck",
    "ThreatModelCheck",
    "UserGuidanceCheck",
]
