"""Hugging Face Hub rules: ``trust_remote_code`` (AIW-PY003) and unpinned downloads (AIW-PY004)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code._rules_meta import (
    REMOTE_CODE,
    UNPINNED_DOWNLOAD,
)
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence

__all__ = ["REMOTE_CODE", "UNPINNED_DOWNLOAD", "HubChecker"]


_FLAG: Final = "trust_remote_code"
_ENV_FLAG: Final = "HF_DATASETS_TRUST_REMOTE_CODE"
_CLI_FLAGS: Final = ("--trust-remote-code", "--trust_remote_code")
_PROCESS_ROOTS: Final = frozenset({"subprocess", "os", "asyncio", "sh"})
_SHA: Final = r"^[0-9a-f]{40}$"

HF_ROOTS: Final = frozenset(
    {
        "transformers",
        "diffusers",
        "peft",
        "optimum",
        "sentence_transformers",
        "tokenizers",
        "huggingface_hub",
        "timm",
        "trl",
        "setfit",
        "accelerate",
        "auto_gptq",
        "awq",
        "gptqmodel",
        "unsloth",
        "llama_cpp",
        "span_marker",
        "gliner",
        "vllm",
        "adapters",
        "datasets",
        "open_clip",
        "FlagEmbedding",
        "colpali_engine",
        "langchain_huggingface",
    }
)
_ID_KEYWORDS: Final = (
    "pretrained_model_name_or_path",
    "model_id",
    "repo_id",
    "model_name_or_path",
    "model_name",
    "pretrained_model_link_or_path",
    "identifier",
)
_HUB_FUNCTIONS: Final = frozenset(
    {
        "hf_hub_download",
        "snapshot_download",
        "hf_hub_url",
        "cached_download",
        "from_pretrained_keras",
        "from_pretrained_fastai",
    }
)
_PACKAGED_BUILDERS: Final = frozenset(
    {
        "csv",
        "json",
        "parquet",
        "text",
        "arrow",
        "pandas",
        "imagefolder",
        "audiofolder",
        "videofolder",
        "webdataset",
        "sql",
        "generator",
        "xml",
        "spark",
        "cache",
        "pdffolder",
        "numpy",
    }
)


class HubChecker(Checker):
    """Reports AIW-PY003 and AIW-PY004."""

    rules: ClassVar[tuple[Rule, ...]] = (REMOTE_CODE, UNPINNED_DOWNLOAD)

    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield trust_remote_code settings and unpinned hub downloads."""
        hf_file = bool(kit.imported_roots(ctx) & HF_ROOTS)
        for call in ctx.calls():
            yield from _remote_code_in_call(ctx, call)
            issue = _unpinned(ctx, call, hf_file)
            if issue is not None:
                yield issue
        yield from _remote_code_in_dicts(ctx)
        yield from _remote_code_assignments(ctx)


# -- AIW-PY003 -------------------------------------------------------------------


def _flag_issue(
    ctx: ModuleContext, node: ast.AST, value: ast.expr, where: str | kit.Label
) -> CodeIssue | None:
    truth = kit.truth(ctx, value)
    if truth is False:
        return None
    if truth is True:
        return ctx.issue(
            REMOTE_CODE,
            node,
            f"{where} sets `trust_remote_code` to a true value: the repository's Python "
            "code will run in this process.",
        )
    return ctx.issue(
        REMOTE_CODE,
        node,
        f"{where} passes `trust_remote_code={kit.short(ctx, value, 40)}`, which is not "
        "provably False: whoever controls that value can make the repository's code run.",
        confidence=Confidence.MEDIUM,
    )


def _remote_code_in_call(ctx: ModuleContext, call: ast.Call) -> Iterator[CodeIssue]:
    value = kit.keyword(call, _FLAG)
    callee = kit.Label(ctx, call.func, quote=True)
    if value is not None:
        issue = _flag_issue(ctx, call, value, callee)
        if issue is not None:
            yield issue
        return
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "setdefault" and len(call.args) == 2:
        if ctx.constant(call.args[0]) == _FLAG and ctx.is_true(call.args[1]):
            yield ctx.issue(REMOTE_CODE, call, f"{callee} defaults `trust_remote_code` to True.")
        return
    if call.args and _mentions_cli_flag(ctx, call) and _runs_process(ctx, call):
        yield ctx.issue(
            REMOTE_CODE,
            call,
            f"{callee} starts a process with `--trust-remote-code`: the served model's "
            "repository code will run.",
        )


def _runs_process(ctx: ModuleContext, call: ast.Call) -> bool:
    return any(kit.split(n)[0] in _PROCESS_ROOTS for n in ctx.call_names(call))


def _mentions_cli_flag(ctx: ModuleContext, call: ast.Call) -> bool:
    for arg in call.args[:1]:
        for expr in kit.expr_bindings(ctx, arg):
            for node in ast.walk(expr):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and any(flag in node.value for flag in _CLI_FLAGS)
                ):
                    return True
    return False


def _remote_code_in_dicts(ctx: ModuleContext) -> Iterator[CodeIssue]:
    for mapping in ctx.nodes(ast.Dict):
        for key, value in kit.dict_items(mapping):
            if key == _FLAG:
                issue = _flag_issue(ctx, mapping, value, "A keyword mapping")
                if issue is not None:
                    yield issue


def _remote_code_assignments(ctx: ModuleContext) -> Iterator[CodeIssue]:
    for assign in ctx.nodes(ast.Assign):
        for target in assign.targets:
            name = _target_name(ctx, target)
            if name == _FLAG and ctx.is_true(assign.value):
                yield ctx.issue(REMOTE_CODE, assign, "`trust_remote_code` is set to True.")
            elif name == _ENV_FLAG and _env_true(ctx, assign.value):
                yield ctx.issue(
                    REMOTE_CODE,
                    assign,
                    f"`{_ENV_FLAG}` is enabled: datasets will run dataset scripts from the Hub.",
                )


def _target_name(ctx: ModuleContext, target: ast.expr) -> str | None:
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript):
        return kit.constant_str(ctx, target.slice)
    return None


def _env_true(ctx: ModuleContext, value: ast.expr) -> bool:
    constant = ctx.constant(value)
    if isinstance(constant, str):
        return constant.strip().lower() in {"1", "true", "yes", "on"}
    return constant is True


# -- AIW-PY004 -------------------------------------------------------------------


def _unpinned(ctx: ModuleContext, call: ast.Call, hf_file: bool) -> CodeIssue | None:
    target = _download_target(ctx, call, hf_file)
    if target is None:
        return None
    model, known = target
    local_only = kit.keyword(call, "local_files_only")
    if ctx.is_true(local_only):
        return None
    from aiwarden.analyzers.code._hub_ids import IdKind, id_kind  # with the first download

    kind = id_kind(ctx, model)
    if kind in (IdKind.LOCAL, IdKind.OBJECT):
        return None
    problem = _revision_problem(ctx, call)
    if problem is None:
        return None
    confidence = Confidence.HIGH if kind is IdKind.HUB else Confidence.MEDIUM
    if not known or (local_only is not None and not ctx.is_false(local_only)):
        confidence = Confidence.MEDIUM if kind is IdKind.HUB else Confidence.LOW
    return ctx.issue(
        UNPINNED_DOWNLOAD,
        call,
        f"`{kit.short(ctx, call.func, 50)}` loads `{kit.short(ctx, model, 50)}` from the "
        f"Hugging Face Hub {problem}.",
        confidence=confidence,
    )


def _revision_problem(ctx: ModuleContext, call: ast.Call) -> str | None:
    revision = kit.keyword(call, "revision")
    if revision is None or ctx.is_false(revision):
        if revision is None and kit.unpacked_may_set(ctx, call, "revision"):
            return None
        return "without `revision=` pinned to a commit"
    text = kit.constant_str(ctx, revision)
    if text is None or kit.regex(_SHA).match(text):
        return None  # a variable revision gets the benefit of the doubt
    return f"at `revision={text!r}`, a branch, tag or short id that can move"


def _download_target(
    ctx: ModuleContext, call: ast.Call, hf_file: bool
) -> tuple[ast.expr, bool] | None:
    """The model/dataset id argument of a hub download, and whether the API is known."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "from_pretrained":
        receiver = ctx.qualnames(func.value)
        known = any(kit.split(n)[0] in HF_ROOTS for n in receiver)
        if not (known or hf_file):
            return None
        model = _pretrained_id(ctx, call, receiver)
        return (model, known) if model is not None else None
    names = ctx.call_names(call)
    for qualname in sorted(names):
        model = _library_target(ctx, call, qualname)
        if model is not None:
            return model, True
    return None


def _pretrained_id(ctx: ModuleContext, call: ast.Call, receiver: frozenset[str]) -> ast.expr | None:
    if any(kit.split(n)[1].startswith(("PeftModel", "PeftMixedModel")) for n in receiver):
        return ctx.argument(call, "model_id", 1)
    for name in _ID_KEYWORDS:
        value = kit.keyword(call, name)
        if value is not None:
            return value
    return call.args[0] if call.args and not isinstance(call.args[0], ast.Starred) else None


def _library_target(ctx: ModuleContext, call: ast.Call, qualname: str) -> ast.expr | None:
    root, last = kit.split(qualname)
    if root == "transformers" and last == "pipeline":
        return ctx.argument(call, "model", 1)
    if root == "huggingface_hub" and last in _HUB_FUNCTIONS:
        return ctx.argument(call, "repo_id", 0)
    if root == "datasets" and last in {"load_dataset", "load_dataset_builder"}:
        path = ctx.argument(call, "path", 0)
        name = kit.constant_str(ctx, path)
        return None if name is not None and name.lower() in _PACKAGED_BUILDERS else path
    if root == "sentence_transformers" and last in {
        "SentenceTransformer",
        "CrossEncoder",
        "SparseEncoder",
    }:
        return ctx.argument(call, "model_name_or_path", 0) or kit.keyword(call, "model_name")
    if root == "vllm" and last in {"LLM", "EngineArgs", "AsyncEngineArgs"}:
        return ctx.argument(call, "model", 0)
    if root == "timm" and last == "create_model":
        return _timm_target(ctx, call)
    return None


def _timm_target(ctx: ModuleContext, call: ast.Call) -> ast.expr | None:
    if not ctx.is_true(ctx.argument(call, "pretrained", 1)):
        return None
    if kit.keyword(call, "pretrained_cfg_overlay") is not None:
        return None
    name = ctx.argument(call, "model_name", 0)
    text = kit.constant_str(ctx, name)
    if text is not None:
        from aiwarden.analyzers.code._hub_ids import IdKind, constant_kind  # a timm download

        repo = text.split(":", 1)[1] if text.startswith(("hf-hub:", "hf_hub:")) else text
        _, _, revision = repo.partition("@")
        if kit.regex(_SHA).match(revision) or text.startswith("local-dir:"):
            return None
        if constant_kind(repo.partition("@")[0]) is IdKind.LOCAL:
            return None
    return name
