"""Agent executors for the ticket-triage service."""

from langchain.agents import AgentExecutor, create_react_agent, initialize_agent, AgentType
from langchain_community.tools import DuckDuckGoSearchRun
from langchain_core.prompts import PromptTemplate
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=512, timeout=30)
tools = [DuckDuckGoSearchRun()]
prompt = PromptTemplate.from_template("{tools}\n{tool_names}\n{input}\n{agent_scratchpad}")
agent = create_react_agent(llm, tools, prompt)
NO_LIMIT = None

triage = AgentExecutor(agent=agent, tools=tools, max_iterations=None)  # expect: AIW-PY018
research = AgentExecutor(agent=agent, tools=tools, max_iterations=NO_LIMIT, max_execution_time=None)  # expect: AIW-PY018
legacy = initialize_agent(  # expect: AIW-PY018
    tools,
    llm,
    agent=AgentType.ZERO_SHOT_REACT_DESCRIPTION,
    max_iterations=None,
)
bounded = AgentExecutor(agent=agent, tools=tools, max_iterations=10, max_execution_time=120)  # ok: AIW-PY018
default = AgentExecutor(agent=agent, tools=tools)  # ok: AIW-PY018
