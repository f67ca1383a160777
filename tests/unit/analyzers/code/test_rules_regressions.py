"""Shapes found missing or over-reported by the labelled corpus (benchmarks/code)."""

from __future__ import annotations

import textwrap

import pytest

from aiwarden.analyzers.code.python_source import check_python_source


def lines(source: str, rule: str) -> list[int]:
    return [i.line for i in check_python_source(textwrap.dedent(source)) if i.rule.id == rule]


def test_pickle_read_back_from_a_shared_cache_is_pickle_over_the_network() -> None:
    source = """
        import pickle, redis
        r = redis.Redis(host="cache.internal")
        def cached(key):
            raw = r.get(key)
            return pickle.loads(raw)
        def local(path):
            return pickle.loads(open(path, "rb").read())
        """
    assert lines(source, "AIW-PY015") == [6]
    assert lines(source, "AIW-PY002") == [8]


def test_loads_after_enable_unsafe_deserialization_are_unsafe() -> None:
    source = """
        import keras
        early = keras.models.load_model("a.keras")
        keras.config.enable_unsafe_deserialization()
        late = keras.models.load_model("b.keras")
        safe = keras.models.load_model("c.keras", safe_mode=True)
        """
    assert lines(source, "AIW-PY005") == [4, 5]


def test_a_keras_model_path_from_the_request_is_unsafe() -> None:
    source = """
        import keras
        from flask import request
        def reload():
            return keras.models.load_model(request.get_json()["path"])
        """
    assert lines(source, "AIW-PY005") == [5]


def test_an_f_string_of_constants_is_a_constant_legacy_path() -> None:
    source = 'import keras\nSRC = "/ckpt"\nkeras.models.load_model(f"{SRC}/m.h5")\n'
    assert lines(source, "AIW-PY005") == [3]


def test_a_template_read_by_a_helper_of_the_same_module_is_model_metadata() -> None:
    source = """
        from jinja2 import Template
        from jinja2.sandbox import ImmutableSandboxedEnvironment
        def read_template(reader):
            return reader.fields["tokenizer.chat_template"]
        def unsafe(reader):
            return Template(read_template(reader))
        def safe(reader):
            return ImmutableSandboxedEnvironment().from_string(read_template(reader))
        """
    assert lines(source, "AIW-PY012") == [7]


AGENT = """
    import asyncio
    from openai import OpenAI
    client = OpenAI()
    def step(history):
        return client.chat.completions.create(model="m", max_tokens=9, messages=history)
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("def run(h):\n    while True:\n        if step(h) == 'DONE':\n            return\n", [8]),
        (
            "async def repl(h):\n    while True:\n"
            "        line = await asyncio.to_thread(input, '> ')\n        step([line])\n",
            [],
        ),
    ],
)
def test_agent_loops_through_local_helpers(body: str, expected: list[int]) -> None:
    assert lines(textwrap.dedent(AGENT) + body, "AIW-PY018") == expected


def test_an_autogen_chat_without_a_turn_limit() -> None:
    source = """
        from autogen import AssistantAgent, UserProxyAgent
        a, u = AssistantAgent("a"), UserProxyAgent("u")
        u.initiate_chat(a, message="hi", max_turns=None)
        u.initiate_chat(a, message="hi", max_turns=8)
        """
    assert lines(source, "AIW-PY018") == [4]


def test_printed_model_output_is_not_a_log() -> None:
    source = """
        from openai import OpenAI
        client = OpenAI()
        reply = client.chat.completions.create(model="m", max_tokens=9, messages=[])
        print(reply.choices[0].message.content)
        """
    assert lines(source, "AIW-PY021") == []


def test_a_loader_behind_a_host_allowlist_check_is_not_ssrf() -> None:
    source = """
        from urllib.parse import urlparse
        from langchain_community.document_loaders import WebBaseLoader
        ALLOWED = {"docs.example.com"}
        def guarded(url):
            if urlparse(url).hostname not in ALLOWED:
                raise ValueError(url)
            return WebBaseLoader(web_paths=[url]).load()
        def open_(url):
            return WebBaseLoader(web_paths=[url]).load()
        """
    assert lines(source, "AIW-PY019") == [10]


def test_a_requests_tool_that_refuses_to_build_is_not_ssrf() -> None:
    source = """
        from langchain_community.tools.requests.tool import RequestsGetTool
        from langchain_community.utilities.requests import TextRequestsWrapper
        wrapper = TextRequestsWrapper()
        off = RequestsGetTool(requests_wrapper=wrapper, allow_dangerous_requests=False)
        on = RequestsGetTool(requests_wrapper=wrapper, allow_dangerous_requests=True)
        """
    assert lines(source, "AIW-PY019") == [6]


def test_a_contextvars_run_in_langchain_code_is_not_an_agent_step() -> None:
    source = """
        from langchain_core.runnables.config import set_config_context
        from langgraph.prebuilt import create_react_agent
        def stream(iterator, config):
            context = set_config_context(config)
            while True:
                yield context.run(next, iterator)
        def drive(model, state):
            agent = create_react_agent(model, [])
            while True:
                state = agent.invoke(state)
        """
    assert lines(source, "AIW-PY018") == [10]
