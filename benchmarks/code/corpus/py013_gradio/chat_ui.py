"""Chat UI over a local llama.cpp server."""

import os

import gradio as gr
import requests

LLAMA_URL = "http://127.0.0.1:8080/completion"
HOST = "0.0.0.0"


def respond(message: str, history: list) -> str:
    r = requests.post(LLAMA_URL, json={"prompt": message, "n_predict": 256}, timeout=60)
    return r.json()["content"]


def build() -> gr.Blocks:
    with gr.Blocks(title="Local chat") as ui:
        gr.ChatInterface(respond)
    return ui


def serve_public() -> None:
    build().launch(server_name=HOST, allowed_paths=["/"])  # expect: AIW-PY013


def serve_home() -> None:
    build().launch(allowed_paths=[os.path.expanduser("~")])  # expect: AIW-PY013


def serve_local() -> None:
    build().launch(server_name="127.0.0.1", share=False)  # ok: AIW-PY013


def serve_default() -> None:
    build().launch()  # ok: AIW-PY013


def serve_tunnel() -> None:
    gr.ChatInterface(respond, type="messages").launch(True)  # ok: AIW-PY013  (first positional is inline=, not share=)
