"""Disk cache for embeddings and fitted preprocessors (batch job)."""

import json
import os
import pickle as pk
from pickle import loads

import cloudpickle
import dill
import joblib
import numpy as np
import pandas as pd

CACHE = os.path.expanduser("~/.cache/featurizer")


class FeatureCache:
    def __init__(self, root: str = CACHE) -> None:
        self.root = root

    def _path(self, key: str, ext: str) -> str:
        return os.path.join(self.root, f"{key}.{ext}")

    def get_vectorizer(self, key: str):
        with open(self._path(key, "pkl"), "rb") as fh:
            return pk.load(fh)  # expect: AIW-PY002

    def get_blob(self, key: str):
        with open(self._path(key, "bin"), "rb") as fh:
            return loads(fh.read())  # expect: AIW-PY002

    def get_pipeline(self, key: str):
        return joblib.load(self._path(key, "joblib"))  # expect: AIW-PY002

    def get_frame(self, key: str) -> pd.DataFrame:
        return pd.read_pickle(self._path(key, "pkl.gz"), compression="gzip")  # expect: AIW-PY002

    def get_table(self, key: str) -> pd.DataFrame:
        return pd.read_parquet(self._path(key, "parquet"))  # ok: AIW-PY002

    def get_meta(self, key: str) -> dict:
        with open(self._path(key, "json")) as fh:
            return json.load(fh)  # ok: AIW-PY002

    def put(self, key: str, value) -> None:
        with open(self._path(key, "pkl"), "wb") as fh:
            fh.write(pk.dumps(value))  # ok: AIW-PY002
