"""Convert HF tokenizer templates to Ollama Modelfiles (offline tool)."""

import json
import sys

import jinja2
from llama_cpp import Llama
from jinja2 import Environment, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment as Sandbox

PREVIEW = [{"role": "user", "content": "hello"}]


def preview(config_path: str) -> str:
    with open(config_path) as fh:
        cfg = json.load(fh)
    env = Environment(undefined=StrictUndefined)
    tmpl = env.from_string(cfg["chat_template"])  # expect: AIW-PY012
    return tmpl.render(messages=PREVIEW, add_generation_prompt=True)


def preview_safe(config_path: str) -> str:
    with open(config_path) as fh:
        cfg = json.load(fh)
    return Sandbox().from_string(cfg["chat_template"]).render(messages=PREVIEW)  # ok: AIW-PY012


def preview_gguf(model_path: str) -> str:
    llm = Llama(model_path=model_path, vocab_only=True, verbose=False)
    return jinja2.Template(llm.metadata["tokenizer.chat_template"]).render(messages=PREVIEW)  # expect: AIW-PY012


if __name__ == "__main__":
    print(preview(sys.argv[1]))
