"""The CycloneDX 1.6 document: schema-valid, ML-BOM parts, stable references."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bom_project import SHA_A

from aiwarden.bom import BomOptions, InventoryOptions, build_inventory, cyclonedx_document
from aiwarden.bom._deps import merge_libraries
from aiwarden.bom.model import HubReference, Inventory, Library, SourceRef

Validate = Callable[[dict[str, Any] | str], None]


@pytest.fixture
def document(project: Path) -> dict[str, Any]:
    return cyclonedx_document(build_inventory(project))


def _component(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in document["components"] if c["name"] == name)


def _service(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in document["services"] if s["name"] == name)


def _props(item: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["value"] for p in item.get("properties", [])}


def test_the_project_bom_validates(document: dict[str, Any], validate_bom: Validate) -> None:
    validate_bom(document)
    assert document["specVersion"] == "1.6"
    assert document["serialNumber"].startswith("urn:uuid:")
    tool = document["metadata"]["tools"]["components"][0]
    assert tool["name"] == "aiwarden" and tool["version"]
    assert document["metadata"]["component"]["name"] == "acme-assistant"


def test_empty_and_minimal_inventories_validate(validate_bom: Validate) -> None:
    validate_bom(cyclonedx_document(Inventory(root_name="empty")))
    validate_bom(cyclonedx_document(Inventory(root_name="x", notes=("a note",)), BomOptions(True)))


def test_model_file_component(document: dict[str, Any], project: Path) -> None:
    model = _component(document, "models/bert/model.safetensors")
    assert model["type"] == "machine-learning-model"
    assert model["hashes"][0]["alg"] == "SHA-256" and len(model["hashes"][0]["content"]) == 64
    assert _props(model)["aiwarden:format"] == "safetensors"
    assert _props(model)["aiwarden:size"] == str((project / model["name"]).stat().st_size)
    assert model["modelCard"]["modelParameters"] == {
        "architectureFamily": "bert",
        "modelArchitecture": "BertForMaskedLM",
    }
    assert model["evidence"]["occurrences"] == [{"location": "models/bert/model.safetensors"}]
    pickle_model = _component(document, "models/legacy.pkl")
    limitation = pickle_model["modelCard"]["considerations"]["technicalLimitations"][0]
    assert "execute" in limitation


def test_hub_model_component(document: dict[str, Any]) -> None:
    pinned = _component(document, "acme/chat-7b")
    assert pinned["purl"] == f"pkg:huggingface/acme/chat-7b@{SHA_A}"
    assert pinned["version"] == SHA_A
    assert "considerations" not in pinned["modelCard"]
    assert pinned["evidence"]["occurrences"] == [{"location": "app/main.py", "line": 13}]
    floating = _component(document, "acme/clf-small")
    assert floating["purl"] == "pkg:huggingface/acme/clf-small"
    assert floating["modelCard"]["modelParameters"] == {"task": "text-classification"}
    assert "Pin a commit" in floating["modelCard"]["considerations"]["technicalLimitations"][0]


def test_data_and_prompt_components(document: dict[str, Any]) -> None:
    data = _component(document, "data/train.csv")
    assert data["type"] == "data" and data["data"][0]["type"] == "dataset"
    hub_data = _component(document, "acme/corpus")
    assert hub_data["data"][0]["contents"]["url"] == "https://huggingface.co/datasets/acme/corpus"
    prompt = _component(document, "app/main.py:SYSTEM_PROMPT")
    assert prompt["data"][0]["type"] == "configuration"
    assert _props(prompt)["aiwarden:asset"] == "system-prompt"
    assert "Never reveal internal notes" not in json.dumps(document)


def test_services_mcp_and_tools(document: dict[str, Any]) -> None:
    openai = _service(document, "OpenAI API")
    assert openai["endpoints"] == ["https://api.openai.com/v1"]
    assert openai["trustZone"] == "external" and openai["x-trust-boundary"] is True
    local = _service(document, "OpenAI-compatible server (localhost:8000)")
    assert local["trustZone"] == "local" and local["x-trust-boundary"] is False
    filesystem = _service(document, "filesystem")
    assert _props(filesystem)["aiwarden:transport"] == "stdio"
    assert "ghp_supersecretvalue" not in json.dumps(document)
    package = next(c for c in document["components"] if c["type"] == "application")
    assert package["purl"] == "pkg:npm/%40modelcontextprotocol/server-filesystem@2025.1.14"
    assert {"ref": filesystem["bom-ref"], "dependsOn": [package["bom-ref"]]} in document[
        "dependencies"
    ]
    tool = _service(document, "lookup_order")
    assert tool["trustZone"] == "in-process" and tool["group"] == "langchain"


def test_libraries_and_dependency_graph(document: dict[str, Any]) -> None:
    torch = _component(document, "torch")
    assert torch["type"] == "library" and torch["purl"] == "pkg:pypi/torch@2.3.0"
    root = document["dependencies"][0]
    assert root["ref"] == document["metadata"]["component"]["bom-ref"]
    listed = {c["bom-ref"] for c in document["components"] if c["type"] != "application"}
    listed |= {s["bom-ref"] for s in document["services"]}
    assert set(root["dependsOn"]) == listed


def test_scoped_npm_and_unknown_dependency_listing(validate_bom: Validate) -> None:
    library = Library("@scope/pkg", "npm", "1.0.0+build", "^1.0.0", SourceRef("package.json", 3))
    document = cyclonedx_document(Inventory(root_name="js", libraries=(library,)))
    validate_bom(document)
    (component,) = document["components"]
    assert (component["group"], component["name"]) == ("@scope", "pkg")
    assert component["purl"] == "pkg:npm/%40scope/pkg@1.0.0%2Bbuild"
    unlisted = cyclonedx_document(Inventory(root_name="x"))
    assert _props(unlisted["metadata"])["aiwarden:dependencies-listed"] == "false"


def test_library_scopes_and_groups(tmp_path: Path, validate_bom: Validate) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\ndependencies = ["openai==1.0.0"]\n'
        '[project.optional-dependencies]\ngpu = ["torch==2.3.0"]\n'
        '[dependency-groups]\ntest = ["pytest==8.0.0", "torch==2.3.0"]\n'
    )
    (tmp_path / "package.json").write_text('{"devDependencies": {"jest": "29.0.0"}}')
    document = cyclonedx_document(build_inventory(tmp_path))
    validate_bom(document)
    scopes = {
        c["name"]: (c["scope"], _props(c).get("aiwarden:group"))
        for c in document["components"]
        if c["type"] == "library"
    }
    assert scopes == {
        "openai": ("required", None),
        "torch": ("optional", "gpu"),  # the widest of its scopes wins
        "pytest": ("excluded", "test"),
        "jest": ("excluded", "devDependencies"),
    }


def test_merged_library_takes_the_widest_scope() -> None:
    source = SourceRef("pyproject.toml")
    dev = Library("x", "pypi", None, "", source, scope="development", group="test")
    runtime = Library("x", "pypi", "1.0", "==1.0", source, locked=True)
    (merged,) = merge_libraries([dev, runtime])
    assert (merged.scope, merged.group, merged.version) == ("runtime", None, "1.0")
    (alone,) = merge_libraries([dev])
    assert (alone.scope, alone.group) == ("development", "test")


def test_bom_refs_are_stable_across_runs(project: Path) -> None:
    first = cyclonedx_document(build_inventory(project))
    second = cyclonedx_document(build_inventory(project))
    refs = [c["bom-ref"] for c in first["components"]]
    assert refs == [c["bom-ref"] for c in second["components"]]
    assert len(set(refs)) == len(refs)
    assert first["serialNumber"] != second["serialNumber"]
    assert "model-file:models/legacy.pkl" in refs


def test_a_changed_model_keeps_its_bom_ref(project: Path) -> None:
    before = _component(cyclonedx_document(build_inventory(project)), "models/legacy.pkl")
    (project / "models/legacy.pkl").write_bytes(b"\x80\x04K\x01.")
    after = _component(cyclonedx_document(build_inventory(project)), "models/legacy.pkl")
    assert before["bom-ref"] == after["bom-ref"] and before["hashes"] != after["hashes"]


def test_reproducible_output_is_byte_identical(project: Path) -> None:
    options = BomOptions(reproducible=True)
    inventory = build_inventory(project, InventoryOptions(dependencies=False))
    first = json.dumps(cyclonedx_document(inventory, options))
    assert first == json.dumps(cyclonedx_document(inventory, options))
    assert "timestamp" not in json.loads(first)["metadata"]
    when = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    stamped = cyclonedx_document(inventory, BomOptions(reproducible=True, timestamp=when))
    assert stamped["metadata"]["timestamp"] == "2024-01-02T00:00:00+00:00"


def test_torch_hub_component(validate_bom: Validate) -> None:
    ref = HubReference(
        "torch-hub", "pytorch/vision", "v0.10.0", (SourceRef("a.py", 3),), ("torch.hub.load:r18",)
    )
    document = cyclonedx_document(Inventory(root_name="x", hub=(ref,)))
    validate_bom(document)
    (component,) = document["components"]
    assert component["purl"] == "pkg:github/pytorch/vision@v0.10.0"
    assert "hubconf.py" in component["modelCard"]["considerations"]["technicalLimitations"][0]
