"""``AIW-GOV`` rules: governance documents an AI project is expected to keep.

These rules report what the repository *documents*, never whether a control works: a
finding says which document is missing or which topics it does not cover. Every id
used here (guidelines, OWASP LLM, MITRE ATLAS) must exist in the catalogue.
"""

from __future__ import annotations

from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

_TAGS = ("governance",)
_NCSC_AI = "https://www.ncsc.gov.uk/collection/guidelines-secure-ai-system-development"
_RFC9116 = "https://www.rfc-editor.org/rfc/rfc9116"
_GH_POLICY = (
    "https://docs.github.com/en/code-security/getting-started/"
    "adding-a-security-policy-to-your-repository"
)
_CISA_VDP = "https://www.cisa.gov/vulnerability-disclosure-policy-template"
_NCSC_VDP = "https://www.ncsc.gov.uk/information/vulnerability-disclosure-toolkit"
_HF_MODEL_CARDS = "https://huggingface.co/docs/hub/model-cards"
_MODEL_CARDS_PAPER = "https://arxiv.org/abs/1810.03993"
_HF_DATASET_CARDS = "https://huggingface.co/docs/hub/datasets-cards"
_DATASHEETS = "https://arxiv.org/abs/1803.09010"
_NIST_800_61 = "https://csrc.nist.gov/pubs/sp/800/61/r3/final"
_OWASP_TM = "https://owasp.org/www-community/Threat_Modeling"
_ATLAS = "https://atlas.mitre.org/"
_OWASP_LLM = "https://genai.owasp.org/llm-top-10/"
_CDX_MLBOM = "https://cyclonedx.org/capabilities/mlbom/"
_SPDX_AI = "https://spdx.github.io/spdx-spec/v3.0.1/model/AI/AI/"
_MODEL_SIGNING = "https://github.com/sigstore/model-transparency"
_DEPENDABOT = (
    "https://docs.github.com/en/code-security/dependabot/working-with-dependabot/"
    "dependabot-options-reference"
)
_RENOVATE = "https://docs.renovatebot.com/"
_SCORECARD = "https://github.com/ossf/scorecard/blob/main/docs/checks.md"
_NIST_AI_600 = "https://doi.org/10.6028/NIST.AI.600-1"

_SCOPE_NOTE = (
    "\n\naiwarden checks that the document exists and which topics it covers (a heading "
    "with some text under it, or a specific phrase); it cannot tell whether the process "
    "it describes is followed."
)

DISCLOSURE_POLICY = Rule(
    id=RuleId("AIW-GOV001"),
    title="No vulnerability disclosure policy",
    severity=Severity.MEDIUM,
    summary="SECURITY.md or security.txt is missing, or lacks a contact, scope or timeline.",
    help=(
        "Researchers who find a flaw in a model server, an agent integration or a model "
        "loader need to know where to report it privately, which versions you still fix "
        "and how fast you answer. Without that they open a public issue, post on social "
        "media or give up; the disputed Ray CVEs (ShadowRay) show how much an unclear "
        "security stance costs. aiwarden looks for `SECURITY.md`, `.github/SECURITY.md`, "
        "`docs/SECURITY.md` and `.well-known/security.txt` in the project and its parent "
        "directories up to the scan root, and checks for a private contact channel (an "
        "e-mail address, a GitHub private advisory link or a disclosure platform URL), "
        "the scope (supported versions) and response expectations (a timeline).\n\n"
        "```markdown\n"
        "# Security policy\n"
        "## Supported versions\n"
        "Only the latest 2.x release receives security fixes.\n"
        "## Reporting a vulnerability\n"
        "Use https://github.com/acme/bot/security/advisories/new or security@acme.example.\n"
        "We acknowledge reports within 3 business days and aim to fix within 90 days.\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Add a SECURITY.md with a private reporting channel, the supported versions and "
        "a response timeline; enable GitHub private vulnerability reporting, or publish "
        "an RFC 9116 `security.txt` with `Contact:` and `Policy:` fields."
    ),
    guidelines=("OM-4", "OM-4.b", "DP-4"),
    cwe=(1059,),
    references=(_GH_POLICY, _RFC9116, _CISA_VDP, _NCSC_VDP, _SCORECARD),
    tags=_TAGS,
)

MODEL_CARD = Rule(
    id=RuleId("AIW-GOV002"),
    title="Model card missing or incomplete",
    severity=Severity.MEDIUM,
    summary="Model files ship without a card stating use, limits, data, evaluation and origin.",
    help=(
        "A model file says nothing about where it came from, what it was trained on or "
        "what it must not be used for. Users who cannot check provenance load whatever "
        "a hub serves (malicious uploads to model hubs rely on this), and deployers "
        "cannot judge fitness or risk. For each directory with model files "
        "(`.safetensors`, `.gguf`, `.onnx`, `.pt`, `.bin`, `.h5`, `.pkl`...) or a Hugging "
        "Face `config.json`, aiwarden looks for `MODEL_CARD.md`/`model_card.md` in that "
        "directory or above it within the project, or a `README.md` in the model "
        "directory itself, and checks for a `license` in the YAML front matter and for "
        "sections on intended use, limitations, training data, evaluation and "
        "provenance (source, revision, file hashes).\n\n"
        "```markdown\n"
        "---\n"
        "license: apache-2.0\n"
        "---\n"
        "## Intended use\n"
        "Classifies support tickets by topic; not for decisions about people.\n"
        "## Limitations\n"
        "English only; accuracy drops on tickets shorter than five words.\n"
        "## Training data\n"
        "40k anonymised tickets from 2023 (see DATA_CARD.md).\n"
        "## Evaluation\n"
        "Macro F1 0.87 on a held-out 2024 sample.\n"
        "## Provenance\n"
        "Fine-tuned from distilbert-base-uncased at revision 1c4513b;\n"
        "model.safetensors sha256 9f86d08...\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Write a model card next to the model (the Hugging Face template is a good "
        "start) with license front matter, intended use, limitations, training data, "
        "evaluation results and provenance including revisions and SHA-256 hashes."
    ),
    guidelines=("DV-3", "DV-3.b", "DV-3.c", "SD-4", "DP-4.b"),
    cwe=(1059,),
    owasp_llm=("LLM03:2025",),
    references=(_HF_MODEL_CARDS, _MODEL_CARDS_PAPER, _NCSC_AI),
    tags=(*_TAGS, "models"),
)

DATA_CARD = Rule(
    id=RuleId("AIW-GOV003"),
    title="Data card missing for a dataset",
    severity=Severity.MEDIUM,
    summary="Dataset files ship without a card stating source, licence, collection and PII.",
    help=(
        "Training and evaluation data decide what a model does. Without a record of "
        "where the data came from, under which licence, how it was collected, whether it "
        "holds personal data and which biases are known, nobody can assess poisoning "
        "risk, privacy exposure or fitness. aiwarden treats `.parquet`, `.csv`, `.tsv`, "
        "`.jsonl`, `.arrow` and `.feather` files under a `data/`, `datasets/` or "
        "`corpus/` directory, and directories with `dataset_infos.json`, as datasets, "
        "and looks for `DATA_CARD.md`, `DATASHEET.md` or `DATASET_CARD.md` in or above "
        "the dataset directory, or a `README.md` inside it.\n\n"
        "```markdown\n"
        "## Source\n"
        "Support tickets exported from our helpdesk, January to June 2023.\n"
        "## Licence\n"
        "Internal use only; not redistributable.\n"
        "## Collection\n"
        "Sampled uniformly per product line and labelled by two annotators.\n"
        "## Personal data\n"
        "Names, e-mails and phone numbers were removed with presidio before export.\n"
        "## Known biases\n"
        "Over-represents English-speaking enterprise customers.\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Add a data card (Datasheets for Datasets or the Hugging Face dataset card "
        "template) covering source, licence, collection process, personal data handling "
        "and known biases."
    ),
    guidelines=("DV-3", "DV-3.b", "DV-3.c"),
    cwe=(1059,),
    owasp_llm=("LLM04:2025",),
    references=(_DATASHEETS, _HF_DATASET_CARDS, _NCSC_AI),
    tags=(*_TAGS, "data"),
)

INCIDENT_RESPONSE = Rule(
    id=RuleId("AIW-GOV004"),
    title="No AI incident response plan",
    severity=Severity.MEDIUM,
    summary="No incident response plan, or one that covers no AI-specific scenario.",
    help=(
        "AI incidents need steps a generic IT plan lacks: rotating the provider keys "
        "and hub tokens an attacker harvested, rolling a model back to a known-good "
        "revision, handling a poisoned or tampered model, stopping prompt-injection "
        "abuse of an assistant or agent, and containing leaks of training data or "
        "prompts. aiwarden looks for `INCIDENT_RESPONSE.md`, `docs/incident*` and "
        "`runbooks/` (also in parent directories up to the scan root) and checks that "
        "together they cover those five scenarios.\n\n"
        "```markdown\n"
        "## Leaked API key or hub token\n"
        "Revoke the key at the provider, rotate it in the vault, review usage logs.\n"
        "## Poisoned or tampered model\n"
        "Roll back to the last known-good revision listed in the BOM; quarantine it.\n"
        "## Prompt-injection abuse\n"
        "Disable the affected tools, block the source, review the agent's actions.\n"
        "## Data leakage\n"
        "Identify the exposed data and notify the data protection officer.\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Write an incident response plan (NIST SP 800-61 structure) with runbooks for key "
        "and token rotation, model rollback, poisoned models, prompt-injection abuse and "
        "data leakage; review it after each exercise or incident."
    ),
    guidelines=("DP-3", "DP-3.a", "DP-3.c", "OM-4.d"),
    cwe=(1059,),
    references=(_NIST_800_61, _NCSC_AI, _NIST_AI_600),
    tags=_TAGS,
)

THREAT_MODEL = Rule(
    id=RuleId("AIW-GOV005"),
    title="No AI threat model",
    severity=Severity.MEDIUM,
    summary="No threat model, one without AI-specific threats, or one older than a year.",
    help=(
        "A threat model is where a team decides which AI-specific attacks matter for "
        "its system and what it does about them. aiwarden looks for `THREAT_MODEL.md`, "
        "`threat_model.*`, `threat-model.*` and `docs/threat-model*` (also in parent "
        "directories up to the scan root) and checks that they name prompt injection, "
        "data or model poisoning, model theft or extraction, agent and tool abuse, and "
        "the AI supply chain. A threat model whose `last_updated`/`date` (front matter or "
        "a `Last updated: YYYY-MM-DD` line) is more than 12 months old is reported too.\n\n"
        "```markdown\n"
        "---\n"
        "last_updated: 2026-03-01\n"
        "---\n"
        "| Threat | Where | Mitigation |\n"
        "|---|---|---|\n"
        "| Prompt injection via retrieved pages | RAG pipeline | tool allow-list |\n"
        "| Poisoned fine-tuning data | data/ | provenance checks |\n"
        "| Model extraction through the API | /v1/chat | rate limits |\n"
        "| Agent tool abuse | MCP servers | human approval |\n"
        "| Malicious model from a hub (supply chain) | loader | safetensors only |\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Write a threat model that covers the AI components (OWASP Top 10 for LLM "
        "Applications and MITRE ATLAS are good checklists), record the decisions taken, "
        "and review it at least yearly and after architecture changes."
    ),
    guidelines=("SD-2", "SD-2.a", "SD-2.b", "SD-4"),
    cwe=(1053,),
    references=(_OWASP_TM, _ATLAS, _OWASP_LLM, _NCSC_AI),
    tags=_TAGS,
)

AI_BOM = Rule(
    id=RuleId("AIW-GOV006"),
    title="No AI bill of materials",
    severity=Severity.LOW,
    summary="The project ships model files but no CycloneDX or SPDX BOM lists them.",
    help=(
        "An AI bill of materials records which models (and datasets) a system uses, at "
        "which revision and with which hashes, so that a compromised or withdrawn model "
        "can be found everywhere it is used. When the project holds model files, "
        "aiwarden looks for a CycloneDX (`*.cdx.json`, `bom.json`) or SPDX "
        "(`*.spdx.json`) document that lists at least one model. `aiwarden bom` writes "
        "one; the `AIW-BOM` rules then check it against the files.\n\n"
        "```json\n"
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [\n'
        '  {"type": "machine-learning-model", "name": "models/classifier.safetensors",\n'
        '   "hashes": [{"alg": "SHA-256", "content": "9f86d08..."}]}]}\n'
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Generate an ML-BOM with `aiwarden bom . -o aibom.cdx.json` (or another "
        "CycloneDX/SPDX tool), commit it, and regenerate it when models change."
    ),
    guidelines=("DV-1", "DV-1.b", "DV-2", "DV-3.c"),
    cwe=(1104,),
    owasp_llm=("LLM03:2025",),
    references=(_CDX_MLBOM, _SPDX_AI, _NCSC_AI),
    tags=(*_TAGS, "supply-chain"),
)

PROMPTS_UNDOCUMENTED = Rule(
    id=RuleId("AIW-GOV007"),
    title="System prompts are not documented",
    severity=Severity.INFO,
    summary="Prompt files are kept without a README or docs that describe them.",
    help=(
        "System prompts change a model's behaviour as much as new weights do, and they "
        "often carry the guardrails. When prompt files (`prompts/*.txt`, `*.prompt`, "
        "`system_prompt.md`...) sit in the repository with no description of what each "
        "is for, who owns it and how changes are reviewed, a harmful edit slips through "
        "review. aiwarden looks for a `README.md` in each prompt directory, a "
        "`docs/*prompt*` page, or a substantive 'Prompts' section in the project README.\n\n"
        "```markdown\n"
        "# prompts/\n"
        "| File | Used by | Owner | Notes |\n"
        "|---|---|---|---|\n"
        "| system.txt | support bot | @ml-team | refuses account changes; reviewed in PRs |\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Add a README next to the prompts describing each prompt's purpose, owner, the "
        "safety instructions it carries and how changes are reviewed and evaluated."
    ),
    guidelines=("DV-3", "DV-3.a"),
    cwe=(1059,),
    owasp_llm=("LLM07:2025",),
    references=(_NCSC_AI,),
    tags=(*_TAGS, "prompts"),
)

INTEGRITY_RECORDS = Rule(
    id=RuleId("AIW-GOV008"),
    title="Model artefacts without integrity records",
    severity=Severity.MEDIUM,
    summary="Model files have no checksum manifest, hashed BOM entry or signature.",
    help=(
        "A hash or signature published with a model is what lets a user, a deployment "
        "pipeline or an incident responder tell the model you trained from one swapped "
        "in a bucket, a registry or a release. aiwarden accepts, per model file: a line "
        "naming it in `SHA256SUMS`/`checksums*`/`*.sha256`, a hashed entry in a CycloneDX "
        "BOM, or a signature beside it (`.sig`, `.sigstore`, OpenSSF model signing). It "
        "checks names only: `AIW-BOM001` compares a BOM's hashes with the files.\n\n"
        "```text\n"
        "# SHA256SUMS\n"
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  "
        "models/classifier.safetensors\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Publish SHA-256 hashes of every model file (`sha256sum models/* > SHA256SUMS`) "
        "or sign the model with OpenSSF model signing / sigstore, and verify them before "
        "loading."
    ),
    guidelines=("DP-2", "DP-2.c", "DV-2"),
    cwe=(353, 494),
    owasp_llm=("LLM03:2025", "LLM04:2025"),
    references=(_MODEL_SIGNING, _CDX_MLBOM, _NCSC_AI),
    tags=(*_TAGS, "models", "supply-chain"),
)

UPDATE_POLICY = Rule(
    id=RuleId("AIW-GOV009"),
    title="No automated dependency update policy",
    severity=Severity.LOW,
    summary="No Dependabot or Renovate configuration covers the project's ecosystems.",
    help=(
        "AI stacks pin fast-moving packages (transformers, torch, langchain, mlflow, "
        "ray) whose known-vulnerable versions are actively exploited. Automated update "
        "pull requests are the cheapest way to keep them current. aiwarden looks for "
        "`.github/dependabot.yml` and Renovate configs (`renovate.json`, `.renovaterc`, "
        "`renovate.json5`) in the project and its parents up to the scan root, and "
        "checks that Dependabot declares the ecosystems present (`pip`, `npm`, `docker`, "
        "`github-actions`).\n\n"
        "```yaml\n"
        "version: 2\n"
        "updates:\n"
        "  - package-ecosystem: pip\n"
        "    directory: /\n"
        "    schedule: {interval: weekly}\n"
        "  - package-ecosystem: github-actions\n"
        "    directory: /\n"
        "    schedule: {interval: weekly}\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Add `.github/dependabot.yml` with one entry per ecosystem used (or a Renovate "
        "configuration) and keep security updates enabled."
    ),
    guidelines=("OM-3", "OM-3.a"),
    cwe=(1104,),
    owasp_llm=("LLM03:2025",),
    references=(_DEPENDABOT, _RENOVATE, _SCORECARD),
    tags=(*_TAGS, "dependencies"),
)

MONITORING_PLAN = Rule(
    id=RuleId("AIW-GOV010"),
    title="No monitoring and logging plan",
    severity=Severity.LOW,
    summary="No document describes input/output logging, abuse monitoring and alerting.",
    help=(
        "Prompt injection, model extraction, abuse of a public endpoint and silent "
        "model degradation are only noticed by watching inputs, outputs and usage. "
        "aiwarden looks for `MONITORING.md`, `OBSERVABILITY.md`, `LOGGING.md` and "
        "`docs/monitoring*`/`docs/observability*`/`docs/logging*` (also in parent "
        "directories) and checks that they cover logging of model inputs and outputs, "
        "abuse monitoring, and drift or anomaly alerting.\n\n"
        "```markdown\n"
        "## Logging\n"
        "Prompts and completions are logged with PII redacted and kept for 30 days.\n"
        "## Abuse monitoring\n"
        "Per-key rate limits; jailbreak classifier hits page the on-call engineer.\n"
        "## Drift\n"
        "We alert when the weekly refusal rate or the eval score moves by 5%.\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Document (and implement) logging of model inputs and outputs within privacy "
        "rules, abuse monitoring such as rate limits and jailbreak detection, and "
        "alerts on drift or anomalous behaviour."
    ),
    guidelines=("OM-1", "OM-1.a", "OM-2", "OM-2.a"),
    cwe=(778,),
    owasp_llm=("LLM10:2025",),
    references=(_NCSC_AI, _NIST_AI_600),
    tags=_TAGS,
)

USER_GUIDANCE = Rule(
    id=RuleId("AIW-GOV011"),
    title="No user-facing safety guidance",
    severity=Severity.LOW,
    summary="The README and docs say nothing about limitations, safe use or secure setup.",
    help=(
        "Deployers copy what the README shows. If it never says what the system gets "
        "wrong, what it must not be used for and how to run it securely (keys in the "
        "environment, services bound to localhost or behind an authenticating proxy, "
        "no `trust_remote_code`), they run the insecure quick-start in production. "
        "aiwarden reads the project `README` and top-level `docs/` pages and checks for "
        "limitations, safe use and secure configuration.\n\n"
        "```markdown\n"
        "## Limitations\n"
        "Answers may be wrong or out of date; verify anything that matters.\n"
        "## Safe use\n"
        "Do not use it for medical or legal advice; keep a human review step.\n"
        "## Secure configuration\n"
        "Read the API key from an environment variable and bind the server to\n"
        "127.0.0.1 or put it behind an authenticating reverse proxy.\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Add Limitations, Safe use and Secure configuration sections to the README (or "
        "docs), including what users are responsible for."
    ),
    guidelines=("DP-5", "DP-5.c", "DP-5.d", "DP-4", "DP-4.b"),
    cwe=(1059,),
    owasp_llm=("LLM09:2025",),
    references=(_NCSC_AI,),
    tags=_TAGS,
)

SECURE_DEVELOPMENT = Rule(
    id=RuleId("AIW-GOV012"),
    title="No secure-development guidance for contributors",
    severity=Severity.INFO,
    summary="CONTRIBUTING gives no security guidance, or CI runs no security tooling.",
    help=(
        "Contributors to AI projects add model loaders, prompt templates and agent "
        "tools; a short security section (never commit keys, load models with "
        "safetensors, treat model output as untrusted) and a security scan in CI catch "
        "most mistakes before review. aiwarden reads `CONTRIBUTING.md` (root, `.github/` "
        "or `docs/`) and the CI workflows (`.github/workflows/*.yml`, `.gitlab-ci.yml`, "
        "`.pre-commit-config.yaml`) for a security tool: CodeQL, Semgrep, Bandit, "
        "gitleaks, TruffleHog, aiwarden, pip-audit, OSV-Scanner, Trivy or "
        "dependency-review.\n\n"
        "```markdown\n"
        "## Security\n"
        "Never commit API keys or tokens; use `.env` (git-ignored). Load models with\n"
        "safetensors, not pickle. Treat model output as untrusted input. CI runs\n"
        "aiwarden and pip-audit on every pull request.\n"
        "```" + _SCOPE_NOTE
    ),
    remediation=(
        "Add a Security section to CONTRIBUTING.md and a CI workflow that runs a "
        "security scanner (for example `aiwarden scan .` and a secret scanner)."
    ),
    guidelines=("SD-1", "SD-1.a"),
    cwe=(1053,),
    references=(_SCORECARD, _NCSC_AI),
    tags=_TAGS,
)

RULES: tuple[Rule, ...] = (
    DISCLOSURE_POLICY,
    MODEL_CARD,
    DATA_CARD,
    INCIDENT_RESPONSE,
    THREAT_MODEL,
    AI_BOM,
    PROMPTS_UNDOCUMENTED,
    INTEGRITY_RECORDS,
    UPDATE_POLICY,
    MONITORING_PLAN,
    USER_GUIDANCE,
    SECURE_DEVELOPMENT,
)
