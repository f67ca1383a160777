"""Batch evaluation of the summariser; writes a run log for later review."""

import json
import logging
import sys

import anthropic

log = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO, stream=sys.stderr)
claude = anthropic.Anthropic(timeout=60)


class Evaluator:
    def __init__(self, system_prompt: str) -> None:
        self.system_prompt = system_prompt
        self.log = logging.getLogger("eval")

    def run_one(self, item: dict) -> str:
        messages = [{"role": "user", "content": item["document"]}]
        self.log.info("messages=%s", json.dumps(messages))  # expect: AIW-PY021
        msg = claude.messages.create(model="claude-haiku-4-5", max_tokens=300, system=self.system_prompt, messages=messages)
        self.log.info("stop_reason=%s output_tokens=%d", msg.stop_reason, msg.usage.output_tokens)  # ok: AIW-PY021
        log.error("bad summary for id=%s: %r", item["id"], msg.content[0].text)  # expect: AIW-PY021
        return msg.content[0].text

    def run(self, items: list[dict]) -> None:
        log.info("evaluating %d items with system prompt %r", len(items), self.system_prompt)  # expect: AIW-PY021
        done = [self.run_one(it) for it in items]
        log.info("done: %d summaries", len(done))  # ok: AIW-PY021
