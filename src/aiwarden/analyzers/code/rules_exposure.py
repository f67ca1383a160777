"""Exposure rules: public Gradio/Streamlit apps, AI control planes and dev servers, tar extraction.

``AIW-PY013`` public Gradio/Streamlit exposure, ``AIW-PY014`` Ray/uvicorn/Flask/Jupyter
bound to all interfaces or run in debug mode, and ``AIW-PY020`` unsafe archive
extraction.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code import _servers as servers
from aiwarden.analyzers.code._rules_meta import (
    ARCHIVE_EXTRACTION,
    CONTROL_PLANE,
    PUBLIC_DEMO,
)
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity

__all__ = ["ARCHIVE_EXTRACTION", "CONTROL_PLANE", "PUBLIC_DEMO", "ExposureChecker"]


_UNSAFE_FILTERS: Final = frozenset({"fully_trusted"})
_ZIP_SUFFIXES: Final = (".zip", ".whl", ".jar", ".egg")


class ExposureChecker(Checker):
    """Reports AIW-PY013, AIW-PY014 and AIW-PY020."""

    rules: ClassVar[tuple[Rule, ...]] = (PUBLIC_DEMO, CONTROL_PLANE, ARCHIVE_EXTRACTION)

    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield one issue per offending call, assignment or config mapping."""
        roots = kit.imported_roots(ctx)
        tar_state = _TarState(ctx, roots)
        for call in ctx.calls():
            yield from _server_issues(ctx, call, roots)
            issue = tar_state.issue(call)
            if issue is not None:
                yield issue
        yield from _assignment_issues(ctx)
        for mapping in ctx.nodes(ast.Dict):
            items = dict(kit.dict_items(mapping))
            value = items.get("server.address", items.get("server_address"))
            if value is not None and servers.public_host(ctx, value):
                yield ctx.issue(
                    PUBLIC_DEMO,
                    mapping,
                    "Streamlit `server.address` is set to all interfaces.",
                    severity=Severity.MEDIUM,
                )


def _server_issues(
    ctx: ModuleContext, call: ast.Call, roots: frozenset[str]
) -> Iterator[CodeIssue]:
    names = ctx.call_names(call)
    demo = servers.gradio_launch(ctx, call, "gradio" in roots) or servers.streamlit_address(
        ctx, call
    )
    if demo is not None:
        message, severity, confidence = demo
        yield ctx.issue(PUBLIC_DEMO, call, message, severity=severity, confidence=confidence)
        return
    plane = (
        servers.ray_public(ctx, call, names)
        or servers.uvicorn_public(ctx, call, names, servers.is_ai_file(roots))
        or servers.dev_server(ctx, call, bool(roots & {"flask", "quart"}))
    )
    if plane is not None:
        message, severity, confidence = plane
        yield ctx.issue(CONTROL_PLANE, call, message, severity=severity, confidence=confidence)


def _assignment_issues(ctx: ModuleContext) -> Iterator[CodeIssue]:
    for assign in ctx.nodes(ast.Assign):
        jupyter = servers.jupyter_setting(ctx, assign)
        if jupyter is not None:
            message, severity, confidence = jupyter
            yield ctx.issue(
                CONTROL_PLANE, assign, message, severity=severity, confidence=confidence
            )
        env = servers.env_address(ctx, assign)
        if env is not None:
            message, severity, confidence = env
            yield ctx.issue(PUBLIC_DEMO, assign, message, severity=severity, confidence=confidence)


class _TarState:
    """What the module says about tar extraction (imports, a global extraction filter)."""

    def __init__(self, ctx: ModuleContext, roots: frozenset[str]) -> None:
        self.ctx = ctx
        self.tar_file = "tarfile" in roots
        self.zip_file = bool(roots & {"zipfile", "py7zr", "rarfile", "zipfile36"})
        self.global_filter = any(
            isinstance(t, ast.Attribute) and t.attr == "extraction_filter"
            for assign in ctx.nodes(ast.Assign)
            for t in assign.targets
        )

    def issue(self, call: ast.Call) -> CodeIssue | None:
        """The AIW-PY020 issue for ``call``, if it extracts an archive unsafely."""
        if self.global_filter:
            return None
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in {"extractall", "extract"}:
            return self._tar_extract(call, func)
        if "shutil.unpack_archive" in self.ctx.call_names(call):
            return self._unpack_archive(call)
        return None

    def _tar_extract(self, call: ast.Call, func: ast.Attribute) -> CodeIssue | None:
        ctx = self.ctx
        receiver = ctx.qualnames(func.value)
        known = any(n.startswith("tarfile.") for n in receiver)
        if not known:
            text = kit.identifier_text(func.value).lower()
            guess = self.tar_file and (not self.zip_file or "tar" in text)
            if receiver or not guess:
                return None
        if not _unfiltered(ctx, call):
            return None
        if func.attr == "extractall":
            members = ctx.argument(call, "members", 1)
            if members is not None and not _all_members(ctx, members):
                return None
        return ctx.issue(
            ARCHIVE_EXTRACTION,
            call,
            f"`{kit.short(ctx, func, 50)}` without a safe `filter=`: a crafted archive can "
            "write outside the destination (absolute paths, `..`, links).",
            confidence=Confidence.HIGH if known else Confidence.MEDIUM,
        )

    def _unpack_archive(self, call: ast.Call) -> CodeIssue | None:
        ctx = self.ctx
        if not _unfiltered(ctx, call):
            return None
        archive_format = kit.constant_str(ctx, ctx.argument(call, "format", 2))
        filename = kit.constant_str(ctx, ctx.argument(call, "filename", 0))
        if archive_format == "zip" or (
            archive_format is None and filename and filename.lower().endswith(_ZIP_SUFFIXES)
        ):
            return None
        certain = archive_format is not None or filename is not None
        return ctx.issue(
            ARCHIVE_EXTRACTION,
            call,
            "`shutil.unpack_archive` without `filter=` extracts tar members unchecked "
            "(absolute paths, `..`, links).",
            confidence=Confidence.HIGH if certain else Confidence.MEDIUM,
        )


def _unfiltered(ctx: ModuleContext, call: ast.Call) -> bool:
    value = kit.keyword(call, "filter")
    if value is None:
        return not kit.unpacked_may_set(ctx, call, "filter")
    if ctx.is_false(value):
        return True
    text = kit.constant_str(ctx, value)
    if text is not None:
        return text in _UNSAFE_FILTERS
    return any(kit.split(n)[1] == "fully_trusted_filter" for n in ctx.qualnames(value))


def _all_members(ctx: ModuleContext, members: ast.expr) -> bool:
    """True when ``members`` is every member anyway (``None``, ``tar.getmembers()``)."""
    if ctx.is_false(members) and ctx.constant(members) is None:
        return True
    return (
        isinstance(members, ast.Call)
        and isinstance(members.func, ast.Attribute)
        and members.func.attr == "getmembers"
    )
