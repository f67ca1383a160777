"""Hugging Face Hub models and datasets that Python code loads.

Loaders are matched on the qualified name :class:`ModuleContext` resolves through
imports (``from transformers import pipeline as p`` still calls
``transformers.pipeline``). ``*.from_pretrained(...)`` is matched on the attribute
alone, since every library (transformers, diffusers, peft, setfit, local wrappers)
uses that name for "load from the hub or a directory". Only constant arguments are
read; a repository id computed at run time is not guessed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Final

from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.bom._hubids import hub_id


@dataclass(frozen=True, slots=True)
class HubHit:
    """One loader call that names a hub repository."""

    kind: str
    repo_id: str
    revision: str | None
    loader: str
    line: int
    task: str | None = None
    remote_code: bool = False


@dataclass(frozen=True, slots=True)
class _Loader:
    kind: str  # "model", "dataset" or "repo" (repo_type decides)
    id_keywords: tuple[str, ...]
    id_position: int | None
    single: bool = True


_PRETRAINED: Final = _Loader(
    "model", ("pretrained_model_name_or_path", "model_name_or_path", "model_id"), 0
)
_PEFT: Final = _Loader("model", ("model_id",), 1)
_REPO: Final = _Loader("repo", ("repo_id",), 0, single=True)
_LOADERS: Final[dict[tuple[str, str], _Loader]] = {
    ("transformers", "pipeline"): _Loader("model", ("model",), 1),
    ("huggingface_hub", "hf_hub_download"): _REPO,
    ("huggingface_hub", "snapshot_download"): _REPO,
    ("huggingface_hub", "hf_hub_url"): _REPO,
    ("huggingface_hub", "InferenceClient"): _Loader("model", ("model",), 0),
    ("huggingface_hub", "AsyncInferenceClient"): _Loader("model", ("model",), 0),
    ("datasets", "load_dataset"): _Loader("dataset", ("path",), 0),
    ("datasets", "load_dataset_builder"): _Loader("dataset", ("path",), 0),
    ("sentence_transformers", "SentenceTransformer"): _Loader("model", ("model_name_or_path",), 0),
    ("sentence_transformers", "CrossEncoder"): _Loader("model", ("model_name_or_path",), 0),
    ("langchain_huggingface", "HuggingFaceEmbeddings"): _Loader("model", ("model_name",), None),
    ("langchain_community", "HuggingFaceEmbeddings"): _Loader("model", ("model_name",), None),
    ("langchain_huggingface", "HuggingFaceEndpoint"): _Loader("model", ("repo_id",), None),
    ("langchain_community", "HuggingFaceEndpoint"): _Loader("model", ("repo_id",), None),
    ("langchain_huggingface", "from_model_id"): _Loader("model", ("model_id",), None),
    ("langchain_community", "from_model_id"): _Loader("model", ("model_id",), None),
    ("vllm", "LLM"): _Loader("model", ("model",), 0),
    ("timm", "create_model"): _Loader("model", ("model_name",), 0, single=False),
    ("open_clip", "create_model_and_transforms"): _Loader("model", ("model_name",), 0, False),
    ("open_clip", "create_model"): _Loader("model", ("model_name",), 0, single=False),
}
_UNBOUND: Final = {
    "hf_hub_download": ("huggingface_hub", "hf_hub_download"),
    "snapshot_download": ("huggingface_hub", "snapshot_download"),
    "load_dataset": ("datasets", "load_dataset"),
    "SentenceTransformer": ("sentence_transformers", "SentenceTransformer"),
    "pipeline": ("transformers", "pipeline"),
}
_SKIPPED_REPO_TYPES: Final = frozenset({"space"})


_TORCH_HUB: Final = re.compile(
    r"^(?P<repo>[A-Za-z0-9][\w.-]{0,99}/[A-Za-z0-9][\w.-]{0,99})(?::(?P<ref>[\w./-]{1,100}))?$"
)


def hub_hits(ctx: ModuleContext) -> list[HubHit]:
    """Every loader call in the module that names a hub repository with a constant."""
    hits: list[HubHit] = []
    for call in ctx.calls():
        if "torch.hub.load" in ctx.call_names(call):
            torch_hit = _torch_hub(ctx, call)
            if torch_hit is not None:
                hits.append(torch_hit)
            continue
        matched = _match(ctx, call)
        if matched is None:
            continue
        loader_name, loader = matched
        hit = _hit(ctx, call, loader_name, loader)
        if hit is not None:
            hits.append(hit)
    return hits


def _torch_hub(ctx: ModuleContext, call: ast.Call) -> HubHit | None:
    """``torch.hub.load("owner/repo[:ref]", "entrypoint")``: a GitHub repository whose
    ``hubconf.py`` runs on load (``source="local"`` loads a directory instead)."""
    if ctx.constant(ctx.argument(call, "source")) == "local":
        return None
    repo = ctx.constant(ctx.argument(call, "repo_or_dir", 0))
    match = _TORCH_HUB.match(repo) if isinstance(repo, str) else None
    if match is None:
        return None
    entry = ctx.constant(ctx.argument(call, "model", 1))
    loader = f"torch.hub.load:{entry}" if isinstance(entry, str) else "torch.hub.load"
    return HubHit("torch-hub", match.group("repo"), match.group("ref"), loader, call.lineno)


def _match(ctx: ModuleContext, call: ast.Call) -> tuple[str, _Loader] | None:
    func = call.func
    names = ctx.call_names(call)
    if isinstance(func, ast.Attribute) and func.attr == "from_pretrained":
        base = next(iter(sorted(names)), "from_pretrained")
        return base, _PEFT if base.startswith("peft.Peft") else _PRETRAINED
    for name in sorted(names):
        parts = name.replace("()", "").split(".")
        key = (parts[0], parts[-1])
        if key in _LOADERS:
            return name, _LOADERS[key]
    if isinstance(func, ast.Name) and not names and func.id in _UNBOUND:
        key = _UNBOUND[func.id]
        return ".".join(key), _LOADERS[key]
    return None


def _hit(ctx: ModuleContext, call: ast.Call, loader_name: str, loader: _Loader) -> HubHit | None:
    kind = loader.kind
    if kind == "repo":
        repo_type = ctx.constant(ctx.argument(call, "repo_type"))
        if repo_type in _SKIPPED_REPO_TYPES:
            return None
        kind = "dataset" if repo_type == "dataset" else "model"
    value = _first_constant(ctx, call, loader)
    if not isinstance(value, str):
        return None
    repo = hub_id(value, allow_single=loader.single, dataset=kind == "dataset")
    if repo is None:
        return None
    revision = ctx.constant(ctx.argument(call, "revision"))
    task = None
    if loader_name.endswith("pipeline"):
        task_value = ctx.constant(ctx.argument(call, "task", 0))
        task = task_value if isinstance(task_value, str) else None
    return HubHit(
        kind=kind,
        repo_id=repo,
        revision=revision if isinstance(revision, str) and revision else None,
        loader=loader_name,
        line=call.lineno,
        task=task,
        remote_code=ctx.is_true(ctx.argument(call, "trust_remote_code")),
    )


def _first_constant(ctx: ModuleContext, call: ast.Call, loader: _Loader) -> object:
    for keyword in loader.id_keywords:
        expr = ctx.argument(call, keyword)
        if expr is not None:
            return ctx.constant(expr)
    if loader.id_position is None:
        return None
    return ctx.constant(ctx.argument(call, "\0", loader.id_position))
