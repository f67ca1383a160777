"""Autonomous research agent: keeps calling the model until it says DONE."""

import json

from openai import OpenAI

client = OpenAI(timeout=60)
MAX_STEPS = 12
TOOLS = {"search": lambda q: f"results for {q}"}


def step(history: list[dict]) -> dict:
    resp = client.chat.completions.create(model="gpt-4o", max_tokens=600, messages=history)
    return json.loads(resp.choices[0].message.content)


def run_unbounded(goal: str) -> str:
    history = [{"role": "user", "content": goal}]
    while True:  # expect: AIW-PY018
        action = step(history)
        if action["type"] == "final":
            return action["answer"]
        history.append({"role": "assistant", "content": json.dumps(action)})
        history.append({"role": "user", "content": TOOLS[action["tool"]](action["input"])})


def run_bounded(goal: str) -> str:
    history = [{"role": "user", "content": goal}]
    for _ in range(MAX_STEPS):  # ok: AIW-PY018
        action = step(history)
        if action["type"] == "final":
            return action["answer"]
        history.append({"role": "user", "content": TOOLS[action["tool"]](action["input"])})
    return "gave up"


def run_direct(goal: str) -> str:
    messages = [{"role": "user", "content": goal}]
    while 1:  # expect: AIW-PY018
        reply = client.chat.completions.create(model="gpt-4o", max_tokens=400, messages=messages)
        text = reply.choices[0].message.content
        if "DONE" in text:
            return text
        messages.append({"role": "assistant", "content": text})
