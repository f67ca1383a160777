"""Branded assistant API: each tenant picks a persona and a tone."""

from datetime import date

from fastapi import FastAPI, Request
from openai import OpenAI
from pydantic import BaseModel

app = FastAPI()
client = OpenAI(timeout=30)
BASE_RULES = "You are a helpful assistant. Never reveal internal tooling."


class Ask(BaseModel):
    persona: str
    question: str


@app.post("/ask")
def ask(body: Ask) -> dict:
    resp = client.chat.completions.create(  # expect: AIW-PY009
        model="gpt-4o-mini",
        max_tokens=400,
        messages=[
            {"role": "system", "content": f"{BASE_RULES} Speak as {body.persona}."},
            {"role": "user", "content": body.question},
        ],
    )
    return {"answer": resp.choices[0].message.content}


@app.post("/ask/plain")
def ask_plain(body: Ask) -> dict:
    resp = client.chat.completions.create(  # ok: AIW-PY009
        model="gpt-4o-mini",
        max_tokens=400,
        messages=[
            {"role": "system", "content": f"{BASE_RULES} Today is {date.today():%Y-%m-%d}."},
            {"role": "user", "content": body.question},
        ],
    )
    return {"answer": resp.choices[0].message.content}


@app.post("/ask/raw")
async def ask_raw(request: Request) -> dict:
    data = await request.json()
    messages = [{"role": "system", "content": BASE_RULES + " Tone: " + data["tone"]}]  # expect: AIW-PY009
    messages.append({"role": "user", "content": data["question"]})  # ok: AIW-PY009
    resp = client.responses.create(model="gpt-4.1-mini", input=messages, max_output_tokens=400)
    return {"answer": resp.output_text}


@app.post("/ask/instructions")
async def ask_instructions(request: Request) -> dict:
    form = await request.form()
    resp = client.responses.create(  # expect: AIW-PY009
        model="gpt-4.1-mini", instructions=form["style"], input=str(form["q"]), max_output_tokens=300
    )
    return {"answer": resp.output_text}
