"""Start Ray for batch inference and hyper-parameter sweeps."""

import os

import ray
from ray import serve

DASH = "0.0.0.0"


def start_head() -> None:
    ray.init(include_dashboard=True, dashboard_host="0.0.0.0", dashboard_port=8265)  # expect: AIW-PY014


def start_head_from_constant() -> None:
    ray.init(dashboard_host=DASH)  # expect: AIW-PY014


def start_laptop() -> None:
    ray.init()  # ok: AIW-PY014


def start_tunnelled() -> None:
    ray.init(dashboard_host="127.0.0.1", num_cpus=os.cpu_count())  # ok: AIW-PY014


def start_serve() -> None:
    serve.start(http_options={"host": "0.0.0.0", "port": 8000})  # expect: AIW-PY014
