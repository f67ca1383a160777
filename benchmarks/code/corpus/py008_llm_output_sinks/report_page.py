"""Flask page that renders an LLM-written weekly report."""

import os
from pathlib import Path

import litellm
import ollama
import requests
from flask import Flask, render_template, render_template_string
from markupsafe import Markup, escape

app = Flask(__name__)
REPORTS = Path("reports")
local_llm = ollama.Client(host="http://localhost:11434", timeout=30)


def draft(topic: str) -> str:
    out = litellm.completion(
        model="gpt-4o-mini", max_tokens=700, timeout=60, messages=[{"role": "user", "content": topic}]
    )
    return out.choices[0].message.content


@app.get("/report/<topic>")
def report(topic: str):
    html = draft(f"Write an HTML report about {topic}")
    return render_template_string(html)  # expect: AIW-PY008


@app.get("/card/<topic>")
def card(topic: str):
    body = draft(f"One-line summary of {topic}")
    safe = render_template("card.html", body=body)  # ok: AIW-PY008
    return safe + str(Markup(body))  # expect: AIW-PY008


@app.get("/escaped/<topic>")
def escaped(topic: str):
    return f"<p>{escape(draft(topic))}</p>"  # ok: AIW-PY008


def save_and_fetch(topic: str) -> str:
    resp = local_llm.chat(model="llama3.1", messages=[{"role": "user", "content": topic}], options={"num_predict": 256})
    name = resp["message"]["content"].strip()
    (REPORTS / name).write_text("draft")  # expect: AIW-PY008
    link = draft(f"Give one URL with sources about {topic}")
    return requests.get(link, timeout=10).text  # expect: AIW-PY008; allow: AIW-PY019
