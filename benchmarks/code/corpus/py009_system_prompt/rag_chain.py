"""LangChain RAG chain exposed through LangServe-style handlers."""

from fastapi import FastAPI
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

api = FastAPI()
llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=500, timeout=30)
GUARD = "Use only the provided context. Say 'I don't know' otherwise."


class Query(BaseModel):
    question: str
    role_hint: str = ""


@api.post("/rag")
def rag(q: Query) -> str:
    prompt = ChatPromptTemplate.from_messages(  # expect: AIW-PY009
        [("system", GUARD + " The user is a " + q.role_hint), ("human", "{question}")]
    )
    return (prompt | llm).invoke({"question": q.question}).content


@api.post("/rag/messages")
def rag_messages(q: Query) -> str:
    msgs = [SystemMessage(content=f"{GUARD} Audience: {q.role_hint}"), HumanMessage(content=q.question)]  # expect: AIW-PY009
    return llm.invoke(msgs).content


@api.post("/rag/safe")
def rag_safe(q: Query) -> str:
    prompt = ChatPromptTemplate.from_messages([("system", GUARD), ("human", "{question}")])  # ok: AIW-PY009
    msgs = [SystemMessage(content=GUARD), HumanMessage(content=q.role_hint + "\n" + q.question)]  # ok: AIW-PY009
    return (prompt | llm).invoke({"question": q.question}).content + llm.invoke(msgs).content
