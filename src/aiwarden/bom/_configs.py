"""Hub ids, chat templates, architectures and API URLs in JSON and YAML config files.

JSON is parsed with :mod:`json` and walked with a depth bound. YAML is *not* parsed (no
YAML library is a runtime dependency, and a regex over ``key: value`` lines is enough
for the flat keys that training and serving configs use): a value counts when its key
is a model or dataset key (``model_name_or_path``, ``base_model``, ``dataset_name``...)
and it is an ``org/name`` hub id; a ``revision`` key in the same block pins it. Any
text config is searched for AI API URLs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from aiwarden.bom._code_hub import HubHit
from aiwarden.bom._code_prompts import PromptHit
from aiwarden.bom._code_services import ServiceHit
from aiwarden.bom._endpoints import SERVING_IMAGES, URL_PATTERN, clean_url, provider_for_url
from aiwarden.bom._hubids import hub_id, hub_urls

MAX_DEPTH: Final = 32
MAX_NODES: Final = 200_000
MODEL_KEYS: Final = frozenset(
    {
        "model_name_or_path", "pretrained_model_name_or_path", "model_name", "model_id",
        "model", "base_model", "base_model_name_or_path", "tokenizer_name",
        "tokenizer_name_or_path", "tokenizer", "hub_model_id", "repo_id", "_name_or_path",
        "teacher_model", "reward_model", "embedding_model", "embed_model", "model_repo",
    }
)  # fmt: skip
DATASET_KEYS: Final = frozenset(
    {"dataset_name", "dataset", "dataset_id", "datasets", "train_dataset", "eval_dataset"}
)
_NESTED_ID_KEYS: Final = frozenset({"path", "name", "repo_id", "id"})
_REVISION_KEYS: Final = frozenset({"revision", "model_revision", "dataset_revision"})
_YAML_LINE: Final = re.compile(
    r"^(?P<indent>[ \t]*)(?:-[ \t]+)?[\"']?(?P<key>[\w.-]{1,64})[\"']?[ \t]*:"
    r"[ \t]*(?P<value>[\"']?[^\"'#\s]*[\"']?)[ \t]*(?:#.*)?$"
)


@dataclass(frozen=True, slots=True)
class Architecture:
    """What a Hugging Face ``config.json`` says about the model beside it."""

    architecture: str | None
    family: str | None


@dataclass(slots=True)
class ConfigHits:
    """Everything found in one config file."""

    hub: list[HubHit] = field(default_factory=list)
    prompts: list[PromptHit] = field(default_factory=list)
    services: list[ServiceHit] = field(default_factory=list)
    architecture: Architecture | None = None


def scan_json(text: str, name: str) -> ConfigHits:
    """Hits in a JSON document (an unparseable one yields only URL hits)."""
    hits = ConfigHits(services=url_hits(text))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return hits
    for item in _walk(data):
        _json_item(hits, text, item)
    if name == "tokenizer_config.json" and isinstance(data, dict):
        hits.prompts.extend(_chat_templates(data.get("chat_template")))
    if name == "config.json" and isinstance(data, dict):
        hits.architecture = _architecture(data)
    hits.hub.extend(_url_hub_hits(text))
    return hits


def scan_yaml(text: str) -> ConfigHits:
    """Hits in a YAML document, read line by line (never parsed or constructed)."""
    hits = ConfigHits(services=url_hits(text))
    lines = text.splitlines()
    header = ""
    for number, line in enumerate(lines, start=1):
        match = _YAML_LINE.match(line)
        if match is None:
            continue
        key, value = match.group("key"), match.group("value").strip("\"'")
        if not value:
            header = key
            continue
        if key == "image":
            hits.services.extend(_image_hits(value, number))
            continue
        kind = _kind_for_key(key, header)
        repo = hub_id(value, allow_single=False) if kind else None
        if kind and repo:
            revision = _yaml_revision(lines, number - 1, match.group("indent"))
            hits.hub.append(HubHit(kind, repo, revision, f"config:{key}", number))
    hits.hub.extend(_url_hub_hits(text))
    return hits


def _image_hits(image: str, line: int) -> list[ServiceHit]:
    """A model server started from a container image (``image: vllm/vllm-openai``)."""
    for pattern, provider in SERVING_IMAGES:
        if pattern.search(image):
            return [ServiceHit(provider, f"container image {image[:200]}", line)]
    return []


def url_hits(text: str) -> list[ServiceHit]:
    """AI API URLs in any text: one hit per URL, with its line."""
    hits: list[ServiceHit] = []
    for match in URL_PATTERN.finditer(text):
        provider = provider_for_url(match.group(0))
        endpoint = clean_url(match.group(0))
        if provider is not None and endpoint:
            line = text.count("\n", 0, match.start()) + 1
            hits.append(ServiceHit(provider, "url", line, endpoint))
        if len(hits) >= 1000:
            break
    return hits


def _kind_for_key(key: str, header: str) -> str | None:
    lower = key.lower()
    if lower in MODEL_KEYS:
        return "model"
    if lower in DATASET_KEYS:
        return "dataset"
    if lower in _NESTED_ID_KEYS and header.lower() in DATASET_KEYS:
        return "dataset"
    if lower in _NESTED_ID_KEYS and header.lower() in MODEL_KEYS:
        return "model"
    return None


def _yaml_revision(lines: list[str], index: int, indent: str) -> str | None:
    for other in lines[max(0, index - 8) : index + 9]:
        match = _YAML_LINE.match(other)
        if match and match.group("indent") == indent and match.group("key") in _REVISION_KEYS:
            value = match.group("value").strip("\"'")
            return value or None
    return None


def _walk(data: object) -> Iterator[tuple[str, object, dict[str, object], str]]:
    """``(key, value, mapping, key of the mapping)`` for every item, depth and count bounded.

    A string in a list is yielded with the list's key (``"datasets": ["org/a"]``).
    """
    stack: list[tuple[object, int, str]] = [(data, 0, "")]
    seen = 0
    while stack and seen < MAX_NODES:
        node, depth, parent_key = stack.pop()
        seen += 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, dict):
            for key, value in node.items():
                yield str(key), value, node, parent_key
                stack.append((value, depth + 1, str(key)))
        elif isinstance(node, list):
            for item in node[:10_000]:
                if isinstance(item, str):
                    yield parent_key, item, {}, ""
                else:
                    stack.append((item, depth + 1, parent_key))


def _json_item(
    hits: ConfigHits, text: str, item: tuple[str, object, dict[str, object], str]
) -> None:
    key, value, parent, header = item
    if not isinstance(value, str):
        return
    kind = _kind_for_key(key, header)
    repo = hub_id(value, allow_single=False) if kind else None
    if kind is None or repo is None:
        return
    revision = next(
        (v for k, v in parent.items() if k in _REVISION_KEYS and isinstance(v, str) and v), None
    )
    position = text.find(json.dumps(value))
    line = text.count("\n", 0, position) + 1 if position >= 0 else 0
    hits.hub.append(HubHit(kind, repo, revision, f"config:{key}", line))


def _chat_templates(value: object) -> list[PromptHit]:
    if isinstance(value, str) and value.strip():
        return [PromptHit("chat-template", "chat_template", 0, value)]
    hits = []
    if isinstance(value, list):
        for item in value[:100]:
            if isinstance(item, dict) and isinstance(item.get("template"), str):
                name = item.get("name")
                label = f"chat_template[{name}]" if isinstance(name, str) else "chat_template"
                hits.append(PromptHit("chat-template", label, 0, item["template"]))
    return hits


def _architecture(data: dict[str, object]) -> Architecture | None:
    architectures = data.get("architectures")
    arch = None
    if isinstance(architectures, list) and architectures and isinstance(architectures[0], str):
        arch = architectures[0][:200]
    family = data.get("model_type")
    family = family[:200] if isinstance(family, str) and family else None
    return Architecture(arch, family) if arch or family else None


def _url_hub_hits(text: str) -> list[HubHit]:
    return [HubHit(h.kind, h.repo_id, h.revision, "url", 0) for h in hub_urls(text)]
