"""Jupyter JSON config files (``jupyter_server_config.json``...).

Python configs (``jupyter_*_config.py``) are checked by the Python analyzer (AIW-PY014).
"""

from __future__ import annotations

import json
import re

from aiwarden.analyzers.infra._hits import Hit
from aiwarden.analyzers.infra.rules import JUPYTER_NO_AUTH
from aiwarden.core.severity import Severity


def json_settings(text: str) -> dict[str, tuple[object, int]]:
    """Settings of a Jupyter JSON config; raises ValueError."""
    data = json.loads(text)
    settings: dict[str, tuple[object, int]] = {}
    if not isinstance(data, dict):
        raise ValueError("a Jupyter JSON config is an object")
    for section, values in data.items():
        if isinstance(values, dict):
            for key, value in values.items():
                match = re.search(rf'"{re.escape(str(key))}"\s*:', text)
                line = text.count("\n", 0, match.start()) + 1 if match else 1
                settings[f"{section}.{key}"] = (value, line)
    return settings


def jupyter_hits(settings: dict[str, tuple[object, int]]) -> list[Hit]:
    """Authentication findings for a Jupyter configuration."""
    hits: list[Hit] = []
    password = any(
        key.endswith(("password", "hashed_password")) and value not in ("", None)
        for key, (value, _) in settings.items()
    )
    for key, (value, line) in settings.items():
        attr = key.rsplit(".", 1)[-1]
        found: tuple[str, Severity] | None = None
        if attr == "token" and value == "" and not password:
            found = (
                f"`{key}` is empty and no password is set: the server runs code for anyone.",
                Severity.CRITICAL,
            )
        elif attr == "disable_check_xsrf" and value is True:
            found = f"`{key}` is true: any web page can drive the server.", Severity.HIGH
        elif attr == "allow_origin" and value == "*":
            found = f"`{key}` is '*': requests from any origin are accepted.", Severity.HIGH
        elif attr == "allow_root" and value is True:
            found = f"`{key}` is true: the server may run as root.", Severity.MEDIUM
        if found is not None:
            hits.append(
                Hit(JUPYTER_NO_AUTH, line, found[0], f"iac-jupyter-config:{key}", severity=found[1])
            )
    return hits
