"""ML and LLM framework rules: Keras loading, dangerous opt-ins, code-execution tools, Jinja.

``AIW-PY005`` unsafe Keras/TensorFlow model loading, ``AIW-PY006`` LangChain-style
``allow_dangerous_*`` opt-ins, ``AIW-PY007`` code-execution tools handed to an LLM,
and ``AIW-PY012`` unsandboxed Jinja rendering of chat templates from model metadata.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code._agent_tools import agent_tool, docker_disabled
from aiwarden.analyzers.code._jinja_sources import unsandboxed_template
from aiwarden.analyzers.code._netsource import network_source
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Confidence, Severity

__all__ = [
    "CODE_TOOL",
    "DANGEROUS_OPT_IN",
    "KERAS_LOAD",
    "UNSANDBOXED_TEMPLATE",
    "FrameworkChecker",
]

KERAS_LOAD = Rule(
    id=RuleId("AIW-PY005"),
    title="Unsafe Keras/TensorFlow model loading",
    severity=Severity.HIGH,
    summary=(
        "load_model(..., safe_mode=False), keras.config.enable_unsafe_deserialization() or "
        "a legacy .h5 model load lets a model file run Python code (Lambda layers)."
    ),
    help=(
        "Keras models can contain `Lambda` layers whose Python code is stored in the file "
        "(as marshalled bytecode in legacy HDF5, as a serialized function in `.keras`). "
        "Keras 3 refuses to deserialize them unless `safe_mode=False` is passed or "
        "`keras.config.enable_unsafe_deserialization()` is called, and both turn a model "
        "file into a program (CVE-2024-3660, CVE-2025-1550). Legacy `.h5`/`.hdf5` files "
        "go through the old loader, where safe mode was not enforced on older Keras "
        "versions, so loading one is reported at medium severity.\n\n"
        "```python\n"
        "model = keras.models.load_model(path, safe_mode=False)  # runs Lambda code\n"
        "model = keras.models.load_model('model.h5')             # legacy format\n"
        "model = keras.models.load_model('model.keras')          # safe_mode=True default\n"
        "```"
    ),
    remediation=(
        "Keep `safe_mode=True` (the default) and remove calls to "
        "`enable_unsafe_deserialization`. Replace `Lambda` layers with registered custom "
        "layers, re-save legacy `.h5` models as `.keras` (or export weights only) and "
        "keep Keras up to date."
    ),
    guidelines=("DV-1", "DP-2", "SD-3.d"),
    cwe=(502, 94),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0011.000", "AML.T0010.003"),
    references=(
        "https://keras.io/api/models/model_saving_apis/model_saving_and_loading/",
        "https://nvd.nist.gov/vuln/detail/CVE-2024-3660",
        "https://nvd.nist.gov/vuln/detail/CVE-2025-1550",
    ),
    tags=("code", "python", "keras", "tensorflow", "deserialization"),
)

DANGEROUS_OPT_IN = Rule(
    id=RuleId("AIW-PY006"),
    title="Dangerous opt-in flag enabled (allow_dangerous_*)",
    severity=Severity.HIGH,
    summary=(
        "allow_dangerous_deserialization / allow_dangerous_code / allow_dangerous_requests "
        "is enabled, switching off a framework's own protection."
    ),
    help=(
        "LangChain and related libraries refuse risky operations unless the caller opts "
        "in: `FAISS.load_local(..., allow_dangerous_deserialization=True)` unpickles the "
        "index's docstore, `allow_dangerous_code=True` lets pandas/Python agents and "
        "some chains execute model-written code, and `allow_dangerous_requests=True` "
        "lets request tools fetch any URL the model picks (SSRF). The flag is the "
        "library telling you the input must be fully trusted; a value taken from a "
        "variable is reported with medium confidence.\n\n"
        "```python\n"
        "db = FAISS.load_local(path, emb, allow_dangerous_deserialization=True)  # pickle\n"
        "db = FAISS.load_local(path, emb)  # refuses pickled docstores\n"
        "```"
    ),
    remediation=(
        "Remove the flag. Load only indexes you built (or rebuild them from source "
        "documents), run code-executing agents in a sandbox, and give request tools an "
        "allowlist of hosts."
    ),
    guidelines=("SD-3.h", "DV-1"),
    cwe=(502, 94),
    owasp_llm=("LLM05:2025", "LLM06:2025"),
    atlas=("AML.T0053", "AML.T0011.000"),
    references=(
        "https://python.langchain.com/docs/security/",
        "https://nvd.nist.gov/vuln/detail/CVE-2024-21513",
        "https://api.python.langchain.com/en/latest/vectorstores/"
        "langchain_community.vectorstores.faiss.FAISS.html",
    ),
    tags=("code", "python", "langchain"),
)

CODE_TOOL = Rule(
    id=RuleId("AIW-PY007"),
    title="Code-execution tool given to an LLM",
    severity=Severity.HIGH,
    summary=(
        "A Python REPL, shell, pandas/CSV agent, math/PAL chain or local code executor "
        "lets the model run code on the host; prompt injection becomes code execution."
    ),
    help=(
        "Tools such as LangChain `PythonREPLTool`, `PythonAstREPLTool`, `ShellTool`, "
        "`BashProcess`, `LLMMathChain`, `PALChain`, the pandas/CSV/Python/Spark agents "
        'and `load_tools(["python_repl", "terminal"])`, LlamaIndex '
        "`CodeInterpreterToolSpec` and `PandasQueryEngine`, AutoGen's "
        "`LocalCommandLineCodeExecutor` or `use_docker=False`, CrewAI "
        '`code_execution_mode="unsafe"` and smolagents\' local executor execute code '
        "that the model writes, in this process or shell. Anything the model reads "
        "(a web page, a document, a CSV cell, a user message) can steer it into writing "
        "that code (CVE-2023-29374, CVE-2023-36258, CVE-2023-39659, CVE-2023-44467).\n\n"
        "```python\n"
        "tools = [PythonREPLTool()]                       # host code execution\n"
        "agent = create_pandas_dataframe_agent(llm, df)   # exec() of model output\n"
        "executor = DockerCommandLineCodeExecutor()       # sandboxed: not reported\n"
        "```"
    ),
    remediation=(
        "Do not give models a general-purpose interpreter. Expose narrow, typed tools "
        "instead; if code execution is the feature, run it in a disposable sandbox "
        "(Docker/E2B/gVisor, no credentials, no network) and require human approval "
        "for side effects."
    ),
    guidelines=("SD-3.h", "SD-3.d"),
    cwe=(94, 78),
    owasp_llm=("LLM06:2025", "LLM05:2025"),
    atlas=("AML.T0053", "AML.T0050", "AML.M0028"),
    references=(
        "https://nvd.nist.gov/vuln/detail/CVE-2023-29374",
        "https://nvd.nist.gov/vuln/detail/CVE-2023-36258",
        "https://nvd.nist.gov/vuln/detail/CVE-2023-39659",
        "https://nvd.nist.gov/vuln/detail/CVE-2023-44467",
        "https://python.langchain.com/docs/security/",
    ),
    tags=("code", "python", "agents", "langchain"),
)

UNSANDBOXED_TEMPLATE = Rule(
    id=RuleId("AIW-PY012"),
    title="Unsandboxed Jinja rendering of a chat template from model metadata",
    severity=Severity.HIGH,
    summary=(
        "A chat template taken from tokenizer or GGUF metadata is compiled with a plain "
        "jinja2 Environment/Template instead of a SandboxedEnvironment: server-side "
        "template injection from the model file."
    ),
    help=(
        "Chat templates are Jinja programs shipped inside model repositories "
        "(`tokenizer_config.json`) and GGUF files (`tokenizer.chat_template`). A plain "
        "`jinja2.Environment` or `jinja2.Template` lets a template reach Python "
        "internals (`''.__class__.__mro__...`) and run code when it is rendered; "
        "llama-cpp-python's CVE-2024-34359 was exactly this. transformers renders chat "
        "templates in an `ImmutableSandboxedEnvironment` for that reason.\n\n"
        "```python\n"
        "jinja2.Environment().from_string(tokenizer.chat_template)   # SSTI\n"
        "ImmutableSandboxedEnvironment().from_string(tokenizer.chat_template)  # safe\n"
        "```"
    ),
    remediation=(
        "Compile chat templates with `jinja2.sandbox.ImmutableSandboxedEnvironment` (or "
        "use `tokenizer.apply_chat_template`), and scan model templates with aiwarden."
    ),
    guidelines=("DV-1", "DP-2", "SD-3.d"),
    cwe=(1336, 94),
    owasp_llm=("LLM03:2025", "LLM05:2025"),
    atlas=("AML.T0010.003", "AML.T0011.000"),
    references=(
        "https://nvd.nist.gov/vuln/detail/CVE-2024-34359",
        "https://jinja.palletsprojects.com/en/stable/sandbox/",
        "https://huggingface.co/docs/transformers/en/chat_templating",
    ),
    tags=("code", "python", "jinja", "chat-template"),
)

_KERAS: Final = frozenset({"keras", "tensorflow", "tf_keras"})
_LEGACY_SUFFIXES: Final = (".h5", ".hdf5")
_DANGEROUS_PREFIX: Final = "allow_dangerous_"


class FrameworkChecker(Checker):
    """Reports AIW-PY005, AIW-PY006, AIW-PY007 and AIW-PY012."""

    rules: ClassVar[tuple[Rule, ...]] = (
        KERAS_LOAD,
        DANGEROUS_OPT_IN,
        CODE_TOOL,
        UNSANDBOXED_TEMPLATE,
    )

    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield one issue per offending call (and per flagged dict literal)."""
        for call in ctx.calls():
            yield from _call_issues(ctx, call)
        yield from _dict_issues(ctx)


def _call_issues(ctx: ModuleContext, call: ast.Call) -> Iterator[CodeIssue]:
    keras = _keras_issue(ctx, call)
    if keras is not None:
        yield keras
    opt_in = _opt_in(ctx, call, call.keywords)
    if opt_in is not None:
        yield opt_in
    tool = agent_tool(ctx, call)
    if tool is not None:
        message, severity, confidence = tool
        yield ctx.issue(CODE_TOOL, call, message, severity=severity, confidence=confidence)
    template = unsandboxed_template(ctx, call)
    if template is not None:
        source, confidence = template
        yield ctx.issue(
            UNSANDBOXED_TEMPLATE,
            call,
            f"`{kit.short(ctx, call.func, 50)}` compiles `{kit.short(ctx, source, 50)}`, a "
            "template from model metadata, without a Jinja sandbox.",
            confidence=confidence,
        )


def _keras_issue(ctx: ModuleContext, call: ast.Call) -> CodeIssue | None:
    names = [n for n in ctx.call_names(call) if kit.split(n)[0] in _KERAS]
    if not names:
        return None
    label = kit.short(ctx, call.func, 50)
    if any(kit.split(n)[1] == "enable_unsafe_deserialization" for n in names):
        return ctx.issue(
            KERAS_LOAD,
            call,
            f"`{label}()` turns off Keras safe mode for every later load in this process.",
        )
    is_load = any(kit.split(n)[1] == "load_model" for n in names)
    safe_mode = ctx.argument(call, "safe_mode", 3 if is_load else None)
    if safe_mode is not None and not ctx.is_true(safe_mode):
        known = ctx.is_false(safe_mode)
        return ctx.issue(
            KERAS_LOAD,
            call,
            f"`{label}` is called with `safe_mode={kit.short(ctx, safe_mode, 30)}`: "
            "Lambda layers in the file can run arbitrary code.",
            confidence=Confidence.HIGH if known else Confidence.MEDIUM,
        )
    if is_load and safe_mode is None:
        unsafe = _unsafe_switch(ctx)
        if unsafe is not None and unsafe < call.lineno:
            return ctx.issue(
                KERAS_LOAD,
                call,
                f"`{label}` runs after `enable_unsafe_deserialization()` (line {unsafe}) turned "
                "safe mode off: Lambda layers in the file can run arbitrary code.",
            )
    argument = ctx.argument(call, "filepath", 0) if is_load else None
    origin = network_source(ctx, argument) if argument is not None else None
    if origin is not None:
        return ctx.issue(
            KERAS_LOAD,
            call,
            f"`{label}` loads a model whose path comes from {origin}: the client chooses "
            "which file is deserialized.",
        )
    path = kit.constant_str(ctx, argument)
    if path is not None and path.lower().endswith(_LEGACY_SUFFIXES):
        return ctx.issue(
            KERAS_LOAD,
            call,
            f"`{label}` loads the legacy HDF5 model `{path[-60:]}`, whose Lambda layers "
            "carry marshalled bytecode; re-save it as .keras.",
            severity=Severity.MEDIUM,
        )
    return None


def _unsafe_switch(ctx: ModuleContext) -> int | None:
    """The line of the module's first ``enable_unsafe_deserialization()`` call, if any."""
    for call in ctx.calls():
        names = ctx.call_names(call)
        if any(
            kit.split(n)[0] in _KERAS and n.endswith(".enable_unsafe_deserialization")
            for n in names
        ):
            return call.lineno
    return None


def _opt_in(ctx: ModuleContext, node: ast.AST, keywords: list[ast.keyword]) -> CodeIssue | None:
    return _opt_in_items(ctx, node, [(kw.arg, kw.value) for kw in keywords if kw.arg is not None])


def _opt_in_items(
    ctx: ModuleContext, node: ast.AST, items: list[tuple[str, ast.expr]]
) -> CodeIssue | None:
    enabled: list[str] = []
    maybe: list[str] = []
    for name, value in items:
        if not name.startswith(_DANGEROUS_PREFIX):
            continue
        truth = kit.truth(ctx, value)
        if truth is True:
            enabled.append(name)
        elif truth is None:
            maybe.append(name)
    if not enabled and not maybe:
        return None
    flags = ", ".join(f"`{n}`" for n in (enabled or maybe))
    state = "enabled" if enabled else "set from a value that is not provably False"
    return ctx.issue(
        DANGEROUS_OPT_IN,
        node,
        f"{flags} {state}: the library's protection against untrusted input is off.",
        confidence=Confidence.HIGH if enabled else Confidence.MEDIUM,
    )


def _dict_issues(ctx: ModuleContext) -> Iterator[CodeIssue]:
    for mapping in ctx.nodes(ast.Dict):
        issue = _opt_in_items(ctx, mapping, list(kit.dict_items(mapping)))
        if issue is not None:
            yield issue
        if docker_disabled(ctx, mapping):
            yield ctx.issue(
                CODE_TOOL,
                mapping,
                "AutoGen `code_execution_config` with `use_docker=False` runs model-written "
                "code directly on the host.",
            )
