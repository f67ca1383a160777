"""Topics the evidence checks look for beyond the governance analyzer's own vocabulary.

The same rules as :mod:`aiwarden.analyzers.governance.topics` apply (and its helpers
are used): a topic is covered by a heading with enough words under it or by one
specific phrase, never by one common word, so that a long unrelated document does not
cover a topic by accident.
"""

from __future__ import annotations

import re
from typing import Final

from aiwarden.analyzers.governance import topics as t
from aiwarden.analyzers.governance.topics import Topic, any_of

# --- security policy ---------------------------------------------------------------------
SAFE_HARBOUR: Final = Topic(
    "safe-harbour wording",
    headings=any_of(r"safe[- ]?harbou?r", r"legal\s+(?:protection|safe)", r"authori[sz]ation"),
    phrases=any_of(
        r"safe[- ]?harbou?r",
        r"\b(?:not|never)\s+(?:pursue|take|bring|initiate)\b[^.]{0,40}\b(?:legal|lawsuit|action|claims?)",
        r"\bgood[- ]faith\b[^.]{0,80}\b(?:research|researchers?|report|testing|efforts?)",
        r"\b(?:research|testing)\b[^.]{0,60}\b(?:is|are|will\s+be)\s+(?:considered\s+)?authori[sz]ed",
        r"\bwe\s+(?:consent|authori[sz]e)\b",
    ),
    min_words=10,
)
CHANNELS: Final = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        t.EMAIL,
        r"https?://[^\s)>\]]*/security/advisories(?:/new)?",
        r"private\s+vulnerability\s+reporting",
        r"https?://[^\s)>\]]*(?:huntr\.(?:dev|com)|hackerone\.com|bugcrowd\.com|intigriti\.com)"
        r"[^\s)>\]]*",
        r"security/advisories(?:/new)?",
        r"https?://[^\s)>\]]*(?:security|vulnerabilit|disclos)[^\s)>\]]*",
        r"\btel:[+\d][\d\s-]{4,20}",
    )
)
"""Private reporting channels, most specific first (what a summary quotes)."""
ADVISORIES: Final = Topic(
    "published advisories",
    headings=any_of(r"\badvisor(?:y|ies)\b", r"security\s+(?:bulletins?|announcements?|notices?)"),
    phrases=any_of(
        r"\b(?:publish|issue|release|announce)\w*\b[^.]{0,60}\b(?:advisor(?:y|ies)|bulletins?|cves?)\b",
        r"\b(?:advisor(?:y|ies)|bulletins?|cves?)\b[^.]{0,40}\b(?:published|issued|released)\b",
        r"\bGHSA-[0-9a-z]{4}-",
        r"\bCVE-\d{4}-\d{4,}",
        r"\b(?:request|assign|obtain)\w*\s+(?:a\s+)?CVE",
        r"\bCSAF\b|\bVEX\b",
    ),
    min_words=6,
)

# --- threat model --------------------------------------------------------------------------
AI_THREAT_IDS: Final = Topic(
    "MITRE ATLAS or OWASP LLM identifiers",
    phrases=any_of(r"\bAML\.T\d{4}", r"\bLLM\s?(?:0\d|10)(?::20\d\d)?\b", r"\bML0\d\b"),
)
AI_EVASION: Final = Topic(
    "evasion or adversarial examples",
    phrases=any_of(
        r"\badversarial\s+(?:examples?|inputs?|attacks?|perturbations?)",
        r"\bevasion\s+attacks?",
        r"\bmembership\s+inference",
        r"\bmodel\s+inversion",
    ),
)
AI_THREATS: Final = (
    t.THREAT_PROMPT_INJECTION,
    t.THREAT_POISONING,
    t.THREAT_MODEL_THEFT,
    t.THREAT_AGENT_TOOLS,
    t.THREAT_SUPPLY_CHAIN,
    AI_EVASION,
    AI_THREAT_IDS,
)
IMPACT: Final = Topic(
    "impact on users, the organisation or society",
    headings=any_of(r"\bimpacts?\b", r"\bharms?\b", r"consequences", r"abuse\s+cases", r"misuse"),
    phrases=any_of(
        r"\bimpact\w*\b[^.]{0,40}\b(?:users?|customers?|people|society|organi[sz]ations?|public)",
        r"\b(?:wider|broader)\s+society",
        r"\bsocietal\b",
        r"\bharm\w*\b[^.]{0,40}\b(?:users?|customers?|people|individuals|society)",
        r"\b(?:reputational|financial|safety|legal)\s+(?:impact|harm|damage|risk)",
        r"\bbusiness\s+impact",
    ),
)
DATA_SENSITIVITY: Final = Topic(
    "data sensitivity",
    headings=any_of(
        r"data\s+(?:classification|sensitivity)",
        r"sensitive\s+(?:data|information|assets?)",
        r"^assets?$",
        r"assets?\s+(?:and|&)",
        r"personal\s+data",
        r"privacy",
    ),
    phrases=any_of(
        r"\b(?:personal|sensitive|confidential|regulated|health|financial)\s+(?:data|information)",
        r"\bpii\b",
        r"\bpersonally\s+identifiable",
        r"\bdata\s+classification",
        r"\bgdpr\b",
    ),
    min_words=8,
)
REVIEW_SCHEDULE: Final = Topic(
    "a review schedule",
    headings=any_of(
        r"^reviews?$", r"review\s+(?:schedule|cadence|process|history)", r"maintenance"
    ),
    phrases=any_of(
        r"\breview\w*\b[^.]{0,60}\b(?:annually|yearly|quarterly|monthly|every\s+\w+|"
        r"at\s+least\s+(?:once|twice|every)|each\s+(?:release|quarter|year)|"
        r"when\s+(?:a\s+)?(?:new|the|major))",
        r"\b(?:next|last)\s+review\w*\b",
        r"\breview\s+(?:frequency|cadence|schedule|date)",
    ),
    min_words=6,
)
MODEL_SELECTION: Final = Topic(
    "model selection rationale",
    headings=any_of(
        r"model\s+(?:selection|choice)",
        r"choice\s+of\s+(?:the\s+)?(?:model|llm|provider)",
        r"(?:why|selecting|choosing)\b.{0,30}\b(?:model|llm|provider)",
    ),
    phrases=any_of(
        r"\b(?:chose|choose|selected|picked|decided\s+(?:on|to\s+use))\b[^.]{0,60}"
        r"\b(?:models?|llms?|provider|weights|checkpoint)\b[^.]{0,80}\b(?:because|since|as|over|instead)",
        r"\bmodel\s+(?:selection|choice)\b",
    ),
    min_words=10,
)
SECURITY_TERMS: Final = Topic(
    "security considerations",
    headings=any_of(r"security", r"threats?", r"risks?"),
    phrases=any_of(
        r"\bthreat\s+model",
        r"\bsecurity\s+(?:risks?|considerations?|implications?|trade-?offs?)",
        r"\bprompt[- ]injection",
        r"\bpoison",
        r"\bsupply[- ]chain",
    ),
    min_words=8,
)

# --- model and data cards (DV-3.b fields) ------------------------------------------------
GUARDRAILS: Final = Topic(
    "guardrails",
    headings=any_of(
        r"guardrails?", r"safeguards?", r"mitigations?", r"safety\s+(?:measures|filters?)"
    ),
    phrases=any_of(
        r"\bguardrails?\b",
        r"\b(?:content|safety|output)\s+(?:filter|moderation|classifier)",
        r"\bmoderation\s+(?:api|endpoint|model|layer)",
        r"\bhuman[- ](?:review|in[- ]the[- ]loop|oversight)",
    ),
    min_words=8,
)
HASHES: Final = Topic(
    "hashes or signatures",
    headings=any_of(r"checksums?|hashes|integrity|signatures?|signing"),
    phrases=any_of(
        r"\b[0-9a-f]{64}\b",
        r"\bsha-?(?:256|384|512)(?:sums)?\b",
        r"\bsigned\s+with\b|\bsigstore\b|\bcosign\b|\bmodel[- ]signing\b",
    ),
    min_words=4,
)
RETENTION: Final = Topic(
    "retention",
    headings=any_of(r"retention", r"data\s+lifecycle", r"deletion"),
    phrases=any_of(
        r"\bretention\s+(?:period|time|policy)",
        r"\b(?:retained|kept|stored|deleted|purged)\b[^.]{0,40}\b(?:for|after|within)\s+"
        r"(?:\d{1,4}|one|two|three|six|twelve|thirty|ninety)\s*(?:days?|weeks?|months?|years?)",
    ),
    min_words=6,
)
FAILURE_MODES: Final = Topic(
    "failure modes",
    headings=any_of(
        r"failure\s+modes?", r"known\s+(?:issues|failures|problems)", r"error\s+analysis"
    ),
    phrases=any_of(
        r"\bfailure\s+modes?\b",
        r"\b(?:fails?|failing|breaks?\s+down)\s+(?:when|on|for|if)\b",
        r"\bmisclassif\w*",
        r"\b(?:accuracy|performance|quality)\s+(?:drops?|degrades?|is\s+(?:lower|poor))",
        r"\bhallucinat\w*",
    ),
    min_words=8,
)
MODEL_FIELDS: Final = (
    t.MODEL_TRAINING_DATA,
    t.MODEL_INTENDED_USE,
    t.MODEL_LIMITATIONS,
    GUARDRAILS,
    HASHES,
    RETENTION,
    REVIEW_SCHEDULE,
    FAILURE_MODES,
)
"""The DV-3.b fields a model card can carry (training data ... failure modes)."""
DATA_FIELDS: Final = (
    t.DATA_SOURCE,
    t.DATA_COLLECTION,
    t.DATA_PERSONAL,
    t.DATA_BIASES,
    HASHES,
    RETENTION,
    REVIEW_SCHEDULE,
)
PROVENANCE_KEYS: Final = ("base_model", "license", "licence", "revision", "model-index")
_REVISION: Final = re.compile(r"\b(?:revision|commit)\b[^.\n]{0,30}\b[0-9a-f]{7,40}\b", re.I)
REVISION: Final = Topic("a pinned revision", phrases=_REVISION)

# --- incident response -------------------------------------------------------------------
IR_SCENARIOS: Final = (
    t.IR_KEY_ROTATION,
    t.IR_MODEL_ROLLBACK,
    t.IR_POISONED_MODEL,
    t.IR_PROMPT_INJECTION,
    t.IR_DATA_LEAKAGE,
)
IR_EXERCISED: Final = Topic(
    "exercises or reviews of the plan",
    headings=any_of(r"exercises?", r"drills?", r"table-?top", r"game\s*days?", r"post-?incident"),
    phrases=any_of(
        r"\btable-?top\b",
        r"\b(?:exercis|rehears|drill)\w*\b[^.]{0,40}\b(?:plan|runbook|playbook|scenario|team|yearly|"
        r"annually|quarterly|every)",
        r"\bgame\s*days?\b",
        r"\bpost-?(?:incident|mortem)\s+reviews?",
        r"\bblameless\s+post-?mortems?",
    ),
    min_words=6,
)
IR_TRAINING: Final = Topic(
    "responder training",
    headings=any_of(r"training", r"on-?call\s+(?:onboarding|training)"),
    phrases=any_of(
        r"\b(?:responders?|on-?call|engineers?|team|staff)\b[^.]{0,40}\b(?:are|is|get|receive)\s+"
        r"trained\b",
        r"\btrain\w*\b[^.]{0,40}\b(?:responders?|on-?call|incident\s+response)",
    ),
    min_words=6,
)
ESCALATION: Final = Topic(
    "escalation and contacts",
    headings=any_of(r"escalat\w*", r"contacts?", r"on-?call", r"roles?\s+and\s+responsibilit"),
    phrases=any_of(r"\bescalat\w*\b", r"\bon-?call\b", r"\bincident\s+(?:commander|lead|owner)"),
    min_words=4,
)
AUDIT_LOGS: Final = Topic(
    "audit logs for customers",
    headings=any_of(r"audit\s+(?:logs?|logging|trail)"),
    phrases=any_of(
        r"\baudit\s+(?:logs?|logging|trails?)\b[^.]{0,80}\b(?:customers?|users?|tenants?|admins?|"
        r"administrators?|export|download|api|available|access|retriev|stream|siem)",
        r"\b(?:customers?|users?|tenants?|admins?|administrators?)\b[^.]{0,80}\baudit\s+(?:logs?|trails?)",
    ),
    min_words=8,
)

# --- user guidance -----------------------------------------------------------------------
AI_RISKS: Final = Topic(
    "AI-specific risks",
    headings=any_of(r"ai\s+(?:risks|safety)", r"risks?\s+of\s+(?:ai|llms?|the\s+model)"),
    phrases=any_of(
        r"\bhallucinat\w*",
        r"\bprompt[- ]injection",
        r"\bjailbreak\w*",
        r"\b(?:ai|model|llm)[- ]generated\b[^.]{0,60}\b(?:may|can|might|could)\b",
        r"\b(?:model|llm|ai|assistant|chatbot)\b[^.]{0,40}\b(?:may|can|might|will\s+sometimes)\s+"
        r"(?:produce|generate|output|return|give|make)\b[^.]{0,60}\b(?:incorrect|inaccurate|wrong|"
        r"false|harmful|biased|misleading|fabricated|mistakes?|errors?)",
    ),
    min_words=8,
)
SHARED_RESPONSIBILITY: Final = Topic(
    "the security tasks left to users",
    headings=any_of(r"shared\s+responsibilit", r"your\s+responsibilit", r"user\s+responsibilit"),
    phrases=any_of(
        r"\byou\s+are\s+(?:solely\s+)?responsible\s+for\b",
        r"\b(?:it\s+is\s+)?your\s+responsibility\b",
        r"\bshared[- ]responsibility\b",
        r"\b(?:users?|operators?|deployers?|customers?)\s+(?:are|is|remain)\s+responsible\s+for\b",
        r"\bresponsibility\s+of\s+the\s+(?:user|operator|deployer|customer)",
    ),
    min_words=8,
)
DATA_USE: Final = Topic(
    "how user data is used",
    headings=any_of(
        r"privacy",
        r"data\s+(?:use|usage|handling|processing|retention|protection|collection)",
        r"how\s+(?:we|your\s+data)",
        r"telemetry",
        r"datenschutz",
    ),
    phrases=any_of(
        r"\b(?:not\s+)?used\s+(?:to|for)\s+(?:train|retrain|fine-?tun|improv)\w*",
        r"\b(?:retrain|fine-?tun)\w*\b[^.]{0,40}\b(?:your|user|customer)\s+(?:data|inputs?|prompts?|conversations?)",
        r"\b(?:your|user|customer)\s+(?:data|inputs?|prompts?|conversations?)\b[^.]{0,60}\b(?:stored|retained|kept|"
        r"shared|sent\s+to|processed|logged|reviewed)",
        r"\breviewed\s+by\s+(?:our\s+)?(?:employees|staff|humans?|people|contractors|partners)",
        r"\bprivacy\s+(?:policy|notice|statement)",
    ),
    min_words=10,
)
ACCEPTABLE_USE: Final = Topic(
    "acceptable and prohibited use",
    headings=any_of(
        r"acceptable\s+use",
        r"prohibited\s+uses?",
        r"out[- ]of[- ]scope\s+uses?",
        r"misuse",
        r"(?:intended|permitted|allowed)\s+uses?",
        r"usage\s+polic",
        r"terms\s+of\s+use",
    ),
    phrases=any_of(
        r"\b(?:must|may|should|shall)\s+not\s+be\s+used\s+(?:to|for|in)\b",
        r"\b(?:prohibited|forbidden|not\s+permitted)\s+(?:uses?|purposes?|to\s+use)\b",
        r"\bacceptable\s+use\s+policy",
        r"\bis\s+not\s+(?:intended|designed|suitable)\s+(?:for|to)\b",
    ),
    min_words=8,
)
ACCEPTABLE_USE_SECTION: Final = Topic(
    ACCEPTABLE_USE.label, headings=ACCEPTABLE_USE.headings, min_words=ACCEPTABLE_USE.min_words
)
"""Acceptable use as a section of its own: a passing phrase in any document does not count."""
USER_TOPICS: Final = (
    t.USER_LIMITATIONS,
    t.USER_SAFE_USE,
    t.USER_SECURE_CONFIG,
    AI_RISKS,
    SHARED_RESPONSIBILITY,
    DATA_USE,
    ACCEPTABLE_USE,
)

# --- contributing ------------------------------------------------------------------------
AI_DEV_THREATS: Final = Topic(
    "AI-specific threats for developers",
    phrases=any_of(
        r"\bprompt[- ]injection",
        r"\bpoison\w*",
        r"\buntrusted\s+(?:models?|weights|checkpoints?|pickles?|model\s+output|llm\s+output|output)",
        r"\b(?:model|llm)\s+output\b[^.]{0,40}\b(?:untrusted|as\s+untrusted|validate|sanitis|sanitiz)",
        r"\bnever\s+(?:load|unpickle)\b[^.]{0,40}\b(?:pickle|models?|weights)",
        r"\bpickle\b[^.]{0,60}\b(?:unsafe|never|do\s+not|don't|code\s+execution|untrusted)",
        r"\btorch\.load\b|\bpickle\.load\b|\btrust_remote_code\b|\bsafetensors\b",
        r"\bOWASP\s+(?:Top\s+10\s+for\s+)?LLM|\bAML\.T\d{4}|\bMITRE\s+ATLAS",
    ),
)

# --- lifecycle -----------------------------------------------------------------------------
AI_CHANGE: Final = re.compile(
    r"\b(?:add(?:ed|s)?|new|chang(?:ed|es?)|updat(?:ed|es?)|upgrad(?:ed|es?)|switch(?:ed|es)?|"
    r"bump(?:ed|s)?|retrain(?:ed)?|re-?trained|fine-?tuned|replac(?:ed|es?)|migrat(?:ed|es?)|"
    r"revis(?:ed|es?)|rewr(?:ote|itten)|pinn?(?:ed|s)?|re-?exported|default)\b[^.\n]{0,60}"
    r"\b(?:models?|prompts?|system\s+prompts?|datasets?|training\s+data|weights|checkpoints?|"
    r"embeddings?(?:\s+model)?|llms?)\b(?!\s+outputs?)"
    r"|^\W{0,4}(?:models?|prompts?|system\s+prompts?|datasets?|data|weights|embeddings?)\W{0,2}:",
    re.IGNORECASE | re.MULTILINE,
)
CHANGE_NOTICE: Final = re.compile(
    r"\b(?:deprecat\w*|breaking\s+changes?|migration\s+guide|removed\s+in|end[- ]of[- ]life)\b",
    re.IGNORECASE,
)
VERSION_HEADING: Final = re.compile(
    r"\bv?\d+\.\d+(?:\.\d+)?\b|\b\d{4}-\d{2}-\d{2}\b|unreleased", re.I
)
DECOMMISSION: Final = Topic(
    "decommissioning",
    headings=any_of(
        r"decommission\w*",
        r"retirement",
        r"retiring\s+(?:the\s+)?(?:models?|system|service)",
        r"(?:sunset(?:ting)?|end[- ]of[- ]life|deprecation|shut\s*-?down)\s+"
        r"(?:plan|policy|process|procedure)",
    ),
    phrases=any_of(
        r"\bdecommission\w*\b[^.]{0,60}\b(?:models?|service|system|endpoints?|deployments?|weights|data)",
        r"\b(?:are|is|will\s+be|was|were)\s+(?:decommissioned|retired|sunset)\b",
        r"^\W{0,4}decommission\w*\W{0,2}:",
    ),
    min_words=10,
)
TECH_DEBT: Final = Topic(
    "technical debt",
    headings=any_of(r"tech(?:nical)?\s+debt", r"debt\s+register", r"known\s+debt"),
    phrases=any_of(r"\btech(?:nical)?[- ]debt\s+(?:register|log|backlog|list|tracker|label)"),
    min_words=8,
)

# --- monitoring ----------------------------------------------------------------------------
OUTPUT_MONITORING: Final = Topic(
    "monitoring of outputs and performance",
    headings=any_of(
        r"monitoring", r"observability", r"metrics", r"dashboards?", r"alerts?|alerting"
    ),
    phrases=any_of(
        r"\bmonitor\w*\b[^.]{0,60}\b(?:outputs?|responses?|completions?|performance|quality|accuracy|"
        r"latency|error\s+rates?|predictions?)",
        r"\b(?:outputs?|responses?|predictions?|quality|accuracy)\b[^.]{0,40}\bmonitor\w*",
        r"\b(?:evidently|whylogs|nannyml|alibi-?detect|arize|phoenix|langfuse|langsmith|"
        r"opentelemetry|prometheus|grafana|datadog)\b",
    ),
    min_words=10,
)
INTRUSION: Final = Topic(
    "signs of intrusion or compromise",
    phrases=any_of(
        r"\b(?:intrusion|compromise|attack|tamper\w*|unauthori[sz]ed\s+access)\b[^.]{0,80}\b(?:drift|"
        r"anomal\w*|distinguish|tell\s+apart|from\s+natural)",
        r"\b(?:drift|anomal\w*)\b[^.]{0,80}\b(?:intrusion|compromise|attack|tamper\w*|malicious)",
    ),
)
PRIVACY_IN_LOGS: Final = re.compile(
    r"\b(?:redact\w*|anonymi[sz]\w*|pseudonymi[sz]\w*|mask\w*|retention|kept\s+for|retained\s+for|"
    r"deleted\s+after)\b",
    re.IGNORECASE,
)
