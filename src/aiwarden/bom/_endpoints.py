"""AI service providers: their default endpoints, and how far away an endpoint is.

Trust zones used in the BOM (``trustZone`` of a CycloneDX service):

* ``external``: a third-party API on the internet (OpenAI, Anthropic, Gemini...);
  prompts and completions cross the organisation's trust boundary.
* ``cloud-tenant``: a model service inside the user's own cloud account (Bedrock,
  Azure OpenAI, Vertex AI); it still leaves the application's network.
* ``local``: a server on the same host or a private network (Ollama, vLLM, llama.cpp,
  LM Studio, a self-hosted TGI); no data leaves the organisation.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Provider:
    """A provider's display name, default endpoint (may be empty) and trust zone."""

    key: str
    name: str
    endpoint: str
    zone: str


PROVIDERS: Final = {
    p.key: p
    for p in (
        Provider("openai", "OpenAI API", "https://api.openai.com/v1", "external"),
        Provider("azure-openai", "Azure OpenAI", "", "cloud-tenant"),
        Provider("anthropic", "Anthropic API", "https://api.anthropic.com", "external"),
        Provider(
            "google-gemini",
            "Google Gemini API",
            "https://generativelanguage.googleapis.com",
            "external",
        ),
        Provider("google-vertex-ai", "Google Vertex AI", "", "cloud-tenant"),
        Provider("aws-bedrock", "Amazon Bedrock", "", "cloud-tenant"),
        Provider(
            "huggingface-inference",
            "Hugging Face Inference",
            "https://router.huggingface.co",
            "external",
        ),
        Provider("ollama", "Ollama", "http://localhost:11434", "local"),
        Provider("mistral", "Mistral AI API", "https://api.mistral.ai", "external"),
        Provider("cohere", "Cohere API", "https://api.cohere.com", "external"),
        Provider("groq", "Groq API", "https://api.groq.com", "external"),
        Provider("together", "Together AI API", "https://api.together.xyz", "external"),
        Provider("openrouter", "OpenRouter", "https://openrouter.ai/api/v1", "external"),
        Provider("deepseek", "DeepSeek API", "https://api.deepseek.com", "external"),
        Provider("litellm", "LiteLLM (provider chosen by model name)", "", "external"),
        Provider("vllm", "vLLM server", "http://localhost:8000/v1", "local"),
        Provider("tgi", "Text Generation Inference server", "http://localhost:8080", "local"),
        Provider("localai", "LocalAI server", "http://localhost:8080", "local"),
        Provider("llama-cpp", "llama.cpp server", "http://localhost:8080", "local"),
        Provider("triton", "NVIDIA Triton Inference Server", "http://localhost:8000", "local"),
        Provider("openai-compatible", "OpenAI-compatible server", "", "external"),
    )
}

_HOSTS: Final = (
    (re.compile(r"(^|\.)api\.openai\.com$"), "openai"),
    (re.compile(r"\.openai\.azure\.com$|\.cognitiveservices\.azure\.com$"), "azure-openai"),
    (re.compile(r"\.services\.ai\.azure\.com$|\.inference\.ai\.azure\.com$"), "azure-openai"),
    (re.compile(r"(^|\.)api\.anthropic\.com$"), "anthropic"),
    (re.compile(r"^generativelanguage\.googleapis\.com$"), "google-gemini"),
    (re.compile(r"aiplatform\.googleapis\.com$"), "google-vertex-ai"),
    (re.compile(r"^bedrock(-runtime|-agent-runtime|-agent)?[.-].*amazonaws\.com$"), "aws-bedrock"),
    (
        re.compile(r"^(api-inference|router)\.huggingface\.co$|\.endpoints\.huggingface\.cloud$"),
        "huggingface-inference",
    ),
    (re.compile(r"^api\.mistral\.ai$"), "mistral"),
    (re.compile(r"^api\.cohere\.(ai|com)$"), "cohere"),
    (re.compile(r"^api\.groq\.com$"), "groq"),
    (re.compile(r"^api\.together\.(xyz|ai)$"), "together"),
    (re.compile(r"^openrouter\.ai$"), "openrouter"),
    (re.compile(r"^api\.deepseek\.com$"), "deepseek"),
)
SERVING_IMAGES: Final = (
    (re.compile(r"(^|/)ollama/ollama(:|@|$)"), "ollama"),
    (re.compile(r"(^|/)vllm/vllm-openai(:|@|$)"), "vllm"),
    (re.compile(r"huggingface/text-generation-inference(:|@|$)"), "tgi"),
    (re.compile(r"(^|/)localai/localai(:|@|$)"), "localai"),
    (re.compile(r"(ggerganov|ggml-org)/llama\.cpp(:|@|$)"), "llama-cpp"),
    (re.compile(r"nvidia/tritonserver(:|@|$)"), "triton"),
)
"""Container images of model servers (docker-compose, Kubernetes manifests)."""
_LOCAL_NAMES: Final = frozenset({"localhost", "host.docker.internal", "ollama", "vllm"})
URL_PATTERN: Final = re.compile(r"https?://[A-Za-z0-9.\-_\[\]:]{1,255}(?:/[^\s\"'<>`]{0,200})?")


def provider_for_url(url: str) -> str | None:
    """The provider whose API ``url`` points at (``ollama`` for port 11434), else None."""
    host, port = _host_port(url)
    if not host:
        return None
    for pattern, key in _HOSTS:
        if pattern.search(host):
            return key
    if port == 11434:
        return "ollama"
    return None


def zone_for_url(url: str, default: str) -> str:
    """``local`` for a loopback, private-network or single-label host; else ``default``."""
    host, _port = _host_port(url)
    if not host:
        return default
    if host in _LOCAL_NAMES or host.endswith((".local", ".internal", ".svc", ".lan")):
        return "local"
    if "." not in host:
        return "local"  # a single-label name: a container or LAN host
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return default
    return "local" if address.is_private or address.is_loopback else default


def clean_url(url: str) -> str:
    """``url`` without user info, query or fragment (they can hold credentials)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if not parts.scheme or not parts.hostname:
        return ""
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    try:
        port = parts.port
    except ValueError:
        return ""
    if port is not None:
        netloc = f"{netloc}:{port}"
    return f"{parts.scheme}://{netloc}{parts.path}".rstrip("/")


def _host_port(url: str) -> tuple[str, int | None]:
    try:
        parts = urlsplit(url)
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None
