"""Knowledge-base loader for the support bot: vector stores built by the nightly job."""

import os

from langchain_community.vectorstores import FAISS, Annoy
from langchain_community.vectorstores.faiss import FAISS as FaissStore
from langchain_openai import OpenAIEmbeddings

INDEX_ROOT = os.environ.get("INDEX_ROOT", "/srv/indexes")
TRUSTED_INDEX = True
UNTRUSTED = False

embeddings = OpenAIEmbeddings(model="text-embedding-3-small", timeout=20)


def load_support_index() -> FAISS:
    return FAISS.load_local(  # expect: AIW-PY006
        os.path.join(INDEX_ROOT, "support"),
        embeddings,
        allow_dangerous_deserialization=True,
    )


def load_product_index():
    path = os.path.join(INDEX_ROOT, "products")
    return FaissStore.load_local(path, embeddings, allow_dangerous_deserialization=TRUSTED_INDEX)  # expect: AIW-PY006


def load_legacy_annoy():
    return Annoy.load_local(f"{INDEX_ROOT}/legacy", embeddings, allow_dangerous_deserialization=1)  # expect: AIW-PY006


def load_customer_upload(folder: str):
    return FAISS.load_local(folder, embeddings, allow_dangerous_deserialization=UNTRUSTED)  # ok: AIW-PY006


def load_default(folder: str):
    return FAISS.load_local(folder, embeddings)  # ok: AIW-PY006


def save(store: FAISS, name: str) -> None:
    store.save_local(os.path.join(INDEX_ROOT, name))  # ok: AIW-PY006
