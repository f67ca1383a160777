"""GPU worker that loads community checkpoints (held-out cases)."""

import os
import tarfile

import torch
import transformers as tf
from huggingface_hub import hf_hub_download as fetch

REPO = os.environ.get("MODEL_REPO", "acme/ranker")
PIN = "3f1c0e4b9a7d2c6e8f0a1b2c3d4e5f6a7b8c9d0e"
WEIGHTS_ONLY = True


def load_ranker():
    archive = fetch(REPO, "ranker.tar.gz", revision="release")  # expect: AIW-PY004
    with tarfile.open(archive) as bundle:
        bundle.extractall("/srv/ranker")  # expect: AIW-PY020
    state = torch.load("/srv/ranker/state.pt", weights_only=WEIGHTS_ONLY)  # ok: AIW-PY001
    model = tf.AutoModel.from_pretrained("/srv/ranker", local_files_only=True)  # ok: AIW-PY004
    model.load_state_dict(state)
    return model


def load_encoder():
    return tf.AutoModel.from_pretrained(REPO, revision=PIN, trust_remote_code=os.getenv("TRC") == "1")  # expect: AIW-PY003


def load_head(path: str):
    return torch.load(path, map_location="cpu", weights_only=not WEIGHTS_ONLY)  # expect: AIW-PY001
