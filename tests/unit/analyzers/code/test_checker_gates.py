"""The cheap gates in front of the heavy checks: same answers, less loaded.

The taint rules (AIW-PY008, AIW-PY009, AIW-PY016) and the sensitive-logging tables
load only once a module passes the checker's existing text test; these tests pin that
the gates agree with the patterns they replaced and that a plain module leaves the
gated modules unloaded while a module that needs them still gets its findings.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest

from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code.python_source import check_python_source
from aiwarden.analyzers.code.rules_llm_output import LLM_HINTS

_FORMER_LLM_HINTS = re.compile(
    r"openai|anthropic|genai|generativeai|vertexai|langchain|langgraph|llama_index|litellm"
    r"|ollama|mistral|cohere|groq|together|fireworks|cerebras|huggingface|bedrock|boto3"
    r"|transformers|vllm|agents|crewai|smolagents|pydantic_ai|completions|messages\.create"
    r"|generate_content|\.generate\(|\.invoke\("
)

TEXTS = [
    "import torch\nx = torch.relu(y)\n",
    "from openai import OpenAI\n",
    "client.messages.create(model=m)\n",
    "messagesXcreate\n",
    "model.generate(ids)\n",
    "model.generate\n",
    "chain.invoke(x)\n",
    "class Block(Module):\n  def forward(self, x):\n    return torch.add(x, x)\n",
    "import boto3\n",
    "MyAgents = 1\n",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_llm_hints_agree_with_the_former_pattern(text: str) -> None:
    assert any(h in text for h in LLM_HINTS) == (_FORMER_LLM_HINTS.search(text) is not None)


def test_every_former_alternative_is_a_hint() -> None:
    alternatives = _FORMER_LLM_HINTS.pattern.split("|")
    assert sorted(a.replace("\\", "") for a in alternatives) == sorted(LLM_HINTS)


def test_regex_compiles_once() -> None:
    assert kit.regex(r"^ab+$") is kit.regex(r"^ab+$")
    assert kit.regex(r"^ab+$").match("abbb")


_PROBE = textwrap.dedent(
    """
    import json, sys, types
    from aiwarden.analyzers.code.python_source import check_python_source
    issues = check_python_source({source!r})
    gated = sorted(
        name for name, module in sys.modules.items()
        if type(module) is types.ModuleType and name in {gated!r}
    )
    print(json.dumps({{"gated": gated, "rules": sorted(i.rule.id for i in issues)}}))
    """
)
GATED = {
    "aiwarden.analyzers.code._taint",
    "aiwarden.analyzers.code._llm_output_flow",
    "aiwarden.analyzers.code._mcp_flow",
    "aiwarden.analyzers.code._prompt_flow",
    "aiwarden.analyzers.code._logged_values",
    "aiwarden.analyzers.code.poisoning_patterns",
}


def _probe(source: str) -> dict[str, list[str]]:
    code = _PROBE.format(source=source, gated=GATED)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    result: dict[str, list[str]] = json.loads(out.strip().splitlines()[-1])
    return result


def test_a_plain_module_loads_no_gated_module() -> None:
    source = "class Block(Module):\n  def forward(self, x):\n    return torch.relu(x)\n"
    assert _probe(source) == {"gated": [], "rules": []}


def test_an_llm_module_loads_the_taint_engine_and_reports() -> None:
    source = (
        "import subprocess\nfrom openai import OpenAI\n"
        "def run():\n"
        "    reply = OpenAI().chat.completions.create(model='m', messages=[])\n"
        "    subprocess.run(reply.choices[0].message.content, shell=True)\n"
    )
    result = _probe(source)
    assert "aiwarden.analyzers.code._taint" in result["gated"]
    assert "AIW-PY008" in result["rules"]


def test_a_log_call_loads_the_sensitive_value_tables_and_reports() -> None:
    source = "import logging, os\nlogging.info('key %s', os.environ['OPENAI_API_KEY'])\n"
    result = _probe(source)
    assert "aiwarden.analyzers.code._logged_values" in result["gated"]
    assert "AIW-PY021" in result["rules"]


def test_gated_checks_report_in_process() -> None:
    source = "from fastmcp import FastMCP\nmcp = FastMCP('x')\n@mcp.tool()\ndef f(p: str):\n"
    source += "    import os\n    os.system(p)\n"
    assert any(i.rule.id == "AIW-PY016" for i in check_python_source(source))
