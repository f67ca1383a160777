"""AIW-PY009: request data formatted into the system/developer role of a prompt."""

from __future__ import annotations

import textwrap

import pytest

from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.analyzers.code.rules_prompt_injection import SystemPromptChecker
from aiwarden.core.severity import Severity


def _issues(source: str) -> list[CodeIssue]:
    ctx = ModuleContext.parse(textwrap.dedent(source))
    return list(SystemPromptChecker().check(ctx))


POSITIVES = [
    pytest.param(
        """
from flask import Flask, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()

@app.post("/chat")
def chat():
    persona = request.json["persona"]
    messages = [
        {"role": "system", "content": f"You are {persona}. Never reveal secrets."},
        {"role": "user", "content": request.json["question"]},
    ]
    return client.chat.completions.create(model="gpt-4o", messages=messages)
""",
        "'system' message content",
        id="flask-json-system-dict",
    ),
    pytest.param(
        """
from fastapi import FastAPI
from anthropic import Anthropic

app = FastAPI()
client = Anthropic()

@app.get("/ask")
async def ask(question: str, tone: str = "friendly"):
    system = "Answer in a {} tone.".format(tone)
    return client.messages.create(
        model="claude", max_tokens=512, system=system,
        messages=[{"role": "user", "content": question}],
    )
""",
        "messages.create(system=...)",
        id="fastapi-param-anthropic-system",
    ),
    pytest.param(
        """
from fastapi import APIRouter
from pydantic import BaseModel
from langchain_core.messages import SystemMessage, HumanMessage
from langchain_openai import ChatOpenAI

router = APIRouter()
llm = ChatOpenAI()

class Body(BaseModel):
    instructions: str
    text: str

@router.post("/run")
def run(body: Body):
    return llm.invoke([SystemMessage(content=body.instructions), HumanMessage(content=body.text)])
""",
        "SystemMessage",
        id="fastapi-body-system-message",
    ),
    pytest.param(
        """
from flask import request
from langchain_core.prompts import ChatPromptTemplate

def build():
    role = request.args.get("role", "assistant")
    return ChatPromptTemplate.from_messages([
        ("system", f"You are a {role}."),
        ("human", "{question}"),
    ])
""",
        "('system', ...) template message",
        id="flask-args-prompt-template-tuple",
    ),
    pytest.param(
        """
import google.generativeai as genai
from django.http import JsonResponse

def view(request):
    rules = request.POST.get("rules", "")
    model = genai.GenerativeModel("gemini-1.5-pro", system_instruction=rules)
    return JsonResponse({"text": model.generate_content("hi").text})
""",
        "genai.GenerativeModel(system_instruction=...)",
        id="django-post-gemini-system-instruction",
    ),
    pytest.param(
        """
from flask import Flask, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()

def make_messages(style, question):
    return [
        {"role": "developer", "content": "Style: " + style},
        {"role": "user", "content": question},
    ]

@app.route("/q")
def q():
    data = request.get_json()
    messages = make_messages(data["style"], data["q"])
    return client.chat.completions.create(model="o3", messages=messages)
""",
        "'developer' message content",
        id="helper-builds-developer-message",
    ),
]


@pytest.mark.parametrize(("source", "sink"), POSITIVES)
def test_request_data_in_the_system_prompt_is_reported(source: str, sink: str) -> None:
    issues = _issues(source)
    assert [i.rule.id for i in issues] == ["AIW-PY009"], [i.message for i in issues]
    assert f"({sink}, line" in issues[0].message
    assert issues[0].severity is None or issues[0].severity is Severity.MEDIUM


NEGATIVES = [
    pytest.param(
        """
from flask import Flask, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()

@app.post("/chat")
def chat():
    messages = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": request.json["question"]},
    ]
    return client.chat.completions.create(model="gpt-4o", messages=messages)
""",
        id="user-role-request-data",
    ),
    pytest.param(
        """
from fastapi import FastAPI
from langchain_core.messages import SystemMessage, HumanMessage

app = FastAPI()
PERSONAS = {"tutor": "You are a tutor.", "coder": "You review code."}

@app.get("/ask")
def ask(question: str, persona: str):
    if persona not in PERSONAS:
        persona = "tutor"
    return [SystemMessage(content=PERSONAS["tutor"]), HumanMessage(content=question)]
""",
        id="system-from-constant-table",
    ),
    pytest.param(
        """
import sys
from openai import OpenAI

client = OpenAI()
system = input("System prompt: ") + sys.argv[1]
client.chat.completions.create(model="m", messages=[{"role": "system", "content": system}])
""",
        id="cli-input-is-not-request-data",
    ),
    pytest.param(
        """
from fastapi import FastAPI
from anthropic import Anthropic

app = FastAPI()
client = Anthropic()

@app.get("/ask")
def ask(question: str, max_words: int):
    return client.messages.create(
        model="claude", max_tokens=512, system=f"Answer in at most {max_words} words.",
        messages=[{"role": "user", "content": question}],
    )
""",
        id="integer-parameter",
    ),
]


NEGATIVES.append(
    pytest.param(
        """
from fastapi import FastAPI, Request
from openai import OpenAI

app = FastAPI()
client = OpenAI()

@app.post("/chat")
async def chat(request: Request):
    system = request.app.state.settings.system_prompt
    body = await request.json()
    messages = [
        {"role": "system", "content": system},
        {"role": "user", "content": body["message"]},
    ]
    return client.chat.completions.create(model="gpt-4o", messages=messages)
""",
        id="app-state-on-the-request-object",
    )
)


@pytest.mark.parametrize("source", NEGATIVES)
def test_request_data_outside_the_system_role_is_not_reported(source: str) -> None:
    assert _issues(source) == []


def test_the_message_names_the_request_data_and_its_line() -> None:
    source = """
    from flask import request
    def handler():
        msgs = [{"role": "system", "content": request.args["sys"]}]
        return msgs
    """
    (issue,) = _issues(source)
    assert issue.message.startswith("Request data request.args (line 4) is placed in the system")
    assert issue.related[0].label == "request data"
