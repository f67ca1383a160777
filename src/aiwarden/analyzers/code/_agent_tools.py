"""Which calls hand a code-execution tool to an LLM (for ``AIW-PY007``).

Classes and factories are matched by package family and final name, so every
historic module path of LangChain (``langchain``, ``langchain_community``,
``langchain_experimental``...), LlamaIndex (``llama_index.*``, ``llama_hub``),
AutoGen (``autogen``, ``autogen_ext``...), CrewAI and smolagents is covered. A
distinctive class name that nothing in the module binds (a ``*`` import, a notebook
cell) is matched with medium confidence.
"""

from __future__ import annotations

import ast
from typing import Final

from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.core.severity import Confidence, Severity

Finding = tuple[str, Severity | None, Confidence]

_LANGCHAIN: Final = frozenset(
    {"langchain", "langchain_community", "langchain_experimental", "langchain_core"}
)
_LANGCHAIN_TOOLS: Final = frozenset(
    {
        "PythonREPLTool",
        "PythonREPL",
        "PythonAstREPLTool",
        "ShellTool",
        "BashProcess",
        "LLMBashChain",
        "LLMMathChain",
        "PALChain",
        "create_pandas_dataframe_agent",
        "create_csv_agent",
        "create_python_agent",
        "create_spark_dataframe_agent",
        "create_xorbits_agent",
    }
)
_LLAMA: Final = frozenset({"llama_index", "llama_hub", "gpt_index"})
_LLAMA_TOOLS: Final = frozenset(
    {"CodeInterpreterToolSpec", "PandasQueryEngine", "PandasInstructionParser"}
)
_AUTOGEN: Final = frozenset({"autogen", "autogen_ext", "autogen_agentchat", "autogen_core", "ag2"})
_AUTOGEN_TOOLS: Final = frozenset({"LocalCommandLineCodeExecutor"})
_DISTINCTIVE: Final = (_LANGCHAIN_TOOLS | _LLAMA_TOOLS | _AUTOGEN_TOOLS) - {"PythonREPL"}
_TOOL_NAMES: Final = frozenset(
    {"python_repl", "terminal", "llm-math", "shell", "bash", "pal-math", "pal-colored-objects"}
)
_DANGEROUS_IMPORTS: Final = frozenset({"*", "os", "subprocess", "sys", "shutil", "builtins"})


def agent_tool(ctx: ModuleContext, call: ast.Call) -> Finding | None:
    """Message, severity override and confidence when ``call`` gives an LLM code execution."""
    names = ctx.call_names(call)
    label = kit.Label(ctx, call.func)
    for qualname in sorted(names):
        found = _by_name(ctx, call, qualname, label)
        if found is not None:
            return found
    func = call.func
    if (
        not names
        and isinstance(func, ast.Name)
        and func.id in _DISTINCTIVE
        and ctx.bindings(func) is None
    ):
        return (_runs(label), None, Confidence.MEDIUM)
    return None


def _runs(label: kit.Label) -> str:
    return (
        f"`{label}` lets the model run arbitrary code on this host; a prompt injection in "
        "any input it reads becomes code execution."
    )


def _by_name(ctx: ModuleContext, call: ast.Call, qualname: str, label: kit.Label) -> Finding | None:
    root, last = kit.split(qualname)
    if last.startswith("from_") and qualname.count(".") >= 2:
        last = qualname.split(".")[-2]  # LLMMathChain.from_llm(...), PALChain.from_math_prompt
    if (root in _LANGCHAIN and last in _LANGCHAIN_TOOLS) or (
        root in _LLAMA and last in _LLAMA_TOOLS
    ):
        return (_runs(label), None, Confidence.HIGH)
    if root in _AUTOGEN and last in _AUTOGEN_TOOLS:
        return (
            f"`{label}` executes model-written code directly on this host (no container).",
            None,
            Confidence.HIGH,
        )
    if root in _LANGCHAIN and last == "load_tools":
        return _load_tools(ctx, call, label)
    if root == "crewai" and last == "Agent":
        return _crewai_agent(ctx, call)
    if root == "crewai_tools" and last == "CodeInterpreterTool":
        if ctx.is_true(kit.keyword(call, "unsafe_mode")):
            return (
                "`CodeInterpreterTool(unsafe_mode=True)` runs code on the host.",
                None,
                Confidence.HIGH,
            )
        return None
    if root in {"smolagents", "transformers"}:
        return _smolagents(ctx, call, last, label)
    return None


def _load_tools(ctx: ModuleContext, call: ast.Call, label: kit.Label) -> Finding | None:
    argument = ctx.argument(call, "tool_names", 0)
    if argument is None:
        return None
    found: set[str] = set()
    for expr in kit.expr_bindings(ctx, argument):
        if isinstance(expr, ast.List | ast.Tuple | ast.Set):
            for element in expr.elts:
                value = kit.constant_str(ctx, element)
                if value is not None and value in _TOOL_NAMES:
                    found.add(value)
    if not found:
        return None
    tools = ", ".join(repr(t) for t in sorted(found))
    return (
        f"`{label}` loads {tools}: tools that let the model run code or shell commands.",
        None,
        Confidence.HIGH,
    )


def _crewai_agent(ctx: ModuleContext, call: ast.Call) -> Finding | None:
    if not ctx.is_true(kit.keyword(call, "allow_code_execution")):
        return None
    mode = kit.constant_str(ctx, kit.keyword(call, "code_execution_mode"))
    if mode != "unsafe":
        return None
    return (
        "CrewAI `Agent(allow_code_execution=True, code_execution_mode='unsafe')` runs "
        "model-written code directly on the host instead of in Docker.",
        None,
        Confidence.HIGH,
    )


def _smolagents(ctx: ModuleContext, call: ast.Call, last: str, label: kit.Label) -> Finding | None:
    if last == "LocalPythonExecutor":
        return (_runs(label), Severity.MEDIUM, Confidence.MEDIUM)
    if last not in {"CodeAgent", "ReactCodeAgent"}:
        return None
    executor = kit.keyword(call, "executor_type")
    kind = kit.constant_str(ctx, executor) if executor is not None else "local"
    if kind != "local" or ctx.is_true(kit.keyword(call, "use_e2b_executor")):
        return None
    imports = ctx.constant(kit.keyword(call, "additional_authorized_imports"))
    broad = isinstance(imports, tuple) and bool(set(imports) & _DANGEROUS_IMPORTS)
    if broad:
        return (
            f"`{label}` runs model-written code in the local executor with "
            "`additional_authorized_imports` that reach the OS: that is code execution.",
            None,
            Confidence.HIGH,
        )
    return (
        f"`{label}` runs model-written Python in the local (in-process) executor, which is "
        "not a security sandbox; use executor_type='e2b', 'docker' or 'modal'.",
        Severity.MEDIUM,
        Confidence.MEDIUM,
    )


def docker_disabled(ctx: ModuleContext, mapping: ast.Dict) -> bool:
    """True for an AutoGen ``code_execution_config`` dict with ``use_docker`` false."""
    for key, value in kit.dict_items(mapping):
        if key == "use_docker" and ctx.is_false(value):
            return not isinstance(ctx.constant(value), str)
    return False
