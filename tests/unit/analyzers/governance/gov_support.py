"""Helpers for the governance tests: complete projects built in code, and a runner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aiw_test_support import write_tree
from aiwarden.analyzers.governance.analyzer import GovernanceAnalyzer
from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat

TODAY = dt.date(2026, 11, 26)

SECURITY = """# Security policy
## Supported versions
Only the latest 1.x release receives security fixes.
## Reporting a vulnerability
Report privately to security@example.org. We acknowledge reports within 3 business days.
"""
THREAT = """---
last_updated: 2026-06-01
---
# Threat model
Prompt injection through retrieved documents is the main risk for the assistant.
Data poisoning of the fine-tuning set is mitigated by provenance checks.
Model extraction through the public API is limited by rate limits.
Excessive agency: agent tools need human approval.
Supply chain: only safetensors from pinned revisions are loaded.
"""
INCIDENT = """# Incident response
Rotate the provider keys and revoke hub tokens after a leak.
Roll back to the previous model revision when outputs regress.
A poisoned model is quarantined and replaced.
Prompt injection abuse: disable the agent tools and review the logs.
Data leakage: inform the data protection officer.
"""
MONITORING = """# Monitoring
Prompts and responses are logged with PII redacted.
Rate limits and an abuse review queue protect the public endpoint.
We alert when drift in the output distribution exceeds a threshold.
"""
README = """# demo
## Limitations
The model only understands English and may produce incorrect answers for short inputs
or rare topics, so every answer needs checking by a person.
## Safe use
Do not use it for medical or legal advice and keep a human in the loop for any decision
that affects people, customers or money.
## Secure configuration
Read the API key from an environment variable, never from a file in the repository, and
bind the server to 127.0.0.1 or put it behind an authenticating proxy.
"""
CONTRIBUTING = """# Contributing
## Security
Never commit API keys or tokens. Treat model output as untrusted input and load models
with safetensors only; report vulnerabilities as SECURITY.md describes.
"""
WORKFLOW = "on: [push]\njobs:\n  s:\n    steps:\n      - run: aiwarden scan .\n"
DEPENDABOT = (
    "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n"
    "  - package-ecosystem: github-actions\n    directory: /\n"
)
BASE: dict[str, str | bytes] = {
    "pyproject.toml": '[project]\nname = "demo"\n',
    "README.md": README,
    "SECURITY.md": SECURITY,
    "THREAT_MODEL.md": THREAT,
    "INCIDENT_RESPONSE.md": INCIDENT,
    "MONITORING.md": MONITORING,
    "CONTRIBUTING.md": CONTRIBUTING,
    ".github/workflows/ci.yml": WORKFLOW,
    ".github/dependabot.yml": DEPENDABOT,
}
MODEL_CARD = """---
license: mit
---
# Model card
## Intended use
Classifies support tickets into three queues for the support team to pick up faster.
## Limitations
English only; accuracy drops on very short tickets and on mixed-topic tickets.
## Training data
Ten thousand anonymised tickets from 2024 described in the data card.
## Evaluation
Macro F1 of 0.87 on a held-out sample of two thousand tickets.
## Provenance
Fine-tuned from distilbert at revision 1c4513b; sha256 listed in SHA256SUMS here.
"""


write = write_tree


def project(root: Path, **changes: str | bytes | None) -> Path:
    """A complete project under ``root``, with ``changes`` (``None`` deletes a file).

    Keyword names use ``__`` for ``/`` and ``_dot_`` for ``.``; see :func:`key`.
    """
    files = dict(BASE)
    for name, content in changes.items():
        rel = key(name)
        if content is None:
            files.pop(rel, None)
        else:
            files[rel] = content
    return write(root, files)


def key(name: str) -> str:
    """``docs__SECURITY_dot_md`` -> ``docs/SECURITY.md``."""
    return name.replace("__", "/").replace("_dot_", ".")


def analyse(
    root: Path, anchor: str = "pyproject.toml", relpath: str | None = None
) -> list[Finding]:
    """Run the governance analyzer on ``root/anchor`` as the engine would."""
    path = root / anchor
    artifact = Artifact(path, relpath or anchor, FileFormat.TOML, path.stat().st_size)
    analyzer = GovernanceAnalyzer(today=lambda: TODAY)
    assert analyzer.accepts(artifact)
    return list(analyzer.analyze(artifact, Limits()))


def ids(findings: list[Finding]) -> list[str]:
    """Rule ids of ``findings``, sorted."""
    return sorted(f.rule.id for f in findings)
