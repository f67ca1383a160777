"""Flask wrapper around the sentiment pipeline (legacy demo)."""

import os

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/sentiment")
def sentiment():
    text = request.get_json().get("text", "")
    return jsonify(label="positive" if "good" in text.lower() else "negative")


def run_dev() -> None:
    app.run(debug=True)  # expect: AIW-PY014


def run_lan() -> None:
    app.run(host="0.0.0.0", port=5000)  # expect: AIW-PY014


def run_positional() -> None:
    app.run("0.0.0.0", 5000, True)  # expect: AIW-PY014


def run_ipv6() -> None:
    app.run(host="::", port=5000)  # expect: AIW-PY014


def run_local() -> None:
    app.run(host="localhost", port=5000, debug=False)  # ok: AIW-PY014


if __name__ == "__main__":
    {"dev": run_dev, "lan": run_lan, "local": run_local}[os.environ.get("MODE", "local")]()
