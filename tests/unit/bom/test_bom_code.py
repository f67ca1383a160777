"""References in Python code, configs and MCP settings: aliases, keyword and positional
arguments, constants, and the look-alikes that must not count."""

from __future__ import annotations

import textwrap

import pytest

from aiwarden.bom._configs import scan_json, scan_yaml
from aiwarden.bom._endpoints import clean_url, provider_for_url, zone_for_url
from aiwarden.bom._hubids import hub_id, hub_urls
from aiwarden.bom._mcp import launched_package, mcp_servers, redact_args
from aiwarden.bom._sources import FileHits, read_notebook, read_python


def _read(source: str) -> FileHits:
    hits = read_python(textwrap.dedent(source), "t.py")
    assert hits.problem is None
    return hits


def _hub(source: str) -> set[tuple[str, str, str | None]]:
    return {(h.kind, h.repo_id, h.revision) for h in _read(source).hub}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "import transformers as tf\n"
            "tf.AutoModel.from_pretrained(pretrained_model_name_or_path='org/a')",
            {("model", "org/a", None)},
        ),
        (
            "from huggingface_hub import hf_hub_download as dl\n"
            "dl('org/b', 'f.bin', revision='abc')",
            {("model", "org/b", "abc")},
        ),
        (
            "from peft import PeftModel\nPeftModel.from_pretrained(base, 'org/adapter')",
            {("model", "org/adapter", None)},
        ),
        (
            "from diffusers import DiffusionPipeline\n"
            "DiffusionPipeline.from_pretrained('stabilityai/sdxl', revision='fp16')",
            {("model", "stabilityai/sdxl", "fp16")},
        ),
        (
            "from transformers import AutoModel\nMODEL_ID = 'org/c'\n"
            "AutoModel.from_pretrained(MODEL_ID)",
            {("model", "org/c", None)},
        ),
        ("import timm\ntimm.create_model('hf-hub:timm/vit.a1')", {("model", "timm/vit.a1", None)}),
        (
            "import pandas as pd\npd.read_parquet('hf://datasets/org/ds@v1/train.parquet')",
            {("dataset", "org/ds", "v1")},
        ),
        (
            "import huggingface_hub\n"
            "huggingface_hub.snapshot_download(repo_id='org/data', repo_type='dataset')",
            {("dataset", "org/data", None)},
        ),
        (
            "from datasets import load_dataset\nload_dataset(path='glue')",
            {("dataset", "glue", None)},
        ),
    ],
)
def test_hub_loaders(source: str, expected: set[tuple[str, str, str | None]]) -> None:
    assert _hub(source) == expected


def test_torch_hub_repositories() -> None:
    hits = _read(
        """
        import torch
        from torch import hub
        torch.hub.load("pytorch/vision:v0.10.0", "resnet18", pretrained=True)
        hub.load(repo_or_dir="facebookresearch/dino", model="dino_vits16")
        torch.hub.load("./local_repo", "custom", source="local")
        """
    ).hub
    assert {(h.kind, h.repo_id, h.revision, h.loader) for h in hits} == {
        ("torch-hub", "pytorch/vision", "v0.10.0", "torch.hub.load:resnet18"),
        ("torch-hub", "facebookresearch/dino", None, "torch.hub.load:dino_vits16"),
    }


@pytest.mark.parametrize(
    "source",
    [
        "from transformers import AutoModel\nAutoModel.from_pretrained(f'org/{name}')",
        "from transformers import AutoModel\nAutoModel.from_pretrained('/abs/model')",
        "from transformers import AutoModel\nAutoModel.from_pretrained('output')",
        "from transformers import AutoModel\nAutoModel.from_pretrained('a/b/c')",
        "from transformers import AutoModel\nAutoModel.from_pretrained('weights.bin')",
        "import timm\ntimm.create_model('resnet50')",
        "from huggingface_hub import snapshot_download\n"
        "snapshot_download('org/space', repo_type='space')",
        "from datasets import load_dataset\nload_dataset('json', data_files='x.jsonl')",
        "def from_pretrained_like(x): pass\nfrom_pretrained_like('org/x')",
    ],
)
def test_not_hub_references(source: str) -> None:
    assert _hub(source) == set()


def _services(source: str) -> set[tuple[str, str | None, bool, str | None]]:
    return {(s.provider, s.endpoint, s.dynamic_endpoint, s.model) for s in _read(source).services}


def test_module_level_and_aliased_clients() -> None:
    found = _services(
        """
        import os
        import openai as oa
        import anthropic
        from openai import OpenAI
        from langchain_openai import ChatOpenAI
        oa.chat.completions.create(model="gpt-4o-mini", messages=[])
        client = anthropic.AsyncAnthropic()
        router = OpenAI(base_url="https://openrouter.ai/api/v1")
        anywhere = OpenAI(base_url=os.environ["LLM_URL"])
        lan = ChatOpenAI(model="qwen", base_url="http://10.0.0.5:8000/v1")
        """
    )
    assert found == {
        ("openai", None, False, "gpt-4o-mini"),
        ("anthropic", None, False, None),
        ("openrouter", "https://openrouter.ai/api/v1", False, None),
        ("openai", None, True, None),
        ("openai-compatible", "http://10.0.0.5:8000/v1", False, "qwen"),
    }
    assert zone_for_url("http://10.0.0.5:8000/v1", "external") == "local"


def test_router_libraries_resolve_the_provider_from_the_model_name() -> None:
    found = _services(
        """
        import litellm
        from langchain.chat_models import init_chat_model
        litellm.completion(model="ollama/llama3", messages=[])
        litellm.completion(model="claude-3-5-sonnet-20241022", messages=[])
        init_chat_model("google_genai:gemini-2.0-flash")
        init_chat_model("mistral-large", model_provider="mistralai")
        litellm.completion(model=chosen_model, messages=[])
        """
    )
    assert {provider for provider, *_rest in found} == {
        "ollama",
        "anthropic",
        "google-gemini",
        "mistral",
        "litellm",
    }


def test_api_keys_are_never_taken_for_model_names() -> None:
    found = _services(
        """
        import cohere
        import ollama
        cohere.Client("co-0123456789abcdef0123456789abcdef")
        ollama.Client("http://gpu:11434")
        ollama.generate("llama3:8b", "hi")
        """
    )
    assert {model for *_rest, model in found} == {None, "llama3:8b"}


def test_dynamic_endpoint_is_marked() -> None:
    hits = _read("import os\nfrom openai import OpenAI\nOpenAI(base_url=os.environ['U'])").services
    assert [(h.provider, h.dynamic_endpoint) for h in hits] == [("openai", True)]


def test_import_only_and_non_ai_clients() -> None:
    assert _services("import anthropic\n") == {("anthropic", None, False, None)}
    assert _services("import boto3\nboto3.client('s3')\nimport requests\n") == set()


def test_prompts_in_code() -> None:
    long_text = "You are a meticulous reviewer of contracts; cite clauses exactly."
    hits = _read(
        f"""
        from openai import OpenAI
        from agents import Agent
        LABEL = "ok"
        class Bot:
            def __init__(self):
                self.instructions = {long_text!r}
        pairs = [("system", {long_text[::-1]!r})]
        Agent(name="x", instructions="Answer in French and keep every reply under fifty words.")
        short = [{{"role": "system", "content": "Be brief."}}]
        """
    ).prompts
    assert {(p.kind, p.name) for p in hits} == {
        ("system-prompt", "instructions"),
        ("system-prompt", '("system", ...)'),
        ("system-prompt", "instructions="),
    }


def test_agent_tool_frameworks() -> None:
    hits = _read(
        """
        from agents import function_tool
        from fastmcp import FastMCP
        mcp = FastMCP("srv")
        @function_tool
        def a(): ...
        @mcp.tool()
        def b(): ...
        def not_a_tool(): ...
        schema = {"name": "c", "description": "d", "input_schema": {}}
        """
    ).tools
    assert {(t.framework, t.name) for t in hits} == {
        ("openai-agents", "a"),
        ("mcp-server", "b"),
        ("anthropic-tools", "c"),
    }


def test_notebook_code_cells_without_line_numbers() -> None:
    notebook = (
        '{"cells": [{"cell_type": "code", "source": ["!pip install x\\n", '
        '"from transformers import pipeline\\n", "pipeline(model=\\"org/nb\\")"]}]}'
    )
    hits = read_notebook(notebook, "n.ipynb")
    assert [h.repo_id for h in hits.hub] == ["org/nb"] and not hits.lines_valid
    assert read_notebook("{not json", "n.ipynb").problem is not None


def test_unparseable_python_is_a_problem() -> None:
    assert read_python("def (:\n", "x.py").problem is not None


def test_hub_id_rules() -> None:
    assert hub_id("org/name") == "org/name"
    assert hub_id("gpt2") == "gpt2"
    assert hub_id("gpt2", allow_single=False) is None
    assert hub_id("imdb", dataset=True) == "imdb"
    assert hub_id("csv", dataset=True) is None
    assert hub_id("ollama/llama3") is None
    assert hub_id("../x/y") is None
    assert [(u.kind, u.repo_id, u.revision) for u in hub_urls(
        "see https://huggingface.co/org/m/resolve/abc123/model.bin and "
        "https://huggingface.co/spaces/org/demo"
    )] == [("model", "org/m", "abc123")]  # fmt: skip


def test_yaml_and_json_configs() -> None:
    yaml_hits = scan_yaml(
        "model:\n  name: org/nested\n  revision: v3\nbase_model: 'org/quoted'  # c\n"
        "model_name: gpt-4o\n"
    ).hub
    assert {(h.repo_id, h.revision, h.line) for h in yaml_hits} == {
        ("org/nested", "v3", 2),
        ("org/quoted", None, 4),
    }
    json_hits = scan_json(
        '{"datasets": ["org/d1", {"path": "org/d2"}], "model_name_or_path": "org/m",'
        ' "revision": "r1", "note": "org/not-a-key"}',
        "train.json",
    ).hub
    assert {(h.kind, h.repo_id, h.revision) for h in json_hits} == {
        ("dataset", "org/d1", None),
        ("dataset", "org/d2", None),
        ("model", "org/m", "r1"),
    }
    assert scan_json("[" * 100_000, "deep.json").hub == []  # hostile nesting is harmless


def test_model_server_images_in_compose_files() -> None:
    services = scan_yaml(
        "services:\n  llm:\n    image: vllm/vllm-openai:v0.6.0\n"
        "  ollama:\n    image: 'ollama/ollama:latest'\n  db:\n    image: postgres:16\n"
    ).services
    assert {(s.provider, s.line) for s in services} == {("vllm", 3), ("ollama", 5)}


def test_trust_remote_code_is_recorded() -> None:
    hits = _read(
        "from transformers import AutoModel\n"
        "AutoModel.from_pretrained('org/a', trust_remote_code=True)\n"
        "AutoModel.from_pretrained('org/b', trust_remote_code=False)\n"
    ).hub
    assert {(h.repo_id, h.remote_code) for h in hits} == {("org/a", True), ("org/b", False)}


def test_mcp_config_with_comments_and_trailing_commas() -> None:
    text = (
        '{\n  // editor settings\n  "servers": {\n    /* remote */ "docs": '
        '{"url": "https://docs.example.com/mcp", },\n  },\n}\n'
    )
    (server,) = mcp_servers(text, ".vscode/mcp.json")
    assert (server.name, server.url, server.source.line) == (
        "docs",
        "https://docs.example.com/mcp",
        4,
    )


def test_mcp_config_shapes() -> None:
    vscode = '{"mcp": {"servers": {"a": {"command": "node", "args": ["s.js"]}}}}'
    assert [s.name for s in mcp_servers(vscode, ".vscode/settings.json")] == ["a"]
    assert mcp_servers('{"servers": {"a": {"command": "x"}}}', "other.json") == []
    assert mcp_servers("{broken", ".mcp.json") == []


def test_argument_redaction_and_launched_packages() -> None:
    assert redact_args(
        ["--token=abc", "--password", "hunter2", "ghp_0123456789abcdef", "postgres://u:p@db/x"]
    ) == ["--token=<redacted>", "--password", "<redacted>", "<redacted>", "postgres://db/x"]
    assert launched_package("npx", ["-y", "some-server"]) == "pkg:npm/some-server"
    assert launched_package("/usr/bin/uvx", ["--from", "x", "pkg==1.2"]) == "pkg:pypi/pkg@1.2"
    assert launched_package("pipx", ["run", "Tool_Name"]) == "pkg:pypi/tool-name"
    assert (
        launched_package("docker", ["run", "-i", "--rm", "-e", "T", "ghcr.io/github/srv:v1"])
        == "pkg:docker/github/srv@v1?repository_url=ghcr.io"
    )
    assert launched_package("python", ["server.py"]) is None


def test_endpoint_helpers() -> None:
    assert provider_for_url("https://x.openai.azure.com/openai") == "azure-openai"
    assert provider_for_url("http://gpu-box:11434") == "ollama"
    assert provider_for_url("https://example.com") is None
    assert zone_for_url("http://ollama:11434", "external") == "local"
    assert zone_for_url("https://api.openai.com", "external") == "external"
    assert clean_url("https://user:pw@host:8443/p?key=1#f") == "https://host:8443/p"
    assert clean_url("not a url") == ""
