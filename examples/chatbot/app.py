# ruff: noqa
"""Acme support chatbot: a deliberately vulnerable example for aiwarden.

DO NOT DEPLOY. Every problem in this file is planted on purpose; see SCENARIO.md.
"""

import os
import subprocess
from pathlib import Path

import torch
from fastapi import FastAPI
from openai import OpenAI
from pydantic import BaseModel
from transformers import AutoModel, AutoTokenizer

app = FastAPI(title="Acme support bot")
client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY"))

SYSTEM_PROMPT = (Path(__file__).parent / "prompts" / "system_prompt.txt").read_text()
MODEL_DIR = Path(__file__).parent / "models"

# Planted: torch.load without weights_only on a pickle-based checkpoint.
sentiment_state = torch.load(MODEL_DIR / "sentiment.pt")

# Planted: remote code from the hub, unpinned revision.
embedder = AutoModel.from_pretrained("acme-labs/support-embeddings", trust_remote_code=True)
tokenizer = AutoTokenizer.from_pretrained("acme-labs/support-embeddings")


class Question(BaseModel):
    user_id: str
    text: str


def ask_llm(question: str) -> str:
    """Send the user's question to the model, with the system prompt."""
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": question},
        ],
    )
    return response.choices[0].message.content or ""


@app.post("/chat")
def chat(question: Question) -> dict[str, str]:
    """Answer a support question."""
    return {"answer": ask_llm(question.text)}


@app.post("/calculate")
def calculate(question: Question) -> dict[str, str]:
    """Let the model turn a billing question into an arithmetic expression, then run it."""
    expression = ask_llm(f"Reply with only a Python expression that computes: {question.text}")
    # Planted: LLM output passed straight to eval (improper output handling).
    return {"result": str(eval(expression))}


@app.post("/diagnose")
def diagnose(question: Question) -> dict[str, str]:
    """Ask the model for a shell command that checks the user's service, and run it."""
    command = ask_llm(f"Reply with one shell command that diagnoses: {question.text}")
    # Planted: LLM output run by a shell (excessive agency, command injection).
    output = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30)
    return {"output": output.stdout}
