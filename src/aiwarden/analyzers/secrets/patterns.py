"""The table of credential shapes aiwarden recognises, one entry per provider and kind.

Each :class:`SecretPattern` is data: a regex whose group ``s`` is the secret, the
literal keywords (matched case-insensitively) that must appear in the text for the
regex to be worth running (the scanner folds every keyword into one pre-filter pass),
an entropy floor, a minimum number of character classes and exact known-public values
to skip. Patterns with a literal prefix run over the whole text (the regex engine then
jumps from prefix to prefix); patterns with a ``window`` only run within that many
characters of an occurrence of one of their keywords: that is how keyword proximity is
expressed for providers without a key prefix (Cohere, Mistral, Azure OpenAI, Together,
DeepSeek, AWS secret keys). Shapes are paraphrased from gitleaks, detect-secrets and trufflehog (see
``docs``/``checks.md`` section 5); nothing is copied.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import NamedTuple

from aiwarden.analyzers.secrets.rules import AI_PROVIDER_KEY, CLOUD_CREDENTIAL, PRIVATE_KEY
from aiwarden.analyzers.secrets.values import shannon_entropy
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence

NEAR_WINDOW = 120
"""How far (in characters, either side) a keyword may be from a prefixless value."""

_URLSAFE = re.compile("[A-Za-z0-9_-]")
_R_URLSAFE = r"(?![A-Za-z0-9_-])"
_R_ALNUM = r"(?![A-Za-z0-9])"
_R_ALNUM_DASH = r"(?![A-Za-z0-9-])"
_R_B64 = r"(?![A-Za-z0-9/+=])"


class LazyPattern:
    """A regular expression compiled on its first use.

    A text runs only the patterns whose keywords it contains, so most scans need a
    few of the table's expressions; compiling all of them up front cost more than the
    scan of a typical text.
    """

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled expression."""
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """:meth:`re.Pattern.finditer`."""
        return self.compiled.finditer(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """:meth:`re.Pattern.match`."""
        return self.compiled.match(text, pos, endpos)


class SecretPattern(NamedTuple):
    """One credential shape (a named tuple: the table is built when the scanner loads)."""

    id: str
    provider: str
    kind: str
    rule: Rule
    regex: LazyPattern
    keywords: tuple[str, ...]
    window: int | None = None
    left: re.Pattern[str] = _URLSAFE
    min_entropy: float = 3.0
    min_classes: int = 1
    allowlist: frozenset[str] = frozenset()
    confidence: Confidence = Confidence.HIGH
    validate: Callable[[str], bool] | None = None

    def left_boundary_ok(self, text: str, start: int) -> bool:
        """True unless the match continues a longer token to its left.

        A JSON or Python escape (``\\n``, ``\\t``) right before the value counts as a
        boundary.
        """
        if start == 0 or not self.left.match(text, start - 1):
            return True
        return start >= 2 and text[start - 2] == "\\" and text[start - 1] in "ntr"


def _rx(body: str, right: str = _R_URLSAFE) -> LazyPattern:
    return LazyPattern(f"(?P<s>{body}){right}")


_PEM_BODY = re.compile(r"[A-Za-z0-9+/=]")
_PEM_HEADER_LINE = re.compile(r"^[A-Za-z-]+:.*$", re.MULTILINE)


def _real_pem(block: str) -> bool:
    """True if a PEM block carries real key material (not ``...`` or a short stub)."""
    inner = block.split("-----", 2)[-1].rsplit("-----END", 1)[0]
    inner = _PEM_HEADER_LINE.sub("", inner.replace("\\n", "\n").replace("\\r", ""))
    material = "".join(_PEM_BODY.findall(inner))
    return len(material) >= 64 and shannon_entropy(material) >= 4.0


_AI = AI_PROVIDER_KEY
_CLOUD = CLOUD_CREDENTIAL
_MEDIUM = Confidence.MEDIUM

PATTERNS: tuple[SecretPattern, ...] = (
    # ---- AI providers (AIW-SEC001) -------------------------------------------------
    SecretPattern(
        "openai-api-key",
        "OpenAI",
        "API key",
        _AI,
        _rx(r"sk-[A-Za-z0-9_-]{20,200}?T3BlbkFJ[A-Za-z0-9_-]{20,200}"),
        ("T3BlbkFJ",),
        min_entropy=3.5,
        min_classes=3,
    ),
    SecretPattern(
        "openai-project-key",
        "OpenAI",
        "API key",
        _AI,
        _rx(r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}"),
        ("sk-proj-", "sk-svcacct-", "sk-admin-"),
        min_entropy=3.5,
        min_classes=3,
        confidence=_MEDIUM,
    ),
    SecretPattern(
        "openai-legacy-key",
        "OpenAI",
        "API key",
        _AI,
        _rx(r"sk-[A-Za-z0-9]{48}", _R_URLSAFE),
        ("sk-",),
        min_entropy=3.5,
        min_classes=3,
        confidence=_MEDIUM,
    ),
    SecretPattern(
        "anthropic-api-key",
        "Anthropic",
        "API key",
        _AI,
        _rx(r"sk-ant-api\d\d-[A-Za-z0-9_-]{90,100}"),
        ("sk-ant-",),
        min_entropy=3.5,
    ),
    SecretPattern(
        "anthropic-admin-key",
        "Anthropic",
        "admin API key",
        _AI,
        _rx(r"sk-ant-admin\d\d-[A-Za-z0-9_-]{90,100}"),
        ("sk-ant-",),
        min_entropy=3.5,
    ),
    SecretPattern(
        "huggingface-token",
        "Hugging Face",
        "access token",
        _AI,
        _rx(r"hf_[A-Za-z0-9]{34}", _R_ALNUM_DASH),
        ("hf_",),
        min_entropy=3.0,
        min_classes=2,
    ),
    SecretPattern(
        "huggingface-org-token",
        "Hugging Face",
        "organization API token",
        _AI,
        _rx(r"api_org_[A-Za-z0-9]{34}", _R_ALNUM_DASH),
        ("api_org_",),
        min_entropy=3.0,
        min_classes=2,
    ),
    SecretPattern(
        "google-api-key",
        "Google (Gemini / GCP)",
        "API key",
        _AI,
        _rx(r"AIza[0-9A-Za-z_-]{35}"),
        ("AIza",),
        min_entropy=3.5,
        min_classes=3,
    ),
    SecretPattern(
        "perplexity-api-key",
        "Perplexity",
        "API key",
        _AI,
        _rx(r"pplx-[A-Za-z0-9]{48}", _R_ALNUM),
        ("pplx-",),
        min_entropy=3.5,
    ),
    SecretPattern(
        "groq-api-key",
        "Groq",
        "API key",
        _AI,
        _rx(r"gsk_[A-Za-z0-9]{52}", _R_ALNUM),
        ("gsk_",),
        min_entropy=3.5,
    ),
    SecretPattern(
        "replicate-api-token",
        "Replicate",
        "API token",
        _AI,
        _rx(r"r8_[0-9A-Za-z_-]{37}"),
        ("r8_",),
        min_entropy=3.5,
        min_classes=2,
    ),
    SecretPattern(
        "xai-api-key",
        "xAI",
        "API key",
        _AI,
        _rx(r"xai-[0-9A-Za-z_]{80}"),
        ("xai-",),
        min_entropy=3.5,
    ),
    SecretPattern(
        "openrouter-api-key",
        "OpenRouter",
        "API key",
        _AI,
        _rx(r"sk-or-v1-[0-9a-f]{64}", _R_ALNUM),
        ("sk-or-v1-",),
    ),
    SecretPattern(
        "langsmith-api-key",
        "LangSmith",
        "API key",
        _AI,
        _rx(r"lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}", _R_ALNUM),
        ("lsv2_",),
    ),
    SecretPattern(
        "together-api-key",
        "Together AI",
        "API key",
        _AI,
        _rx(r"tgp_v1_[A-Za-z0-9_-]{43}"),
        ("tgp_v1_",),
        min_entropy=3.5,
    ),
    SecretPattern(
        "bedrock-api-key",
        "Amazon Bedrock",
        "long-term API key",
        _AI,
        _rx(r"ABSK[A-Za-z0-9+/]{109,269}={0,2}", _R_B64),
        ("ABSK",),
        min_entropy=4.0,
    ),
    SecretPattern(
        "bedrock-short-term-key",
        "Amazon Bedrock",
        "short-term API key",
        _AI,
        _rx(r"bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%]{16,4096}", _R_B64),
        ("bedrock-api-key-",),
    ),
    SecretPattern(
        "cohere-api-key",
        "Cohere",
        "API key",
        _AI,
        _rx(r"[A-Za-z0-9]{40}", _R_URLSAFE),
        ("cohere", "co_api_key"),
        window=NEAR_WINDOW + 40,
        min_entropy=3.5,
        min_classes=3,
        confidence=_MEDIUM,
    ),
    SecretPattern(
        "mistral-api-key",
        "Mistral AI",
        "API key",
        _AI,
        _rx(r"[A-Za-z0-9]{32}", _R_URLSAFE),
        ("mistral",),
        window=NEAR_WINDOW + 32,
        min_entropy=3.5,
        min_classes=3,
        confidence=_MEDIUM,
    ),
    SecretPattern(
        "deepseek-api-key",
        "DeepSeek",
        "API key",
        _AI,
        _rx(r"sk-[0-9a-f]{32}", _R_URLSAFE),
        ("deepseek",),
        window=NEAR_WINDOW + 35,
        confidence=_MEDIUM,
    ),
    SecretPattern(
        "together-legacy-api-key",
        "Together AI",
        "API key",
        _AI,
        _rx(r"[0-9a-f]{64}", _R_URLSAFE),
        ("together_api_key", "together.ai", "together.xyz", "together(", "togetherai"),
        window=NEAR_WINDOW + 64,
        confidence=_MEDIUM,
    ),
    SecretPattern(
        "azure-openai-key",
        "Azure OpenAI",
        "API key",
        _AI,
        _rx(r"[0-9a-f]{32}", _R_URLSAFE),
        (
            "azure_openai",
            "azureopenai",
            "azure-openai",
            "openai.azure",
            "azure_api_key",
            "azure_key",
            "azure_ai",
            "cognitiveservices",
            '"azure"',
            "'azure'",
        ),
        window=NEAR_WINDOW + 32,
        confidence=_MEDIUM,
    ),
    # ---- cloud and platform credentials (AIW-SEC002) --------------------------------
    SecretPattern(
        "aws-access-key-id",
        "AWS",
        "access key id",
        _CLOUD,
        _rx(r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}", _R_ALNUM),
        ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
        min_entropy=3.0,
    ),
    SecretPattern(
        "aws-secret-access-key",
        "AWS",
        "secret access key",
        _CLOUD,
        LazyPattern(r"(?P<s>[A-Za-z0-9/+]{40})" + _R_B64),
        ("secret_access_key", "secretaccesskey", "aws_secret", "secret-access-key"),
        window=NEAR_WINDOW + 40,
        left=re.compile("[A-Za-z0-9/+=]"),
        min_entropy=4.0,
        min_classes=3,
        confidence=_MEDIUM,
    ),
    SecretPattern(
        "azure-ad-client-secret",
        "Azure AD (Entra ID)",
        "client secret",
        _CLOUD,
        LazyPattern(r"(?P<s>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])"),
        ("q~",),
        window=45,
        left=re.compile("[A-Za-z0-9_~.-]"),
        min_entropy=3.5,
        min_classes=3,
    ),
    SecretPattern(
        "github-token",
        "GitHub",
        "token",
        _CLOUD,
        _rx(r"gh[pousr]_[A-Za-z0-9]{36}", _R_ALNUM),
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
        min_entropy=3.5,
    ),
    SecretPattern(
        "github-fine-grained-pat",
        "GitHub",
        "fine-grained personal access token",
        _CLOUD,
        _rx(r"github_pat_[A-Za-z0-9_]{82}", _R_ALNUM),
        ("github_pat_",),
        min_entropy=3.5,
    ),
    SecretPattern(
        "slack-token",
        "Slack",
        "token",
        _CLOUD,
        _rx(r"xox[abposre]-(?:[0-9]{6,15}-){1,4}[A-Za-z0-9]{16,64}", _R_URLSAFE),
        ("xoxa-", "xoxb-", "xoxe-", "xoxo-", "xoxp-", "xoxr-", "xoxs-"),
    ),
    SecretPattern(
        "slack-app-token",
        "Slack",
        "app-level token",
        _CLOUD,
        _rx(r"xapp-[0-9]-[A-Z0-9]{9,13}-[0-9]{10,16}-[a-f0-9]{64}", _R_ALNUM),
        ("xapp-",),
    ),
    SecretPattern(
        "slack-webhook",
        "Slack",
        "incoming webhook URL",
        _CLOUD,
        LazyPattern(
            r"(?P<s>https://hooks\.slack\.com/(?:services|workflows|triggers)/"
            r"[A-Za-z0-9+/]{43,60})(?![A-Za-z0-9+/])"
        ),
        ("hooks.slack.com",),
    ),
    SecretPattern(
        "gcp-service-account-key",
        "GCP",
        "service-account key",
        _CLOUD,
        LazyPattern(
            r"\"private_key\"\s*:\s*\"(?P<s>-----BEGIN[ A-Z]{0,30}PRIVATE KEY-----"
            r"[^\"]{0,20000}?-----END[ A-Z]{0,30}PRIVATE KEY-----(?:\\n)?)\""
        ),
        ("service_account",),
        min_entropy=0.0,
        validate=_real_pem,
    ),
    # ---- private keys (AIW-SEC003) -------------------------------------------------------
    SecretPattern(
        "private-key",
        "PEM / OpenSSH",
        "private key",
        PRIVATE_KEY,
        LazyPattern(
            r"(?P<s>-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----"
            r"[\s\S]{0,20000}?-----END[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----)"
        ),
        ("PRIVATE KEY",),
        min_entropy=0.0,
        validate=_real_pem,
    ),
)
"""Every pattern, in priority order: where two matches overlap, the earlier pattern wins."""
