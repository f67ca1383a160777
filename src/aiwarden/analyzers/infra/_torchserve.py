"""TorchServe ``config.properties`` (Java properties: ``key=value``, ``key: value``)."""

from __future__ import annotations

import re
from typing import Final

from aiwarden.analyzers.infra._hits import Hit
from aiwarden.analyzers.infra.rules import TORCHSERVE_MANAGEMENT

_KEYS: Final = re.compile(
    r"^\s*(inference_address|management_address|metrics_address|model_store|load_models"
    r"|disable_token_authorization|enable_model_api|allowed_urls)\s*[=:]",
    re.MULTILINE,
)
_ANY_HOST: Final = re.compile(r"^(https?://)?(0\.0\.0\.0|\[::\]|::)(:\d+)?/?$")
_WILDCARD_URL: Final = re.compile(r"^\^?(\(?https?\)?\??(s\?)?(:|\\:)//)?\.\*")


def is_torchserve_config(text: str) -> bool:
    """True if a ``config.properties`` holds TorchServe keys."""
    return _KEYS.search(text) is not None


def properties(text: str) -> list[tuple[str, str, int]]:
    """``(key, value, line)`` for each property (continuation lines joined)."""
    out: list[tuple[str, str, int]] = []
    pending: tuple[str, str, int] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if pending is not None:
            key, value, start = pending
            value += line.rstrip("\\")
            pending = (key, value, start) if line.endswith("\\") else None
            if pending is None:
                out.append((key, value, start))
            continue
        if not line or line.startswith(("#", "!")):
            continue
        match = re.match(r"([^=:\s]+)\s*[=:\s]\s*(.*)$", line)
        if match is None:
            continue
        key, value = match.group(1), match.group(2)
        if value.endswith("\\"):
            pending = (key, value[:-1], number)
        else:
            out.append((key, value, number))
    return out


def torchserve_hits(text: str) -> list[Hit]:
    """Management-plane findings for one TorchServe config."""
    hits: list[Hit] = []
    for key, value, line in properties(text):
        lowered = value.strip().lower()
        message: str | None = None
        if key == "management_address" and _ANY_HOST.match(lowered):
            message = (
                "TorchServe management API bound to all interfaces (ShellTorch, CVE-2023-43654)."
            )
        elif key == "disable_token_authorization" and lowered == "true":
            message = "TorchServe token authorization disabled."
        elif key == "enable_model_api" and lowered == "true":
            message = (
                "TorchServe model registration API enabled: model archives (code) can be "
                "registered remotely."
            )
        elif key == "allowed_urls" and any(
            _WILDCARD_URL.match(u.strip()) for u in value.split(",")
        ):
            message = (
                "TorchServe allowed_urls accepts any URL: models can be registered from "
                "anywhere (SSRF)."
            )
        if message is not None:
            hits.append(
                Hit(
                    TORCHSERVE_MANAGEMENT,
                    line,
                    message,
                    f"iac-ts:{key}",
                    evidence=f"{key}={value[:80]}",
                )
            )
    return hits
