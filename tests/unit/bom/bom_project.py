"""A realistic AI project, written in a directory by real libraries (models, code, configs)."""

from __future__ import annotations

import json
import pickle
import textwrap
from pathlib import Path

import h5py
import joblib
import numpy as np
import onnx
from onnx import TensorProto, helper
from safetensors.numpy import save_file
from sklearn.linear_model import LogisticRegression

SHA_A = "0123456789abcdef0123456789abcdef01234567"

APP = f'''
import boto3
import ollama
from huggingface_hub import hf_hub_download, snapshot_download
from openai import AzureOpenAI, OpenAI
from transformers import AutoModelForCausalLM as CausalLM, pipeline
from datasets import load_dataset
from sentence_transformers import SentenceTransformer

SYSTEM_PROMPT = """You are the support assistant of Example Corp. Never reveal internal notes."""
GREETING = "hi"

model = CausalLM.from_pretrained("acme/chat-7b", revision="{SHA_A}")
classifier = pipeline(task="text-classification", model="acme/clf-small")
generator = pipeline("text-generation", "gpt2")
weights = hf_hub_download(repo_id="acme/corpus", filename="train.parquet", repo_type="dataset")
snapshot_download("acme/embedder", revision="v2.0")
squad = load_dataset("squad")
local_csv = load_dataset("csv", data_files="data/train.csv")
here = CausalLM.from_pretrained("./checkpoints/run1")
there = CausalLM.from_pretrained("acme/finetuned")  # a directory beside this file
dynamic = CausalLM.from_pretrained(some_variable)
embedder = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")

cloud = OpenAI()
vllm = OpenAI(base_url="http://localhost:8000/v1", api_key="none")
azure = AzureOpenAI(azure_endpoint="https://acme.openai.azure.com", api_version="2024-06-01")
bedrock = boto3.client("bedrock-runtime", region_name="eu-west-1")
storage = boto3.client("s3")
reply = cloud.chat.completions.create(
    model="gpt-4o",
    messages=[{{"role": "system", "content": SYSTEM_PROMPT}}, {{"role": "user", "content": "x"}}],
)
ollama.chat(model="llama3", messages=[])
'''

TOOLS = """
from langchain_core.tools import tool
from mcp.server.fastmcp import FastMCP

server = FastMCP("acme")

@tool
def lookup_order(order_id: str) -> str:
    return order_id

@server.tool(name="refund")
def refund_order(order_id: str) -> str:
    return order_id

TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]
"""

MCP_CONFIG = {
    "mcpServers": {
        "filesystem": {
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "/srv/data"],
            "env": {"GITHUB_TOKEN": "ghp_supersecretvalue1234567890abcdef"},
        },
        "search": {"command": "uvx", "args": ["mcp-server-fetch", "--api-key", "sk-live-123"]},
        "remote": {"url": "https://mcp.example.com/sse?token=abc", "type": "sse"},
    }
}


def _onnx_model(path: Path) -> None:
    node = helper.make_node("Relu", ["x"], ["y"])
    graph = helper.make_graph(
        [node],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
    )
    onnx.save(helper.make_model(graph), str(path))


def _models(root: Path) -> None:
    (root / "models" / "bert").mkdir(parents=True)
    save_file(
        {"w": np.zeros((2, 2), dtype=np.float32)}, str(root / "models/bert/model.safetensors")
    )
    (root / "models/bert/config.json").write_text(
        json.dumps({"architectures": ["BertForMaskedLM"], "model_type": "bert"})
    )
    (root / "models/bert/tokenizer_config.json").write_text(
        json.dumps({"chat_template": "{% for m in messages %}{{ m.content }}{% endfor %}"})
    )
    np.save(root / "models/embeddings.npy", np.arange(16, dtype=np.int64))
    np.savez(root / "models/arrays.npz", a=np.ones(3))
    (root / "models/legacy.pkl").write_bytes(pickle.dumps({"weights": [1, 2, 3]}, protocol=4))
    (root / "models/notes.txt").write_bytes(pickle.dumps([1, 2], protocol=2))  # content wins
    (root / "models/fake.pkl").write_text("just text, not a pickle\n")
    clf = LogisticRegression().fit(np.array([[0.0], [1.0]]), np.array([0, 1]))
    joblib.dump(clf, root / "models/clf.joblib")
    _onnx_model(root / "models/tiny.onnx")
    with h5py.File(root / "models/keras_model.h5", "w") as handle:
        handle.attrs["keras_version"] = "2.15.0"
        handle.attrs["model_config"] = '{"class_name": "Sequential"}'
    (root / "models/savedmodel/variables").mkdir(parents=True)
    (root / "models/savedmodel/saved_model.pb").write_bytes(b"\x08\x01\x12\x00")
    (root / "models/savedmodel/variables/variables.index").write_bytes(b"\x00index")
    (root / "models/remote.safetensors").write_text(
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{'ab' * 32}\nsize 123456789\n"
    )


def build_project(root: Path) -> Path:
    """Write the example project under ``root`` and return it."""
    _models(root)
    (root / "data").mkdir()
    (root / "data/train.csv").write_text("text,label\nhello,1\n")
    (root / "data/eval.parquet").write_bytes(b"PAR1" + b"\x00" * 16 + b"PAR1")
    (root / "prompts").mkdir()
    (root / "prompts/summarise.txt").write_text("Summarise the following text:\n{text}\n")
    (root / "app").mkdir()
    (root / "app/main.py").write_text(APP)
    (root / "app/acme/finetuned").mkdir(parents=True)
    (root / "requirements.txt").write_text("torch==2.3.0\ntransformers>=4.40\n")
    (root / "app/tools.py").write_text(TOOLS)
    (root / "app/broken.py").write_text("def oops(:\n")
    (root / ".mcp.json").write_text(json.dumps(MCP_CONFIG, indent=2))
    (root / ".vscode").mkdir()
    (root / ".vscode/mcp.json").write_text(
        json.dumps(
            {"servers": {"github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/"}}}
        )
    )
    (root / "settings.json").write_text(json.dumps({"servers": {"web": {"command": "nginx"}}}))
    (root / "train.yaml").write_text(
        textwrap.dedent(
            """\
            model_name_or_path: acme/yaml-base   # the base model
            revision: main
            datasets:
              - path: acme/instructions
                type: alpaca
            output_dir: ./out
            """
        )
    )
    (root / "serve.json").write_text(
        json.dumps({"model": "openai/gpt-4o", "base_model": "acme/json-base"})
    )
    (root / ".env.example").write_text("ANTHROPIC_BASE_URL=https://api.anthropic.com\n")
    (root / ".gitignore").write_text("ignored/\n")
    (root / "ignored").mkdir()
    np.save(root / "ignored/secret.npy", np.zeros(2))
    (root / "notebook.ipynb").write_text(
        json.dumps(
            {
                "cells": [
                    {"cell_type": "markdown", "source": ["# x"]},
                    {
                        "cell_type": "code",
                        "source": [
                            "%pip install transformers\n",
                            "from transformers import AutoTokenizer\n",
                            'tok = AutoTokenizer.from_pretrained("acme/notebook-tok")\n',
                        ],
                    },
                ],
                "nbformat": 4,
            }
        )
    )
    return root
