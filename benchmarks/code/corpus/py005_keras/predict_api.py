"""Flask endpoint serving an image classifier trained with Keras."""

import os

import keras
import numpy as np
from flask import Flask, jsonify, request
from keras.models import load_model

app = Flask(__name__)
MODEL_DIR = os.environ.get("MODEL_DIR", "models")

classifier = load_model(os.path.join(MODEL_DIR, "classifier.keras"))  # ok: AIW-PY005
segmenter = load_model(os.path.join(MODEL_DIR, "segmenter.keras"), safe_mode=False)  # expect: AIW-PY005
ocr = keras.saving.load_model(os.path.join(MODEL_DIR, "ocr.keras"), compile=False, safe_mode=True)  # ok: AIW-PY005


@app.post("/predict")
def predict():
    pixels = np.asarray(request.get_json()["pixels"], dtype="float32")
    probs = classifier.predict(pixels[None, ...])[0]
    return jsonify({"label": int(probs.argmax()), "p": float(probs.max())})


@app.post("/reload")
def reload_model():
    global classifier
    keras.config.enable_unsafe_deserialization()  # expect: AIW-PY005
    classifier = keras.models.load_model(request.get_json()["path"])  # expect: AIW-PY005
    return jsonify({"ok": True})
