"""LoRA fine-tuning of a code model on an internal dataset."""

import argparse

import datasets
from peft import LoraConfig, get_peft_model
from sentence_transformers import SentenceTransformer
from transformers import AutoConfig, AutoModelForCausalLM, pipeline

BASE = "bigcode/starcoder2-3b"
BASE_REV = "733247c55e3f73af49ce8e9c7949bf14af205928"
DATA_REV = "2b1f9d6a1c0e4f3b8a7d6c5e4f3a2b1c0d9e8f7a"
EMBED_REV = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf"
TRUST = True
NO_REMOTE = False


def build(args: argparse.Namespace):
    cfg = AutoConfig.from_pretrained(BASE, revision=BASE_REV, trust_remote_code=TRUST)  # expect: AIW-PY003
    model = AutoModelForCausalLM.from_pretrained(  # expect: AIW-PY003
        BASE, config=cfg, revision=BASE_REV, trust_remote_code=args.trust_remote_code
    )
    model = get_peft_model(model, LoraConfig(r=16, target_modules=["q_proj", "v_proj"]))
    ds = datasets.load_dataset("acme/code-review", revision=DATA_REV, trust_remote_code=True)  # expect: AIW-PY003
    embedder = SentenceTransformer("nomic-ai/nomic-embed-text-v1.5", revision=EMBED_REV, trust_remote_code=True)  # expect: AIW-PY003
    return model, ds, embedder


def judge():
    return pipeline("text-classification", model="acme/reviewer", revision=BASE_REV, trust_remote_code=False)  # ok: AIW-PY003


def tokenizer_only():
    from transformers import AutoTokenizer as Tok

    return Tok.from_pretrained(BASE, revision=BASE_REV, trust_remote_code=NO_REMOTE)  # ok: AIW-PY003


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--trust-remote-code", action="store_true")
    build(p.parse_args())
