"""``AIW-SEC`` rules: credentials committed to a repository.

Every id used here (guidelines, OWASP LLM, MITRE ATLAS) must exist in the catalogue;
a unit test checks that.
"""

from __future__ import annotations

from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

_GUIDELINES = ("DV-2", "DV-2.a", "DV-2.d", "DP-1")
_OWASP = ("LLM02:2025",)
_ATLAS = ("AML.T0055",)
_GITLEAKS = "https://github.com/gitleaks/gitleaks"
_DETECT_SECRETS = "https://github.com/Yelp/detect-secrets"
_OWASP_SECRETS = (
    "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html"
)
_GITHUB_SCANNING = "https://docs.github.com/en/code-security/secret-scanning"

_ROTATE = (
    "Treat the credential as compromised: revoke or rotate it at the provider first (deleting "
    "the line does not help, it stays in the Git history and in every clone), then check the "
    "provider's usage logs for calls you did not make. Load the new value at run time from the "
    'environment or a secret manager (`os.environ["OPENAI_API_KEY"]`, a `.env` file listed in '
    "`.gitignore`, Vault, AWS Secrets Manager, GitHub Actions secrets). If the value is a "
    "documented placeholder or a test fixture, mark the line with `# pragma: allowlist secret` "
    "or `# aiwarden: ignore[AIW-SEC] -- <reason>`."
)

_SUPPRESS_NOTE = (
    "\n\nEvidence is always redacted (first and last four characters and the length); the "
    "fingerprint is a hash of the value, so a baseline never stores the secret either. "
    "Documented placeholders (`sk-...`, `hf_xxx`, `your-api-key`, `${OPENAI_API_KEY}`, "
    "`AKIAIOSFODNN7EXAMPLE`) are not reported, and a line carrying `pragma: allowlist secret` "
    "(the detect-secrets convention) is skipped."
)

AI_PROVIDER_KEY = Rule(
    id=RuleId("AIW-SEC001"),
    title="AI provider API key committed",
    severity=Severity.CRITICAL,
    summary="An API key for an AI model provider is written in the file.",
    help=(
        "AI provider keys (OpenAI, Anthropic, Hugging Face, Google AI Studio / Gemini, Cohere, "
        "Mistral, Groq, Perplexity, Replicate, xAI, Together, OpenRouter, DeepSeek, LangSmith, "
        "Azure OpenAI, Amazon Bedrock) are bearer credentials: whoever holds one can run paid "
        "inference on your account (cost harvesting), read fine-tuning files, uploaded "
        "documents and assistants, or push models and datasets to your organisation on the "
        "Hugging Face Hub. Leaked AI keys are harvested from public repositories within "
        "minutes.\n\n"
        "aiwarden recognises each provider by its key's shape (a fixed prefix, exact length "
        "and alphabet; OpenAI keys carry the marker `T3BlbkFJ`), and prefixless keys (Cohere, "
        "Mistral, Azure OpenAI, Together, DeepSeek) only next to the provider's name.\n\n"
        "```python\n"
        'client = OpenAI(api_key="sk-proj-…")        # reported\n'
        'client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])  # fine\n'
        "```" + _SUPPRESS_NOTE
    ),
    remediation=_ROTATE,
    guidelines=_GUIDELINES,
    cwe=(798, 312),
    owasp_llm=_OWASP,
    atlas=(*_ATLAS, "AML.T0034"),
    references=(
        _GITLEAKS,
        _DETECT_SECRETS,
        "https://help.openai.com/en/articles/5112595-best-practices-for-api-key-safety",
        "https://huggingface.co/docs/hub/security-tokens",
        "https://docs.anthropic.com/en/api/overview",
        _OWASP_SECRETS,
    ),
    tags=("secrets", "credentials", "ai-provider"),
)

CLOUD_CREDENTIAL = Rule(
    id=RuleId("AIW-SEC002"),
    title="Cloud or platform credential committed",
    severity=Severity.CRITICAL,
    summary=(
        "A cloud or developer-platform credential (AWS, Azure, GCP, GitHub, Slack) is in the file."
    ),
    help=(
        "AI projects reach their data, models and GPUs through cloud accounts: an AWS access "
        "key, an Azure AD (Entra ID) client secret, a GCP service-account key file, a GitHub "
        "token or a Slack token in a notebook or config gives its holder the same access to "
        "buckets of training data, model registries, CI pipelines and chat workspaces.\n\n"
        "Recognised: AWS access key ids (`AKIA…`, `ASIA…`) and secret access keys next to "
        "`aws_secret_access_key`, Azure AD client secrets (`…Q~…`), GitHub tokens (`ghp_`, "
        "`gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), Slack tokens and webhooks, and GCP "
        'service-account JSON (`"type": "service_account"` with a `private_key`).\n\n'
        "```yaml\n"
        "env:\n"
        "  AWS_ACCESS_KEY_ID: AKIA…          # reported\n"
        "  AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}  # fine\n"
        "```" + _SUPPRESS_NOTE
    ),
    remediation=_ROTATE
    + " Prefer short-lived credentials: workload identity / OIDC federation instead of keys.",
    guidelines=_GUIDELINES,
    cwe=(798, 312),
    owasp_llm=_OWASP,
    atlas=(*_ATLAS, "AML.T0012"),
    references=(
        _GITLEAKS,
        _DETECT_SECRETS,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
        "https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys",
        _GITHUB_SCANNING,
        _OWASP_SECRETS,
    ),
    tags=("secrets", "credentials", "cloud"),
)

PRIVATE_KEY = Rule(
    id=RuleId("AIW-SEC003"),
    title="Private key committed",
    severity=Severity.CRITICAL,
    summary="A PEM or OpenSSH private key block is in the file.",
    help=(
        "A `-----BEGIN … PRIVATE KEY-----` block holds the private half of a key pair: TLS "
        "server keys, SSH deploy keys, JWT signing keys, model-signing keys. Anyone with the "
        "file can impersonate the server, push to the repository the deploy key opens, or "
        "sign models and tokens that your systems will trust.\n\n"
        "A block is reported when it has a matching `-----END` line and a body of real key "
        "material (placeholders such as `...` are skipped).\n\n"
        "```text\n"
        "-----BEGIN OPENSSH PRIVATE KEY-----      <- reported\n"
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE…\n"
        "-----END OPENSSH PRIVATE KEY-----\n"
        "```" + _SUPPRESS_NOTE
    ),
    remediation=(
        "Revoke the key pair and issue a new one; remove the file from the repository and its "
        "history. Keep private keys in a secret manager or an HSM/KMS and mount them at run "
        "time. Test fixtures should be generated at test time, not committed."
    ),
    guidelines=_GUIDELINES,
    cwe=(798, 321),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_GITLEAKS, _DETECT_SECRETS, _OWASP_SECRETS),
    tags=("secrets", "credentials", "private-key"),
)

GENERIC_SECRET = Rule(
    id=RuleId("AIW-SEC004"),
    title="Hard-coded secret assigned to a secret-named key",
    severity=Severity.MEDIUM,
    summary=(
        "A random-looking string is assigned to a name such as `*_API_KEY`, `*_TOKEN` or "
        "`password`."
    ),
    help=(
        "Not every credential has a recognisable shape. This rule looks for a string of at "
        "least 16 characters with high Shannon entropy (at least 3.3 bits per character, 3.0 "
        "for hex strings, which random keys reach but words and identifiers rarely do) "
        "assigned to a key or variable whose name says it is secret (`*_API_KEY`, `*_TOKEN`, "
        "`*_SECRET`, `password`, `passwd`, `apikey`, `access_token`, `client_secret`…), in "
        "Python, YAML, TOML, JSON, `.env`/INI files, shell `export` lines, Dockerfile `ENV`/"
        "`ARG` and `--token`-style command-line flags.\n\n"
        "```dotenv\n"
        "WANDB_API_KEY=4f1c0e…                   # reported\n"
        "WANDB_API_KEY=${WANDB_API_KEY}          # fine: a reference, not a value\n"
        "```\n\n"
        "Confidence is medium: the value may be a non-secret identifier that happens to be "
        "random-looking." + _SUPPRESS_NOTE
    ),
    remediation=_ROTATE,
    guidelines=_GUIDELINES,
    cwe=(798, 259),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(
        _DETECT_SECRETS,
        _GITLEAKS,
        "https://bandit.readthedocs.io/en/latest/plugins/b105_hardcoded_password_string.html",
        _OWASP_SECRETS,
    ),
    tags=("secrets", "credentials", "entropy"),
)

RULES: tuple[Rule, ...] = (AI_PROVIDER_KEY, CLOUD_CREDENTIAL, PRIVATE_KEY, GENERIC_SECRET)
