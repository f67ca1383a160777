"""Ops agent prototype: the model proposes an action and we carry it out."""

import json
import os
import subprocess

from google import genai
from google.genai import types
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from openai import AsyncOpenAI

gclient = genai.Client(http_options=types.HttpOptions(timeout=30_000))
CONFIG = types.GenerateContentConfig(max_output_tokens=256)
chain = (
    ChatPromptTemplate.from_template("Return a Python expression computing: {q}")
    | ChatOpenAI(model="gpt-4o-mini", max_tokens=128, timeout=30)
    | StrOutputParser()
)
aclient = AsyncOpenAI(timeout=30)


def calculate(question: str) -> float:
    expression = chain.invoke({"q": question})
    return eval(expression)  # expect: AIW-PY008


def cleanup(hint: str) -> None:
    response = gclient.models.generate_content(model="gemini-2.5-flash", contents=hint, config=CONFIG)
    os.system(response.text)  # expect: AIW-PY008
    plan = json.loads(response.text)  # ok: AIW-PY008
    subprocess.run(["logger", "-t", "ops-agent", str(len(plan))], check=False)  # ok: AIW-PY008


async def remediate(alert: str) -> str:
    result = await aclient.responses.create(model="gpt-4.1-mini", input=alert, max_output_tokens=200)
    script = result.output_text
    proc = subprocess.Popen(script, shell=True, stdout=subprocess.PIPE)  # expect: AIW-PY008
    return proc.communicate()[0].decode()
