"""Which aiwarden rule each Bandit / Ruff ``S`` rule stands in for.

A peer finding counts for the aiwarden rules listed for its peer rule: it is a true
positive for every listed rule expected on that statement, and a false positive of the
*first* listed rule when none is expected there. Listing a peer rule under several
aiwarden rules is generous on purpose: e.g. Bandit's ``eval`` (B307) does not know
where its argument comes from, but it does fire on the LLM-output and MCP-parameter
``eval`` sinks, so it gets credit for both. Peer rules not listed here are ignored
(their findings are neither true nor false positives): they check other things.

Not mapped, on purpose:

* B403 / S403 (``import pickle``): an import is not a deserialisation call.
* B603 / B607 / S603 / S607 (``subprocess`` without a shell, partial executable path):
  informational, they fire on every fixed argv list.
* B113 / S113 (``requests`` without ``timeout``): not about LLM calls (PY011).
* B105-B107 (hard-coded passwords): secrets are the AIW-SEC rules, not PY.
"""

from __future__ import annotations

from typing import Final

RULES: Final[dict[str, str]] = {
    "AIW-PY001": "unsafe torch.load / torch.jit.load / torch.package",
    "AIW-PY002": "pickle-family deserialization",
    "AIW-PY003": "trust_remote_code not provably false",
    "AIW-PY004": "HF hub download not pinned to a commit",
    "AIW-PY005": "unsafe Keras/TF model loading",
    "AIW-PY006": "LangChain dangerous opt-in flags",
    "AIW-PY007": "code-execution tool given to an LLM",
    "AIW-PY008": "LLM output reaches a dangerous sink",
    "AIW-PY009": "request data in the system prompt",
    "AIW-PY011": "unbounded LLM calls",
    "AIW-PY012": "unsandboxed Jinja on chat templates",
    "AIW-PY013": "public Gradio exposure",
    "AIW-PY014": "control plane / dev server on all interfaces",
    "AIW-PY015": "pickle over the network",
    "AIW-PY016": "MCP tool parameter reaches a sink",
    "AIW-PY017": "poisoned MCP tool description",
    "AIW-PY018": "agent loop without bounds",
    "AIW-PY019": "SSRF-prone loaders / request tools",
    "AIW-PY020": "unsafe archive extraction",
    "AIW-PY021": "prompts, completions or keys in logs",
    "AIW-PY022": "yaml.load without a safe Loader",
}
"""The aiwarden Python rules the corpus measures (AIW-PY010 is not used)."""

_SINKS: Final = ("AIW-PY008", "AIW-PY016")
_URL_SINKS: Final = ("AIW-PY019", "AIW-PY016", "AIW-PY008")

BANDIT: Final[dict[str, tuple[str, ...]]] = {
    "B614": ("AIW-PY001",),  # pytorch_load
    "B301": ("AIW-PY002", "AIW-PY015"),  # pickle, dill, shelve, jsonpickle, read_pickle
    "B615": ("AIW-PY004",),  # huggingface_unsafe_download
    "B102": _SINKS,  # exec_used
    "B307": _SINKS,  # eval
    "B602": _SINKS,  # subprocess with shell=True
    "B604": _SINKS,  # any call with shell=True
    "B605": _SINKS,  # os.system & co
    "B608": ("AIW-PY008",),  # SQL built from strings
    "B308": ("AIW-PY008",),  # mark_safe
    "B704": ("AIW-PY008",),  # markupsafe.Markup
    "B310": _URL_SINKS,  # urllib urlopen
    "B701": ("AIW-PY012",),  # jinja2 autoescape=False (a different concern: XSS, not SSTI)
    "B104": ("AIW-PY014", "AIW-PY013"),  # the string "0.0.0.0" anywhere
    "B201": ("AIW-PY014",),  # flask debug=True
    "B613": ("AIW-PY017",),  # trojan source (bidi controls)
    "B202": ("AIW-PY020",),  # tarfile extractall without members/filter
    "B506": ("AIW-PY022",),  # yaml.load
}
"""Bandit test id -> aiwarden rules it is credited for (first: where its FPs count)."""

RUFF: Final[dict[str, tuple[str, ...]]] = {
    "S301": ("AIW-PY002", "AIW-PY015"),
    "S102": _SINKS,
    "S307": _SINKS,
    "S602": _SINKS,
    "S604": _SINKS,
    "S605": _SINKS,
    "S608": ("AIW-PY008",),
    "S308": ("AIW-PY008",),
    "S704": ("AIW-PY008",),
    "S310": _URL_SINKS,
    "S701": ("AIW-PY012",),
    "S104": ("AIW-PY014", "AIW-PY013"),
    "S201": ("AIW-PY014",),
    "S202": ("AIW-PY020",),
    "S506": ("AIW-PY022",),
}
"""Ruff ``S`` rule -> aiwarden rules (Ruff has no S614/S615: no torch.load, no HF rule)."""


def covered(table: dict[str, tuple[str, ...]]) -> set[str]:
    """The aiwarden rules a peer has at least one mapped rule for."""
    return {rule for rules in table.values() for rule in rules}


def peer_rules_for(table: dict[str, tuple[str, ...]], rule: str) -> list[str]:
    """The peer rules credited for ``rule`` (for the printed table)."""
    return sorted(code for code, rules in table.items() if rule in rules)
