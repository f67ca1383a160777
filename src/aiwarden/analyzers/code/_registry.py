"""The checkers the Python analyzer runs, in a fixed order.

Add a rule family by writing a ``rules_<family>.py`` module with a
:class:`~aiwarden.analyzers.code.checker.Checker` subclass and listing it here.
"""

from __future__ import annotations

from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.rules_consumption import ConsumptionChecker
from aiwarden.analyzers.code.rules_deserialization import DeserializationChecker
from aiwarden.analyzers.code.rules_exposure import ExposureChecker
from aiwarden.analyzers.code.rules_frameworks import FrameworkChecker
from aiwarden.analyzers.code.rules_hub import HubChecker
from aiwarden.analyzers.code.rules_llm_output import LlmOutputChecker
from aiwarden.analyzers.code.rules_logging import LoggingChecker
from aiwarden.analyzers.code.rules_mcp import McpChecker
from aiwarden.analyzers.code.rules_mcp_descriptions import McpDescriptionChecker
from aiwarden.analyzers.code.rules_prompt_injection import SystemPromptChecker
from aiwarden.analyzers.code.rules_ssrf import SsrfChecker


def all_checkers() -> tuple[Checker, ...]:
    """One instance of every built-in Python checker."""
    return (
        DeserializationChecker(),
        HubChecker(),
        FrameworkChecker(),
        ExposureChecker(),
        ConsumptionChecker(),
        LoggingChecker(),
        McpDescriptionChecker(),
        SsrfChecker(),
        LlmOutputChecker(),
        SystemPromptChecker(),
        McpChecker(),
    )
