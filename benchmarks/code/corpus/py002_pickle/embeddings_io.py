"""Load precomputed embeddings and closures shipped by the data team."""

from pathlib import Path
import shelve

import cloudpickle as cp
import dill as dl
import jsonpickle
import numpy

EMB_DIR = Path("data/embeddings")
PICKLE_OK = False


def load_vectors(name: str) -> numpy.ndarray:
    return numpy.load(EMB_DIR / f"{name}.npy")  # ok: AIW-PY002


def load_ragged(name: str):
    return numpy.load(EMB_DIR / f"{name}_ragged.npy", allow_pickle=True)  # expect: AIW-PY002


def load_index(name: str):
    return numpy.load(EMB_DIR / f"{name}.npz", allow_pickle=PICKLE_OK)  # ok: AIW-PY002


def load_udf(path: Path):
    return cp.loads(path.read_bytes())  # expect: AIW-PY002


def load_session(path: Path):
    with path.open("rb") as fh:
        return dl.load(fh)  # expect: AIW-PY002


def load_labels(path: Path) -> dict:
    with shelve.open(str(path)) as db:  # expect: AIW-PY002
        return dict(db)


def load_config(text: str):
    return jsonpickle.decode(text)  # expect: AIW-PY002
