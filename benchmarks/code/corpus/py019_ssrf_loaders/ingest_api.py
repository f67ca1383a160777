"""Ingestion API: users submit a URL and we index the page for RAG."""

from urllib.parse import urlparse

from fastapi import FastAPI, HTTPException
from langchain_community.document_loaders import (
    AsyncHtmlLoader,
    RecursiveUrlLoader,
    TextLoader,
    WebBaseLoader,
)
from pydantic import BaseModel

app = FastAPI()
ALLOWED_HOSTS = {"docs.acme.example", "wiki.acme.example"}
DOCS_ROOT = "https://docs.acme.example/"


class Source(BaseModel):
    url: str
    depth: int = 1


@app.post("/ingest/page")
def ingest_page(src: Source) -> int:
    return len(WebBaseLoader(src.url).load())  # expect: AIW-PY019


@app.post("/ingest/site")
def ingest_site(src: Source) -> int:
    loader = RecursiveUrlLoader(url=src.url, max_depth=src.depth)  # expect: AIW-PY019
    return len(loader.load())


@app.post("/ingest/many")
async def ingest_many(urls: list[str]) -> int:
    docs = await AsyncHtmlLoader(urls).aload()  # expect: AIW-PY019
    return len(docs)


@app.post("/ingest/allowed")
def ingest_allowed(src: Source) -> int:
    if urlparse(src.url).hostname not in ALLOWED_HOSTS:
        raise HTTPException(status_code=400, detail="host not allowed")
    return len(WebBaseLoader(web_paths=[src.url]).load())  # ok: AIW-PY019


@app.post("/ingest/docs")
def ingest_docs() -> int:
    return len(RecursiveUrlLoader(DOCS_ROOT, max_depth=3).load())  # ok: AIW-PY019


@app.post("/ingest/doc/{slug}")
def ingest_doc_page(slug: str) -> int:
    return len(WebBaseLoader(f"https://docs.acme.example/pages/{slug}").load())  # ok: AIW-PY019


def ingest_local(path: str) -> int:
    return len(TextLoader(path).load())  # ok: AIW-PY019
