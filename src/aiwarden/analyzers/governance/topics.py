"""The vocabulary of each governance topic, kept as data.

A :class:`Topic` is covered by a document when a heading matches ``headings`` and the
section under it holds at least ``min_words`` words, or when one paragraph matches
``phrases`` (specific multi-word phrases, addresses or durations, never one common
word, so a long unrelated document does not cover a topic by accident). Headings accept
British and American spellings and a few German, French and Spanish variants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_I: Final = re.IGNORECASE | re.MULTILINE


@dataclass(frozen=True, slots=True)
class Topic:
    """One thing a governance document should cover."""

    label: str
    headings: re.Pattern[str] | None = None
    phrases: re.Pattern[str] | None = None
    min_words: int = 12


def any_of(*alternatives: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of ``alternatives`` (topic vocabularies)."""
    return re.compile("|".join(f"(?:{a})" for a in alternatives), _I)


EMAIL: Final = r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
_DURATION: Final = (
    r"\b(?:\d{1,3}|one|two|three|five|seven|ten|fourteen|thirty|sixty|ninety)\s*(?:-\s*)?"
    r"(?:business\s+|working\s+|calendar\s+)?(?:hours?|days?|weeks?|months?|h|d)\b"
)

# --- AIW-GOV001: vulnerability disclosure policy -------------------------------------
SECURITY_CONTACT = Topic(
    "a private contact channel (security e-mail, advisory form or disclosure platform)",
    phrases=any_of(
        EMAIL,
        r"security/advisories(?:/new)?",
        r"private vulnerability reporting",
        r"https?://\S*(?:huntr\.(?:dev|com)|hackerone\.com|bugcrowd\.com|intigriti\.com)",
        r"^\s*contact\s*:\s*(?:mailto:|https?://|tel:)",
        r"https?://\S*(?:security|vulnerabilit|disclos)\S*",
    ),
)
SECURITY_SCOPE = Topic(
    "scope (supported versions or what is in scope)",
    headings=any_of(
        r"supported\s+versions?",
        r"\bscope\b",
        r"versions?\s+(?:supported|maintained)",
        r"security\s+updates",
        r"unterst[üu]tzte\s+versionen",
        r"versions\s+prises\s+en\s+charge",
        r"versiones\s+(?:soportadas|compatibles)",
    ),
    phrases=any_of(
        r"\b(?:only|latest|current|most\s+recent)\b[^.]{0,50}\b(?:versions?|releases?)\b"
        r"[^.]{0,50}\b(?:supported|receive|get|are\s+patched)",
        r"\bsupported\s+versions?\b",
        r"\b(?:in|out\s+of)[- ]scope\b",
        r"^\s*policy\s*:\s*https?://",
    ),
    min_words=2,
)
SECURITY_RESPONSE = Topic(
    "response expectations (a timeline for acknowledgement or fixes)",
    phrases=any_of(
        r"\b(?:within|in|under|up\s+to|no\s+later\s+than|after)\s+" + _DURATION,
        _DURATION + r"[^.]{0,60}\b(?:acknowledg|respond|response|reply|triage|fix|patch|disclos)",
        r"(?:acknowledg|respond|response|reply|triage)\w*\b[^.]{0,60}" + _DURATION,
        r"^\s*policy\s*:\s*https?://",
    ),
)

# --- AIW-GOV002: model card -------------------------------------------------------------
MODEL_INTENDED_USE = Topic(
    "intended use",
    headings=any_of(
        r"intended\s+uses?",
        r"^uses?$",
        r"use\s+cases?",
        r"direct\s+use",
        r"downstream\s+use",
        r"how\s+to\s+use",
        r"^usage$",
        r"verwendungszweck",
        r"utilisation\s+pr[ée]vue",
        r"uso\s+previsto",
    ),
    phrases=any_of(r"\b(?:is|was)\s+intended\s+(?:to|for)\b", r"\bintended\s+use\b"),
)
MODEL_LIMITATIONS = Topic(
    "limitations and risks",
    headings=any_of(
        r"limitations?",
        r"\bbias(?:es)?\b",
        r"\brisks?\b",
        r"caveats?",
        r"out[- ]of[- ]scope",
        r"ethical\s+considerations?",
        r"known\s+issues",
        r"einschr[äa]nkungen",
        r"\blimites\b",
        r"limitaciones",
    ),
)
MODEL_TRAINING_DATA = Topic(
    "training data",
    headings=any_of(
        r"training\s+(?:data(?:sets?)?|details|procedure)",
        r"^data(?:sets?)?$",
        r"data\s+sources?",
        r"trainingsdaten",
        r"donn[ée]es\s+d'entra[îi]nement",
        r"datos\s+de\s+entrenamiento",
    ),
    phrases=any_of(
        r"\b(?:trained|fine-?tuned)\s+on\b[^.]{0,80}\b(?:data(?:set)?|corpus|samples)\b"
    ),
    min_words=8,
)
MODEL_EVALUATION = Topic(
    "evaluation",
    headings=any_of(
        r"evaluation",
        r"^results$",
        r"metrics",
        r"benchmarks?",
        r"performance",
        r"bewertung|evaluierung",
        r"[ée]valuation",
        r"evaluaci[óo]n",
    ),
    min_words=8,
)
MODEL_PROVENANCE = Topic(
    "provenance (source, revision and file hashes)",
    headings=any_of(
        r"provenance",
        r"revision",
        r"checksums?|hashes|integrity",
        r"model\s+sources?",
        r"lineage",
        r"herkunft",
        r"procedencia",
    ),
    phrases=any_of(r"\bsha-?256\b[^\n]{0,40}\b[0-9a-f]{64}\b", r"\b[0-9a-f]{64}\b"),
    min_words=4,
)
MODEL_LICENCE = Topic("licence (front matter `license:`)")

# --- AIW-GOV003: data card -------------------------------------------------------------
DATA_SOURCE = Topic(
    "source",
    headings=any_of(
        r"sources?",
        r"origin",
        r"provenance",
        r"curation",
        r"dataset\s+description",
        r"herkunft",
        r"fuentes?",
    ),
    min_words=8,
)
DATA_LICENCE = Topic(
    "licence",
    headings=any_of(r"licen[cs]e", r"terms\s+of\s+use", r"lizenz", r"licencia"),
    phrases=any_of(r"\blicen[cs]ed\s+under\b", r"^\s*licen[cs]e\s*:\s*\S"),
    min_words=1,
)
DATA_COLLECTION = Topic(
    "collection process",
    headings=any_of(
        r"collection",
        r"gathering",
        r"annotation",
        r"label(?:l)?ing",
        r"pre-?processing",
        r"creation",
        r"erhebung",
        r"collecte",
        r"recopilaci[óo]n",
    ),
    phrases=any_of(r"\b(?:was|were)\s+(?:collected|gathered|scraped|sampled|annotated)\b"),
    min_words=8,
)
DATA_PERSONAL = Topic(
    "personal data handling",
    headings=any_of(
        r"personal\s+(?:data|information)",
        r"\bpii\b",
        r"privacy",
        r"sensitive\s+(?:data|information)",
        r"anonymi[sz]ation",
        r"datenschutz",
        r"donn[ée]es\s+personnelles",
        r"datos\s+personales",
    ),
    phrases=any_of(
        r"\b(?:personal\s+(?:data|information)|pii|personally\s+identifiable)\b[^.]{0,80}"
        r"\b(?:removed|redacted|anonymi[sz]ed|pseudonymi[sz]ed|excluded|filtered|no|not)\b",
        r"\b(?:no|does\s+not\s+contain|contains\s+no)\b[^.]{0,40}"
        r"\b(?:personal\s+(?:data|information)|pii)\b",
    ),
    min_words=8,
)
DATA_BIASES = Topic(
    "known biases and limitations",
    headings=any_of(
        r"bias(?:es)?",
        r"limitations?",
        r"known\s+issues",
        r"fairness",
        r"representativeness",
        r"verzerrung",
        r"biais",
        r"sesgos?",
    ),
    min_words=8,
)

# --- AIW-GOV004: incident response scenarios -----------------------------------------
IR_KEY_ROTATION = Topic(
    "key or token rotation",
    phrases=any_of(
        r"\b(?:rotat|revok)\w*\b[^.]{0,60}\b(?:keys?|tokens?|credentials?|secrets?)\b",
        r"\b(?:keys?|tokens?|credentials?|secrets?)\b[^.]{0,60}\b(?:rotat|revok)\w*",
    ),
)
IR_MODEL_ROLLBACK = Topic(
    "model rollback",
    phrases=any_of(
        r"\broll\s*-?\s*back\b",
        r"\brevert\w*\b[^.]{0,60}\bmodel",
        r"\b(?:previous|last\s+known[- ]good|known[- ]good)\s+(?:model|version|checkpoint|weights)",
    ),
)
IR_POISONED_MODEL = Topic(
    "a poisoned or tampered model",
    phrases=any_of(
        r"\bpoison",
        r"\bbackdoor",
        r"\btamper\w*\b[^.]{0,40}\b(?:models?|weights|checkpoints?|artefacts?|artifacts?)",
        r"\b(?:malicious|compromised)\s+(?:models?|weights|checkpoints?|pickles?|artefacts?|artifacts?)",
    ),
)
IR_PROMPT_INJECTION = Topic(
    "prompt-injection abuse",
    phrases=any_of(r"\bprompt[- ]injection", r"\bjailbreak"),
)
IR_DATA_LEAKAGE = Topic(
    "data leakage",
    phrases=any_of(
        r"\bdata\s+(?:leak|exfiltrat|exposure|breach)",
        r"\bleak(?:ed|age|s)?\b[^.]{0,40}\b(?:data|pii|personal|secrets?|training|prompts?)",
        r"\bexfiltrat",
        r"\bsensitive\s+(?:data|information)\s+(?:disclosure|exposure)",
    ),
)

# --- AIW-GOV005: threat model threats ------------------------------------------------
THREAT_PROMPT_INJECTION = Topic(
    "prompt injection", phrases=any_of(r"\bprompt[- ]injection", r"\bindirect\s+injection")
)
THREAT_POISONING = Topic(
    "data or model poisoning", phrases=any_of(r"\bpoison", r"\bbackdoor(?:ed|s)?\b")
)
THREAT_MODEL_THEFT = Topic(
    "model theft or extraction",
    phrases=any_of(
        r"\bmodel\s+(?:theft|extraction|stealing|exfiltration|inversion)",
        r"\bweights?\b[^.]{0,30}\b(?:theft|stolen|exfiltrat|leak)",
        r"\bextraction\s+attacks?",
        r"\bsteal\w*\s+(?:the\s+)?(?:model|weights)",
    ),
)
THREAT_AGENT_TOOLS = Topic(
    "agent or tool abuse",
    phrases=any_of(
        r"\bexcessive\s+agency",
        r"\b(?:agents?|tools?|plugins?)\b[^.]{0,40}\b(?:abuse|misuse|permissions?|privileges?)",
        r"\btool\s+(?:calls?|calling|use)\b",
        r"\bmcp\b",
    ),
)
THREAT_SUPPLY_CHAIN = Topic(
    "AI supply chain",
    phrases=any_of(
        r"\bsupply[- ]chain",
        r"\b(?:malicious|untrusted|third[- ]party)\s+(?:models?|weights|packages?|dependenc)",
        r"\btyposquat",
        r"\bpickle",
    ),
)

# --- AIW-GOV010: monitoring ------------------------------------------------------------
MON_IO_LOGGING = Topic(
    "logging of model inputs and outputs",
    phrases=any_of(
        r"\blog(?:s|ged|ging)?\b[^.]{0,60}\b(?:prompts?|inputs?|outputs?|completions?|responses?)\b",
        r"\b(?:prompts?|inputs?|outputs?|completions?|responses?)\b[^.]{0,60}\blog(?:s|ged|ging)?\b",
        r"\baudit\s+(?:log|trail)",
    ),
)
MON_ABUSE = Topic(
    "abuse monitoring",
    phrases=any_of(
        r"\babuse\b",
        r"\bmisuse\b",
        r"\brate[- ]limit",
        r"\bsuspicious\s+(?:use|usage|activity|requests?|prompts?)",
        r"\bjailbreak",
    ),
)
MON_DRIFT = Topic(
    "drift or anomaly alerting",
    phrases=any_of(
        r"\bdrift\b",
        r"\banomal\w*",
        r"\balert(?:s|ing)?\b[^.]{0,60}\b(?:when|if|on|threshold)",
    ),
)

# --- AIW-GOV011: user-facing safety guidance ----------------------------------------
USER_LIMITATIONS = Topic(
    "limitations",
    headings=any_of(
        r"limitations?",
        r"known\s+issues",
        r"caveats?",
        r"\brisks?\b",
        r"disclaimer",
        r"einschr[äa]nkungen",
        r"\blimites\b",
        r"limitaciones",
    ),
    phrases=any_of(
        r"\b(?:may|can|might|will\s+sometimes)\s+(?:produce|generate|output|return|give)\b[^.]{0,60}"
        r"\b(?:incorrect|inaccurate|wrong|false|harmful|biased|misleading|fabricated)",
        r"\bhallucinat",
    ),
    min_words=10,
)
USER_SAFE_USE = Topic(
    "safe use",
    headings=any_of(
        r"safe(?:ty|\s+use)",
        r"responsible\s+use",
        r"acceptable\s+use",
        r"usage\s+guidelines",
        r"security\s+considerations",
        r"^security$",
        r"sicherheit",
        r"s[ée]curit[ée]",
        r"seguridad",
    ),
    phrases=any_of(
        r"\b(?:do\s+not|don't|never)\s+(?:use|rely|deploy|expose|send|share|trust)\b[^.]{0,80}"
        r"\b(?:production|medical|legal|sensitive|untrusted|personal|secrets?|public|financial)",
        r"\bhuman[- ](?:review|in[- ]the[- ]loop|oversight)",
    ),
    min_words=10,
)
USER_SECURE_CONFIG = Topic(
    "secure configuration",
    headings=any_of(
        r"(?:secure|security|safe|hardening|production)\s+(?:configuration|config|setup|deployment|defaults|settings)",
        r"hardening",
        r"deploy\w*\s+(?:securely|safely|in\s+production)",
        r"authentication",
        r"sichere\s+konfiguration",
        r"configuration\s+s[ée]curis[ée]e",
        r"configuraci[óo]n\s+segura",
    ),
    phrases=any_of(
        r"\b(?:api[_ ]?keys?|tokens?|secrets?)\b[^.]{0,60}\b(?:environment\s+variables?|"
        r"env\s+vars?|secrets?\s+(?:manager|store)|vault|keyring)",
        r"\b(?:bind|listen)\w*\b[^.]{0,40}\b(?:127\.0\.0\.1|localhost)\b",
        r"\benable\s+(?:auth|authentication|tls)\b",
        r"\bbehind\s+(?:an?\s+)?(?:reverse\s+|authenticating\s+)?proxy\b",
        r"\bleast\s+privilege\b",
    ),
    min_words=10,
)

# --- AIW-GOV012: contributor guidance -------------------------------------------------
CONTRIB_SECURITY = Topic(
    "security guidance for contributors",
    headings=any_of(r"security", r"secure\s+(?:coding|development)", r"vulnerabilit", r"secrets?"),
    phrases=any_of(
        r"\b(?:never|do\s+not|don't)\s+commit\b[^.]{0,40}\b(?:secrets?|keys?|tokens?|credentials?)",
        r"\bsecurity\s+(?:review|checklist|guidelines?)",
        r"\bsecure\s+coding\b",
        r"\bprompt[- ]injection\b",
        r"\buntrusted\s+(?:input|models?|data)\b",
    ),
    min_words=10,
)

# --- AIW-GOV007: prompt documentation ---------------------------------------------------
PROMPT_DOCS = Topic(
    "system prompt documentation",
    headings=any_of(r"\bprompts?\b", r"system\s+prompts?"),
    min_words=10,
)
