"""Data-analyst assistant: answers questions about uploaded CSV files."""

import pandas as pd
from langchain_experimental.agents import create_csv_agent, create_pandas_dataframe_agent
from langchain_experimental.pal_chain import PALChain
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=1024, timeout=60)


def frame_agent(csv_path: str):
    df = pd.read_csv(csv_path)
    return create_pandas_dataframe_agent(llm, df, verbose=True, allow_dangerous_code=True)  # expect: AIW-PY006, AIW-PY007


def file_agent(csv_path: str):
    return create_csv_agent(  # expect: AIW-PY006, AIW-PY007
        llm,
        csv_path,
        agent_type="tool-calling",
        allow_dangerous_code=True,
    )


def math_chain():
    return PALChain.from_math_prompt(llm, allow_dangerous_code=True, verbose=False)  # expect: AIW-PY006, AIW-PY007
