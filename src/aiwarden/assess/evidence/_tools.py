"""Names of security tools as they appear in CI files, scripts and hooks.

Each table maps a tool's display name to a pattern over comment-free text. Patterns
are word-bounded so ``bandit`` does not match ``bandits-game`` and the CodeQL upload
step (``codeql-action/upload-sarif``) does not count as CodeQL analysis.
"""

from __future__ import annotations

import re
from typing import Final


def word(*names: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of ``names`` as a whole token."""
    alternatives = "|".join(names)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


AIWARDEN: Final = re.compile(
    r"(?<![\w-])aiwarden\s+(?:scan|assess)\b|[\w.-]+/aiwarden(?:-action)?@|"
    r"\bid:\s*aiwarden(?:-secrets)?\b|^aiwarden$",
    re.IGNORECASE | re.MULTILINE,
)
"""aiwarden run as a scanner: ``aiwarden scan``, its action, its pre-commit hook, or a
local action named ``aiwarden``."""

MODEL_SCANNERS: Final = {
    "aiwarden": AIWARDEN,
    "modelscan": word("modelscan"),
    "picklescan": word("picklescan"),
    "fickling": word("fickling"),
    "modelaudit": word("modelaudit", "model-audit", "promptfoo\\s+scan-model"),
}
SAST: Final = {
    "aiwarden": AIWARDEN,
    "bandit": word("bandit"),
    "semgrep": word("semgrep"),
    "CodeQL": re.compile(r"codeql-action/(?:init|analyze|autobuild)|codeql\s+database", re.I),
    "gitleaks": word("gitleaks"),
    "trufflehog": word("trufflehog"),
    "detect-secrets": word("detect-secrets"),
    "ggshield": word("ggshield"),
}
"""Static analysis and secret scanning (ruff's ``S`` rules are checked separately)."""
RUFF: Final = word("ruff")
LINTERS: Final = {
    "ruff": RUFF,
    "flake8": word("flake8"),
    "pylint": word("pylint"),
    "mypy": word("mypy"),
    "pyright": word("pyright"),
    "eslint": word("eslint"),
    "tsc": word("tsc"),
    "golangci-lint": word("golangci-lint"),
}
SCA: Final = {
    "aiwarden": AIWARDEN,
    "pip-audit": word("pip-audit", "pip_audit"),
    "osv-scanner": word("osv-scanner"),
    "trivy": word("trivy"),
    "grype": word("grype"),
    "snyk": word("snyk"),
    "safety": re.compile(r"(?<![\w-])safety\s+(?:check|scan)\b", re.I),
    "npm audit": re.compile(r"(?<![\w-])(?:npm|yarn|pnpm)\s+audit\b", re.I),
    "dependency-review": word("dependency-review-action"),
    "OWASP dependency-check": word("dependency-check"),
}
PROVENANCE: Final = {
    "SLSA generator": word("slsa-github-generator", "slsa-verifier"),
    "GitHub attestations": re.compile(r"actions/attest(?:-build-provenance|-sbom)?@", re.I),
    "cosign": word("cosign"),
    "sigstore": word("sigstore", "gh-action-sigstore-python"),
    "in-toto": word("in-toto", "in_toto"),
    "model-signing": word("model-signing", "model_signing"),
    "witness": re.compile(r"testifysec/witness|(?<![\w-])witness\s+run\b", re.I),
}
REDTEAM: Final = {
    "garak": word("garak"),
    "promptfoo": word("promptfoo"),
    "PyRIT": word("pyrit"),
    "giskard": word("giskard"),
    "inspect-ai": re.compile(r"(?<![\w-])(?:inspect[-_]ai|inspect\s+eval)(?![\w-])", re.I),
    "deepeval": word("deepeval"),
    "ART": word("adversarial-robustness-toolbox"),
    "TextAttack": word("textattack"),
}


def found(table: dict[str, re.Pattern[str]], text: str) -> list[str]:
    """The names in ``table`` whose pattern occurs in ``text``."""
    return [name for name, pattern in table.items() if pattern.search(text)]
