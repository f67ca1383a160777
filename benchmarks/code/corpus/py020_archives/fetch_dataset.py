"""Download and unpack the training data and model bundles."""

import shutil
import tarfile
import zipfile
from pathlib import Path

import requests

DATA = Path("data")
BUNDLE_URL = "https://models.acme.example/bundles/ranker-2025-06.tar.gz"


def download(url: str, dest: Path) -> Path:
    with requests.get(url, stream=True, timeout=60) as r, dest.open("wb") as fh:
        shutil.copyfileobj(r.raw, fh)
    return dest


def unpack_bundle() -> None:
    archive = download(BUNDLE_URL, DATA / "bundle.tar.gz")
    with tarfile.open(archive) as tf:  # ok: AIW-PY020
        tf.extractall(DATA / "bundle")  # expect: AIW-PY020


def unpack_bundle_safely() -> None:
    with tarfile.open(DATA / "bundle.tar.gz", "r:gz") as tf:
        tf.extractall(path=DATA / "bundle", filter="data")  # ok: AIW-PY020


def unpack_members(archive: Path) -> None:
    tar = tarfile.open(archive, mode="r:*")
    for member in tar.getmembers():
        if member.name.endswith(".safetensors"):
            tar.extract(member, DATA / "weights")  # expect: AIW-PY020
    tar.extractall(DATA / "all", members=tar.getmembers())  # expect: AIW-PY020
    tar.close()


def unpack_zip(archive: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(DATA / "zip")  # ok: AIW-PY020
