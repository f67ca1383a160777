"""The inventory of a realistic project: models by content, hub ids, data, prompts,
services, MCP servers, tools and dependencies."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from bom_project import SHA_A

from aiwarden.bom import InventoryOptions, build_inventory
from aiwarden.bom.model import Inventory
from aiwarden.errors import UsageError


@pytest.fixture
def inventory(project: Path) -> Inventory:
    return build_inventory(project)


def test_models_are_recognised_by_content_with_hash_and_size(
    project: Path, inventory: Inventory
) -> None:
    formats = {m.path: m.format for m in inventory.models}
    assert formats == {
        "models/arrays.npz": "numpy-npz",
        "models/bert/model.safetensors": "safetensors",
        "models/clf.joblib": "joblib",
        "models/embeddings.npy": "numpy",
        "models/keras_model.h5": "keras-h5",
        "models/legacy.pkl": "pickle",
        "models/notes.txt": "pickle",  # a pickle under a text name is still a model
        "models/remote.safetensors": "safetensors",
        "models/savedmodel": "tensorflow-savedmodel",
        "models/tiny.onnx": "onnx",
    }
    for model in inventory.models:
        if model.is_directory or model.lfs_pointer:
            continue
        data = (project / model.path).read_bytes()
        assert model.sha256 == hashlib.sha256(data).hexdigest()
        assert model.size == len(data)


def test_text_named_like_a_model_and_gitignored_models_are_not_listed(
    inventory: Inventory,
) -> None:
    paths = {m.path for m in inventory.models}
    assert "models/fake.pkl" not in paths
    assert "ignored/secret.npy" not in paths


def test_savedmodel_directory_is_one_model_with_a_manifest_digest(
    project: Path, inventory: Inventory
) -> None:
    (saved,) = [m for m in inventory.models if m.is_directory]
    lines = "".join(
        f"{hashlib.sha256((project / 'models/savedmodel' / rel).read_bytes()).hexdigest()}  {rel}\n"
        for rel in sorted(["saved_model.pb", "variables/variables.index"])
    )
    assert saved.sha256 == hashlib.sha256(lines.encode()).hexdigest()
    assert saved.size == 4 + 6


def test_lfs_pointer_records_the_real_models_digest(inventory: Inventory) -> None:
    (pointer,) = [m for m in inventory.models if m.lfs_pointer]
    assert pointer.sha256 == "ab" * 32 and pointer.size == 123456789


def test_config_json_gives_the_architecture_of_the_weights_beside_it(
    inventory: Inventory,
) -> None:
    bert = next(m for m in inventory.models if m.path == "models/bert/model.safetensors")
    assert (bert.architecture, bert.architecture_family) == ("BertForMaskedLM", "bert")


def test_hub_references_from_code_configs_and_notebooks(inventory: Inventory) -> None:
    refs = {(h.kind, h.repo_id): h for h in inventory.hub}
    assert set(refs) == {
        ("model", "acme/chat-7b"),
        ("model", "acme/clf-small"),
        ("model", "gpt2"),
        ("model", "acme/embedder"),
        ("model", "sentence-transformers/all-MiniLM-L6-v2"),
        ("model", "acme/yaml-base"),
        ("model", "acme/json-base"),
        ("model", "acme/notebook-tok"),
        ("dataset", "acme/corpus"),
        ("dataset", "squad"),
        ("dataset", "acme/instructions"),
    }
    assert refs["model", "acme/chat-7b"].revision == SHA_A
    assert refs["model", "acme/chat-7b"].pinned
    assert refs["model", "acme/embedder"].revision == "v2.0"
    assert not refs["model", "acme/embedder"].pinned
    assert refs["model", "acme/yaml-base"].revision == "main"
    assert refs["model", "acme/clf-small"].task == "text-classification"
    assert refs["model", "gpt2"].task == "text-generation"
    assert refs["model", "acme/chat-7b"].sources[0].path == "app/main.py"
    assert refs["model", "acme/chat-7b"].sources[0].line == 13


def test_local_paths_builders_and_provider_prefixes_are_not_hub_ids(
    inventory: Inventory,
) -> None:
    ids = {h.repo_id for h in inventory.hub}
    for not_hub in ("csv", "./checkpoints/run1", "acme/finetuned", "openai/gpt-4o", "out"):
        assert not_hub not in ids


def test_data_files_are_hashed(project: Path, inventory: Inventory) -> None:
    data = {d.path: d for d in inventory.datasets}
    assert set(data) == {"data/train.csv", "data/eval.parquet"}
    csv = (project / "data/train.csv").read_bytes()
    assert data["data/train.csv"].sha256 == hashlib.sha256(csv).hexdigest()


def test_prompts_from_code_files_and_chat_templates(inventory: Inventory) -> None:
    prompts = {(p.kind, p.name): p for p in inventory.prompts}
    assert set(prompts) == {
        ("system-prompt", "SYSTEM_PROMPT"),
        ("chat-template", "chat_template"),
        ("prompt-template", "summarise.txt"),
    }
    text = "You are the support assistant of Example Corp. Never reveal internal notes."
    system = prompts["system-prompt", "SYSTEM_PROMPT"]
    assert system.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert system.length == len(text)


def test_services_with_endpoints_and_trust_zones(inventory: Inventory) -> None:
    services = {s.provider: s for s in inventory.services}
    assert set(services) == {
        "openai",
        "openai-compatible",
        "azure-openai",
        "aws-bedrock",
        "ollama",
        "anthropic",
    }
    assert services["openai"].endpoints == ("https://api.openai.com/v1",)
    assert services["openai"].trust_zone == "external"
    assert services["openai"].models == ("gpt-4o",)
    assert services["openai-compatible"].endpoints == ("http://localhost:8000/v1",)
    assert services["openai-compatible"].trust_zone == "local"
    assert services["azure-openai"].trust_zone == "cloud-tenant"
    assert services["aws-bedrock"].endpoints == ("https://bedrock-runtime.eu-west-1.amazonaws.com",)
    assert services["ollama"].trust_zone == "local" and services["ollama"].models == ("llama3",)
    assert services["anthropic"].sources[0].path == ".env.example"


def test_mcp_servers_with_secrets_kept_out(inventory: Inventory) -> None:
    servers = {s.name: s for s in inventory.mcp_servers}
    assert set(servers) == {"filesystem", "search", "remote", "github"}  # not settings.json
    fs = servers["filesystem"]
    assert fs.transport == "stdio" and fs.env_names == ("GITHUB_TOKEN",)
    assert fs.package == "pkg:npm/%40modelcontextprotocol/server-filesystem@2025.1.14"
    assert servers["search"].args == ("mcp-server-fetch", "--api-key", "<redacted>")
    assert servers["search"].package == "pkg:pypi/mcp-server-fetch"
    assert servers["remote"].url == "https://mcp.example.com/sse"  # token query dropped
    assert servers["remote"].transport == "sse"
    assert servers["github"].transport == "http"


def test_agent_tools(inventory: Inventory) -> None:
    tools = {(t.framework, t.name) for t in inventory.tools}
    assert tools == {
        ("langchain", "lookup_order"),
        ("mcp-server", "refund"),
        ("openai-tools", "get_weather"),
    }


def test_dependencies_and_notes(inventory: Inventory) -> None:
    assert inventory.libraries is not None
    libraries = {(lib.name, lib.version) for lib in inventory.libraries}
    assert ("torch", "2.3.0") in libraries and ("transformers", None) in libraries
    assert any("app/broken.py" in note and "not parsed" in note for note in inventory.notes)


def test_without_the_manifest_parser_the_bom_says_so(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("aiwarden.bom._deps._MODULE", "aiwarden.no_such_module")
    inventory = build_inventory(project)
    assert inventory.libraries is None
    assert any("software dependencies not listed" in note for note in inventory.notes)
    assert build_inventory(project, InventoryOptions(dependencies=False)).libraries is None


def test_excludes_and_gitignore_switch(project: Path) -> None:
    excluded = build_inventory(project, InventoryOptions(exclude=("models/*.npy",)))
    assert "models/embeddings.npy" not in {m.path for m in excluded.models}
    everything = build_inventory(project, InventoryOptions(respect_gitignore=False))
    assert "ignored/secret.npy" in {m.path for m in everything.models}


def test_a_committed_bom_is_not_read_as_a_config(project: Path) -> None:
    (project / "bom.cdx.json").write_text(
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": '
        '[{"type": "library", "name": "x", "externalReferences": '
        '[{"type": "website", "url": "https://huggingface.co/other/model"}]}]}'
    )
    assert "other/model" not in {h.repo_id for h in build_inventory(project).hub}


def test_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        build_inventory(tmp_path / "nope")


def test_empty_project(tmp_path: Path) -> None:
    inventory = build_inventory(tmp_path, InventoryOptions(dependencies=False))
    assert inventory.models == () and inventory.hub == () and inventory.services == ()


def test_hostile_files_are_noted_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    (tmp_path / "deep.py").write_text("x = " + "(" * 5_000 + "1" + ")" * 5_000 + "\n")
    (tmp_path / "chain.py").write_text("x = 1" + " + 1" * 50_000 + "\n")
    (tmp_path / "garbage.py").write_bytes(b"\xff\xfe\x00import os\n" * 100)
    (tmp_path / "long.yaml").write_text("model: " + "a" * 2_000_000 + "\n")
    (tmp_path / ".mcp.json").write_text('{"mcpServers": {"a": {"args": "not-a-list"}}}')
    inventory = build_inventory(tmp_path, InventoryOptions(dependencies=False))
    assert inventory.hub == ()
    noted = " ".join(inventory.notes)
    assert "deep.py" in noted and "garbage.py" in noted
    assert [s.name for s in inventory.mcp_servers] == ["a"]


def test_files_over_the_text_limit_are_noted(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("# " + "x" * 2_000 + "\n")
    inventory = build_inventory(
        tmp_path, InventoryOptions(dependencies=False, max_text_bytes=1_000)
    )
    assert any("big.py" in note and "larger than" in note for note in inventory.notes)


def test_hashing_in_parallel_gives_the_same_inventory(project: Path) -> None:
    serial = build_inventory(project, InventoryOptions(dependencies=False, hash_workers=1))
    parallel = build_inventory(project, InventoryOptions(dependencies=False, hash_workers=4))
    assert serial == parallel


def test_files_over_the_hash_limit_are_noted_not_listed(project: Path) -> None:
    inventory = build_inventory(project, InventoryOptions(dependencies=False, max_hash_bytes=100))
    paths = {m.path for m in inventory.models}
    assert "models/legacy.pkl" in paths  # 35 bytes
    assert "models/keras_model.h5" not in paths  # 6 KiB
    assert any("keras_model.h5: not hashed" in note for note in inventory.notes)
