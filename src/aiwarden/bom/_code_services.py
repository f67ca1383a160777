"""AI services that Python code calls: client constructors, module-level API calls, URLs.

A client is matched on the qualified name of its constructor (``openai.OpenAI``,
``langchain_aws.ChatBedrock``...). A constant ``base_url``/``azure_endpoint``/``host``
argument gives the endpoint and moves an OpenAI client to a local or other provider
when it points there (vLLM, LM Studio, OpenRouter). Importing an SDK without calling it
is recorded too, so a client built in a way we do not model is still listed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Final

from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.bom._endpoints import URL_PATTERN, clean_url, provider_for_url
from aiwarden.bom._mcp import looks_secret


@dataclass(frozen=True, slots=True)
class ServiceHit:
    """One place the code talks to an AI service."""

    provider: str
    client: str
    line: int
    endpoint: str | None = None
    model: str | None = None
    dynamic_endpoint: bool = False
    usage: bool = False
    """A call on a client built elsewhere: it names a model but no endpoint."""


_CLIENTS: Final = {
    "openai.OpenAI": "openai",
    "openai.AsyncOpenAI": "openai",
    "openai.AzureOpenAI": "azure-openai",
    "openai.AsyncAzureOpenAI": "azure-openai",
    "anthropic.Anthropic": "anthropic",
    "anthropic.AsyncAnthropic": "anthropic",
    "anthropic.AnthropicBedrock": "aws-bedrock",
    "anthropic.AsyncAnthropicBedrock": "aws-bedrock",
    "anthropic.AnthropicVertex": "google-vertex-ai",
    "anthropic.AsyncAnthropicVertex": "google-vertex-ai",
    "google.genai.Client": "google-gemini",
    "google.generativeai.GenerativeModel": "google-gemini",
    "google.generativeai.configure": "google-gemini",
    "vertexai.init": "google-vertex-ai",
    "vertexai.generative_models.GenerativeModel": "google-vertex-ai",
    "vertexai.preview.generative_models.GenerativeModel": "google-vertex-ai",
    "huggingface_hub.InferenceClient": "huggingface-inference",
    "huggingface_hub.AsyncInferenceClient": "huggingface-inference",
    "ollama.Client": "ollama",
    "ollama.AsyncClient": "ollama",
    "ollama.chat": "ollama",
    "ollama.generate": "ollama",
    "ollama.embed": "ollama",
    "ollama.embeddings": "ollama",
    "mistralai.Mistral": "mistral",
    "mistralai.client.MistralClient": "mistral",
    "cohere.Client": "cohere",
    "cohere.ClientV2": "cohere",
    "cohere.AsyncClient": "cohere",
    "groq.Groq": "groq",
    "groq.AsyncGroq": "groq",
    "together.Together": "together",
    "langchain_openai.ChatOpenAI": "openai",
    "langchain_openai.OpenAI": "openai",
    "langchain_openai.OpenAIEmbeddings": "openai",
    "langchain_openai.AzureChatOpenAI": "azure-openai",
    "langchain_openai.AzureOpenAIEmbeddings": "azure-openai",
    "langchain_anthropic.ChatAnthropic": "anthropic",
    "langchain_google_genai.ChatGoogleGenerativeAI": "google-gemini",
    "langchain_google_genai.GoogleGenerativeAIEmbeddings": "google-gemini",
    "langchain_google_vertexai.ChatVertexAI": "google-vertex-ai",
    "langchain_aws.ChatBedrock": "aws-bedrock",
    "langchain_aws.ChatBedrockConverse": "aws-bedrock",
    "langchain_aws.BedrockLLM": "aws-bedrock",
    "langchain_aws.BedrockEmbeddings": "aws-bedrock",
    "langchain_community.llms.Bedrock": "aws-bedrock",
    "langchain_ollama.ChatOllama": "ollama",
    "langchain_ollama.OllamaLLM": "ollama",
    "langchain_ollama.OllamaEmbeddings": "ollama",
    "langchain_community.llms.Ollama": "ollama",
    "langchain_community.chat_models.ChatOllama": "ollama",
    "langchain_huggingface.HuggingFaceEndpoint": "huggingface-inference",
    "langchain_mistralai.ChatMistralAI": "mistral",
    "langchain_groq.ChatGroq": "groq",
    "langchain_cohere.ChatCohere": "cohere",
    "llama_index.llms.openai.OpenAI": "openai",
    "llama_index.llms.anthropic.Anthropic": "anthropic",
    "llama_index.llms.ollama.Ollama": "ollama",
    "litellm.completion": "litellm",
    "litellm.acompletion": "litellm",
    "litellm.embedding": "litellm",
    "litellm.Router": "litellm",
    "langchain.chat_models.init_chat_model": "litellm",
    "langchain.chat_models.base.init_chat_model": "litellm",
}
_MODEL_PREFIXES: Final = {
    # LiteLLM "provider/model" and LangChain init_chat_model "provider:model" prefixes
    "openai": "openai", "anthropic": "anthropic", "azure": "azure-openai",
    "azure_openai": "azure-openai", "bedrock": "aws-bedrock", "bedrock_converse": "aws-bedrock",
    "gemini": "google-gemini", "google_genai": "google-gemini", "vertex_ai": "google-vertex-ai",
    "google_vertexai": "google-vertex-ai", "ollama": "ollama", "ollama_chat": "ollama",
    "mistral": "mistral", "mistralai": "mistral", "groq": "groq", "together_ai": "together",
    "together": "together", "cohere": "cohere", "deepseek": "deepseek",
    "openrouter": "openrouter", "huggingface": "huggingface-inference",
    "hosted_vllm": "vllm",
}  # fmt: skip
_MODEL_FIRST: Final = frozenset(
    {
        "ollama.chat", "ollama.generate", "ollama.embed", "ollama.embeddings",
        "google.generativeai.GenerativeModel", "vertexai.generative_models.GenerativeModel",
        "vertexai.preview.generative_models.GenerativeModel", "litellm.completion",
        "litellm.acompletion", "litellm.embedding", "langchain.chat_models.init_chat_model",
        "langchain.chat_models.base.init_chat_model",
    }
)  # fmt: skip
"""Calls whose first positional argument is the model name."""
_OPENAI_MODULE_APIS: Final = frozenset(
    {"chat", "completions", "embeddings", "responses", "images", "audio", "moderations"}
    | {"ChatCompletion", "Completion", "Embedding"}
)
_BEDROCK_SERVICES: Final = frozenset(
    {"bedrock-runtime", "bedrock", "bedrock-agent-runtime", "bedrock-agent"}
)
_ENDPOINT_KEYWORDS: Final = (
    "base_url", "api_base", "openai_api_base", "azure_endpoint", "endpoint", "endpoint_url",
    "host", "api_endpoint", "server_url", "inference_server_url",
)  # fmt: skip
_MODEL_KEYWORDS: Final = ("model", "model_name", "model_id", "deployment_name", "azure_deployment")
_SDK_IMPORTS: Final = {
    "openai": "openai",
    "anthropic": "anthropic",
    "google.genai": "google-gemini",
    "google.generativeai": "google-gemini",
    "vertexai": "google-vertex-ai",
    "ollama": "ollama",
    "mistralai": "mistral",
    "cohere": "cohere",
    "groq": "groq",
    "together": "together",
    "litellm": "litellm",
}


def service_hits(ctx: ModuleContext) -> list[ServiceHit]:
    """Clients constructed, module-level API calls, known API URLs and SDK imports."""
    hits: list[ServiceHit] = []
    for call in ctx.calls():
        hit = _call_hit(ctx, call)
        if hit is not None:
            hits.append(hit)
    hits.extend(_url_hits(ctx))
    called = {h.provider for h in hits if not h.usage}
    hits.extend(h for h in _import_hits(ctx) if h.provider not in called)
    return hits


def _call_hit(ctx: ModuleContext, call: ast.Call) -> ServiceHit | None:
    for name in sorted(ctx.call_names(call)):
        provider = _provider_of_call(ctx, call, name)
        if provider is None:
            continue
        if "()." in name:  # a method of a client: only the model it asks for
            client = name.partition("().")[0]
            model = _model(ctx, call)
            return ServiceHit(provider, client, call.lineno, model=model, usage=True)
        return _with_endpoint(ctx, call, ServiceHit(provider, name, call.lineno))
    return None


def _model(ctx: ModuleContext, call: ast.Call, name: str = "") -> str | None:
    """The constant model name a call passes (positionally only where the API takes it
    first: a constructor's first argument is often an API key, never recorded)."""
    for keyword in _MODEL_KEYWORDS:
        position = 0 if keyword == "model" and name in _MODEL_FIRST else None
        value = ctx.constant(ctx.argument(call, keyword, position))
        if isinstance(value, str) and value and not looks_secret(value):
            return value[:200]
    return None


def _provider_of_call(ctx: ModuleContext, call: ast.Call, name: str) -> str | None:
    if name in _CLIENTS:
        return _CLIENTS[name]
    head, sep, _rest = name.partition("().")
    if sep and head in _CLIENTS:  # client.chat.completions.create(model=...)
        return _CLIENTS[head]
    parts = name.split(".")
    if parts[0] == "openai" and len(parts) >= 3 and "()" not in name:
        return "openai" if parts[1] in _OPENAI_MODULE_APIS else None
    if name in ("boto3.client", "boto3.Session().client", "boto3.session.Session().client"):
        service = ctx.constant(ctx.argument(call, "service_name", 0))
        return "aws-bedrock" if service in _BEDROCK_SERVICES else None
    return None


def _with_endpoint(ctx: ModuleContext, call: ast.Call, hit: ServiceHit) -> ServiceHit:
    endpoint, dynamic = None, False
    for keyword in _ENDPOINT_KEYWORDS:
        expr = ctx.argument(call, keyword)
        if expr is None:
            continue
        value = ctx.constant(expr)
        if isinstance(value, str) and clean_url(value):
            endpoint = clean_url(value)
        else:
            dynamic = True
        break
    model = _model(ctx, call, hit.client)
    provider = hit.provider
    if provider == "aws-bedrock" and endpoint is None:
        region = ctx.constant(ctx.argument(call, "region_name"))
        if isinstance(region, str) and region.replace("-", "").isalnum():
            endpoint = f"https://bedrock-runtime.{region}.amazonaws.com"
    if provider == "litellm":
        provider = _provider_from_model(ctx, call, model)
    if endpoint is not None and provider in ("openai", "litellm"):
        provider = provider_for_url(endpoint) or "openai-compatible"
    return ServiceHit(provider, hit.client, hit.line, endpoint, model, dynamic)


def _provider_from_model(ctx: ModuleContext, call: ast.Call, model: str | None) -> str:
    """The provider a LiteLLM or ``init_chat_model`` call reaches, from its model name."""
    declared = ctx.constant(ctx.argument(call, "model_provider"))
    if isinstance(declared, str) and declared in _MODEL_PREFIXES:
        return _MODEL_PREFIXES[declared]
    if model is None:
        return "litellm"
    for separator in ("/", ":"):
        prefix, found, _rest = model.partition(separator)
        if found and prefix in _MODEL_PREFIXES:
            return _MODEL_PREFIXES[prefix]
    if model.startswith(("gpt-", "o1", "o3", "o4", "text-embedding-")):
        return "openai"
    if model.startswith("claude-"):
        return "anthropic"
    return "litellm"


def _url_hits(ctx: ModuleContext) -> list[ServiceHit]:
    hits: list[ServiceHit] = []
    for node in ctx.nodes(ast.Constant):
        if not isinstance(node.value, str) or "://" not in node.value:
            continue
        for match in URL_PATTERN.finditer(node.value[:10_000]):
            provider = provider_for_url(match.group(0))
            endpoint = clean_url(match.group(0))
            if provider is not None and endpoint:
                hits.append(ServiceHit(provider, "url", node.lineno, endpoint))
    return hits


def _import_hits(ctx: ModuleContext) -> list[ServiceHit]:
    hits: list[ServiceHit] = []
    imports: list[tuple[str, int]] = [
        (alias.name, node.lineno) for node in ctx.nodes(ast.Import) for alias in node.names
    ]
    imports += [(node.module or "", node.lineno) for node in ctx.nodes(ast.ImportFrom)]
    for module, line in imports:
        if module:
            for prefix, provider in _SDK_IMPORTS.items():
                if module == prefix or module.startswith(prefix + "."):
                    hits.append(ServiceHit(provider, f"import {module}", line))
    return hits
