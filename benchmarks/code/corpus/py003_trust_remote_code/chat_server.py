"""Serve a chat model with vLLM behind FastAPI (model id from the environment)."""

import os

from fastapi import FastAPI
from pydantic import BaseModel
from transformers import AutoTokenizer
from vllm import LLM, SamplingParams

MODEL_ID = os.environ.get("MODEL_ID", "Qwen/Qwen2.5-7B-Instruct")
MODEL_REV = "a09a35458c702b33eeacc393d103063234e8bc28"
REMOTE_CODE = os.environ.get("TRUST_REMOTE_CODE", "0") == "1"

tokenizer = AutoTokenizer.from_pretrained(MODEL_ID, revision=MODEL_REV, trust_remote_code=REMOTE_CODE)  # expect: AIW-PY003
llm = LLM(model=MODEL_ID, revision=MODEL_REV, trust_remote_code=True, max_model_len=8192)  # expect: AIW-PY003
params = SamplingParams(temperature=0.2, max_tokens=512)

app = FastAPI()


class Chat(BaseModel):
    messages: list[dict[str, str]]


@app.post("/v1/chat")
def chat(body: Chat) -> dict[str, str]:
    prompt = tokenizer.apply_chat_template(body.messages, tokenize=False, add_generation_prompt=True)
    out = llm.generate([prompt], params)
    return {"text": out[0].outputs[0].text}
