"""A careful RAG app: every call here is the safe form (held-out negatives, nothing expected)."""

import logging
import tarfile

import numpy as np
import torch
import yaml
from anthropic import Anthropic
from flask import Flask, jsonify, request
from jinja2.sandbox import ImmutableSandboxedEnvironment
from transformers import AutoTokenizer

log = logging.getLogger(__name__)
app = Flask(__name__)
claude = Anthropic(timeout=30, max_retries=3)
REV = "9c6ab0e4b5cfd9a1d1e3c0f6e2b7a8d9c0e1f2a3"
tok = AutoTokenizer.from_pretrained("acme/small-chat", revision=REV, trust_remote_code=False)  # ok: AIW-PY003, AIW-PY004
CONFIG = yaml.safe_load(open("app.yaml"))  # ok: AIW-PY022
VECTORS = np.load("vectors.npy", allow_pickle=False)  # ok: AIW-PY002
HEAD = torch.load("head.pt", map_location="cpu", weights_only=True)  # ok: AIW-PY001
TEMPLATES = ImmutableSandboxedEnvironment()


@app.post("/ask")
def ask():
    question = request.get_json()["question"]
    msg = claude.messages.create(  # ok: AIW-PY009, AIW-PY011
        model="claude-haiku-4-5",
        max_tokens=400,
        system=CONFIG["system_prompt"],
        messages=[{"role": "user", "content": question}],
    )
    log.info("answered in %d output tokens", msg.usage.output_tokens)  # ok: AIW-PY021
    prompt = TEMPLATES.from_string(tok.chat_template).render(messages=[{"role": "user", "content": question}])  # ok: AIW-PY012
    return jsonify(answer=msg.content[0].text, prompt_chars=len(prompt))


def unpack(path: str) -> None:
    with tarfile.open(path) as archive:
        archive.extractall("data", filter="data")  # ok: AIW-PY020


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000)  # ok: AIW-PY014
