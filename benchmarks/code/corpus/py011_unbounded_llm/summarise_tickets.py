"""Nightly job: summarise yesterday's support tickets."""

import asyncio
import json
from pathlib import Path

import openai
from openai import AsyncOpenAI, OpenAI

client = OpenAI(timeout=30)
aclient = AsyncOpenAI(timeout=30)
LIMIT = 300


def summarise(ticket: dict) -> str:
    resp = client.chat.completions.create(  # expect: AIW-PY011
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Summarise:\n" + ticket["body"]}],
    )
    return resp.choices[0].message.content


def summarise_bounded(ticket: dict) -> str:
    resp = client.chat.completions.create(  # ok: AIW-PY011
        model="gpt-4o-mini",
        max_tokens=LIMIT,
        messages=[{"role": "user", "content": "Summarise:\n" + ticket["body"]}],
    )
    return resp.choices[0].message.content


async def classify(ticket: dict) -> str:
    resp = await aclient.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": ticket["title"]}])  # expect: AIW-PY011
    return resp.choices[0].message.content


def headline(ticket: dict) -> str:
    out = client.responses.create(model="gpt-4.1-mini", input=ticket["body"])  # expect: AIW-PY011
    short = client.responses.create(model="gpt-4.1-mini", input=ticket["title"], max_output_tokens=40)  # ok: AIW-PY011
    return out.output_text + short.output_text


def legacy(ticket: dict) -> str:
    return openai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": ticket["body"]}]).choices[0].message.content  # expect: AIW-PY011


if __name__ == "__main__":
    tickets = json.loads(Path("tickets.json").read_text())
    summaries = [summarise(t) for t in tickets] + [asyncio.run(classify(tickets[0]))]
    Path("summaries.json").write_text(json.dumps(summaries))
