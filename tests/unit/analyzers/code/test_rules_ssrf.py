"""AIW-PY019: web loaders and HTTP tools that fetch URLs chosen at run time.

Each snippet marks the lines that must be reported with ``# flagged``; every other line
must not be.
"""

from __future__ import annotations

import textwrap

import pytest

from aiwarden.analyzers.code.python_source import check_python_source
from aiwarden.analyzers.code.rules_ssrf import SSRF_LOADER
from aiwarden.core.severity import Confidence


def _report(source: str) -> tuple[list[int], list[int]]:
    source = textwrap.dedent(source)
    expected = [n for n, line in enumerate(source.splitlines(), 1) if line.endswith("# flagged")]
    found = sorted({i.line for i in check_python_source(source) if i.rule is SSRF_LOADER})
    return found, expected


FLAGGED = {
    "flask-endpoint-loads-user-url": """
        from flask import Flask, request
        from langchain_community.document_loaders import WebBaseLoader

        app = Flask(__name__)

        @app.post("/ingest")
        def ingest():
            url = request.json["url"]
            docs = WebBaseLoader(url).load()  # flagged
            more = WebBaseLoader(web_paths=[url, "https://docs.example.com/"]).load()  # flagged
            return {"n": len(docs) + len(more)}
        """,
    "loaders-with-aliases-and-positional-urls": """
        from langchain_community import document_loaders as dl
        from langchain.document_loaders import RecursiveUrlLoader as Crawler

        async def crawl(start: str, pages: list[str]):
            await dl.AsyncHtmlLoader(pages).aload()  # flagged
            Crawler(start, max_depth=2).load()  # flagged
            dl.SeleniumURLLoader(urls=pages).load()  # flagged
            dl.PlaywrightURLLoader(pages, remove_selectors=["header"]).load()  # flagged
        """,
    "host-chosen-at-run-time": """
        from urllib.parse import urljoin
        from langchain_community.document_loaders import WebBaseLoader

        BASE = "https://docs.example.com/"

        def load(page, host):
            WebBaseLoader(urljoin(BASE, page)).load()  # flagged
            WebBaseLoader(f"{host}/index.html").load()  # flagged
            WebBaseLoader(f"https://docs.example.com/{page}").load()
            WebBaseLoader("https://docs.example.com/{}".format(page)).load()
        """,
    "crawler-leaves-the-site": """
        from langchain_community.document_loaders import RecursiveUrlLoader
        loader = RecursiveUrlLoader("https://docs.example.com/", prevent_outside=False)  # flagged
        """,
    "requests-tools-for-agents": """
        from langchain_community.agent_toolkits import RequestsToolkit
        from langchain_community.tools.requests.tool import RequestsGetTool, RequestsPostTool
        from langchain_community.utilities.requests import TextRequestsWrapper
        from langchain.agents import load_tools

        wrapper = TextRequestsWrapper(headers={})
        toolkit = RequestsToolkit(requests_wrapper=wrapper, allow_dangerous_requests=1)  # flagged
        tools = [
            RequestsGetTool(requests_wrapper=wrapper, allow_dangerous_requests=True),  # flagged
            RequestsPostTool(requests_wrapper=wrapper, allow_dangerous_requests=True),  # flagged
        ]
        TOOL_NAMES = ["llm-math", "requests_all"]
        more = load_tools(TOOL_NAMES, llm=llm, allow_dangerous_tools=True)  # flagged
        math_only = load_tools(["llm-math"], llm=llm)
        """,
    "api-chain-without-domains": """
        from langchain.chains import APIChain
        open_chain = APIChain.from_llm_and_api_docs(llm, docs, limit_to_domains=None)  # flagged
        closed = APIChain.from_llm_and_api_docs(
            llm, docs, limit_to_domains=["https://api.open-meteo.com/"]
        )
        """,
    "llamaindex-web-readers": """
        from llama_index.readers.web import SimpleWebPageReader, BeautifulSoupWebReader

        def index(urls):
            SimpleWebPageReader(html_to_text=True).load_data(urls)  # flagged
            reader = BeautifulSoupWebReader()
            reader.load_data(urls=[urls[0]])  # flagged
            reader.load_data(urls=["https://example.com/about"])
        """,
}

CLEAN = {
    "constant-urls": """
        from langchain_community.document_loaders import WebBaseLoader, RecursiveUrlLoader

        SOURCES = ["https://docs.python.org/3/", "https://peps.python.org/"]
        DOCS = "https://docs.example.com/"

        docs = WebBaseLoader("https://example.com/blog").load()
        many = WebBaseLoader(web_paths=SOURCES).load()
        crawled = RecursiveUrlLoader(DOCS, max_depth=3).load()
        for url in SOURCES:
            WebBaseLoader(url).load()
        pages = [WebBaseLoader(u) for u in SOURCES]
        """,
    "explicit-allowlist": """
        from langchain_community.document_loaders import WebBaseLoader
        from myapp.safety import ALLOWED

        def load(url):
            return WebBaseLoader(url, allowed_domains=ALLOWED).load()
        """,
    "unrelated-classes-and-methods": """
        import requests

        def fetch(url, db):
            requests.get(url, timeout=5)
            db.load_data(url)
        """,
}


@pytest.mark.parametrize("source", FLAGGED.values(), ids=FLAGGED.keys())
def test_ssrf_prone_loaders_and_tools_are_reported(source: str) -> None:
    found, expected = _report(source)
    assert expected
    assert found == expected


@pytest.mark.parametrize("source", CLEAN.values(), ids=CLEAN.keys())
def test_fixed_urls_and_allowlists_are_not_reported(source: str) -> None:
    assert _report(source) == ([], [])


def test_parameter_urls_are_high_confidence_and_named() -> None:
    source = textwrap.dedent(
        """
        from langchain_community.document_loaders import WebBaseLoader
        def load(target_url):
            return WebBaseLoader(target_url).load()
        """
    )
    (issue,) = [i for i in check_python_source(source) if i.rule is SSRF_LOADER]
    assert issue.confidence is Confidence.HIGH
    assert "target_url" in issue.message


def test_unimported_loader_confidence_follows_the_url_source() -> None:
    source = "def load(u):\n    return WebBaseLoader(u).load()\n"
    (issue,) = [i for i in check_python_source(source) if i.rule is SSRF_LOADER]
    assert issue.confidence is Confidence.HIGH  # the URL is a parameter, whatever the class
    source = "u = compute()\nWebBaseLoader(u).load()\n"
    (issue,) = [i for i in check_python_source(source) if i.rule is SSRF_LOADER]
    assert issue.confidence is Confidence.MEDIUM
