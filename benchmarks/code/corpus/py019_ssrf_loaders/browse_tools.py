"""Tools that let the assistant read web pages the model picks."""

from flask import Flask, jsonify, request
from langchain_community.document_loaders import PlaywrightURLLoader, SitemapLoader, UnstructuredURLLoader
from langchain_community.agent_toolkits.load_tools import load_tools
from langchain_core.tools import tool

app = Flask(__name__)
CHANGELOG = "https://github.com/acme/sdk/releases.atom"


@tool
def read_page(url: str) -> str:
    """Read a web page chosen by the model and return its text."""
    docs = UnstructuredURLLoader(urls=[url]).load()  # expect: AIW-PY019
    return "\n".join(d.page_content for d in docs)


@tool
def render_page(url: str) -> str:
    """Render a JavaScript-heavy page chosen by the model."""
    return PlaywrightURLLoader(urls=[url], remove_selectors=["nav"]).load()[0].page_content  # expect: AIW-PY019


@app.get("/sitemap")
def sitemap():
    loader = SitemapLoader(web_path=request.args["sitemap"])  # expect: AIW-PY019
    return jsonify(count=len(loader.load()))


def changelog() -> str:
    return UnstructuredURLLoader(urls=[CHANGELOG]).load()[0].page_content  # ok: AIW-PY019


requests_tools = load_tools(["requests_get", "requests_post"], allow_dangerous_tools=True)  # expect: AIW-PY006, AIW-PY019
