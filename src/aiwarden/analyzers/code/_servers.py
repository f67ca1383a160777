"""Where AI apps and control planes listen, and who may reach them (``AIW-PY013``/``AIW-PY014``).

Each function inspects one call (or assignment) and returns a :data:`Problem` (the
message, a severity override and a confidence) or ``None``. They never guess a bind
address: only constants (after propagation) equal to an all-interfaces address count.
"""

from __future__ import annotations

import ast
from typing import Final

from aiwarden.analyzers.ai_libraries import AI_IMPORT_ROOTS
from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.core.severity import Confidence, Severity

Problem = tuple[str, Severity | None, Confidence]

_GRADIO_KWARGS: Final = frozenset({"share", "server_name", "allowed_paths"})
_HOME_PATHS: Final = frozenset({"/", "~", "~/", "/home", "/root", "/Users", "C:\\", "C:/", "/etc"})
_FLASK_ROOTS: Final = frozenset({"flask", "quart", "flask_socketio", "dash", "werkzeug"})
_NOT_WEB_APPS: Final = frozenset(
    {"asyncio", "subprocess", "trio", "anyio", "uvicorn", "unittest", "pytest", "ray", "click"}
)
_JUPYTER_APPS: Final = frozenset(
    {"NotebookApp", "ServerApp", "LabApp", "IdentityProvider", "PasswordIdentityProvider"}
)


def public_host(ctx: ModuleContext, expr: ast.expr | None) -> bool:
    """True when ``expr`` is a constant all-interfaces address (``"0.0.0.0"``, ``"::"``)."""
    value = kit.constant_str(ctx, expr)
    return value is not None and value.strip() in kit.ALL_INTERFACES


def gradio_launch(ctx: ModuleContext, call: ast.Call, gradio_file: bool) -> Problem | None:
    """A Gradio ``launch()`` that is public, unauthenticated on all interfaces, or over-shares."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "launch"):
        return None
    receiver = ctx.qualnames(func.value)
    known = any(kit.split(n)[0] == "gradio" for n in receiver)
    gradio_kwargs = {kw.arg for kw in call.keywords} & _GRADIO_KWARGS
    if not known and (receiver or not (gradio_file or gradio_kwargs)):
        return None
    authenticated = any(
        (v := kit.keyword(call, k)) is not None and not ctx.is_false(v)
        for k in ("auth", "auth_dependency")
    )
    problems: list[str] = []
    severity: Severity | None = None
    if ctx.is_true(kit.keyword(call, "share")):
        problems.append("`share=True` publishes the app on a public gradio.live URL")
        severity = Severity.MEDIUM if authenticated else None
    if public_host(ctx, kit.keyword(call, "server_name")) and not authenticated:
        problems.append("`server_name` binds all interfaces without `auth=`")
        severity = None
    broad = _broad_paths(ctx, kit.keyword(call, "allowed_paths"))
    if broad is not None:
        problems.append(f"`allowed_paths` serves {broad} to every visitor")
        severity = None
    if not problems:
        return None
    confidence = Confidence.HIGH if known or gradio_file else Confidence.MEDIUM
    return ("; ".join(problems) + ".", severity, confidence)


def _broad_paths(ctx: ModuleContext, expr: ast.expr | None) -> str | None:
    if expr is None:
        return None
    elements = expr.elts if isinstance(expr, ast.List | ast.Tuple | ast.Set) else [expr]
    for element in elements:
        text = kit.constant_str(ctx, element)
        if text is not None:
            cleaned = text.rstrip("/\\") or text
            parts = [p for p in cleaned.split("/") if p]
            home = cleaned in _HOME_PATHS or (
                len(parts) <= 2 and parts[:1] in (["home"], ["Users"], ["root"])
            )
            if home:
                return f"`{text}`"
            continue
        if isinstance(element, ast.Call) and any(
            kit.split(n)[1] in {"home", "expanduser"} for n in ctx.call_names(element)
        ):
            return "the home directory"
    return None


def streamlit_address(ctx: ModuleContext, call: ast.Call) -> Problem | None:
    """``set_option("server.address", "0.0.0.0")`` (Streamlit config set in code)."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name != "set_option" or len(call.args) < 2:
        return None
    if ctx.constant(call.args[0]) != "server.address" or not public_host(ctx, call.args[1]):
        return None
    return (
        "Streamlit `server.address` is set to all interfaces.",
        Severity.MEDIUM,
        Confidence.HIGH,
    )


def ray_public(ctx: ModuleContext, call: ast.Call, names: frozenset[str]) -> Problem | None:
    """A Ray call that binds the dashboard, Serve HTTP proxy or client server publicly."""
    if not any(kit.split(n)[0] == "ray" for n in names):
        return None
    for kw in call.keywords:
        if kw.arg in {"dashboard_host", "host", "ray_client_server_host"} and public_host(
            ctx, kw.value
        ):
            return (
                f"Ray `{kw.arg}` is all interfaces: the Ray dashboard/jobs API and Serve "
                "have no authentication, so anyone who reaches the port can run code "
                "(ShadowRay).",
                None,
                Confidence.HIGH,
            )
        if kw.arg == "http_options" and isinstance(kw.value, ast.Dict):
            items = dict(kit.dict_items(kw.value))
            if public_host(ctx, items.get("host")):
                return ("Ray Serve `http_options` binds all interfaces.", None, Confidence.HIGH)
    return None


def uvicorn_public(
    ctx: ModuleContext, call: ast.Call, names: frozenset[str], ai_file: bool
) -> Problem | None:
    """``uvicorn.run(..., host="0.0.0.0")`` (or ``uvicorn.Config``)."""
    if not names & {"uvicorn.run", "uvicorn.Config", "uvicorn.main.run", "uvicorn.config.Config"}:
        return None
    if not public_host(ctx, kit.keyword(call, "host")):
        return None
    return (
        "uvicorn serves this app on all interfaces; put model endpoints behind "
        "authentication or bind to 127.0.0.1 / a private interface.",
        Severity.MEDIUM,
        Confidence.HIGH if ai_file else Confidence.MEDIUM,
    )


def dev_server(ctx: ModuleContext, call: ast.Call, flask_file: bool) -> Problem | None:
    """Flask-style ``app.run(debug=True)`` / ``app.run(host="0.0.0.0")``."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in {"run", "run_server"}):
        return None
    receiver = ctx.qualnames(func.value)
    known = any(kit.split(n)[0] in _FLASK_ROOTS for n in receiver)
    other = any(kit.split(n)[0] in _NOT_WEB_APPS for n in receiver)
    if not known and (other or not flask_file):
        return None
    debug = ctx.is_true(kit.keyword(call, "debug"))
    public = public_host(ctx, ctx.argument(call, "host", 0 if known else None))
    if debug:
        where = " on all interfaces" if public else ""
        return (
            f"The development server runs with `debug=True`{where}: the Werkzeug debugger "
            "console executes Python for whoever reaches it.",
            Severity.CRITICAL if public else None,
            Confidence.HIGH if known else Confidence.MEDIUM,
        )
    if public:
        return (
            "The development server listens on all interfaces; it is not meant to be exposed.",
            Severity.MEDIUM,
            Confidence.HIGH if known else Confidence.MEDIUM,
        )
    return None


def jupyter_setting(ctx: ModuleContext, assign: ast.Assign) -> Problem | None:
    """``c.ServerApp.ip = "0.0.0.0"``, ``c.NotebookApp.token = ""`` and similar."""
    for target in assign.targets:
        if not (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Attribute)
            and target.value.attr in _JUPYTER_APPS
        ):
            continue
        app, setting, value = target.value.attr, target.attr, ctx.constant(assign.value)
        label = f"`{app}.{setting}`"
        if setting == "ip" and isinstance(value, str) and value in kit.ALL_INTERFACES | {""}:
            return (f"{label} listens on all interfaces.", Severity.MEDIUM, Confidence.HIGH)
        if setting == "token" and value == "":
            return (
                f"{label} is empty: the server accepts unauthenticated code execution.",
                None,
                Confidence.HIGH,
            )
        if setting == "disable_check_xsrf" and value is True:
            return (f"{label} disables CSRF protection.", Severity.MEDIUM, Confidence.HIGH)
        if setting == "allow_origin" and value == "*":
            return (f"{label} allows any web origin.", Severity.MEDIUM, Confidence.HIGH)
    return None


def env_address(ctx: ModuleContext, assign: ast.Assign) -> Problem | None:
    """``os.environ["GRADIO_SERVER_NAME"] = "0.0.0.0"`` and the Streamlit equivalent."""
    for target in assign.targets:
        if (
            isinstance(target, ast.Subscript)
            and kit.constant_str(ctx, target.slice)
            in {
                "GRADIO_SERVER_NAME",
                "STREAMLIT_SERVER_ADDRESS",
            }
            and public_host(ctx, assign.value)
        ):
            return (
                "The app is configured to listen on all interfaces.",
                Severity.MEDIUM,
                Confidence.MEDIUM,
            )
    return None


def is_ai_file(roots: frozenset[str]) -> bool:
    """True when the module imports an ML/LLM library."""
    return bool(roots & AI_IMPORT_ROOTS)
