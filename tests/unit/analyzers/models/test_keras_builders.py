"""Builders of Keras artefacts for the Keras analyzer tests (keras itself is not installed).

The benign files follow the real layouts: Keras 2 ``model.save("m.h5")`` (root
attributes ``keras_version``/``backend``/``model_config``/``training_config`` and a
``model_weights`` group whose layer groups list ``weight_names``), and Keras 3
``model.save("m.keras")`` (a stored zip of ``metadata.json``, ``config.json`` and
``model.weights.h5`` with ``layers/<name>/vars/<i>`` datasets), with configs in the
shapes written by ``legacy_serialization`` (Keras 2) and ``serialization_lib``
(Keras 3: ``module``/``class_name``/``config``/``registered_name``). The tests at the
end check that the builders produce those layouts.
"""

from __future__ import annotations

import base64
import io
import json
import marshal
import zipfile
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.models.keras import KerasAnalyzer
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat

Json = dict[str, Any]


def lambda_bytecode(source: str = "lambda x: __import__('os').system('id') or x") -> str:
    """Base64 marshal of a lambda's code object, as Keras ``func_dump`` writes it.

    Compiling test source is not scanning: the analyzer never unmarshals it.
    """
    module = compile(f"f = {source}", "<keras>", "exec")
    code = next(c for c in module.co_consts if hasattr(c, "co_code"))
    return base64.encodebytes(marshal.dumps(code)).decode("ascii")


# --- Keras 2 (legacy) configs -------------------------------------------------------------


def _k2_init(name: str, **config: Any) -> Json:
    return {"class_name": name, "config": config}


def k2_dense(name: str, units: int, activation: str = "relu") -> Json:
    return {
        "class_name": "Dense",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "units": units,
            "activation": activation,
            "use_bias": True,
            "kernel_initializer": _k2_init("GlorotUniform", seed=None),
            "bias_initializer": _k2_init("Zeros"),
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        },
    }


def k2_cnn_layers() -> list[Json]:
    """An MNIST-style CNN as ``tf.keras`` 2.x writes it."""
    return [
        {
            "class_name": "InputLayer",
            "config": {
                "batch_input_shape": [None, 28, 28, 1],
                "dtype": "float32",
                "sparse": False,
                "ragged": False,
                "name": "conv2d_input",
            },
        },
        {
            "class_name": "Conv2D",
            "config": {
                "name": "conv2d",
                "trainable": True,
                "dtype": "float32",
                "filters": 32,
                "kernel_size": [3, 3],
                "strides": [1, 1],
                "padding": "valid",
                "data_format": "channels_last",
                "dilation_rate": [1, 1],
                "groups": 1,
                "activation": "relu",
                "use_bias": True,
                "kernel_initializer": _k2_init("GlorotUniform", seed=None),
                "bias_initializer": _k2_init("Zeros"),
                "kernel_regularizer": _k2_init("L2", l2=0.0005),
                "bias_regularizer": None,
                "activity_regularizer": None,
                "kernel_constraint": _k2_init("MaxNorm", max_value=3, axis=0),
                "bias_constraint": None,
            },
        },
        {
            "class_name": "BatchNormalization",
            "config": {
                "name": "batch_normalization",
                "trainable": True,
                "dtype": "float32",
                "axis": [3],
                "momentum": 0.99,
                "epsilon": 0.001,
                "center": True,
                "scale": True,
                "beta_initializer": _k2_init("Zeros"),
                "gamma_initializer": _k2_init("Ones"),
                "moving_mean_initializer": _k2_init("Zeros"),
                "moving_variance_initializer": _k2_init("Ones"),
                "beta_regularizer": None,
                "gamma_regularizer": None,
                "beta_constraint": None,
                "gamma_constraint": None,
            },
        },
        {
            "class_name": "MaxPooling2D",
            "config": {
                "name": "max_pooling2d",
                "trainable": True,
                "dtype": "float32",
                "pool_size": [2, 2],
                "padding": "valid",
                "strides": [2, 2],
                "data_format": "channels_last",
            },
        },
        {
            "class_name": "Flatten",
            "config": {
                "name": "flatten",
                "trainable": True,
                "dtype": "float32",
                "data_format": "channels_last",
            },
        },
        {
            "class_name": "Dropout",
            "config": {
                "name": "dropout",
                "trainable": True,
                "dtype": "float32",
                "rate": 0.5,
                "noise_shape": None,
                "seed": None,
            },
        },
        k2_dense("dense", 10, "softmax"),
    ]


def k2_sequential(layers: list[Json], name: str = "sequential") -> Json:
    return {"class_name": "Sequential", "config": {"name": name, "layers": layers}}


def k2_lstm(name: str) -> Json:
    return {
        "class_name": "LSTM",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "return_sequences": True,
            "return_state": False,
            "go_backwards": False,
            "stateful": False,
            "unroll": False,
            "time_major": False,
            "units": 64,
            "activation": "tanh",
            "recurrent_activation": "sigmoid",
            "use_bias": True,
            "kernel_initializer": _k2_init("GlorotUniform", seed=None),
            "recurrent_initializer": _k2_init("Orthogonal", gain=1.0, seed=None),
            "bias_initializer": _k2_init("Zeros"),
            "unit_forget_bias": True,
            "kernel_regularizer": None,
            "recurrent_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "recurrent_constraint": None,
            "bias_constraint": None,
            "dropout": 0.0,
            "recurrent_dropout": 0.0,
            "implementation": 2,
        },
    }


def k2_functional_text(extra: list[Json] | None = None, name: str = "model") -> Json:
    """Embedding -> Bidirectional(LSTM) -> TimeDistributed(Dense), as a Functional model."""
    layers: list[Json] = [
        {
            "class_name": "InputLayer",
            "config": {
                "batch_input_shape": [None, 100],
                "dtype": "int32",
                "sparse": False,
                "ragged": False,
                "name": "tokens",
            },
            "name": "tokens",
            "inbound_nodes": [],
        },
        {
            "class_name": "Embedding",
            "config": {
                "name": "embedding",
                "trainable": True,
                "dtype": "float32",
                "batch_input_shape": [None, 100],
                "input_dim": 20000,
                "output_dim": 128,
                "embeddings_initializer": _k2_init(
                    "RandomUniform", minval=-0.05, maxval=0.05, seed=None
                ),
                "embeddings_regularizer": None,
                "activity_regularizer": None,
                "embeddings_constraint": None,
                "mask_zero": True,
                "input_length": 100,
            },
            "name": "embedding",
            "inbound_nodes": [[["tokens", 0, 0, {}]]],
        },
        {
            "class_name": "Bidirectional",
            "config": {
                "name": "bidirectional",
                "trainable": True,
                "dtype": "float32",
                "layer": k2_lstm("lstm"),
                "merge_mode": "concat",
            },
            "name": "bidirectional",
            "inbound_nodes": [[["embedding", 0, 0, {}]]],
        },
        {
            "class_name": "TimeDistributed",
            "config": {
                "name": "time_distributed",
                "trainable": True,
                "dtype": "float32",
                "layer": k2_dense("tag_dense", 9, "softmax"),
            },
            "name": "time_distributed",
            "inbound_nodes": [[["bidirectional", 0, 0, {}]]],
        },
    ]
    layers.extend(extra or [])
    last = layers[-1].get("name", layers[-1]["config"]["name"])
    return {
        "class_name": "Functional",
        "config": {
            "name": name,
            "layers": layers,
            "input_layers": [["tokens", 0, 0]],
            "output_layers": [[last, 0, 0]],
        },
    }


K2_TRAINING_CONFIG: Json = {
    "loss": "sparse_categorical_crossentropy",
    "metrics": [
        [
            {
                "class_name": "MeanMetricWrapper",
                "config": {
                    "name": "accuracy",
                    "dtype": "float32",
                    "fn": "sparse_categorical_accuracy",
                },
            }
        ]
    ],
    "weighted_metrics": None,
    "loss_weights": None,
    "optimizer_config": {
        "class_name": "Adam",
        "config": {
            "name": "Adam",
            "learning_rate": 0.001,
            "decay": 0.0,
            "beta_1": 0.9,
            "beta_2": 0.999,
            "epsilon": 1e-07,
            "amsgrad": False,
        },
    },
}


def write_k2_h5(
    path: Path,
    model_config: Json | str | bytes | None,
    *,
    training_config: Json | None = None,
    weights: dict[str, dict[str, tuple[int, ...]]] | None = None,
) -> Path:
    """Write a Keras 2 ``model.save('m.h5')`` file; strings are stored as given."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.12.0"
        f.attrs["backend"] = "tensorflow"
        if model_config is not None:
            text = (
                model_config if isinstance(model_config, str | bytes) else json.dumps(model_config)
            )
            # bytes go in as a fixed-length string attribute (older Keras wrote bytes)
            f.attrs["model_config"] = np.bytes_(text) if isinstance(text, bytes) else text
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(training_config)
        group = f.create_group("model_weights")
        group.attrs["backend"] = "tensorflow"
        group.attrs["keras_version"] = "2.12.0"
        layers = weights or {"dense": {"kernel:0": (4, 2), "bias:0": (2,)}}
        group.attrs["layer_names"] = np.array([n.encode() for n in layers])
        for layer, tensors in layers.items():
            lg = group.create_group(layer)
            lg.attrs["weight_names"] = np.array([f"{layer}/{t}".encode() for t in tensors])
            inner = lg.create_group(layer)
            for tensor, shape in tensors.items():
                inner.create_dataset(tensor, data=np.zeros(shape, dtype="float32"))
    return path


# --- Keras 3 configs ---------------------------------------------------------------------


def k3_obj(module: str, class_name: str, config: Any, registered_name: str | None = None) -> Json:
    return {
        "module": module,
        "class_name": class_name,
        "config": config,
        "registered_name": registered_name,
    }


def _k3_dtype() -> Json:
    return k3_obj("keras", "DTypePolicy", {"name": "float32"})


def k3_dense(name: str, units: int, activation: Any = "relu") -> Json:
    layer = k3_obj(
        "keras.layers",
        "Dense",
        {
            "name": name,
            "trainable": True,
            "dtype": _k3_dtype(),
            "units": units,
            "activation": activation,
            "use_bias": True,
            "kernel_initializer": k3_obj("keras.initializers", "GlorotUniform", {"seed": None}),
            "bias_initializer": k3_obj("keras.initializers", "Zeros", {}),
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        },
    )
    layer["build_config"] = {"input_shape": [None, 16]}
    return layer


def k3_input(name: str, shape: list[int | None]) -> Json:
    return k3_obj(
        "keras.layers",
        "InputLayer",
        {"batch_shape": shape, "dtype": "float32", "sparse": False, "name": name},
    )


def k3_sequential(layers: list[Json], name: str = "sequential") -> Json:
    model = k3_obj(
        "keras",
        "Sequential",
        {"name": name, "trainable": True, "dtype": _k3_dtype(), "layers": layers},
    )
    model["build_config"] = {"input_shape": [None, 16]}
    model["compile_config"] = {
        "optimizer": k3_obj(
            "keras.optimizers",
            "Adam",
            {
                "name": "adam",
                "learning_rate": 0.001,
                "weight_decay": None,
                "clipnorm": None,
                "global_clipnorm": None,
                "clipvalue": None,
                "use_ema": False,
                "ema_momentum": 0.99,
                "ema_overwrite_frequency": None,
                "loss_scale_factor": None,
                "gradient_accumulation_steps": None,
                "beta_1": 0.9,
                "beta_2": 0.999,
                "epsilon": 1e-07,
                "amsgrad": False,
            },
        ),
        "loss": "sparse_categorical_crossentropy",
        "loss_weights": None,
        "metrics": ["accuracy"],
        "weighted_metrics": None,
        "run_eagerly": False,
        "steps_per_execution": 1,
        "jit_compile": False,
    }
    return model


def k3_benign_layers() -> list[Json]:
    dropout = k3_obj(
        "keras.layers",
        "Dropout",
        {"name": "dropout", "trainable": True, "dtype": _k3_dtype(), "rate": 0.2, "seed": None},
    )
    norm = k3_obj(
        "keras.layers",
        "LayerNormalization",
        {
            "name": "layer_normalization",
            "trainable": True,
            "dtype": _k3_dtype(),
            "axis": [-1],
            "epsilon": 0.001,
            "center": True,
            "scale": True,
            "beta_initializer": k3_obj("keras.initializers", "Zeros", {}),
            "gamma_initializer": k3_obj("keras.initializers", "Ones", {}),
        },
    )
    return [
        k3_input("input_layer", [None, 16]),
        k3_dense("dense", 32),
        dropout,
        norm,
        k3_dense("dense_1", 3, "softmax"),
    ]


def k3_lambda(name: str, function: Any, **extra: Any) -> Json:
    return k3_obj(
        "keras.layers",
        "Lambda",
        {
            "name": name,
            "trainable": True,
            "dtype": _k3_dtype(),
            "function": function,
            "arguments": {},
            **extra,
        },
    )


def k3_lambda_code(code: str) -> Json:
    """Keras 3 ``Lambda._serialize_function_to_config`` of a Python lambda."""
    return {"class_name": "__lambda__", "config": {"code": code, "defaults": None, "closure": None}}


def _weights_h5(layers: dict[str, list[tuple[int, ...]]]) -> bytes:
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        top = f.create_group("layers")
        for layer, shapes in layers.items():
            variables = top.create_group(layer).create_group("vars")
            for index, shape in enumerate(shapes):
                variables.create_dataset(str(index), data=np.zeros(shape, dtype="float32"))
        f.create_group("vars")
        f.create_group("optimizer").create_group("vars")
    return buffer.getvalue()


BENIGN_WEIGHTS = {"dense": [(16, 32), (32,)], "dense_1": [(32, 3), (3,)]}


def write_keras_v3(
    path: Path,
    config: Json | str | bytes | None,
    *,
    weights: bytes | None = None,
    extra: dict[str, bytes] | None = None,
    metadata: bool = True,
) -> Path:
    """Write a ``.keras`` archive the way ``saving_lib.save_model`` lays it out."""
    with zipfile.ZipFile(path, "w") as archive:
        if metadata:
            meta = {"keras_version": "3.6.0", "date_saved": "2024-11-02@10:11:12"}
            archive.writestr("metadata.json", json.dumps(meta))
        if config is not None:
            text = config if isinstance(config, str | bytes) else json.dumps(config)
            archive.writestr("config.json", text)
        archive.writestr(
            "model.weights.h5", weights if weights is not None else _weights_h5(BENIGN_WEIGHTS)
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def h5_bytes(build: Any) -> bytes:
    """An in-memory HDF5 file filled by ``build(file)``."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        build(f)
    return buffer.getvalue()


# --- running the analyzer -------------------------------------------------------------------


def artifact(path: Path, fmt: FileFormat) -> Artifact:
    return Artifact(path, path.name, fmt, path.stat().st_size)


def scan(path: Path, fmt: FileFormat, limits: Limits | None = None) -> list[Finding]:
    return list(KerasAnalyzer().analyze(artifact(path, fmt), limits or Limits()))


def rule_ids(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


# --- the builders produce the real layouts ---------------------------------------------------


def test_k2_h5_builder_matches_keras2_layout(tmp_path: Path) -> None:
    path = write_k2_h5(tmp_path / "m.h5", k2_sequential(k2_cnn_layers()))
    with h5py.File(path, "r") as f:
        assert {"keras_version", "backend", "model_config"} <= set(f.attrs)
        assert json.loads(f.attrs["model_config"])["class_name"] == "Sequential"
        assert list(f["model_weights"].attrs["layer_names"]) == [b"dense"]
        assert f["model_weights/dense/dense/kernel:0"].shape == (4, 2)


def test_keras_v3_builder_matches_saving_lib_layout(tmp_path: Path) -> None:
    path = write_keras_v3(tmp_path / "m.keras", k3_sequential(k3_benign_layers()))
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        config = json.loads(archive.read("config.json"))
        weights = archive.read("model.weights.h5")
    assert set(config) >= {"module", "class_name", "config", "registered_name"}
    with h5py.File(io.BytesIO(weights), "r") as f:
        assert f["layers/dense/vars/0"].shape == (16, 32)
