"""Is a model/dataset argument a Hugging Face Hub id, a local path, or unknown? (``AIW-PY004``)

Only a hub id downloads anything, so local paths must not be reported: constant
strings that start with ``.``, ``/``, ``~``, a drive letter or hold a backslash, have
more than one ``/`` (hub ids are ``name`` or ``owner/name``), end in a file
extension or start with a conventional output directory; path-building expressions
(``os.path.join``, ``pathlib`` ``/``, ``Path(...)``, downloads that return a local
path); and names whose identifiers say they hold a directory (``output_dir``,
``tmpdirname``, ``model_path``). Everything else that is not a constant is unknown.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Iterable
from typing import Final

from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code.context import ModuleContext

_MAX_DEPTH: Final = 6
_HUB_ID = r"^[A-Za-z0-9][\w.\-]*(?:/[\w.\-]+)?$"
_DRIVE = r"^[A-Za-z]:[\\/]"
_FILE_EXTENSIONS: Final = (
    ".bin",
    ".pt",
    ".pth",
    ".safetensors",
    ".json",
    ".gguf",
    ".onnx",
    ".ckpt",
    ".h5",
    ".msgpack",
    ".py",
    ".csv",
    ".tsv",
    ".parquet",
    ".txt",
    ".jsonl",
    ".arrow",
    ".zip",
    ".gz",
    ".tar",
    ".yaml",
    ".yml",
    ".model",
    ".nemo",
)
_LOCAL_DIRS: Final = frozenset(
    {
        "models",
        "model",
        "checkpoints",
        "checkpoint",
        "ckpt",
        "ckpts",
        "output",
        "outputs",
        "out",
        "weights",
        "saved_model",
        "saved_models",
        "results",
        "runs",
        "tmp",
        "cache",
        "local",
        "artifacts",
        "exp",
        "exps",
        "experiments",
        "logs",
        "data",
        "pretrained",
    }
)
_LOCAL_WORDS: Final = (
    "dir",
    "folder",
    "tmp",
    "temp",
    "local",
    "save",
    "output",
    "ckpt",
    "checkpoint",
    "cache",
    "file",
)
_PATH_CALLS: Final = frozenset(
    {
        "os.path",
        "pathlib",
        "tempfile",
        "huggingface_hub.hf_hub_download",
        "huggingface_hub.snapshot_download",
        "os.getcwd",
        "os.fspath",
    }
)
_UNKNOWN_CALLS: Final = frozenset({"get", "getenv", "input", "format", "strip", "lower"})


class IdKind(enum.Enum):
    """What a model id argument is."""

    HUB = "hub"
    LOCAL = "local"
    UNKNOWN = "unknown"
    OBJECT = "object"


def id_kind(ctx: ModuleContext, expr: ast.expr) -> IdKind:
    """Classify ``expr`` as a hub id, a local path, an unknown string, or a non-string."""
    return _kind(ctx, expr, 0)


def constant_kind(text: str) -> IdKind:
    """Classify a constant model id or path (``hf-hub:`` prefixes and ``@rev`` are ignored)."""
    if text.startswith(("hf-hub:", "hf_hub:")):
        text = text.split(":", 1)[1].partition("@")[0]
    if not text or text.startswith((".", "/", "~", "\\", "file:")) or kit.regex(_DRIVE).match(text):
        return IdKind.LOCAL
    if "\\" in text or text.count("/") > 1 or text.lower().endswith(_FILE_EXTENSIONS):
        return IdKind.LOCAL
    if "/" in text and text.split("/", 1)[0].lower() in _LOCAL_DIRS:
        return IdKind.LOCAL
    return IdKind.HUB if kit.regex(_HUB_ID).match(text) else IdKind.LOCAL


def _kind(ctx: ModuleContext, expr: ast.expr, depth: int) -> IdKind:
    if depth > _MAX_DEPTH:
        return IdKind.UNKNOWN
    text = kit.constant_str(ctx, expr)
    if text is not None:
        return constant_kind(text)
    if isinstance(expr, ast.Constant):
        return IdKind.OBJECT
    if isinstance(expr, ast.BinOp):
        return _binop_kind(ctx, expr, depth)
    if isinstance(expr, ast.JoinedStr):
        return _fstring_kind(ctx, expr, depth)
    if isinstance(expr, ast.IfExp | ast.BoolOp):
        options = [expr.body, expr.orelse] if isinstance(expr, ast.IfExp) else expr.values
        return _combine(_kind(ctx, e, depth + 1) for e in options)
    if isinstance(expr, ast.Call):
        return _call_kind(ctx, expr, depth)
    if isinstance(expr, ast.Name):
        return _name_kind(ctx, expr, depth)
    if isinstance(expr, ast.Attribute | ast.Subscript):
        return _identifier_kind(kit.identifier_text(expr))
    return IdKind.OBJECT


def _binop_kind(ctx: ModuleContext, expr: ast.BinOp, depth: int) -> IdKind:
    if isinstance(expr.op, ast.Div):
        return IdKind.LOCAL  # pathlib: base / "model"
    if isinstance(expr.op, ast.Add):
        return _combine([_kind(ctx, expr.left, depth + 1), _fragment(ctx, expr.right)])
    return IdKind.UNKNOWN


def _fragment(ctx: ModuleContext, expr: ast.expr) -> IdKind:
    text = kit.constant_str(ctx, expr)
    if text is not None and (text.count("/") > 1 or text.lower().endswith(_FILE_EXTENSIONS)):
        return IdKind.LOCAL
    return IdKind.UNKNOWN


def _fstring_kind(ctx: ModuleContext, expr: ast.JoinedStr, depth: int) -> IdKind:
    literal = "".join(
        v.value for v in expr.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
    )
    first = expr.values[0] if expr.values else None
    if (
        isinstance(first, ast.Constant)
        and isinstance(first.value, str)
        and first.value.startswith((".", "/", "~"))
    ):
        return IdKind.LOCAL
    if literal.count("/") > 1 or literal.lower().endswith(_FILE_EXTENSIONS):
        return IdKind.LOCAL
    if isinstance(first, ast.FormattedValue):
        inner = _kind(ctx, first.value, depth + 1)
        if inner is IdKind.LOCAL:
            return IdKind.LOCAL
    return IdKind.UNKNOWN


def _call_kind(ctx: ModuleContext, call: ast.Call, depth: int) -> IdKind:
    names = ctx.call_names(call)
    if any(n == p or n.startswith(p + ".") for n in names for p in _PATH_CALLS):
        return IdKind.LOCAL
    if any(kit.split(n)[1] in {"Path", "PurePath", "joinpath", "resolve"} for n in names):
        return IdKind.LOCAL
    if "builtins.str" in names and call.args:
        return _kind(ctx, call.args[0], depth + 1)
    func = call.func
    attr = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if attr in _UNKNOWN_CALLS:
        key = kit.constant_str(ctx, call.args[0]) if call.args else None
        if key is not None and _identifier_kind(key) is IdKind.LOCAL:
            return IdKind.LOCAL
        return _identifier_kind(kit.identifier_text(call)) if attr == "get" else IdKind.UNKNOWN
    if "download" in attr:
        return IdKind.LOCAL
    return IdKind.OBJECT


def _name_kind(ctx: ModuleContext, name: ast.Name, depth: int) -> IdKind:
    bindings = ctx.bindings(name)
    values = [b for b in bindings or () if isinstance(b, ast.expr)]
    found = [_kind(ctx, v, depth + 1) for v in values]
    if bindings and len(values) == len(bindings):
        kind = _combine(found)
    elif IdKind.HUB in found:
        kind = IdKind.HUB
    else:
        kind = IdKind.UNKNOWN
    if kind is IdKind.UNKNOWN:
        return _identifier_kind(name.id)
    return kind


def _identifier_kind(text: str) -> IdKind:
    last = text.rsplit(".", 1)[-1].lower()
    if any(word in last for word in _LOCAL_WORDS):
        return IdKind.LOCAL
    if "path" in last and not any(word in last for word in ("name", "id", "repo")):
        return IdKind.LOCAL
    return IdKind.UNKNOWN


def _combine(kinds: Iterable[IdKind]) -> IdKind:
    found = list(kinds)
    for kind in (IdKind.HUB, IdKind.UNKNOWN, IdKind.OBJECT):
        if kind in found:
            return kind
    return IdKind.LOCAL
