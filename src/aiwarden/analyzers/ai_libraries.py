"""Names that mark code or a project as AI: one table for every part of aiwarden.

The code rules (an AI control plane bound to all interfaces), the dependency rules (an
AI package left unpinned) and the assessment's project profile all need to know which
libraries are "AI"; they read it here, so the three cannot drift apart. Plain data: no
imports, cheap to load.
"""

from __future__ import annotations

from typing import Final

HOSTED_LLM_PACKAGES: Final = frozenset(
    {
        "openai",
        "anthropic",
        "google-generativeai",
        "google-genai",
        "cohere",
        "mistralai",
        "groq",
        "together",
        "replicate",
        "litellm",
        "langchain-openai",
        "langchain-anthropic",
        "langchain-google-genai",
        "langchain-mistralai",
        "azure-ai-inference",
        "voyageai",
    }
)
"""PyPI names (PEP 503) of SDKs that send prompts to a hosted model."""

HOSTED_LLM_MODULES: Final = (
    "openai",
    "anthropic",
    "google.generativeai",
    "google.genai",
    "cohere",
    "mistralai",
    "groq",
    "litellm",
    "langchain_openai",
    "langchain_anthropic",
    "replicate",
)
"""Import names (module prefixes) of those SDKs."""

AI_IMPORT_ROOTS: Final = frozenset(
    {
        "torch",
        "tensorflow",
        "keras",
        "jax",
        "transformers",
        "sentence_transformers",
        "diffusers",
        "huggingface_hub",
        "safetensors",
        "onnxruntime",
        "sklearn",
        "xgboost",
        "lightgbm",
        "joblib",
        "llama_cpp",
        "vllm",
        "ray",
        "mlflow",
        "triton",
        "tritonclient",
        "openai",
        "anthropic",
        "cohere",
        "mistralai",
        "groq",
        "replicate",
        "langchain",
        "langchain_core",
        "langchain_openai",
        "langchain_anthropic",
        "langchain_community",
        "llama_index",
        "litellm",
        "ollama",
        "mcp",
    }
)
"""Top-level import names of ML and LLM libraries: a module importing one is AI code.
Every hosted-LLM SDK's root is here too, except the ``google`` namespace, which holds far
more than AI (a test keeps the two tables in step)."""
