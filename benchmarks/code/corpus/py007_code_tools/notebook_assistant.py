"""Notebook copilot built on LlamaIndex and smolagents."""

import pandas as pd
from llama_index.core.agent import ReActAgent
from llama_index.experimental.query_engine import PandasQueryEngine
from llama_index.llms.openai import OpenAI
from llama_index.tools.code_interpreter import CodeInterpreterToolSpec
from smolagents import CodeAgent, InferenceClientModel, ToolCallingAgent, WebSearchTool
from langchain_experimental.tools.python.tool import PythonAstREPLTool

llm = OpenAI(model="gpt-4o-mini", max_tokens=512, timeout=30)
sales = pd.read_parquet("data/sales.parquet")

code_tools = CodeInterpreterToolSpec().to_tool_list()  # expect: AIW-PY007
sales_engine = PandasQueryEngine(df=sales, llm=llm, verbose=True)  # expect: AIW-PY007
react = ReActAgent.from_tools(code_tools, llm=llm, max_iterations=10)
df_tool = PythonAstREPLTool(locals={"df": sales})  # expect: AIW-PY007

hf_model = InferenceClientModel(model_id="Qwen/Qwen2.5-Coder-32B-Instruct", max_tokens=1024)
local_coder = CodeAgent(tools=[WebSearchTool()], model=hf_model, max_steps=6)  # expect: AIW-PY007
sandboxed_coder = CodeAgent(tools=[], model=hf_model, executor_type="e2b", max_steps=6)  # ok: AIW-PY007
searcher = ToolCallingAgent(tools=[WebSearchTool()], model=hf_model, max_steps=4)  # ok: AIW-PY007
