"""Feature-cache microservice used by the ranking model."""

import json
import pickle as pkl
from pickle import loads as unpickle

from fastapi import FastAPI, Request, WebSocket
from flask import Flask, request

api = FastAPI()
legacy = Flask(__name__)


@api.post("/features")
async def put_features(req: Request) -> dict:
    body = await req.body()
    features = pkl.loads(body)  # expect: AIW-PY015; allow: AIW-PY002
    return {"n": len(features)}


@api.post("/features/json")
async def put_features_json(req: Request) -> dict:
    features = json.loads(await req.body())  # ok: AIW-PY015
    return {"n": len(features)}


@api.websocket("/stream")
async def stream(ws: WebSocket) -> None:
    await ws.accept()
    while True:
        frame = await ws.receive_bytes()
        event = unpickle(frame)  # expect: AIW-PY015; allow: AIW-PY002
        await ws.send_text(str(event.get("id")))


@legacy.post("/v1/features")
def put_v1():
    return {"n": len(pkl.loads(request.data))}  # expect: AIW-PY015; allow: AIW-PY002


@legacy.get("/v1/export")
def export_v1():
    return pkl.dumps({"version": 1})  # ok: AIW-PY015
