"""The generic-secret reader loads at the first secret-named key, and still finds secrets."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from aiwarden.analyzers.secrets import scanner

_PROBE = textwrap.dedent(
    """
    import json, sys, types
    from aiwarden.analyzers.secrets.scanner import find_secrets
    found = find_secrets({text!r})
    module = sys.modules.get("aiwarden.analyzers.secrets.generic")
    print(json.dumps({{
        "loaded": type(module) is types.ModuleType,
        "ids": [m.pattern_id for m in found],
    }}))
    """
)


def _probe(text: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(text=text)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def test_a_text_without_a_secret_named_key_does_not_load_it() -> None:
    assert _probe("x = torch.relu(y)\n") == {"loaded": False, "ids": []}


def test_a_secret_named_key_loads_it_and_the_secret_is_found() -> None:
    result = _probe('DB_PASSWORD = "q8Zr2LmX9vT4kW7pN3sB"\n')
    assert result == {"loaded": True, "ids": [scanner.GENERIC_ID]}


def test_the_prefilter_alternative_lives_in_the_scanner() -> None:
    assert scanner.GENERIC_HIT.startswith("(?:key|token|secret")
