"""Recognising Hugging Face Hub repository ids and hub URLs in strings.

An id is ``org/name`` (or a legacy one-part id such as ``gpt2`` where a loader takes
it). Strings that look like paths (``./model``, ``/abs``, ``a/b/c``, file names with a
model or data suffix) are not ids. ``hf://`` and ``https://huggingface.co/`` URLs name a
repository too, and a ``/resolve/<revision>/`` or ``@<revision>`` part its revision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_PART = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?"
_ID: Final = re.compile(rf"^(?:hf[-_]hub:)?({_PART}(?:/{_PART})?)$")
_FILE_SUFFIXES: Final = (
    ".pt", ".pth", ".bin", ".ckpt", ".pkl", ".pickle", ".joblib", ".safetensors", ".gguf",
    ".onnx", ".h5", ".keras", ".json", ".yaml", ".yml", ".txt", ".csv", ".jsonl", ".parquet",
    ".py", ".npy", ".npz", ".tflite", ".pb", ".zip", ".tar", ".gz", ".model", ".md",
)  # fmt: skip
_NOT_ORGS: Final = frozenset(
    {
        # LiteLLM / LangChain provider prefixes ("openai/gpt-4o" is not a hub repo)
        "openai", "anthropic", "azure", "azure_ai", "bedrock", "vertex_ai", "gemini",
        "ollama", "ollama_chat", "groq", "together_ai", "mistral", "cohere", "deepseek",
        "openrouter", "fireworks_ai", "huggingface", "replicate", "perplexity", "xai",
        "watsonx", "sagemaker", "databricks", "cloudflare", "hosted_vllm", "vllm", "lm_studio",
        # common directory names
        "models", "model", "data", "datasets", "outputs", "output", "checkpoints",
        "checkpoint", "tmp", "src", "tests", "runs", "artifacts", "cache", "weights",
    }
)  # fmt: skip
_BUILDERS: Final = frozenset(
    {
        "csv", "json", "parquet", "text", "arrow", "pandas", "generator", "sql", "webdataset",
        "imagefolder", "audiofolder", "videofolder", "folder_based_builder", "xml", "spark",
    }
)  # fmt: skip
_URL: Final = re.compile(
    r"(?:hf://|https?://(?:www\.)?huggingface\.co/)"
    r"(?P<kind>datasets/|spaces/|models/)?"
    rf"(?P<org>{_PART})/(?P<name>{_PART})"
    r"(?:@(?P<at>[\w.-]{1,96})|/(?:resolve|blob|tree)/(?P<rev>[\w.-]{1,96}))?"
)


@dataclass(frozen=True, slots=True)
class HubId:
    """A repository named in a string: ``kind`` is "model" or "dataset"."""

    kind: str
    repo_id: str
    revision: str | None = None


def hub_id(value: str, *, allow_single: bool = True, dataset: bool = False) -> str | None:
    """``value`` as a hub repository id, or None if it is not one (or looks like a path).

    ``allow_single`` accepts legacy one-part ids: for models only those with a digit or
    a dash (``gpt2``, ``bert-base-uncased``), for datasets any name that is not a
    ``datasets`` builder (``imdb``, but not ``csv``).
    """
    match = _ID.match(value.strip())
    if match is None:
        return None
    repo = match.group(1)
    lower = repo.lower()
    if lower.endswith(_FILE_SUFFIXES) or ".." in repo:
        return None
    if "/" in repo:
        return None if lower.split("/", 1)[0] in _NOT_ORGS else repo
    if not allow_single or lower in _NOT_ORGS:
        return None
    if dataset:
        return None if lower in _BUILDERS else repo
    return repo if any(c.isdigit() or c == "-" for c in repo) else None


def hub_urls(text: str, limit: int = 200) -> list[HubId]:
    """Every ``hf://`` or ``huggingface.co`` repository URL in ``text`` (at most ``limit``)."""
    found: list[HubId] = []
    for match in _URL.finditer(text):
        if match.group("kind") == "spaces/":
            continue
        kind = "dataset" if match.group("kind") == "datasets/" else "model"
        org = match.group("org")
        if org in ("datasets", "spaces", "docs", "api", "blog", "settings", "join", "login"):
            continue
        revision = match.group("at") or match.group("rev")
        found.append(HubId(kind, f"{org}/{match.group('name')}", revision))
        if len(found) >= limit:
            break
    return found
