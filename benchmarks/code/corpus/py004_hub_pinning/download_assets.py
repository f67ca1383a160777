"""Fetch every artefact the demo needs into ./assets (run once before `make serve`)."""

import os

from huggingface_hub import hf_hub_download, snapshot_download
import huggingface_hub as hub

ASSETS = "assets"
LLAMA_COMMIT = "0e9e39f249a16976918f6564b8830bc894c89659"
GGUF_REPO = "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF"


def fetch_all() -> dict[str, str]:
    paths = {}
    paths["gguf"] = hf_hub_download(  # expect: AIW-PY004
        repo_id=GGUF_REPO,
        filename="Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
        local_dir=ASSETS,
    )
    paths["tokenizer"] = hf_hub_download(GGUF_REPO, "tokenizer.json", revision="main")  # expect: AIW-PY004
    paths["snapshot"] = snapshot_download("openai/whisper-small", allow_patterns=["*.json", "*.safetensors"])  # expect: AIW-PY004
    paths["lora"] = hub.snapshot_download(repo_id="acme/support-lora", revision="v1.2")  # expect: AIW-PY004
    paths["pinned"] = hf_hub_download(  # ok: AIW-PY004
        repo_id="meta-llama/Llama-3.1-8B-Instruct",
        filename="config.json",
        revision=LLAMA_COMMIT,
    )
    paths["pinned_snapshot"] = snapshot_download(  # ok: AIW-PY004
        "sentence-transformers/all-MiniLM-L6-v2", revision="c9745ed1d9f207416be6d2e6f8de32d1f16199bf"
    )
    return paths


if __name__ == "__main__":
    os.makedirs(ASSETS, exist_ok=True)
    print(fetch_all())
