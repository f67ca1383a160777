"""Load experiment configs (YAML) for the training launcher."""

import sys
from pathlib import Path

import yaml
from yaml import SafeLoader, UnsafeLoader, load as yload

CONFIG_DIR = Path("configs")
LOADER = yaml.CSafeLoader


def load_experiment(name: str) -> dict:
    with (CONFIG_DIR / f"{name}.yaml").open() as fh:
        return yaml.load(fh, Loader=yaml.FullLoader)  # expect: AIW-PY022


def load_defaults() -> dict:
    with (CONFIG_DIR / "defaults.yaml").open() as fh:
        return yaml.load(fh, yaml.SafeLoader)  # ok: AIW-PY022


def load_sweep(text: str) -> list:
    return list(yaml.load_all(text, Loader=yaml.Loader))  # expect: AIW-PY022


def load_override(text: str) -> dict:
    return yload(text, UnsafeLoader)  # expect: AIW-PY022


def load_fast(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=LOADER)  # ok: AIW-PY022


def load_plain(path: Path) -> dict:
    return yload(path.read_text(), Loader=SafeLoader)  # ok: AIW-PY022


if __name__ == "__main__":
    print(load_experiment(sys.argv[1]))
