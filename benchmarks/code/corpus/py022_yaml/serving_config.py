"""Model-serving config: routes, model cards and prompt files in YAML."""

import os

import yaml as pyyaml
from ruamel.yaml import YAML

ROUTES = os.environ.get("ROUTES_FILE", "routes.yaml")


class ServingConfig:
    def __init__(self, path: str = ROUTES) -> None:
        with open(path) as fh:
            self.routes = pyyaml.full_load(fh)  # expect: AIW-PY022

    def model_card(self, text: str) -> dict:
        return pyyaml.unsafe_load(text)  # expect: AIW-PY022

    def prompts(self, path: str) -> list:
        with open(path) as fh:
            return list(pyyaml.safe_load_all(fh))  # ok: AIW-PY022

    def legacy(self, path: str) -> dict:
        with open(path) as fh:
            return pyyaml.load(fh)  # expect: AIW-PY022

    def multi(self, text: str) -> list:
        return list(pyyaml.full_load_all(text))  # expect: AIW-PY022

    def roundtrip(self, path: str) -> dict:
        with open(path) as fh:
            return YAML(typ="safe").load(fh)  # ok: AIW-PY022

    def dump(self, path: str) -> None:
        with open(path, "w") as fh:
            pyyaml.safe_dump(self.routes, fh)  # ok: AIW-PY022
