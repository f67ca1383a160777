"""Evaluate the 2021 TensorFlow models on the frozen test split."""

import sys

import tensorflow as tf
from tensorflow import keras as tfk
from tensorflow.keras.models import load_model as tf_load_model

LEGACY = "weights/sentiment_lstm.h5"
UNSAFE = False


def evaluate(x_test, y_test) -> dict[str, float]:
    results = {}
    lstm = tf.keras.models.load_model(LEGACY)  # expect: AIW-PY005
    results["lstm"] = lstm.evaluate(x_test, y_test, verbose=0)[1]
    cnn = tf_load_model("weights/cnn_2021.hdf5", compile=False)  # expect: AIW-PY005
    results["cnn"] = cnn.evaluate(x_test, y_test, verbose=0)[1]
    gru = tfk.models.load_model("weights/gru.keras", safe_mode=UNSAFE)  # expect: AIW-PY005
    results["gru"] = gru.evaluate(x_test, y_test, verbose=0)[1]
    head = tfk.models.load_model("weights/head.keras")  # ok: AIW-PY005
    head.load_weights("weights/head.weights.h5")  # ok: AIW-PY005
    results["head"] = head.evaluate(x_test, y_test, verbose=0)[1]
    head.save("exports/head_2025.h5")  # ok: AIW-PY005
    return results


if __name__ == "__main__":
    data = tf.keras.datasets.imdb.load_data(num_words=20000)
    print(evaluate(*data[1]), file=sys.stderr)
