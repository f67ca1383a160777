"""Slack "devops buddy": a LangChain agent with a few tools."""

from langchain.agents import AgentExecutor, create_tool_calling_agent, load_tools
from langchain.chains import LLMMathChain
from langchain_community.tools import DuckDuckGoSearchRun, ShellTool
from langchain_community.utilities import BashProcess
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import Tool
from langchain_experimental.tools import PythonREPLTool
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o", max_tokens=800, timeout=45)
prompt = ChatPromptTemplate.from_messages(
    [("system", "You are a careful SRE assistant."), ("human", "{input}"), ("placeholder", "{agent_scratchpad}")]
)


def word_count(text: str) -> str:
    return str(len(text.split()))


shell = ShellTool()  # expect: AIW-PY007
repl = PythonREPLTool()  # expect: AIW-PY007
search = DuckDuckGoSearchRun()  # ok: AIW-PY007
wc = Tool(name="wc", func=word_count, description="Count words in a text.")  # ok: AIW-PY007
tools = [shell, repl, search, wc]
tools += load_tools(["python_repl", "terminal"], llm=llm)  # expect: AIW-PY007
tools += load_tools(["wikipedia", "arxiv"])  # ok: AIW-PY007
calculator = LLMMathChain.from_llm(llm)  # expect: AIW-PY007
bash_tool = Tool(name="bash", func=BashProcess(persistent=True).run, description="Run bash.")  # expect: AIW-PY007
tools += [bash_tool, Tool(name="calc", func=calculator.run, description="Maths.")]

agent = create_tool_calling_agent(llm, tools, prompt)
executor = AgentExecutor(agent=agent, tools=tools, max_iterations=8)
