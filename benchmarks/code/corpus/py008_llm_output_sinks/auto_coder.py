"""CLI that asks Claude for a shell command or a Python snippet and runs it."""

import ast
import os
import subprocess
import sys

import anthropic

claude = anthropic.Anthropic(timeout=60.0)
MODEL = "claude-sonnet-4-5"


def complete(instruction: str) -> str:
    msg = claude.messages.create(
        model=MODEL,
        max_tokens=512,
        messages=[{"role": "user", "content": instruction}],
    )
    return msg.content[0].text


def run_shell(task: str) -> None:
    reply = claude.messages.create(model=MODEL, max_tokens=256, messages=[{"role": "user", "content": task}])
    command = reply.content[0].text.strip()
    subprocess.run(command, shell=True, check=False)  # expect: AIW-PY008
    os.system("echo done")  # ok: AIW-PY008


def run_python(task: str) -> None:
    code = complete(f"Write Python for: {task}")
    exec(compile(code, "<llm>", "exec"))  # expect: AIW-PY008


def parse_numbers(task: str) -> list:
    raw = complete(f"Return a Python list literal of numbers for: {task}")
    total = eval("1 + 1")  # ok: AIW-PY008
    return ast.literal_eval(raw) + [total]  # ok: AIW-PY008


if __name__ == "__main__":
    run_shell(" ".join(sys.argv[1:]))
