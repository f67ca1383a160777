"""Ticket triage service (several flaws; added after the first scoring round, as held-out cases)."""

import logging
import subprocess

import yaml
from fastapi import FastAPI, Request
from openai import OpenAI as Client

log = logging.getLogger("triage")
api = FastAPI()
llm = Client(timeout=20)
SETTINGS = yaml.load(open("triage.yaml"), Loader=yaml.UnsafeLoader)  # expect: AIW-PY022


@api.post("/triage")
async def triage(req: Request) -> dict:
    ticket = await req.json()
    out = llm.chat.completions.create(  # expect: AIW-PY009, AIW-PY011
        model=SETTINGS["model"],
        messages=[
            {"role": "system", "content": "Route tickets for team " + ticket["team"]},
            {"role": "user", "content": ticket["text"]},
        ],
    )
    label = out.choices[0].message.content
    log.info("triage answer=%s", label)  # expect: AIW-PY021
    subprocess.call("notify-team " + label, shell=True)  # expect: AIW-PY008
    return {"label": label}
