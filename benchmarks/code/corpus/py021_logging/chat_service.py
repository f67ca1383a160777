"""Chat service with request logging for the on-call team."""

import logging
import os
import time

from fastapi import FastAPI, Request
from openai import OpenAI

logger = logging.getLogger("chat")
app = FastAPI()
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30)
MODEL = "gpt-4o-mini"


@app.post("/chat")
async def chat(request: Request) -> dict:
    body = await request.json()
    prompt = body["prompt"]
    logger.info("prompt received: %s", prompt)  # expect: AIW-PY021
    started = time.monotonic()
    resp = client.chat.completions.create(
        model=MODEL, max_tokens=500, messages=[{"role": "user", "content": prompt}]
    )
    answer = resp.choices[0].message.content
    logger.info(f"completion: {answer}")  # expect: AIW-PY021
    logger.info("model=%s latency=%.2fs tokens=%d", MODEL, time.monotonic() - started, resp.usage.total_tokens)  # ok: AIW-PY021
    logger.info("prompt length %d chars", len(prompt))  # ok: AIW-PY021
    return {"answer": answer}


@app.middleware("http")
async def log_headers(request: Request, call_next):
    logger.warning("auth header: %s", request.headers.get("authorization"))  # expect: AIW-PY021
    return await call_next(request)


def startup_check() -> None:
    key = os.environ.get("OPENAI_API_KEY")
    logging.info("OpenAI key in use: %s", key)  # expect: AIW-PY021
    logging.info("OpenAI key configured: %s", bool(key))  # ok: AIW-PY021
