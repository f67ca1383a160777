"""A small OpenAI-compatible server for HF checkpoints (no vLLM available)."""

from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
import jinja2 as j2
from transformers import AutoTokenizer

REV = "5f0b02c75b57c5855da9ae460ce51323ea669d8a"
tokenizer = AutoTokenizer.from_pretrained("HuggingFaceTB/SmolLM2-1.7B-Instruct", revision=REV)
pages = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())
sandbox = SandboxedEnvironment()


class PromptFormatter:
    def __init__(self, tok) -> None:
        self.source = tok.chat_template
        self.compiled = j2.Template(self.source)  # expect: AIW-PY012

    def format(self, messages: list[dict]) -> str:
        return self.compiled.render(messages=messages, bos_token=tokenizer.bos_token)

    def format_safely(self, messages: list[dict]) -> str:
        return sandbox.from_string(self.source).render(messages=messages)  # ok: AIW-PY012

    def format_builtin(self, messages: list[dict]) -> str:
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)  # ok: AIW-PY012


def index_page(models: list[str]) -> str:
    return pages.get_template("index.html").render(models=models)  # ok: AIW-PY012


def override_template(tok, path: str) -> str:
    with open(path) as fh:
        custom = fh.read()
    tok.chat_template = custom
    return j2.Environment().from_string(tok.chat_template).render(messages=[])  # expect: AIW-PY012
