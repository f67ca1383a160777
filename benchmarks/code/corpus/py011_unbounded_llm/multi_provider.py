"""Provider-agnostic helpers used by the eval harness."""

import os

import anthropic
import litellm
from google import genai
from google.genai import types
from langchain_openai import ChatOpenAI
from mistralai import Mistral

gemini = genai.Client(http_options=types.HttpOptions(timeout=60_000))
claude = anthropic.Anthropic(timeout=60)
mistral = Mistral(api_key=os.environ["MISTRAL_API_KEY"], timeout_ms=30_000)

chatty = ChatOpenAI(model="gpt-4o", temperature=0.7, timeout=30)  # expect: AIW-PY011
bounded = ChatOpenAI(model="gpt-4o", temperature=0.7, max_tokens=512, timeout=30)  # ok: AIW-PY011


def via_litellm(prompt: str) -> str:
    r = litellm.completion(model="groq/llama-3.1-8b-instant", messages=[{"role": "user", "content": prompt}], timeout=30)  # expect: AIW-PY011
    return r.choices[0].message.content


def via_litellm_bounded(prompt: str) -> str:
    r = litellm.completion(model="groq/llama-3.1-8b-instant", messages=[{"role": "user", "content": prompt}], max_tokens=256, timeout=30)  # ok: AIW-PY011
    return r.choices[0].message.content


def via_gemini(prompt: str) -> str:
    r = gemini.models.generate_content(model="gemini-2.5-flash", contents=prompt)  # expect: AIW-PY011
    return r.text


def via_gemini_bounded(prompt: str) -> str:
    cfg = types.GenerateContentConfig(max_output_tokens=512, temperature=0.2)
    return gemini.models.generate_content(model="gemini-2.5-flash", contents=prompt, config=cfg).text  # ok: AIW-PY011


def via_claude(prompt: str) -> str:
    msg = claude.messages.create(model="claude-haiku-4-5", max_tokens=400, messages=[{"role": "user", "content": prompt}])  # ok: AIW-PY011
    return msg.content[0].text


def via_mistral(prompt: str) -> str:
    r = mistral.chat.complete(model="mistral-small-latest", messages=[{"role": "user", "content": prompt}])  # expect: AIW-PY011
    return r.choices[0].message.content
