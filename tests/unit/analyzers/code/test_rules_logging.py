"""AIW-PY021: prompts, completions and credentials written to logs.

Each snippet marks the lines that must be reported with ``# flagged``; every other line
must not be.
"""

from __future__ import annotations

import textwrap

import pytest

from aiwarden.analyzers.code.python_source import check_python_source
from aiwarden.analyzers.code.rules_logging import SENSITIVE_LOGGING
from aiwarden.core.severity import Confidence, Severity


def _report(source: str) -> tuple[list[int], list[int]]:
    source = textwrap.dedent(source)
    expected = [n for n, line in enumerate(source.splitlines(), 1) if line.endswith("# flagged")]
    found = sorted({i.line for i in check_python_source(source) if i.rule is SENSITIVE_LOGGING})
    return found, expected


FLAGGED = {
    "environment-keys": """
        import logging
        import os

        logger = logging.getLogger(__name__)

        def configure():
            logger.info("OpenAI key: %s", os.environ["OPENAI_API_KEY"])  # flagged
            token = os.getenv("HF_TOKEN")
            logger.debug(f"logging in to the hub with {token}")  # flagged
            print("key", os.environ.get("ANTHROPIC_API_KEY"))  # flagged
            logger.info("key prefix %s...", token[:4])
            logger.info("hub token configured: %s", token is not None)
            logger.info("hub token configured: %s", bool(token))
            logger.error("OPENAI_API_KEY is not set")
            logger.debug("environment: %s", dict(os.environ))  # flagged
            logger.debug("home is %s", os.environ["HOME"])
        """,
    "key-attributes-and-names": """
        import logging
        from openai import OpenAI

        log = logging.getLogger("app")

        class Service:
            def __init__(self, api_key: str) -> None:
                self.client = OpenAI(api_key=api_key)
                self.logger = logging.getLogger(__name__)
                self.logger.info("client created with %s", api_key)  # flagged
                log.warning("using %s", self.client.api_key)  # flagged
                self.logger.info("key length %d", len(api_key))
        """,
    "bare-token-names": """
        import logging
        from openai import OpenAI

        log = logging.getLogger(__name__)

        def login(token, session):
            log.info("logging in with %s", token)  # flagged
            log.info("session token %s", session.token)  # flagged

        def stream(messages):
            for token in OpenAI().chat.completions.create(model="m", messages=messages):
                print(token, end="")
            token = "</s>"
            log.info("eos %s", token)
        """,
    "authorization-headers": """
        import logging
        import requests

        def call(url, key):
            headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
            logging.debug("request headers: %s", headers)  # flagged
            response = requests.get(url, headers=headers, timeout=10)
            logging.info("upstream said %s", response.status_code)
            logging.warning("auth: %s", response.request.headers["Authorization"])  # flagged
        """,
    "completions-derived-from-llm-calls": """
        import logging
        from openai import OpenAI

        logger = logging.getLogger(__name__)
        client = OpenAI()

        def answer(messages):
            reply = client.chat.completions.create(model="gpt-4o", messages=messages, max_tokens=9)
            logger.info("reply: %s", reply.choices[0].message.content)  # flagged
            text = reply.choices[0].message.content.strip()
            logger.warning("model said %s", text)  # flagged
            logger.info("tokens used: %d", reply.usage.total_tokens)
            logger.info("finish reason %s for %s", reply.choices[0].finish_reason, reply.id)
            return text
        """,
    "langchain-result": """
        from loguru import logger
        from langchain_openai import ChatOpenAI

        llm = ChatOpenAI(model="gpt-4o", max_tokens=100)

        async def run(question):
            result = await llm.ainvoke(question)
            logger.info(f"LLM answered: {result.content}")  # flagged
        """,
    "lcel-pipeline-result": """
        import logging
        from langchain_core.prompts import ChatPromptTemplate
        from langchain_core.output_parsers import StrOutputParser
        from langchain_openai import ChatOpenAI

        prompt = ChatPromptTemplate.from_template("Answer: {question}")
        chain = prompt | ChatOpenAI(model="gpt-4o", max_tokens=200) | StrOutputParser()

        def answer(question):
            result = chain.invoke({"question": question})
            logging.getLogger(__name__).info("chain result: %s", result)  # flagged
            return result
        """,
    "content-names-with-a-fallback-constant": """
        import logging
        from openai import AsyncOpenAI

        async def reply(chat, messages):
            ai_message, meta = await chat.process(messages)
            if not ai_message:
                ai_message = "Sorry, I could not answer."
            logging.info("Generated response: %s", ai_message)  # flagged
            SYSTEM_PROMPT = "You are a helpful assistant."
            logging.info("system prompt: %s", SYSTEM_PROMPT)
            greeting_prompt = "Say hello"
            logging.info("prompt: %s", greeting_prompt)
        """,
    "prompts-by-name": """
        import logging
        import anthropic
        logger = logging.getLogger(__name__)

        def build(system_prompt: str, user_input: str, prompts: list[str]):
            logger.info("system prompt: %s", system_prompt)  # flagged
            logger.info("user said %r", user_input)  # flagged
            logging.log(logging.INFO, "all prompts: %s", prompts)  # flagged
            logger.info("Loaded %d prompts", len(prompts))
            logger.info("prompt template %s", PROMPT_TEMPLATE_NAME)
        """,
}

CLEAN = {
    "content-words-outside-llm-code": """
        import logging
        logger = logging.getLogger(__name__)

        def shell(completion_script, upgrade_prompt, messages, prev_token):
            print(completion_script)
            logger.warning("%s", upgrade_prompt)
            print("\\n".join(messages))
            print("token:", repr(prev_token))
        """,
    "plain-messages": """
        import logging
        logger = logging.getLogger(__name__)
        print("done")
        logger.info("starting server on port %d", 8080)
        """,
    "tokenizer-tokens-are-not-credentials": """
        import logging
        def show(tokenizer, max_tokens, prompt_tokens, token_count):
            logging.info("eos=%s pad=%s", tokenizer.eos_token, tokenizer.pad_token)
            logging.info("limits %d %d %d", max_tokens, prompt_tokens, token_count)
        """,
    "math-log-is-not-logging": """
        import math
        def entropy(api_key_probability):
            return math.log(api_key_probability)
        """,
    "http-response-is-not-a-completion": """
        import logging
        import requests
        def fetch(url):
            response = requests.get(url, timeout=5)
            logging.info("fetched %s", response.text)
        """,
    "masked-values": """
        import hashlib
        import logging
        def audit(api_key, prompt):
            logging.info("key fingerprint %s", hashlib.sha256(api_key.encode()).hexdigest())
            logging.info("key %s", "*" * len(api_key))
            logging.info("prompt has %d words", len(prompt.split()))
        """,
}


@pytest.mark.parametrize("source", FLAGGED.values(), ids=FLAGGED.keys())
def test_sensitive_values_in_logs_are_reported(source: str) -> None:
    found, expected = _report(source)
    assert expected
    assert found == expected


@pytest.mark.parametrize("source", CLEAN.values(), ids=CLEAN.keys())
def test_harmless_log_calls_are_not_reported(source: str) -> None:
    assert _report(source) == ([], [])


def _issues(source: str) -> list[tuple[Severity | None, Confidence]]:
    return [
        (i.severity, i.confidence)
        for i in check_python_source(textwrap.dedent(source))
        if i.rule is SENSITIVE_LOGGING
    ]


def test_credentials_are_medium_and_content_is_low() -> None:
    source = """
        import logging, os
        import openai
        logging.info("k %s", os.environ["OPENAI_API_KEY"])
        def f(prompt):
            logging.info("p %s", prompt)
        """
    assert _issues(source) == [(Severity.MEDIUM, Confidence.HIGH), (None, Confidence.MEDIUM)]
    assert SENSITIVE_LOGGING.severity is Severity.LOW


def test_debug_content_is_low_confidence_and_printed_content_is_not_a_log() -> None:
    source = """
        import logging, os
        from langchain_core.prompts import PromptTemplate
        def f(prompt):
            print(prompt)
            logging.debug("prompt %s", prompt)
            print(os.environ["OPENAI_API_KEY"])
        """
    assert _issues(source) == [(None, Confidence.LOW), (Severity.MEDIUM, Confidence.HIGH)]


def test_message_names_the_logged_value() -> None:
    source = "import logging, os\nlogging.warning(os.getenv('GROQ_API_KEY'))\n"
    (issue,) = [i for i in check_python_source(source) if i.rule is SENSITIVE_LOGGING]
    assert "GROQ_API_KEY" in issue.message
    assert "`warning`" in issue.message
