"""Environment variables that switch AI services into unsafe modes."""

from __future__ import annotations

from typing import Final

from aiwarden.analyzers.infra._hits import Env, EnvVar, Hit
from aiwarden.analyzers.infra._secretish import secret_hit
from aiwarden.analyzers.infra.rules import (
    DEMO_UI_PUBLIC,
    INFERENCE_SERVER,
    JUPYTER_NO_AUTH,
    OLLAMA_EXPOSED,
    TORCHSERVE_MANAGEMENT,
)

_ANY_HOST: Final = ("0.0.0.0", "::", "[::]")  # noqa: S104
_TRUE: Final = frozenset({"true", "1", "yes", "on"})


def _host_any(value: str) -> bool:
    host = value.strip().removeprefix("http://").removeprefix("https://")
    return host.startswith(_ANY_HOST) or host.startswith(":")


def env_hits(env: Env, *, host: bool, where: str) -> list[Hit]:
    """Findings for ``env`` (``host``: the variables apply on a host, not in a container)."""
    hits: list[Hit] = []
    for name, var in env.items():
        hit = _one(name.upper(), var, host=host)
        if hit is None:
            hit = secret_hit(name, var.value, var.line, where)
        if hit is not None:
            hits.append(hit)
    return hits


def _one(name: str, var: EnvVar, *, host: bool) -> Hit | None:
    value = var.value.strip()
    truthy = value.lower() in _TRUE
    if name == "OLLAMA_ORIGINS" and "*" in [v.strip() for v in value.split(",")]:
        return Hit(
            OLLAMA_EXPOSED,
            var.line,
            "OLLAMA_ORIGINS=* lets any web page call the Ollama API from a visitor's browser.",
            "iac-ollama-origins",
        )
    if name == "OLLAMA_HOST" and host and _host_any(value):
        return Hit(
            OLLAMA_EXPOSED,
            var.line,
            "OLLAMA_HOST binds Ollama (no authentication) to every interface of the host.",
            "iac-ollama-host",
        )
    if name == "GRADIO_SHARE" and truthy:
        return Hit(
            DEMO_UI_PUBLIC,
            var.line,
            "GRADIO_SHARE opens a public *.gradio.live tunnel without authentication.",
            "iac-gradio-share",
        )
    if name in ("GRADIO_SERVER_NAME", "STREAMLIT_SERVER_ADDRESS") and host and _host_any(value):
        return Hit(
            DEMO_UI_PUBLIC,
            var.line,
            f"{name} binds the demo UI to every interface of the host.",
            f"iac-ui-host:{name}",
        )
    if name == "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION" and value.lower() == "false":
        return Hit(DEMO_UI_PUBLIC, var.line, "Streamlit XSRF protection disabled.", "iac-st-xsrf")
    if name in ("TS_DISABLE_TOKEN_AUTHORIZATION", "TS_ENABLE_MODEL_API") and truthy:
        return Hit(
            TORCHSERVE_MANAGEMENT,
            var.line,
            f"{name}=true weakens the TorchServe management plane (ShellTorch, CVE-2023-43654).",
            f"iac-torchserve-env:{name}",
        )
    if name == "JUPYTER_TOKEN" and value == "":
        return Hit(
            JUPYTER_NO_AUTH,
            var.line,
            "JUPYTER_TOKEN is set to an empty string: Jupyter starts without authentication.",
            "iac-jupyter-empty-token",
        )
    if name == "TRUST_REMOTE_CODE" and truthy:
        return Hit(
            INFERENCE_SERVER,
            var.line,
            "TRUST_REMOTE_CODE=true: Python from the model repository runs in the server.",
            "iac-remote-code-env",
        )
    return None
