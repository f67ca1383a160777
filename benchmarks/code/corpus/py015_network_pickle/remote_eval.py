"""Remote evaluation harness: drives GPU boxes over RPyC and Redis."""

import pickle

import redis
import rpyc
from rpyc.utils.classic import connect as classic_connect

BOXES = ["gpu-1.internal", "gpu-2.internal"]
r = redis.Redis(host="cache.internal", port=6379)


def run_on(box: str, script: str):
    conn = rpyc.classic.connect(box)  # expect: AIW-PY015
    return conn.modules.subprocess.check_output(["python", script])


def run_on_alias(box: str):
    return classic_connect(box, port=18812)  # expect: AIW-PY015


def run_service(box: str):
    conn = rpyc.connect(box, 18861, config={"allow_public_attrs": False})  # ok: AIW-PY015
    return conn.root.evaluate("mmlu")


def cached_result(key: str):
    raw = r.get(f"eval:{key}")
    return pickle.loads(raw) if raw else None  # expect: AIW-PY015; allow: AIW-PY002
