"""Gradio demo for the background-removal model (run on the lab GPU box)."""

import os

import gradio as gr
import numpy as np

SHARE = True
OUTPUTS = "outputs"


def remove_background(img: np.ndarray) -> np.ndarray:
    mask = img.mean(axis=-1, keepdims=True) > 16
    return (img * mask).astype(np.uint8)


demo = gr.Interface(fn=remove_background, inputs=gr.Image(), outputs=gr.Image(), title="BG remover")

if __name__ == "__main__":
    mode = os.environ.get("DEMO_MODE", "local")
    if mode == "colab":
        demo.launch(share=True, debug=True)  # expect: AIW-PY013
    elif mode == "lab":
        demo.queue(max_size=20).launch(share=SHARE, server_port=7861)  # expect: AIW-PY013
    elif mode == "docker":
        demo.launch(server_name="0.0.0.0", server_port=7860)  # expect: AIW-PY013
    elif mode == "team":
        demo.launch(server_name="0.0.0.0", auth=("team", os.environ["DEMO_PASSWORD"]))  # ok: AIW-PY013
    else:
        demo.launch(allowed_paths=[OUTPUTS])  # ok: AIW-PY013
