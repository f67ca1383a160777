"""AIW-PY011 (LLM calls without limits) and AIW-PY018 (agent loops without bounds).

Each snippet marks the lines that must be reported with ``# flagged``; every other line
must not be.
"""

from __future__ import annotations

import textwrap

import pytest

from aiwarden.analyzers.code.python_source import check_python_source
from aiwarden.analyzers.code.rules_consumption import UNBOUNDED_AGENT_LOOP, UNBOUNDED_LLM_CALL
from aiwarden.core.severity import Confidence, Severity


def _report(source: str, rule_id: str) -> tuple[list[int], list[int]]:
    source = textwrap.dedent(source)
    expected = [n for n, line in enumerate(source.splitlines(), 1) if line.endswith("# flagged")]
    found = sorted({i.line for i in check_python_source(source) if i.rule.id == rule_id})
    return found, expected


PY011_CASES = {
    "openai-chat-without-max-tokens": """
        from openai import OpenAI

        client = OpenAI()

        def answer(question: str) -> str:
            reply = client.chat.completions.create(  # flagged
                model="gpt-4o", messages=[{"role": "user", "content": question}]
            )
            bounded = client.chat.completions.create(
                model="gpt-4o", messages=[], max_completion_tokens=300
            )
            legacy = client.chat.completions.create(model="gpt-4o", messages=[], max_tokens=300)
            return reply.choices[0].message.content
        """,
    "async-client-alias-and-method": """
        import openai as oai

        class Summariser:
            def __init__(self) -> None:
                self.client = oai.AsyncOpenAI()

            async def summarise(self, text: str) -> str:
                out = await self.client.chat.completions.create(  # flagged
                    model="gpt-4o-mini", messages=[{"role": "user", "content": text}]
                )
                return out.choices[0].message.content
        """,
    "responses-api-and-module-client": """
        import openai
        from openai import OpenAI

        def run(prompt):
            client = OpenAI()
            client.responses.create(model="gpt-4.1", input=prompt)  # flagged
            client.responses.create(model="gpt-4.1", input=prompt, max_output_tokens=800)
            openai.chat.completions.create(model="gpt-4o", messages=[])  # flagged
        """,
    "anthropic-messages-without-max-tokens": """
        from anthropic import AsyncAnthropic

        claude = AsyncAnthropic()

        async def ask(history):
            return await claude.messages.create(model="claude-4", messages=history)  # flagged
        """,
    "explicit-none-limit": """
        from openai import OpenAI
        client = OpenAI()
        client.chat.completions.create(model="m", messages=[], max_tokens=None)  # flagged
        """,
    "kwargs-from-a-visible-dict": """
        from openai import OpenAI
        client = OpenAI()

        def ask(messages, **extra):
            params = {"model": "gpt-4o", "messages": messages}
            client.chat.completions.create(**params)  # flagged
            limited = {"model": "gpt-4o", "messages": messages, "max_tokens": 256}
            client.chat.completions.create(**limited)
            client.chat.completions.create(model="gpt-4o", messages=messages, **extra)
        """,
    "other-openai-compatible-sdks": """
        from groq import Groq
        from mistralai import Mistral
        import cohere

        groq = Groq()
        groq.chat.completions.create(model="llama3-70b", messages=[])  # flagged
        mistral = Mistral(api_key=key)
        mistral.chat.complete(model="mistral-large-latest", messages=[])  # flagged
        mistral.chat.complete(model="mistral-large-latest", messages=[], max_tokens=64)
        co = cohere.ClientV2()
        co.chat(model="command-r", messages=[])  # flagged
        """,
    "litellm": """
        import litellm
        litellm.completion(model="gpt-4o", messages=[])  # flagged
        litellm.completion(model="gpt-4o", messages=[], max_tokens=100)
        """,
    "gemini-generativeai": """
        import google.generativeai as genai

        model = genai.GenerativeModel("gemini-1.5-pro")
        bounded = genai.GenerativeModel(
            "gemini-1.5-pro", generation_config={"max_output_tokens": 1024}
        )

        def ask(prompt):
            model.generate_content(prompt)  # flagged
            bounded.generate_content(prompt)
            model.generate_content(
                prompt, generation_config=genai.GenerationConfig(max_output_tokens=256)
            )
            model.generate_content(prompt, generation_config={"temperature": 0})  # flagged
        """,
    "gemini-genai-client": """
        from google import genai
        from google.genai import types

        client = genai.Client()
        client.models.generate_content(model="gemini-2.0-flash", contents="hi")  # flagged
        config = types.GenerateContentConfig(max_output_tokens=400)
        client.models.generate_content(model="gemini-2.0-flash", contents="hi", config=config)
        """,
    "langchain-chat-models": """
        from langchain_openai import ChatOpenAI
        from langchain_anthropic import ChatAnthropic
        from langchain_google_genai import ChatGoogleGenerativeAI

        llm = ChatOpenAI(model="gpt-4o", temperature=0)  # flagged
        claude = ChatAnthropic(model="claude-3-5-sonnet-latest")  # flagged
        gemini = ChatGoogleGenerativeAI(model="gemini-1.5-pro")  # flagged
        ok1 = ChatOpenAI(model="gpt-4o", max_tokens=512)
        ok2 = ChatAnthropic(model="claude-3-5-sonnet-latest", max_tokens=1024)
        ok3 = ChatGoogleGenerativeAI(model="gemini-1.5-pro", max_output_tokens=512)
        ok4 = ChatOpenAI(model="gpt-4o").bind(max_tokens=100)
        ok5 = ChatOpenAI(model="gpt-4o", model_kwargs={"max_tokens": 100})
        """,
    "client-timeout-and-retries": """
        import math
        from openai import OpenAI, AsyncOpenAI
        from anthropic import Anthropic

        a = OpenAI(timeout=None)  # flagged
        b = AsyncOpenAI(max_retries=10**6)  # flagged
        c = Anthropic(max_retries=math.inf)  # flagged
        d = OpenAI(timeout=30.0, max_retries=5)
        e = Anthropic()
        f = a.with_options(max_retries=float("inf"))  # flagged
        """,
}

PY011_CLEAN = {
    "anthropic-requires-max-tokens": """
        import anthropic
        client = anthropic.Anthropic()
        message = client.messages.create(
            model="claude-3-5-sonnet-latest", max_tokens=1024, messages=[]
        )
        """,
    "twilio-messages-are-not-llm-calls": """
        from twilio.rest import Client
        client = Client(sid, token)
        client.messages.create(body="hi", from_="+1555", to="+1556")
        """,
    "unknown-gemini-model-may-be-configured-elsewhere": """
        class Bot:
            def ask(self, prompt):
                return self.model.generate_content(prompt)
        """,
    "unrelated-create-calls": """
        import stripe
        stripe.Customer.create(email="a@b.c")
        db.completions.create(name="x")
        """,
}


@pytest.mark.parametrize("source", PY011_CASES.values(), ids=PY011_CASES.keys())
def test_unbounded_llm_calls_are_reported(source: str) -> None:
    found, expected = _report(source, "AIW-PY011")
    assert expected
    assert found == expected


@pytest.mark.parametrize("source", PY011_CLEAN.values(), ids=PY011_CLEAN.keys())
def test_bounded_or_unrelated_calls_are_not_reported(source: str) -> None:
    assert _report(source, "AIW-PY011") == ([], [])


def test_unresolved_receiver_lowers_confidence() -> None:
    source = (
        "async def f(client):\n    await client.chat.completions.create(model='m', messages=[])\n"
    )
    issues = [i for i in check_python_source(source) if i.rule is UNBOUNDED_LLM_CALL]
    assert [i.confidence for i in issues] == [Confidence.MEDIUM]
    assert UNBOUNDED_LLM_CALL.severity is Severity.LOW


PY018_CASES = {
    "model-decides-when-to-stop": """
        from openai import OpenAI
        client = OpenAI()

        def agent(history):
            while True:  # flagged
                reply = client.chat.completions.create(
                    model="gpt-4o", messages=history, max_tokens=500
                )
                if reply.choices[0].finish_reason == "stop":
                    return reply
                history.append(run_tool(reply))
        """,
    "executor-invoke-in-a-method": """
        class Runner:
            async def loop(self):
                while 1:  # flagged
                    result = await self.agent_executor.ainvoke({"input": self.task})
                    self.task = result["output"]
        """,
    "infinite-retry-around-llm-call": """
        import time
        import anthropic
        client = anthropic.Anthropic()

        def call(messages):
            while True:  # flagged
                try:
                    return client.messages.create(model="c", max_tokens=100, messages=messages)
                except anthropic.RateLimitError:
                    time.sleep(5)
        """,
    "agent-step-flag-decides": """
        def run(agent):
            while True:  # flagged
                step = agent.step()
                if step.is_final or step.turn == 0:
                    break
        """,
    "itertools-count": """
        import itertools
        def run(agent):
            for step in itertools.count():  # flagged
                agent.run("continue")
        """,
    "agent-executor-unlimited": """
        from langchain.agents import AgentExecutor, initialize_agent

        executor = AgentExecutor(agent=agent, tools=tools, max_iterations=None)  # flagged
        legacy = initialize_agent(tools, llm, max_iterations=10**9)  # flagged
        timed = AgentExecutor(agent=agent, tools=tools, max_iterations=None, max_execution_time=120)
        default = AgentExecutor(agent=agent, tools=tools)
        """,
    "langgraph-recursion-limit": """
        import sys
        from langgraph.prebuilt import create_react_agent

        graph = create_react_agent(model, tools)
        graph.invoke({"messages": msgs}, config={"recursion_limit": sys.maxsize})  # flagged
        graph.invoke({"messages": msgs}, {"recursion_limit": 50})
        graph.with_config(recursion_limit=100_000).invoke(state)  # flagged
        """,
    "autogen-and-agents-sdk": """
        from autogen import UserProxyAgent
        from autogen_agentchat.teams import RoundRobinGroupChat
        from autogen_agentchat.conditions import MaxMessageTermination
        from agents import Runner

        proxy = UserProxyAgent("user", max_consecutive_auto_reply=100000)  # flagged
        team = RoundRobinGroupChat([writer, critic])  # flagged
        bounded = RoundRobinGroupChat(
            [writer, critic], termination_condition=MaxMessageTermination(10)
        )
        turns = RoundRobinGroupChat([writer, critic], max_turns=6)

        async def main():
            await Runner.run(agent, "go", max_turns=float("inf"))  # flagged
            await Runner.run(agent, "go", max_turns=25)
        """,
}

PY018_CLEAN = {
    "bounded-for-loop": """
        from openai import OpenAI
        client = OpenAI()
        def agent(history):
            for _ in range(10):
                client.chat.completions.create(model="m", messages=history, max_tokens=10)
        """,
    "counter-guard-in-while-true": """
        MAX_STEPS = 8
        def agent(executor):
            steps = 0
            while True:
                executor.invoke({"input": "x"})
                steps += 1
                if steps >= MAX_STEPS:
                    break
        """,
    "deadline-guard": """
        import time
        def agent(chain, deadline):
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError("agent budget exhausted")
                chain.invoke({})
        """,
    "equality-with-a-limit": """
        def run(llm, max_turns):
            turn = 0
            while True:
                llm.invoke("next")
                turn += 1
                if turn == max_turns:
                    return
        """,
    "budget-object": """
        def run(chain, budget):
            while True:
                chain.invoke({})
                if budget.exhausted():
                    break
        """,
    "chat-repl-waits-for-the-user": """
        def repl(chain):
            while True:
                question = input("> ")
                if question == "exit":
                    break
                print(chain.invoke({"question": question}))
        """,
    "websocket-handler": """
        async def serve(websocket, agent):
            while True:
                message = await websocket.receive_text()
                await websocket.send_text(await agent.ainvoke(message))
        """,
    "loop-without-llm-calls": """
        import time
        def poll(sock):
            while True:
                handle(sock.recv(1024))
                time.sleep(1)
        """,
    "sklearn-max-iter-is-not-an-agent": """
        from sklearn.linear_model import LogisticRegression
        model = LogisticRegression(max_iter=100000)
        """,
    "llm-call-only-in-a-nested-function": """
        def outer(client):
            while True:
                def later():
                    return client.chat.completions.create(model="m", messages=[], max_tokens=5)
                register(later)
                if done():
                    break
        """,
}


@pytest.mark.parametrize("source", PY018_CASES.values(), ids=PY018_CASES.keys())
def test_unbounded_agent_loops_are_reported(source: str) -> None:
    found, expected = _report(source, "AIW-PY018")
    assert expected
    assert found == expected


@pytest.mark.parametrize("source", PY018_CLEAN.values(), ids=PY018_CLEAN.keys())
def test_bounded_loops_are_not_reported(source: str) -> None:
    assert _report(source, "AIW-PY018") == ([], [])


def test_autogen_none_reply_limit_is_low_confidence() -> None:
    source = (
        "from autogen import AssistantAgent\n"
        "helper = AssistantAgent('a', max_consecutive_auto_reply=None)\n"
    )
    issues = [i for i in check_python_source(source) if i.rule is UNBOUNDED_AGENT_LOOP]
    assert [i.confidence for i in issues] == [Confidence.LOW]


def test_loop_issue_points_at_the_llm_call() -> None:
    source = textwrap.dedent(PY018_CASES["model-decides-when-to-stop"])
    (issue,) = [i for i in check_python_source(source) if i.rule is UNBOUNDED_AGENT_LOOP]
    assert "client.chat.completions.create" in issue.message
    assert [span.line for span in issue.related] == [issue.line + 1]
