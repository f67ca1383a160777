"""Realistic fake credentials, one per pattern, generated deterministically.

Nothing here is a real key: every value is drawn from a seeded PRNG in the shape the
provider uses, so the tests exercise the detectors without committing a secret (and
without tripping other scanners on this repository).
"""

from __future__ import annotations

import base64
import random
import string
from dataclasses import dataclass

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
AWS_BODY = string.ascii_uppercase + "234567"


def rand(rng: random.Random, alphabet: str, n: int) -> str:
    """``n`` characters of ``alphabet`` with lower, upper and digits where available."""
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(n))
        classes = [
            any(c.islower() for c in alphabet) <= any(c.islower() for c in value),
            any(c.isupper() for c in alphabet) <= any(c.isupper() for c in value),
            any(c.isdigit() for c in alphabet) <= any(c.isdigit() for c in value),
        ]
        if all(classes):
            return value


@dataclass(frozen=True)
class Sample:
    """A fake secret inside a line of the kind of file it would be found in."""

    pattern_id: str
    rule_id: str
    secret: str
    text: str


def pem_body(rng: random.Random, n_bytes: int = 600) -> str:
    """Base64 of random bytes split into 64-character lines, like a real PEM body."""
    raw = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(n_bytes))).decode()
    return "\n".join(raw[i : i + 64] for i in range(0, len(raw), 64))


def samples(seed: int = 1234) -> list[Sample]:
    """One sample per pattern id (several for patterns with several forms)."""
    rng = random.Random(seed)

    def r(alphabet: str, n: int) -> str:
        return rand(rng, alphabet, n)

    openai = "sk-proj-" + r(URLSAFE, 74) + "T3BlbkFJ" + r(URLSAFE, 74)
    openai_svc = "sk-svcacct-" + r(URLSAFE, 58) + "T3BlbkFJ" + r(URLSAFE, 58)
    openai_legacy = "sk-" + r(ALNUM, 20) + "T3BlbkFJ" + r(ALNUM, 20)
    azure_ad = r(ALNUM, 3) + "8Q~" + r(ALNUM + "_~.-", 34)
    pem = "-----BEGIN RSA PRIVATE KEY-----\n" + pem_body(rng) + "\n-----END RSA PRIVATE KEY-----"
    ssh = (
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        + pem_body(rng, 400)
        + "\n-----END OPENSSH PRIVATE KEY-----"
    )
    sa_key = (
        "-----BEGIN PRIVATE KEY-----\\n"
        + pem_body(rng).replace("\n", "\\n")
        + "\\n-----END PRIVATE KEY-----\\n"
    )
    sa_json = (
        '{\n  "type": "service_account",\n  "project_id": "demo-project",\n'
        f'  "private_key": "{sa_key}",\n  "client_email": "x@demo.iam.gserviceaccount.com"\n}}'
    )
    out = [
        ("openai-api-key", "AIW-SEC001", openai, 'client = OpenAI(api_key="{s}")'),
        ("openai-api-key", "AIW-SEC001", openai_svc, "OPENAI_API_KEY={s}"),
        ("openai-api-key", "AIW-SEC001", openai_legacy, 'openai.api_key = "{s}"'),
        ("openai-project-key", "AIW-SEC001", "sk-proj-" + r(URLSAFE, 120), "OPENAI_API_KEY={s}"),
        ("openai-legacy-key", "AIW-SEC001", "sk-" + r(ALNUM, 48), 'openai.api_key = "{s}"'),
        ("anthropic-api-key", "AIW-SEC001", "sk-ant-api03-" + r(URLSAFE, 93) + "AA",
         'ANTHROPIC_API_KEY: "{s}"'),
        ("anthropic-api-key", "AIW-SEC001", "sk-ant-api03-" + r(URLSAFE, 95),
         "Anthropic(api_key='{s}')"),
        ("anthropic-admin-key", "AIW-SEC001", "sk-ant-admin01-" + r(URLSAFE, 93) + "AA",
         "admin = '{s}'"),
        ("huggingface-token", "AIW-SEC001", "hf_" + r(string.ascii_letters, 34),
         "!huggingface-cli login --token {s}"),
        ("huggingface-token", "AIW-SEC001", "hf_" + r(ALNUM, 34), "HF_TOKEN={s}"),
        ("huggingface-org-token", "AIW-SEC001", "api_org_" + r(string.ascii_letters, 34),
         'HF_ORG = "{s}"'),
        ("google-api-key", "AIW-SEC001", "AIza" + r(URLSAFE, 35), 'genai.configure(api_key="{s}")'),
        ("perplexity-api-key", "AIW-SEC001", "pplx-" + r(ALNUM, 48), "PPLX_KEY={s}"),
        ("groq-api-key", "AIW-SEC001", "gsk_" + r(ALNUM, 52), 'Groq(api_key="{s}")'),
        ("replicate-api-token", "AIW-SEC001", "r8_" + r(URLSAFE, 37), "REPLICATE_API_TOKEN={s}"),
        ("xai-api-key", "AIW-SEC001", "xai-" + r(ALNUM + "_", 80), 'XAI_API_KEY = "{s}"'),
        ("openrouter-api-key", "AIW-SEC001", "sk-or-v1-" + r(HEX, 64), 'key = "{s}"'),
        ("langsmith-api-key", "AIW-SEC001", "lsv2_pt_" + r(HEX, 32) + "_" + r(HEX, 10),
         "LANGCHAIN_API_KEY={s}"),
        ("together-api-key", "AIW-SEC001", "tgp_v1_" + r(URLSAFE, 43), "TOGETHER_API_KEY={s}"),
        ("bedrock-api-key", "AIW-SEC001", "ABSK" + r(B64, 132), "AWS_BEARER_TOKEN_BEDROCK={s}"),
        ("bedrock-short-term-key", "AIW-SEC001",
         "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t" + r(B64, 300), "token: {s}"),
        ("cohere-api-key", "AIW-SEC001", r(ALNUM, 40), 'co = cohere.ClientV2("{s}")'),
        ("mistral-api-key", "AIW-SEC001", r(ALNUM, 32), 'MISTRAL_API_KEY = "{s}"'),
        ("deepseek-api-key", "AIW-SEC001", "sk-" + r(HEX, 32),
         'client = OpenAI(api_key="{s}", base_url="https://api.deepseek.com")'),
        ("together-legacy-api-key", "AIW-SEC001", r(HEX, 64), "together_api_key = '{s}'"),
        ("azure-openai-key", "AIW-SEC001", r(HEX, 32), "AZURE_OPENAI_API_KEY={s}"),
        ("aws-access-key-id", "AIW-SEC002", "AKIA" + r(AWS_BODY, 16), "aws_access_key_id = {s}"),
        ("aws-access-key-id", "AIW-SEC002", "ASIA" + r(AWS_BODY, 16), '"AccessKeyId": "{s}"'),
        ("aws-access-key-id", "AIW-SEC002", "AKIA" + r(string.ascii_uppercase + "0189", 16),
         "AWS_ACCESS_KEY_ID={s}"),
        ("aws-secret-access-key", "AIW-SEC002", r(B64, 40), "aws_secret_access_key = {s}"),
        ("azure-ad-client-secret", "AIW-SEC002", azure_ad, 'client_credential="{s}"'),
        ("github-token", "AIW-SEC002", "ghp_" + r(ALNUM, 36), "GITHUB_TOKEN={s}"),
        ("github-token", "AIW-SEC002", "gho_" + r(ALNUM, 36), "auth: {s}"),
        ("github-fine-grained-pat", "AIW-SEC002", "github_pat_" + r(ALNUM + "_", 82),
         'gh = Github("{s}")'),
        ("slack-token", "AIW-SEC002",
         "xoxb-" + r("0123456789", 11) + "-" + r("0123456789", 12) + "-" + r(ALNUM, 24),
         'SLACK_BOT_TOKEN = "{s}"'),
        ("slack-app-token", "AIW-SEC002",
         "xapp-1-" + r(string.ascii_uppercase + string.digits, 11) + "-"
         + r("0123456789", 13) + "-" + r(HEX, 64), "SLACK_APP_TOKEN={s}"),
        ("slack-webhook", "AIW-SEC002",
         "https://hooks.slack.com/services/T" + r(string.ascii_uppercase + string.digits, 10)
         + "/B" + r(string.ascii_uppercase + string.digits, 10) + "/" + r(ALNUM, 24),
         'requests.post("{s}", json=payload)'),
        ("gcp-service-account-key", "AIW-SEC002", sa_key, sa_json.replace(sa_key, "{s}")),
        ("private-key", "AIW-SEC003", pem, "{s}"),
        ("private-key", "AIW-SEC003", ssh, 'KEY = """{s}"""'),
    ]  # fmt: skip
    return [
        Sample(pid, rule, secret, text.replace("{s}", secret)) for pid, rule, secret, text in out
    ]
