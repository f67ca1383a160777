"""Old sklearn predictor kept for the v1 API (loaded once at start-up)."""

import pickle
import sys
from functools import lru_cache

import numpy as np
from joblib import load as jl_load, dump

MODEL_PATH = "models/churn_v1.pkl"


class RestrictedUnpickler(pickle.Unpickler):  # ok: AIW-PY002
    """Refuses every global: only plain containers and numbers come through."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"global {module}.{name} is forbidden")


@lru_cache(maxsize=1)
def model():
    with open(MODEL_PATH, "rb") as fh:
        return pickle.Unpickler(fh).load()  # expect: AIW-PY002


def encoder():
    return jl_load("models/encoder_v1.joblib", mmap_mode="r")  # expect: AIW-PY002


def save(m) -> None:
    dump(m, "models/churn_v2.joblib", compress=3)  # ok: AIW-PY002


def predict(rows: list[list[float]]) -> list[float]:
    x = np.asarray(rows, dtype=np.float32)  # ok: AIW-PY002
    return model().predict_proba(x)[:, 1].tolist()


if __name__ == "__main__":
    print(predict([[float(v) for v in sys.argv[1:]]]))
