"""AIW-PY008: LLM output reaching code execution, shell, SQL, HTML, file and URL sinks."""

from __future__ import annotations

import textwrap

import pytest

from aiwarden.analyzers.code import _taint_scope
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.analyzers.code.python_source import check_python_source
from aiwarden.analyzers.code.rules_llm_output import LlmOutputChecker
from aiwarden.core.severity import Confidence, Severity


def _issues(source: str) -> list[CodeIssue]:
    ctx = ModuleContext.parse(textwrap.dedent(source))
    return list(LlmOutputChecker().check(ctx))


OPENAI = """
import os, subprocess, sqlite3
from openai import OpenAI

client = OpenAI()
"""

POSITIVES = [
    pytest.param(
        OPENAI
        + """
def solve(question):
    messages = [{"role": "user", "content": question}]
    reply = client.chat.completions.create(model="gpt-4o", messages=messages)
    return eval(reply.choices[0].message.content)
""",
        "eval",
        Severity.CRITICAL,
        id="openai-eval-direct",
    ),
    pytest.param(
        OPENAI
        + """
def run(task):
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    code = reply.choices[0].message.content.strip().removeprefix("```python")
    exec(code, {})
""",
        "exec",
        Severity.CRITICAL,
        id="openai-exec-after-string-methods",
    ),
    pytest.param(
        """
import subprocess
import anthropic

async def suggest_command(goal: str) -> str:
    client = anthropic.AsyncAnthropic()
    message = await client.messages.create(model="claude", max_tokens=100, messages=[])
    command = message.content[0].text
    result = subprocess.run(command, shell=True, capture_output=True)
    return result.stdout
""",
        "subprocess.run(shell=True)",
        Severity.CRITICAL,
        id="anthropic-async-shell",
    ),
    pytest.param(
        OPENAI
        + """
def lookup(question):
    resp = client.chat.completions.create(model="gpt-4o", messages=[])
    sql = resp.choices[0].message.content
    conn = sqlite3.connect("app.db")
    return conn.execute(f"SELECT * FROM users WHERE {sql}").fetchall()
""",
        "conn.execute",
        Severity.HIGH,
        id="openai-sql-fstring",
    ),
    pytest.param(
        """
from flask import Flask, render_template_string
from langchain_openai import ChatOpenAI

app = Flask(__name__)
llm = ChatOpenAI(model="gpt-4o")

@app.route("/summary")
def summary():
    text = llm.invoke("Summarise the news").content
    return render_template_string("<div>" + text + "</div>")
""",
        "flask.render_template_string",
        Severity.HIGH,
        id="langchain-invoke-template",
    ),
    pytest.param(
        """
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.output_parsers import StrOutputParser
from langchain_anthropic import ChatAnthropic
import os

prompt = ChatPromptTemplate.from_template("Write a shell command to {task}")
chain = prompt | ChatAnthropic(model="claude-3-5-sonnet") | StrOutputParser()

def do(task):
    command = chain.invoke({"task": task})
    os.system(command)
""",
        "os.system",
        Severity.CRITICAL,
        id="lcel-pipeline-shell",
    ),
    pytest.param(
        """
import openai

class Agent:
    def __init__(self):
        self.client = openai.OpenAI()

    def act(self, prompt):
        out = self.client.chat.completions.create(model="gpt-4o", messages=[])
        action = out.choices[0].message.content
        exec(action)
""",
        "exec",
        Severity.CRITICAL,
        id="self-client-from-init",
    ),
    pytest.param(
        """
import google.generativeai as genai
from markupsafe import Markup

model = genai.GenerativeModel("gemini-1.5-pro")

def render(topic):
    response = model.generate_content(f"Write HTML about {topic}")
    return Markup(response.text)
""",
        "markupsafe.Markup",
        Severity.HIGH,
        id="gemini-markup",
    ),
    pytest.param(
        """
import litellm, requests

def fetch(question):
    resp = litellm.completion(model="gpt-4o", messages=[])
    url = resp.choices[0].message.content
    return requests.get(url, timeout=5).text
""",
        "requests.get",
        Severity.MEDIUM,
        id="litellm-ssrf",
    ),
    pytest.param(
        """
import ollama

def save(name):
    reply = ollama.chat(model="llama3", messages=[])
    filename = reply["message"]["content"]
    with open(filename, "w") as handle:
        handle.write("x")
""",
        "open",
        Severity.MEDIUM,
        id="ollama-file-path",
    ),
    pytest.param(
        """
from openai import OpenAI
import json

client = OpenAI()

def call_tool():
    response = client.chat.completions.create(model="gpt-4o", messages=[], tools=[])
    for call in response.choices[0].message.tool_calls:
        args = json.loads(call.function.arguments)
        eval(args["expression"])
""",
        "eval",
        Severity.CRITICAL,
        id="tool-call-arguments-loop",
    ),
    pytest.param(
        """
from transformers import pipeline

generator = pipeline("text-generation", model="gpt2")

def complete(prompt):
    text = generator(prompt)[0]["generated_text"]
    exec(text)
""",
        "exec",
        Severity.CRITICAL,
        id="hf-pipeline",
    ),
    pytest.param(
        """
from transformers import AutoModelForCausalLM, AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("gpt2")
model = AutoModelForCausalLM.from_pretrained("gpt2")

def run(prompt):
    ids = model.generate(**tokenizer(prompt, return_tensors="pt"))
    code = tokenizer.decode(ids[0], skip_special_tokens=True)
    exec(code)
""",
        "exec",
        Severity.CRITICAL,
        id="hf-generate-decode",
    ),
    pytest.param(
        """
from openai import OpenAI

client = OpenAI()

def ask(prompt: str) -> str:
    messages = [{"role": "user", "content": prompt}]
    r = client.chat.completions.create(model="gpt-4o", messages=messages)
    return r.choices[0].message.content

def main():
    code = ask("write python")
    exec(code)
""",
        "exec",
        Severity.CRITICAL,
        id="helper-returns-llm-output",
    ),
    pytest.param(
        """
import subprocess
from openai import OpenAI

client = OpenAI()

def run_shell(command):
    return subprocess.check_output(command, shell=True)

def main():
    r = client.responses.create(model="gpt-4o", input="list files")
    run_shell(r.output_text)
""",
        "subprocess.check_output(shell=True)",
        Severity.CRITICAL,
        id="sink-inside-helper",
    ),
    pytest.param(
        """
from llama_index.core import VectorStoreIndex, SimpleDirectoryReader
from sqlalchemy import text

index = VectorStoreIndex.from_documents(SimpleDirectoryReader("data").load_data())
engine = index.as_query_engine()

def answer(session, q):
    query = str(engine.query(q))
    return session.execute(text(query))
""",
        "sqlalchemy.text",
        Severity.HIGH,
        id="llamaindex-sqlalchemy-text",
    ),
    pytest.param(
        """
import streamlit as st
from openai import OpenAI

client = OpenAI()
stream = client.chat.completions.create(model="gpt-4o", messages=[], stream=True)
answer = ""
for chunk in stream:
    answer += chunk.choices[0].delta.content or ""
st.markdown(answer, unsafe_allow_html=True)
""",
        "markdown(unsafe_allow_html=True)",
        Severity.HIGH,
        id="streamlit-stream-module-level",
    ),
    pytest.param(
        """
import subprocess
from openai import OpenAI

client = OpenAI()

def run():
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    script = reply.choices[0].message.content
    subprocess.run(["python", "-c", script], check=True)
""",
        "subprocess.run (python -c)",
        Severity.CRITICAL,
        id="interpreter-dash-c",
    ),
    pytest.param(
        """
import openai

def legacy(prompt):
    completion = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[])
    if (expr := completion["choices"][0]["message"]["content"]):
        return eval(expr)
""",
        "eval",
        Severity.CRITICAL,
        id="legacy-api-walrus",
    ),
    pytest.param(
        """
from langchain.chat_models import init_chat_model
import os

class Runner:
    def __init__(self, llm=None):
        self.llm = init_chat_model("gpt-4o")

    def step(self, goal):
        msg = self.llm.invoke(goal)
        cmd, _, rest = msg.content.partition("\\n")
        os.popen(cmd)
""",
        "os.popen",
        Severity.CRITICAL,
        id="tuple-unpack-init-chat-model",
    ),
]


@pytest.mark.parametrize(("source", "sink", "severity"), POSITIVES)
def test_llm_output_reaching_a_sink_is_reported(source: str, sink: str, severity: Severity) -> None:
    issues = _issues(source)
    assert [i.rule.id for i in issues] == ["AIW-PY008"], [i.message for i in issues]
    assert f"reaches {sink} (line" in issues[0].message
    assert issues[0].severity is severity


NEGATIVES = [
    pytest.param(
        OPENAI
        + """
def calc():
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    print(reply.choices[0].message.content)
    return eval("1 + 1")
""",
        id="constant-eval",
    ),
    pytest.param(
        OPENAI
        + """
def store(question):
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    answer = reply.choices[0].message.content
    cur = sqlite3.connect("app.db").cursor()
    cur.execute("INSERT INTO answers VALUES (?, ?)", (question, answer))
    cur.executemany("INSERT INTO log VALUES (?)", [(answer,)])
""",
        id="parameterised-sql",
    ),
    pytest.param(
        OPENAI
        + """
def count():
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    n = reply.choices[0].message.content
    n = int(n)
    os.system(f"seq {n}")
""",
        id="int-sanitiser",
    ),
    pytest.param(
        OPENAI
        + """
import shlex

def grep():
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    word = reply.choices[0].message.content
    os.system("grep -r " + shlex.quote(word) + " .")
""",
        id="shlex-quote",
    ),
    pytest.param(
        """
import html
from flask import render_template_string
from openai import OpenAI

client = OpenAI()

def page():
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    safe = html.escape(reply.choices[0].message.content)
    return render_template_string("<p>{{ text }}</p>", text=safe)
""",
        id="escaped-html-as-template-variable",
    ),
    pytest.param(
        OPENAI
        + """
import ast

def parse():
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    return ast.literal_eval(reply.choices[0].message.content)
""",
        id="literal-eval-is-not-code-execution",
    ),
    pytest.param(
        OPENAI
        + """
def overwritten():
    code = client.chat.completions.create(model="gpt-4o", messages=[]).choices[0].message.content
    code = "print('hello')"
    exec(code)
""",
        id="overwritten-by-constant",
    ),
    pytest.param(
        OPENAI
        + """
ALLOWED = {"ls", "pwd", "whoami"}

def guarded():
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    command = reply.choices[0].message.content.strip()
    if command not in ALLOWED:
        raise ValueError(command)
    subprocess.run(command, shell=True)
""",
        id="allowlist-guard",
    ),
    pytest.param(
        OPENAI
        + """
def argv():
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    name = reply.choices[0].message.content
    subprocess.run(["git", "log", "--author", name], check=True)
""",
        id="argv-list-argument",
    ),
    pytest.param(
        OPENAI
        + """
import requests

def search():
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    q = reply.choices[0].message.content
    return requests.get(f"https://api.example.com/search?q={q}", timeout=5)
""",
        id="url-with-fixed-host",
    ),
    pytest.param(
        """
import os

def user_code(source):
    exec(source)
    os.system("ls " + source)
""",
        id="no-llm-source",
    ),
    pytest.param(
        """
from twilio.rest import Client
import os

client = Client()

def notify():
    msg = client.messages.create(body="hi", to="+1", from_="+2")
    os.system("echo " + msg.sid)
""",
        id="twilio-messages-create",
    ),
    pytest.param(
        """
from langchain_core.prompts import PromptTemplate
import os

prompt = PromptTemplate.from_template("List files in {d}")

def show(d):
    text = prompt.invoke({"d": d}).to_string()
    os.system("echo done")
    return text
""",
        id="prompt-template-is-not-a-model",
    ),
    pytest.param(
        OPENAI
        + """
from pathlib import Path

BASE = Path("/srv/out").resolve()

def write():
    reply = client.chat.completions.create(model="gpt-4o", messages=[])
    target = (BASE / reply.choices[0].message.content).resolve()
    if not target.is_relative_to(BASE):
        raise ValueError("escape")
    target.write_text("data")
""",
        id="contained-path",
    ),
]


@pytest.mark.parametrize("source", NEGATIVES)
def test_safe_uses_of_llm_output_are_not_reported(source: str) -> None:
    assert _issues(source) == []


def test_the_message_names_source_and_sink_with_lines_and_points_at_the_source() -> None:
    source = """
    from openai import OpenAI
    client = OpenAI()

    def run():
        reply = client.chat.completions.create(model="gpt-4o", messages=[])
        text = reply.choices[0].message.content
        eval(text)
    """
    (issue,) = _issues(source)
    assert issue.message.startswith(
        "Output of openai chat.completions.create (line 6) reaches eval (line 8)"
    )
    assert (issue.line, issue.confidence) == (8, Confidence.HIGH)
    assert issue.related[0].line == 6
    assert issue.related[0].label == "LLM output"
    assert "6" not in issue.fingerprint_key


def test_an_unknown_receiver_with_a_distinctive_chain_is_a_medium_confidence_source() -> None:
    source = """
    def run(client, prompt):
        reply = client.chat.completions.create(model="m", messages=[])
        exec(reply.choices[0].message.content)
    """
    (issue,) = _issues(source)
    assert issue.confidence is Confidence.MEDIUM


def test_a_tainted_value_in_one_branch_is_still_reported_after_the_join() -> None:
    source = """
    from openai import OpenAI
    client = OpenAI()

    def run(flag):
        code = "print(1)"
        if flag:
            code = client.chat.completions.create(model="m", messages=[]).choices[0].message.content
        else:
            pass
        exec(code)
    """
    assert len(_issues(source)) == 1


def test_the_rule_runs_through_check_python_source() -> None:
    source = (
        OPENAI
        + "reply = client.chat.completions.create(model='m', messages=[])\n"
        + "eval(reply.choices[0].message.content)\n"
    )
    ids = [i.rule.id for i in check_python_source(source)]
    assert "AIW-PY008" in ids


TWINS = [
    pytest.param(
        'ALLOWED = {"ls", "pwd", "whoami"}',
        "    if command not in ALLOWED:\n        raise ValueError(command)\n",
        id="allowlist-guard",
    ),
    pytest.param(
        "BASE = Path",
        '    if not target.is_relative_to(BASE):\n        raise ValueError("escape")\n',
        id="contained-path",
    ),
    pytest.param(
        "def overwritten", "    code = \"print('hello')\"\n", id="overwritten-by-constant"
    ),
    pytest.param("def count", "    n = int(n)\n", id="int-sanitiser"),
]


@pytest.mark.parametrize(("marker", "removed"), TWINS)
def test_the_unsafe_twin_of_a_negative_is_reported(marker: str, removed: str) -> None:
    (source,) = [p.values[0] for p in NEGATIVES if marker in str(p.values[0])]
    assert isinstance(source, str) and removed in source
    assert _issues(source) == []
    assert len(_issues(source.replace(removed, ""))) == 1


def test_markup_of_escaped_output_is_not_reported() -> None:
    source = """
    import html
    from markupsafe import Markup
    from openai import OpenAI
    client = OpenAI()

    def page():
        reply = client.chat.completions.create(model="gpt-4o", messages=[])
        return Markup("<p>%s</p>") % html.escape(reply.choices[0].message.content), Markup(
            html.escape(reply.choices[0].message.content)
        )
    """
    assert _issues(source) == []


def test_a_notebook_cell_without_imports_still_resolves_conventional_modules() -> None:
    source = """
    reply = client.chat.completions.create(model="gpt-4o", messages=messages)
    os.system(reply.choices[0].message.content)
    """
    (issue,) = _issues(source)
    assert "reaches os.system" in issue.message
    assert issue.confidence is Confidence.MEDIUM


def test_output_stored_on_self_reaches_a_sink_in_another_method() -> None:
    source = """
    from langchain_openai import ChatOpenAI

    class CodeAgent:
        def __init__(self):
            self.llm = ChatOpenAI(model="gpt-4o")
            self.last_code = ""

        def plan(self, task):
            self.last_code = self.llm.invoke(task).content

        def execute(self):
            exec(self.last_code)
    """
    (issue,) = _issues(source)
    assert issue.line == 13
    assert "ChatOpenAI.invoke (line 10)" in issue.message


def test_a_module_level_reply_read_in_a_function_is_reported() -> None:
    source = """
    import subprocess
    import ollama

    reply = ollama.generate(model="llama3", prompt="write a command")

    def main():
        subprocess.run(reply["response"], shell=True)
    """
    (issue,) = _issues(source)
    assert issue.severity is Severity.CRITICAL


TOOLS = [
    pytest.param(
        """
from langchain_core.tools import tool

@tool
def calculator(expression: str) -> str:
    \"\"\"Evaluate a maths expression.\"\"\"
    return str(eval(expression))
""",
        "eval",
        id="langchain-tool-decorator",
    ),
    pytest.param(
        """
import subprocess
from langchain.tools import BaseTool

class ShellTool(BaseTool):
    name: str = "shell"
    description: str = "Run a command"

    def _run(self, command: str, run_manager=None) -> str:
        return subprocess.check_output(command, shell=True, text=True)
""",
        "subprocess.check_output(shell=True)",
        id="basetool-subclass",
    ),
    pytest.param(
        """
from agents import function_tool

@function_tool
def read_note(path: str) -> str:
    with open(path) as handle:
        return handle.read()
""",
        "open",
        id="agents-sdk-function-tool",
    ),
]


@pytest.mark.parametrize(("source", "sink"), TOOLS)
def test_model_chosen_tool_arguments_reaching_a_sink_are_reported(source: str, sink: str) -> None:
    (issue,) = _issues(source)
    assert issue.message.startswith("Model-chosen argument")
    assert f"reaches {sink} (line" in issue.message


def test_tools_with_numeric_arguments_and_mcp_tools_are_not_py008() -> None:
    source = """
    import subprocess
    from langchain_core.tools import tool
    from mcp.server.fastmcp import FastMCP

    mcp = FastMCP("x")

    @tool
    def wait(seconds: int) -> str:
        return subprocess.check_output(f"sleep {seconds}", shell=True, text=True)

    @mcp.tool()
    def run(command: str) -> str:
        return subprocess.check_output(command, shell=True, text=True)
    """
    assert _issues(source) == []


def test_a_function_over_the_analysis_budget_is_reported_as_not_analysed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_taint_scope, "SCOPE_STEPS", 40)
    body = "\n".join(f"    v{i} = reply.choices[{i}].message.content" for i in range(30))
    source = OPENAI + (
        "def big():\n"
        "    reply = client.chat.completions.create(model='m', messages=[])\n"
        f"{body}\n"
        "    eval(v1)\n"
    )
    (issue,) = _issues(source)
    assert issue.rule.id == "AIW-PY099"
    assert "big is too large for the taint analysis of AIW-PY008" in issue.message
