"""Format chat prompts for local GGUF models using the template in their metadata."""

import json
from pathlib import Path

import jinja2
from gguf import GGUFReader
from jinja2 import Environment, BaseLoader, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment


def read_template(path: str) -> str:
    reader = GGUFReader(path)
    field = reader.fields["tokenizer.chat_template"]
    return bytes(field.parts[field.data[0]]).decode("utf-8")


def render_unsafe(path: str, messages: list[dict]) -> str:
    template = read_template(path)
    return jinja2.Environment(loader=jinja2.BaseLoader()).from_string(template).render(messages=messages)  # expect: AIW-PY012


def render_with_template_class(path: str, messages: list[dict]) -> str:
    tmpl = Template(read_template(path), trim_blocks=True)  # expect: AIW-PY012
    return tmpl.render(messages=messages, add_generation_prompt=True)


def render_sandboxed(path: str, messages: list[dict]) -> str:
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    return env.from_string(read_template(path)).render(messages=messages)  # ok: AIW-PY012


def render_from_tokenizer_config(model_dir: str, messages: list[dict]) -> str:
    cfg = json.loads((Path(model_dir) / "tokenizer_config.json").read_text())
    env = Environment(loader=BaseLoader(), autoescape=False)
    return env.from_string(cfg["chat_template"]).render(messages=messages, bos_token=cfg.get("bos_token", ""))  # expect: AIW-PY012
