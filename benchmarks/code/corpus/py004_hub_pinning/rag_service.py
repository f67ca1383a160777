"""Retrieval service: embeds queries and reranks with a cross-encoder."""

from sentence_transformers import CrossEncoder, SentenceTransformer
from transformers import pipeline as hf_pipeline

EMBEDDER = "BAAI/bge-base-en-v1.5"


class Retriever:
    def __init__(self) -> None:
        self.embedder = SentenceTransformer(EMBEDDER)  # expect: AIW-PY004
        self.reranker = CrossEncoder("cross-encoder/ms-marco-MiniLM-L-6-v2", revision="main")  # expect: AIW-PY004
        self.ner = hf_pipeline("ner", model="dslim/bert-base-NER", aggregation_strategy="simple")  # expect: AIW-PY004
        self.lang = hf_pipeline(  # ok: AIW-PY004
            "text-classification",
            model="papluca/xlm-roberta-base-language-detection",
            revision="9865598389ca9d95637462f743f683b51d75b87b",
        )

    def embed(self, texts: list[str]):
        return self.embedder.encode(texts, normalize_embeddings=True)
