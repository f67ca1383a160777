"""Gradio front-end for a LangChain agent (held-out cases)."""

import gradio as gr
from langchain.agents import AgentExecutor, create_tool_calling_agent
from langchain_community.vectorstores import FAISS
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import Tool
from langchain_experimental.utilities import PythonREPL
from langchain_openai import ChatOpenAI, OpenAIEmbeddings

model = ChatOpenAI(model="gpt-4o-mini", max_tokens=700, timeout=30)
store = FAISS.load_local("index", OpenAIEmbeddings(timeout=20), allow_dangerous_deserialization=True)  # expect: AIW-PY006
python = Tool(name="python", func=PythonREPL().run, description="Run Python code.")  # expect: AIW-PY007
prompt = ChatPromptTemplate.from_messages([("system", "Answer from the docs."), ("human", "{input}"), ("placeholder", "{agent_scratchpad}")])
agent = create_tool_calling_agent(model, [python], prompt)
runner = AgentExecutor(agent=agent, tools=[python], max_iterations=None)  # expect: AIW-PY018


def answer(message: str, history: list) -> str:
    docs = store.similarity_search(message, k=3)
    return runner.invoke({"input": message + "\n" + "\n".join(d.page_content for d in docs)})["output"]


gr.ChatInterface(answer).launch(server_name="0.0.0.0", share=True)  # expect: AIW-PY013
