"""One table says which libraries are AI; the code, dependency and profile checks share it."""

from __future__ import annotations

from aiwarden.analyzers.ai_libraries import (
    AI_IMPORT_ROOTS,
    HOSTED_LLM_MODULES,
    HOSTED_LLM_PACKAGES,
)
from aiwarden.analyzers.code._servers import is_ai_file
from aiwarden.analyzers.deps.catalog import AI_PACKAGES
from aiwarden.assess.behaviours import Trait
from aiwarden.assess.profile import _SIGNALS


def test_every_hosted_llm_sdk_counts_as_an_ai_package() -> None:
    assert HOSTED_LLM_PACKAGES <= AI_PACKAGES


def test_the_profile_detects_hosted_llms_from_the_shared_table() -> None:
    signals = _SIGNALS[Trait.USES_HOSTED_LLM]
    assert signals.packages == HOSTED_LLM_PACKAGES
    assert signals.modules == HOSTED_LLM_MODULES


def test_the_code_rules_treat_every_ai_import_root_as_ai_code() -> None:
    assert all(is_ai_file(frozenset({root})) for root in AI_IMPORT_ROOTS)
    assert not is_ai_file(frozenset({"flask", "json"}))
    hosted_roots = {m.split(".", 1)[0] for m in HOSTED_LLM_MODULES}
    assert hosted_roots - AI_IMPORT_ROOTS == {"google"}  # a namespace, not only AI
