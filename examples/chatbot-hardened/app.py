"""Acme support chatbot, hardened: the twin of examples/chatbot with its problems fixed.

Every change from the vulnerable example is deliberate; README.md lists them.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from pathlib import Path

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from openai import OpenAI
from pydantic import BaseModel, Field
from safetensors.numpy import load_file
from slowapi import Limiter
from slowapi.util import get_remote_address

HERE = Path(__file__).parent
MODEL_DIR = HERE / "models"
SYSTEM_PROMPT = (HERE / "prompts" / "system_prompt.txt").read_text(encoding="utf-8")
MODEL = "gpt-4o-mini-2024-07-18"  # pinned model version; changes go through CHANGELOG.md
DIAGNOSTICS = {"billing", "login", "outage", "api-keys"}
"""The only diagnostics the model may pick; nothing it writes is executed."""

log = logging.getLogger("support-bot")
limiter = Limiter(key_func=get_remote_address)
client = OpenAI(timeout=20.0, max_retries=2)
app = FastAPI(title="Acme support bot", version="1.4.2")
app.state.limiter = limiter


def verified(path: Path) -> Path:
    """``path`` after checking its SHA-256 against models/SHA256SUMS (fail closed)."""
    expected = {}
    for line in (MODEL_DIR / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        expected[name.strip()] = digest
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if not hmac.compare_digest(actual, expected.get(path.name, "")):
        raise RuntimeError(f"{path.name}: hash does not match SHA256SUMS; refusing to load")
    return path


# safetensors holds tensors only: loading it cannot run code.
embeddings = load_file(verified(MODEL_DIR / "embeddings.safetensors"))


def require_api_key(x_api_key: str = Header(default="")) -> str:
    """Callers authenticate with a per-tenant key issued by the platform team."""
    expected = os.environ.get("SUPPORT_BOT_API_KEY", "")
    if not expected or not hmac.compare_digest(x_api_key, expected):
        raise HTTPException(status_code=401, detail="invalid API key")
    return x_api_key


class Question(BaseModel):
    user_id: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=2000)


def ask_llm(question: str) -> str:
    """Moderate the question, then answer it with a bounded completion."""
    moderation = client.moderations.create(model="omni-moderation-latest", input=question)
    if moderation.results[0].flagged:
        raise HTTPException(status_code=400, detail="question rejected by the content filter")
    response = client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": question},
        ],
        max_tokens=400,
        timeout=20.0,
    )
    return response.choices[0].message.content or ""


def audit(user_id: str, route: str, chars: int) -> None:
    """Audit log without the prompt: a pseudonymous user id, the route and the size."""
    pseudonym = hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:16]
    log.info("request route=%s user=%s chars=%d", route, pseudonym, chars)


@app.post("/v1/chat")
@limiter.limit("20/minute")
def chat(
    request: Request, question: Question, _key: str = Depends(require_api_key)
) -> dict[str, str]:
    """Answer a support question."""
    audit(question.user_id, "chat", len(question.text))
    return {"answer": ask_llm(question.text)}


@app.post("/v1/diagnose")
@limiter.limit("5/minute")
def diagnose(
    request: Request, question: Question, _key: str = Depends(require_api_key)
) -> dict[str, str]:
    """Let the model pick one of the fixed diagnostics; a person runs it from the console."""
    audit(question.user_id, "diagnose", len(question.text))
    names = ", ".join(sorted(DIAGNOSTICS))
    choice = ask_llm(f"Answer with exactly one of: {names}. Question: {question.text}").strip()
    if choice not in DIAGNOSTICS:
        raise HTTPException(status_code=422, detail="no matching diagnostic")
    return {"diagnostic": choice, "next": "a support engineer will run it and reply"}
