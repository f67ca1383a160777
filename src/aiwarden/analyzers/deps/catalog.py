"""Curated package lists behind AIW-SCA002, 005, 006 and 007 (names normalised).

Kept small and sourced: each end-of-life entry says why and where that is stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from aiwarden.analyzers.ai_libraries import HOSTED_LLM_PACKAGES

AI_PACKAGES: frozenset[str] = (
    frozenset(
        [
            "torch",
            "torchvision",
            "torchaudio",
            "tensorflow",
            "tensorflow-cpu",
            "tensorflow-gpu",
            "tf-keras",
            "keras",
            "jax",
            "jaxlib",
            "flax",
            "transformers",
            "tokenizers",
            "safetensors",
            "accelerate",
            "datasets",
            "diffusers",
            "peft",
            "trl",
            "sentence-transformers",
            "huggingface-hub",
            "timm",
            "onnx",
            "onnxruntime",
            "onnxruntime-gpu",
            "optimum",
            "bitsandbytes",
            "xformers",
            "auto-gptq",
            "ctransformers",
            "gpt4all",
            "llama-cpp-python",
            "vllm",
            "sglang",
            "ollama",
            "langchain",
            "langchain-core",
            "langchain-community",
            "langchain-experimental",
            "langchain-text-splitters",
            "langgraph",
            "llama-index",
            "llama-index-core",
            "gpt-index",
            "semantic-kernel",
            "pyautogen",
            "autogen-agentchat",
            "crewai",
            "haystack-ai",
            "farm-haystack",
            "dspy",
            "dspy-ai",
            "guidance",
            "instructor",
            "outlines",
            "smolagents",
            "openai-agents",
            "pydantic-ai",
            "chromadb",
            "faiss-cpu",
            "faiss-gpu",
            "pinecone",
            "pinecone-client",
            "weaviate-client",
            "qdrant-client",
            "pymilvus",
            "lancedb",
            "mlflow",
            "ray",
            "gradio",
            "langflow",
            "bentoml",
            "torchserve",
            "tritonclient",
            "mcp",
            "fastmcp",
            "scikit-learn",
            "xgboost",
            "lightgbm",
            "catboost",
            "spacy",
        ]
    )
    | HOSTED_LLM_PACKAGES
)
"""PyPI packages whose version matters most for an AI system's security (the hosted-LLM
SDKs come from :mod:`aiwarden.analyzers.ai_libraries`)."""

NPM_AI_PACKAGES: frozenset[str] = frozenset(
    [
        "openai",
        "@anthropic-ai/sdk",
        "@google/generative-ai",
        "@google/genai",
        "ai",
        "langchain",
        "@langchain/core",
        "@langchain/community",
        "@langchain/openai",
        "llamaindex",
        "ollama",
        "@huggingface/inference",
        "@xenova/transformers",
        "@huggingface/transformers",
        "@mistralai/mistralai",
        "cohere-ai",
    ]
)

CONDA_TO_PYPI = {"pytorch": "torch", "py-xgboost": "xgboost", "pytorch-cpu": "torch"}
"""conda package names that differ from the PyPI project they package."""

_MCP_NPM = re.compile(r"^@modelcontextprotocol/|^mcp-remote$|(^|[/-])mcp([-/]|$)|-mcp$")


def is_mcp_npm(name: str) -> bool:
    """True for npm MCP servers, proxies and SDKs (``@modelcontextprotocol/*``,
    ``mcp-remote``, ``@playwright/mcp``, ``*-mcp``, ``mcp-server-*``)."""
    return bool(_MCP_NPM.search(name.lower()))


@dataclass(frozen=True, slots=True)
class EndOfLife:
    """An unmaintained component: all versions, or versions below ``below``."""

    reason: str
    successor: str
    source: str
    below: str | None = None

    def applies(self, version: str | None) -> bool:
        """True if ``version`` is covered (an unknown version is covered only when all are)."""
        if self.below is None:
            return True
        if version is None:
            return False
        try:
            return Version(version) < Version(self.below)
        except InvalidVersion:
            return False


END_OF_LIFE: dict[str, EndOfLife] = {
    "torchserve": EndOfLife(
        "TorchServe is in limited maintenance: no planned updates, bug fixes or security patches",
        "a maintained server (vLLM, Triton Inference Server, KServe, or a custom service)",
        "https://github.com/pytorch/serve",
    ),
    "nbdefense": EndOfLife(
        "NB Defense is no longer developed (last release 1.0.5; repository inactive since 2024)",
        "aiwarden's notebook checks or another maintained scanner",
        "https://github.com/protectai/nbdefense",
    ),
    "tensorflow-gpu": EndOfLife(
        "tensorflow-gpu stopped being updated after TensorFlow 2.11 (GPU support is in tensorflow)",
        "tensorflow (with the and-cuda extra on Linux)",
        "https://pypi.org/project/tensorflow-gpu/",
    ),
    "farm-haystack": EndOfLife(
        "Haystack 1.x (farm-haystack) is superseded by Haystack 2.x and no longer developed",
        "haystack-ai",
        "https://haystack.deepset.ai/",
    ),
    "gpt-index": EndOfLife(
        "gpt-index is the pre-rename name of LlamaIndex and receives no updates",
        "llama-index",
        "https://pypi.org/project/gpt-index/",
    ),
    "pinecone-client": EndOfLife(
        "pinecone-client was renamed to pinecone and is no longer updated",
        "pinecone",
        "https://pypi.org/project/pinecone-client/",
    ),
    "torch": EndOfLife(
        "PyTorch 1.x receives no fixes (the last 1.x release was 1.13.1, December 2022)",
        "torch 2.6 or later (weights_only=True by default in torch.load)",
        "https://github.com/pytorch/pytorch/releases",
        below="2.0",
    ),
    "langchain": EndOfLife(
        "LangChain 0.0.x is unsupported and carries several code-execution advisories",
        "a current langchain release (0.3 or later) with langchain-community",
        "https://python.langchain.com/docs/versions/release_policy/",
        below="0.1.0",
    ),
    "openai": EndOfLife(
        "the OpenAI Python SDK 0.x is no longer maintained since 1.0 (November 2023)",
        "openai 1.x",
        "https://github.com/openai/openai-python/discussions/742",
        below="1.0.0",
    ),
}

_JUPYTER = "a Jupyter server runs arbitrary code for anyone holding its token (or no token)"
BY_DESIGN: dict[str, str] = {
    "ray": "Ray's dashboard (8265) and Jobs API run code and have no authentication by default",
    "mlflow": "the MLflow tracking server has no authentication unless run with basic-auth",
    "jupyter-server": _JUPYTER,
    "notebook": _JUPYTER,
    "jupyterlab": _JUPYTER,
    "langflow": "Langflow runs user-supplied Python and was exploited when exposed (CVE-2025-3248)",
    "torchserve": "TorchServe's management API (8081) registers models from URLs; keep it private",
    "ollama": "the Ollama server API (11434) has no authentication; do not expose it",
}
