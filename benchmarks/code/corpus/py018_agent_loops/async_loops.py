"""Async agent loops: a LangGraph worker, a chat REPL and a queue consumer."""

import asyncio

from autogen import AssistantAgent, UserProxyAgent
from langchain_anthropic import ChatAnthropic
from langgraph.prebuilt import create_react_agent

model = ChatAnthropic(model="claude-haiku-4-5", max_tokens=512, timeout=30)
graph = create_react_agent(model, tools=[])
planner = AssistantAgent("planner", llm_config={"model": "gpt-4o", "max_tokens": 512, "timeout": 60})
user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)


async def autopilot(task: str) -> None:
    state = {"messages": [("user", task)]}
    while True:  # expect: AIW-PY018
        state = await graph.ainvoke(state)
        if state["messages"][-1].content.strip().endswith("FINISHED"):
            break
        state["messages"].append(("user", "continue"))


async def plan(task: str) -> str:
    result = await user.a_initiate_chat(planner, message=task, max_turns=None)  # expect: AIW-PY018
    bounded = await user.a_initiate_chat(planner, message=task, max_turns=8)  # ok: AIW-PY018
    return result.summary + bounded.summary


async def chat_repl() -> None:
    while True:  # ok: AIW-PY018  (one model call per line the human types)
        line = await asyncio.to_thread(input, "> ")
        if line in {"exit", "quit"}:
            return
        print((await model.ainvoke(line)).content)  # ok: AIW-PY021  (the REPL's answer, not a log)


async def consume(queue: asyncio.Queue) -> None:
    while True:  # ok: AIW-PY018  (a job queue, no model call)
        job = await queue.get()
        print("processing", job)
        queue.task_done()
