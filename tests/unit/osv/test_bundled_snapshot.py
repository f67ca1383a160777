"""The curated snapshot shipped with aiwarden: every record valid, cited and matchable."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from aiwarden.osv.matching import match_all
from aiwarden.osv.store import BundledStore, bundled_records


def _raw_records() -> list[dict[str, object]]:
    folder = resources.files("aiwarden.osv") / "data"
    out: list[dict[str, object]] = []
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            out.extend(json.loads(entry.read_text(encoding="utf-8")))
    return out


def test_every_record_parses_is_marked_curated_and_cites_advisories() -> None:
    raw = _raw_records()
    assert len(bundled_records()) == len(raw) >= 35
    for record in raw:
        specific = record["database_specific"]
        assert isinstance(specific, dict) and specific["aiwarden"]["curated"] is True
        refs = record["references"]
        assert isinstance(refs, list) and refs
        assert all(r["url"].startswith("https://") for r in refs)
        ids = [record["id"], *record["aliases"]]  # type: ignore[misc]
        assert any(str(i).startswith(("CVE-", "GHSA-", "PYSEC-")) for i in ids)
        assert "severity" in record or "severity" in specific, record["id"]


def test_ids_are_unique() -> None:
    ids = [r.id for r in bundled_records()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("ecosystem", "name", "version", "expected"),
    [
        ("PyPI", "torch", "2.5.1", "CVE-2025-32434"),
        ("PyPI", "transformers", "4.47.1", "CVE-2024-11393"),
        ("PyPI", "keras", "2.12.0", "CVE-2024-3660"),
        ("PyPI", "keras", "3.8.0", "CVE-2025-1550"),
        ("PyPI", "langchain", "0.0.131", "CVE-2023-29374"),
        ("PyPI", "langchain-experimental", "0.0.20", "CVE-2024-21513"),
        ("PyPI", "llama-cpp-python", "0.2.71", "CVE-2024-34359"),
        ("PyPI", "vllm", "0.8.4", "CVE-2025-32444"),
        ("PyPI", "mlflow", "2.2.0", "CVE-2023-1177"),
        ("PyPI", "ray", "2.8.0", "CVE-2023-6019"),
        ("PyPI", "gradio", "4.10.0", "CVE-2023-51449"),
        ("PyPI", "langflow", "1.2.0", "CVE-2025-3248"),
        ("PyPI", "bentoml", "1.4.2", "CVE-2025-27520"),
        ("PyPI", "torchserve", "0.8.1", "CVE-2023-43654"),
        ("PyPI", "mcp", "1.9.3", "CVE-2025-53366"),
        ("npm", "mcp-remote", "0.1.15", "CVE-2025-6514"),
        ("npm", "@modelcontextprotocol/inspector", "0.14.0", "CVE-2025-49596"),
        ("npm", "@modelcontextprotocol/server-filesystem", "0.6.2", "CVE-2025-53110"),
    ],
)
def test_the_incidents_of_the_brief_match(
    ecosystem: str, name: str, version: str, expected: str
) -> None:
    store = BundledStore()
    matches = match_all(store.records_for(ecosystem, name), ecosystem, name, version)
    assert any(expected in m.record.ids for m in matches)


@pytest.mark.parametrize(
    ("ecosystem", "name", "version"),
    [
        ("PyPI", "torch", "2.6.0"),
        ("PyPI", "transformers", "4.48.0"),
        ("PyPI", "keras", "3.11.0"),
        ("PyPI", "llama-cpp-python", "0.2.29"),
        ("PyPI", "bentoml", "1.3.3"),
        ("npm", "mcp-remote", "0.1.16"),
        ("npm", "mcp-remote", "0.0.4"),
        ("npm", "@modelcontextprotocol/server-filesystem", "2025.7.1"),
    ],
)
def test_fixed_and_not_yet_affected_versions_do_not_match(
    ecosystem: str, name: str, version: str
) -> None:
    store = BundledStore()
    assert match_all(store.records_for(ecosystem, name), ecosystem, name, version) == []


def test_ray_shadowray_record_is_disputed() -> None:
    ray = [r for r in bundled_records() if "CVE-2023-48022" in r.ids]
    assert len(ray) == 1 and ray[0].disputed and ray[0].curated
