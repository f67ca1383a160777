"""AI server command lines: recognise the server and check its flags and environment."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from aiwarden.analyzers.infra._hits import Env, Hit
from aiwarden.analyzers.infra._shell import Command, Tok
from aiwarden.analyzers.infra.rules import (
    DEMO_UI_PUBLIC,
    INFERENCE_SERVER,
    JUPYTER_NO_AUTH,
    MLFLOW_NO_AUTH,
    RAY_NO_AUTH,
    TORCHSERVE_MANAGEMENT,
)
from aiwarden.core.severity import Severity

_PYTHON: Final = re.compile(r"^python(\d(\.\d+)?)?$")
_MODULES: Final = (
    ("vllm.entrypoints", "vllm"),
    ("sglang.launch_server", "sglang"),
    ("llama_cpp.server", "llamacpp"),
    ("mlflow", "mlflow"),
    ("jupyterlab", "jupyter"),
    ("jupyter", "jupyter"),
    ("notebook", "jupyter"),
    ("streamlit", "streamlit"),
    ("ray", "ray"),
)
_SUBCOMMANDS: Final = frozenset({"mlflow", "jupyter", "streamlit", "ray"})
_ANY_HOST: Final = frozenset({"0.0.0.0", "::", "[::]", "*", ""})  # noqa: S104
_API_KEY_ENV: Final = {
    "vllm": ("VLLM_API_KEY",),
    "tgi": ("API_KEY",),
    "llamacpp": ("LLAMA_API_KEY",),
    "sglang": ("SGLANG_API_KEY",),
}


@dataclass(frozen=True, slots=True)
class Opt:
    """A command-line option's value (None for a bare flag) and its line."""

    value: str | None
    line: int


@dataclass(slots=True)
class Server:
    """A recognised AI server invocation."""

    kind: str
    line: int
    options: dict[str, Opt] = field(default_factory=dict)
    env: Env = field(default_factory=dict)

    def opt(self, *names: str) -> Opt | None:
        """The first of ``names`` given (names normalised: lower case, ``_`` → ``-``)."""
        for name in names:
            if name in self.options:
                return self.options[name]
        return None


def identify(command: Command) -> Server | None:
    """The AI server ``command`` starts, if any."""
    argv = [t for t in command.argv if t.text]
    if argv and argv[0].text == "export":
        return None
    if not argv:
        return None
    kind, rest = _kind_and_rest(argv)
    if kind is None:
        return None
    return Server(kind, argv[0].line, _options(rest), dict(command.env))


def _kind_and_rest(argv: list[Tok]) -> tuple[str | None, list[Tok]]:
    base = argv[0].text.rsplit("/", 1)[-1].lower()
    words = [t.text for t in argv]
    if _PYTHON.match(base) and len(argv) > 2 and words[1] == "-m":
        return _module_kind(argv)
    sub = words[1] if len(words) > 1 else ""
    simple = {
        "text-generation-launcher": "tgi",
        "llama-server": "llamacpp",
        "jupyter-lab": "jupyter",
        "jupyter-notebook": "jupyter",
        "jupyter-server": "jupyter",
        "start-notebook.sh": "jupyter",
        "start-notebook.py": "jupyter",
    }
    if base in simple:
        return simple[base], argv[1:]
    if base == "server" and "llama" in argv[0].text.lower():
        return "llamacpp", argv[1:]
    paired = {
        ("vllm", "serve"): "vllm",
        ("ollama", "serve"): "ollama",
        ("mlflow", "server"): "mlflow",
        ("mlflow", "ui"): "mlflow",
        ("ray", "start"): "ray",
        ("jupyter", "lab"): "jupyter",
        ("jupyter", "notebook"): "jupyter",
        ("jupyter", "server"): "jupyter",
        ("streamlit", "run"): "streamlit",
        ("docker", "run"): "docker",
        ("podman", "run"): "docker",
    }
    if (base, sub) in paired:
        return paired[(base, sub)], argv[2:]
    if base == "torchserve" and "--start" in words:
        return "torchserve", argv[1:]
    return None, []


def _module_kind(argv: list[Tok]) -> tuple[str | None, list[Tok]]:
    module = argv[2].text
    for prefix, kind in _MODULES:
        if module == prefix or module.startswith(prefix + "."):
            if kind in _SUBCOMMANDS and module == prefix:
                return _kind_and_rest([Tok(kind, argv[0].line), *argv[3:]])
            return kind, argv[3:]
    return None, []


def _options(rest: list[Tok]) -> dict[str, Opt]:
    options: dict[str, Opt] = {}
    for index, tok in enumerate(rest):
        if not tok.text.startswith("-") or tok.text == "-":
            continue
        name, eq, value = tok.text.lstrip("-").partition("=")
        key = name.lower().replace("_", "-")
        if eq:
            options.setdefault(key, Opt(_unquoted(value), tok.line))
            continue
        following = rest[index + 1] if index + 1 < len(rest) else None
        if following is not None and not following.text.startswith("-"):
            options.setdefault(key, Opt(_unquoted(following.text), tok.line))
        else:
            options.setdefault(key, Opt(None, tok.line))
    return options


def _unquoted(value: str) -> str:
    """``''`` or ``""`` left by an exec-form array (no shell removed them) as the empty string."""
    return "" if value in ("''", '""') else value


def api_key_configured(server: Server, env: Env) -> bool:
    """True if the server's own authentication is switched on."""
    kind = server.kind
    if kind in _API_KEY_ENV:
        key = server.opt("api-key", "api-key-file")
        return (key is not None and bool(key.value)) or any(
            env.get(name) or server.env.get(name) for name in _API_KEY_ENV[kind]
        )
    if kind == "mlflow":
        app = server.opt("app-name")
        return app is not None and app.value == "basic-auth"
    if kind == "jupyter":
        return _jupyter_empty_token(server, env) is None
    if kind == "ray":
        mode = env.get("RAY_AUTH_MODE") or server.env.get("RAY_AUTH_MODE")
        return mode is not None and mode.value.lower() == "token"
    if kind == "torchserve":
        return server.opt("disable-token-auth") is None
    return False


def server_hits(server: Server, env: Env, *, host: bool) -> list[Hit]:
    """The findings for one server invocation in the environment ``env``."""
    merged = {**env, **server.env}
    if server.kind in _API_KEY_ENV:
        return _inference(server, merged)
    checks = {
        "ray": _ray,
        "torchserve": _torchserve,
        "mlflow": _mlflow,
        "jupyter": _jupyter,
        "streamlit": _streamlit,
    }
    check = checks.get(server.kind)
    if check is None:
        return []
    hits = check(server, merged)
    if server.kind == "streamlit" and not host:
        hits = [h for h in hits if "address" not in h.key]
    return hits


def _inference(server: Server, env: Env) -> list[Hit]:
    hits: list[Hit] = []
    remote = server.opt("trust-remote-code")
    if remote is not None and (remote.value is None or remote.value.lower() != "false"):
        hits.append(
            Hit(
                INFERENCE_SERVER,
                remote.line,
                f"{server.kind} runs with --trust-remote-code: Python from the model "
                "repository executes in the server at load time.",
                f"iac-remote-code:{server.kind}",
                evidence="--trust-remote-code",
            )
        )
    if not api_key_configured(server, env):
        hits.append(
            Hit(
                INFERENCE_SERVER,
                server.line,
                f"{server.kind} server started without --api-key: anyone who reaches the "
                "port can use (and bill) the model.",
                f"iac-no-api-key:{server.kind}",
            )
        )
    return hits


def _ray(server: Server, env: Env) -> list[Hit]:
    host = server.opt("dashboard-host")
    if host is None or host.value not in _ANY_HOST or api_key_configured(server, env):
        return []
    return [
        Hit(
            RAY_NO_AUTH,
            host.line,
            "Ray dashboard bound to all interfaces (--dashboard-host 0.0.0.0) without "
            "RAY_AUTH_MODE=token: the Jobs API runs code for anyone who reaches it "
            "(ShadowRay, CVE-2023-48022).",
            "iac-ray-dashboard-host",
            evidence=f"--dashboard-host {host.value}",
        )
    ]


def _torchserve(server: Server, env: Env) -> list[Hit]:
    del env
    hits: list[Hit] = []
    for flag, what in (
        ("disable-token-auth", "token authorization disabled"),
        ("enable-model-api", "model registration API enabled"),
    ):
        found = server.opt(flag)
        if found is not None:
            hits.append(
                Hit(
                    TORCHSERVE_MANAGEMENT,
                    found.line,
                    f"TorchServe started with --{flag}: {what} (ShellTorch, CVE-2023-43654).",
                    f"iac-torchserve:{flag}",
                    evidence=f"--{flag}",
                )
            )
    return hits


def _mlflow(server: Server, env: Env) -> list[Hit]:
    host = server.opt("host", "h")
    if host is None or host.value not in _ANY_HOST or api_key_configured(server, env):
        return []
    return [
        Hit(
            MLFLOW_NO_AUTH,
            host.line,
            "MLflow server listens on all interfaces without --app-name basic-auth: "
            "experiments, models and artifacts are open to anyone who reaches it.",
            "iac-mlflow-no-auth",
            evidence=f"--host {host.value}",
        )
    ]


def _jupyter_empty_token(server: Server, env: Env) -> int | None:
    """The line that sets an empty token while no password is set, or None."""
    token_line: int | None = None
    password = False
    for name, opt in server.options.items():
        if name.endswith((".token", "token")) and "." in name and not opt.value:
            token_line = opt.line
        if name.endswith(("password", "hashed-password")) and opt.value:
            password = True
    env_token = env.get("JUPYTER_TOKEN")
    if token_line is None and env_token is not None and env_token.value == "":
        token_line = env_token.line
    return None if password else token_line


def _jupyter(server: Server, env: Env) -> list[Hit]:
    hits: list[Hit] = []
    empty = _jupyter_empty_token(server, env)
    if empty is not None:
        hits.append(
            Hit(
                JUPYTER_NO_AUTH,
                empty,
                "Jupyter started with an empty token and no password: anyone who reaches "
                "it runs code as the server's user.",
                "iac-jupyter-empty-token",
            )
        )
    for name, opt in server.options.items():
        issue = _jupyter_flag(name, opt)
        if issue is not None:
            message, severity = issue
            hits.append(
                Hit(JUPYTER_NO_AUTH, opt.line, message, f"iac-jupyter:{name}", severity=severity)
            )
    return hits


def _jupyter_flag(name: str, opt: Opt) -> tuple[str, Severity] | None:
    value = (opt.value or "true").lower()
    if name.endswith("disable-check-xsrf") and value == "true":
        return "Jupyter XSRF checks disabled: any web page can drive the server.", Severity.HIGH
    if name.endswith("allow-origin") and value == "*":
        return "Jupyter accepts requests from any origin (allow_origin='*').", Severity.HIGH
    if name == "allow-root":
        return "Jupyter runs as root (--allow-root).", Severity.MEDIUM
    return None


def _streamlit(server: Server, env: Env) -> list[Hit]:
    del env
    hits: list[Hit] = []
    address = server.opt("server.address")
    if address is not None and address.value in _ANY_HOST:
        hits.append(
            Hit(
                DEMO_UI_PUBLIC,
                address.line,
                "Streamlit bound to all host interfaces (--server.address 0.0.0.0).",
                "iac-streamlit-address",
            )
        )
    for flag in ("server.enablexsrfprotection", "server.enablecors"):
        found = server.opt(flag)
        if found is not None and (found.value or "").lower() == "false":
            hits.append(
                Hit(
                    DEMO_UI_PUBLIC,
                    found.line,
                    f"Streamlit started with {flag}=false.",
                    f"iac-streamlit:{flag}",
                )
            )
    return hits
