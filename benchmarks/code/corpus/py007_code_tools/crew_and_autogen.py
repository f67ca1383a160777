"""Two multi-agent prototypes compared in the design doc."""

import os

from autogen import AssistantAgent, UserProxyAgent
from autogen.coding import DockerCommandLineCodeExecutor, LocalCommandLineCodeExecutor
from crewai import Agent

LLM_CONFIG = {"config_list": [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}], "max_tokens": 1024, "timeout": 60}

local_exec = LocalCommandLineCodeExecutor(timeout=60, work_dir="scratch")  # expect: AIW-PY007
docker_exec = DockerCommandLineCodeExecutor(image="python:3.12-slim", timeout=60, work_dir="scratch")  # ok: AIW-PY007

assistant = AssistantAgent("coder", llm_config=LLM_CONFIG)
runner = UserProxyAgent(
    "runner",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=5,
    code_execution_config={"executor": docker_exec},
)

analyst = Agent(  # expect: AIW-PY007
    role="Data analyst",
    goal="Answer questions with pandas",
    backstory="Writes and runs Python.",
    allow_code_execution=True,
    code_execution_mode="unsafe",
)
reviewer = Agent(  # ok: AIW-PY007
    role="Reviewer",
    goal="Check the analyst's numbers",
    backstory="Runs code only inside Docker.",
    allow_code_execution=True,
    code_execution_mode="safe",
)
