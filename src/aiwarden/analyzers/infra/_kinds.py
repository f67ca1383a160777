"""Which AI service an image, command or service name is, and the ports each one listens on."""

from __future__ import annotations

import re
from typing import Final

_IMAGE_KINDS: Final = (
    ("ray", re.compile(r"(^|/)ray(-ml|-llm)?$|rayproject/")),
    ("torchserve", re.compile(r"torchserve")),
    ("ollama", re.compile(r"(^|/)ollama$|ollama/ollama")),
    ("mlflow", re.compile(r"mlflow")),
    ("jupyter", re.compile(r"jupyter|-notebook$")),
    ("vllm", re.compile(r"vllm")),
    ("tgi", re.compile(r"text-generation-inference")),
    ("llamacpp", re.compile(r"llama[.-]?cpp")),
    ("sglang", re.compile(r"sglang")),
    ("gradio", re.compile(r"gradio")),
    ("streamlit", re.compile(r"streamlit")),
    ("langflow", re.compile(r"langflow")),
    ("triton", re.compile(r"tritonserver")),
)
KIND_PORTS: Final[dict[str, frozenset[int]]] = {
    "ray": frozenset({8265, 10001, 6379}),
    "torchserve": frozenset({8080, 8081, 7070, 7071}),
    "ollama": frozenset({11434}),
    "mlflow": frozenset({5000}),
    "jupyter": frozenset({8888}),
    "vllm": frozenset({8000}),
    "tgi": frozenset({80, 8080, 3000}),
    "llamacpp": frozenset({8080, 8000}),
    "sglang": frozenset({30000}),
    "gradio": frozenset({7860}),
    "streamlit": frozenset({8501}),
    "langflow": frozenset({7860}),
    "triton": frozenset({8000, 8001}),
}
PORT_NAMES: Final[dict[int, str]] = {
    8265: "the Ray dashboard and Jobs API",
    10001: "the Ray client server",
    11434: "the Ollama API",
    8888: "Jupyter",
    7860: "a Gradio/Langflow app",
    8501: "a Streamlit app",
    8081: "the TorchServe management API",
    7070: "TorchServe gRPC inference",
    7071: "the TorchServe gRPC management API",
}
"""Ports distinctive enough to report whatever image listens on them."""
METRIC_PORTS: Final[dict[int, str]] = {
    8002: "Triton metrics",
    8082: "TorchServe metrics",
    44217: "Ray metrics",
}
MODEL_SERVERS: Final = frozenset(
    {"vllm", "tgi", "llamacpp", "sglang", "ollama", "torchserve", "triton", "ray"}
)
IMPLICIT_ENTRYPOINTS: Final[dict[str, tuple[str, ...]]] = {
    "vllm": ("vllm", "serve"),
    "tgi": ("text-generation-launcher",),
}
"""What an image's own entrypoint runs when a manifest gives only arguments."""
DANGEROUS_CAPABILITIES: Final = frozenset(
    {"ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "NET_ADMIN"}
)
_NAME_HINT: Final = re.compile(r"vllm|tgi|llm|model|inference|ollama|serv(e|ing)|triton|ray")


def image_kind(image: str | None) -> str | None:
    """The AI service an image reference is (``vllm/vllm-openai:v0.8.5`` → ``vllm``)."""
    if not image:
        return None
    name = image_name(image).lower()
    for kind, pattern in _IMAGE_KINDS:
        if pattern.search(name):
            return kind
    return None


def image_name(image: str) -> str:
    """The repository part of an image reference (no tag, no digest)."""
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


def image_tag(image: str) -> str | None:
    """The tag of an image reference, or None."""
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[colon + 1 :] if colon > slash else None


def name_kind(name: str) -> str | None:
    """The AI service a compose service or Kubernetes object name suggests."""
    lowered = name.lower()
    for kind in KIND_PORTS:
        if kind in lowered:
            return kind
    return None


def looks_like_model_service(name: str) -> bool:
    """True for names such as ``llm-api``, ``model-server``, ``vllm``, ``ray-head``."""
    return _NAME_HINT.search(name.lower()) is not None


def version_below(tag: str | None, fixed: tuple[int, int, int]) -> bool:
    """True if ``tag`` names a release (``0.1.32``, ``v2.2.0-cuda``) older than ``fixed``."""
    if not tag:
        return False
    match = re.match(r"v?(\d+)\.(\d+)(?:\.(\d+))?", tag)
    if match is None:
        return False
    found = (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
    return found < fixed
