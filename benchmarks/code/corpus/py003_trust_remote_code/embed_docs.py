"""Embed the docs folder for retrieval (cron job)."""

import pathlib

import transformers
from sentence_transformers import SentenceTransformer

REV = "fa97f6e7cb1a59073dff9e6b13e2715cf7475ac9"
ENC_REV = "2a2ad2d4f0c4f3e97ca84b2e5e3d0e5c4b7b6a59"

encoder = SentenceTransformer("BAAI/bge-small-en-v1.5", revision=REV)  # ok: AIW-PY003
summariser = transformers.pipeline(  # expect: AIW-PY003
    "summarization",
    model="acme/long-t5-summariser",
    revision=REV,
    trust_remote_code=True,  # custom attention kernel
)
reranker = transformers.AutoModelForSequenceClassification.from_pretrained(  # ok: AIW-PY003
    "acme/reranker", revision=ENC_REV, trust_remote_code=False
)

tokenizer = transformers.AutoTokenizer.from_pretrained("acme/long-t5-summariser", revision=REV)  # ok: AIW-PY003


def embed(folder: str) -> list[list[float]]:
    texts = [p.read_text() for p in pathlib.Path(folder).glob("**/*.md")]
    return encoder.encode(texts, batch_size=32).tolist()
