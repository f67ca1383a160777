"""FastAPI server for the fraud model; started by the container entrypoint."""

import os

import joblib  # noqa: F401  (model loaded lazily by the worker)
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="fraud-scorer")
BIND = "0.0.0.0"
LOCAL = "127.0.0.1"


class Txn(BaseModel):
    amount: float
    country: str


@app.post("/score")
def score(txn: Txn) -> dict[str, float]:
    return {"score": min(1.0, txn.amount / 10_000)}


def main() -> None:
    target = os.environ.get("TARGET", "prod")
    if target == "prod":
        uvicorn.run(app, host="0.0.0.0", port=8000, workers=4)  # expect: AIW-PY014
    elif target == "staging":
        uvicorn.run("model_server:app", host=BIND, port=8001)  # expect: AIW-PY014
    elif target == "dev":
        uvicorn.run(app, host=LOCAL, port=8000, reload=True)  # ok: AIW-PY014
    else:
        uvicorn.run(app, port=8000)  # ok: AIW-PY014


if __name__ == "__main__":
    main()
