"""Benign samples, every one written by the real library for its format."""

from __future__ import annotations

import collections
import datetime
import decimal
import io
import json
import pickle
import tarfile
from pathlib import Path

from . import formats, templates, ziptricks
from .manifest import Corpus

LIB = "written by the real library"


def add_pickles(corpus: Corpus) -> None:
    import numpy as np

    data = {
        "name": "run-42",
        "lr": 3e-4,
        "layers": [64, 64, 10],
        "blob": b"\x00\x01",
        "tags": {"a", "b"},
        "created": datetime.datetime(2024, 5, 1, 12, 0),
        "price": decimal.Decimal("1.25"),
        "history": collections.OrderedDict(loss=[0.9, 0.5], acc=[0.6, 0.8]),
        "shape": (3, 4),
        "z": complex(1, 2),
    }
    for proto in range(6):
        corpus.write(
            f"benign/pickle/plain_p{proto}.pkl",
            pickle.dumps(data, protocol=proto),
            format="pickle",
            technique="plain data",
            malicious=False,
            note=LIB,
        )
    corpus.write(
        "benign/pickle/numpy_array.pkl",
        pickle.dumps(np.arange(12.0).reshape(3, 4)),
        format="pickle",
        technique="numpy array",
        malicious=False,
        note=LIB,
    )


def add_numpy(corpus: Corpus) -> None:
    import numpy as np

    arrays = {
        "w": np.random.default_rng(0).normal(size=(32, 16)).astype("float32"),
        "b": np.zeros(16, dtype="float64"),
    }
    root = "benign/numpy"
    np.save(corpus.path(f"{root}/weights.npy"), arrays["w"])
    np.savez(corpus.path(f"{root}/arrays.npz"), **arrays)
    np.savez_compressed(corpus.path(f"{root}/arrays_compressed.npz"), **arrays)
    structured = np.zeros(4, dtype=[("id", "<i4"), ("score", "<f8")])
    np.save(corpus.path(f"{root}/structured.npy"), structured)
    np.save(
        corpus.path(f"{root}/object_ints.npy"),
        np.array([1, "two", 3.0], dtype=object),
        allow_pickle=True,
    )
    for name, technique in (
        ("weights.npy", "npy"),
        ("arrays.npz", "npz"),
        ("arrays_compressed.npz", "npz"),
        ("structured.npy", "npy"),
        ("object_ints.npy", "npy object array (plain values)"),
    ):
        corpus.record(
            f"{root}/{name}",
            format=name.rsplit(".", 1)[1],
            technique=technique,
            malicious=False,
            note=LIB,
        )


def add_safetensors(corpus: Corpus) -> None:
    import numpy as np
    from safetensors.numpy import save_file

    tensors = {
        "embed.weight": np.ones((128, 32), dtype=np.float16),
        "head.weight": np.zeros((32, 10), dtype=np.float32),
        "steps": np.array([7], dtype=np.int64),
        "mask": np.array([True, False]),
    }
    path = corpus.path("benign/safetensors/model.safetensors")
    save_file(tensors, str(path), metadata={"format": "pt", "source": "bench"})
    corpus.record(
        "benign/safetensors/model.safetensors",
        format="safetensors",
        technique="safetensors",
        malicious=False,
        note=LIB,
    )
    path = corpus.path("benign/safetensors/empty_metadata.safetensors")
    save_file({"x": np.arange(10, dtype=np.uint8)}, str(path))
    corpus.record(
        "benign/safetensors/empty_metadata.safetensors",
        format="safetensors",
        technique="safetensors",
        malicious=False,
        note=LIB,
    )


def _onnx_mlp() -> object:
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(1)
    w1 = numpy_helper.from_array(rng.normal(size=(4, 8)).astype("float32"), "w1")
    w2 = numpy_helper.from_array(rng.normal(size=(8, 4)).astype("float32"), "w2")
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h"]),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("MatMul", ["r", "w2"], ["y"]),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    graph = helper.make_graph(nodes, "mlp", [x], [y], initializer=[w1, w2])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _onnx_control_flow() -> object:
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    big = numpy_helper.from_array(np.ones((256, 256), dtype="float32"), "big")
    then_out = helper.make_tensor_value_info("t", TensorProto.FLOAT, [1, 4])
    else_out = helper.make_tensor_value_info("e", TensorProto.FLOAT, [1, 4])
    then_g = helper.make_graph([helper.make_node("Identity", ["x"], ["t"])], "then", [], [then_out])
    else_g = helper.make_graph([helper.make_node("Neg", ["x"], ["e"])], "else", [], [else_out])
    body_in = [
        helper.make_tensor_value_info("i", TensorProto.INT64, []),
        helper.make_tensor_value_info("c", TensorProto.BOOL, []),
        helper.make_tensor_value_info("acc", TensorProto.FLOAT, [1, 4]),
    ]
    body_out = [
        helper.make_tensor_value_info("c_out", TensorProto.BOOL, []),
        helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, [1, 4]),
    ]
    body = helper.make_graph(
        [
            helper.make_node("Identity", ["c"], ["c_out"]),
            helper.make_node("Add", ["acc", "acc"], ["acc_out"]),
        ],
        "body",
        body_in,
        body_out,
    )
    nodes = [
        helper.make_node("ReduceSum", ["x"], ["s"], keepdims=0),
        helper.make_node("Greater", ["s", "zero"], ["cond"]),
        helper.make_node("If", ["cond"], ["z"], then_branch=then_g, else_branch=else_g),
        helper.make_node("Loop", ["trips", "", "z"], ["y"], body=body),
    ]
    inits = [
        big,
        numpy_helper.from_array(np.array(0.0, dtype="float32"), "zero"),
        numpy_helper.from_array(np.array(3, dtype="int64"), "trips"),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    graph = helper.make_graph(nodes, "control", [x], [y], initializer=inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _onnx_contrib() -> object:
    from onnx import TensorProto, helper

    node = helper.make_node(
        "FusedMatMul", ["x", "x"], ["y"], domain="com.microsoft", alpha=1.0, transB=1
    )
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 4])
    graph = helper.make_graph([node], "ort", [x], [y])
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    )


def add_onnx(corpus: Corpus) -> None:
    import onnx

    onnx.save_model(_onnx_mlp(), str(corpus.path("benign/onnx/mlp.onnx")))  # type: ignore[arg-type]
    corpus.record(
        "benign/onnx/mlp.onnx", format="onnx", technique="onnx", malicious=False, note=LIB
    )
    target = corpus.path("benign/onnx/control_flow/model.onnx")
    onnx.save_model(
        _onnx_control_flow(),
        str(target),
        save_as_external_data=True,  # type: ignore[arg-type]
        location="model.onnx.data",
        size_threshold=1024,
    )
    corpus.record(
        "benign/onnx/control_flow/model.onnx",
        format="onnx",
        technique="If/Loop + external data",
        malicious=False,
        note=LIB,
        scope="benign/onnx/control_flow",
    )
    onnx.save_model(_onnx_contrib(), str(corpus.path("benign/onnx/ort_contrib.onnx")))  # type: ignore[arg-type]
    corpus.record(
        "benign/onnx/ort_contrib.onnx",
        format="onnx",
        technique="com.microsoft contrib op",
        malicious=False,
        note=LIB + "; com.microsoft is onnxruntime's own contrib domain",
    )


def add_keras_h5(corpus: Corpus) -> None:
    layers: list[dict[str, object]] = [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "name": "in"}},
        {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "relu"}},
    ]
    formats.keras_h5(corpus.path("benign/keras/h5py_layout.h5"), layers)
    corpus.record(
        "benign/keras/h5py_layout.h5",
        format="keras-h5",
        technique="keras-h5",
        malicious=False,
        note="Keras 2 H5 layout written with h5py",
    )


def add_templates(corpus: Corpus) -> None:
    for name, template in templates.BENIGN.items():
        rel = f"benign/gguf/{name}.gguf"
        formats.gguf_file(corpus.path(rel), template)
        corpus.record(rel, format="gguf", technique="chat template", malicious=False, note=LIB)
        corpus.write(
            f"benign/tokenizer/{name}/tokenizer_config.json",
            formats.tokenizer_config(template),
            format="tokenizer-config",
            technique="chat template",
            malicious=False,
            note="real template",
        )
    named = [
        {"name": "default", "template": templates.CHATML},
        {"name": "tool_use", "template": templates.TOOL_USE},
    ]
    formats.gguf_file(corpus.path("benign/gguf/named_tool_use.gguf"), named)
    corpus.record(
        "benign/gguf/named_tool_use.gguf",
        format="gguf",
        technique="named template",
        malicious=False,
        note=LIB,
    )
    corpus.write(
        "benign/tokenizer/named_list/tokenizer_config.json",
        formats.tokenizer_config(named),
        format="tokenizer-config",
        technique="named template",
        malicious=False,
    )


def _sklearn_models() -> dict[str, object]:
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    rng = np.random.default_rng(2)
    x = rng.normal(size=(400, 12))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    return {
        "random_forest": RandomForestClassifier(n_estimators=60, random_state=0).fit(x, y),
        "logistic": LogisticRegression(max_iter=200).fit(x, y),
        "pipeline_svc": make_pipeline(StandardScaler(), SVC()).fit(x, y),
    }


def add_joblib(corpus: Corpus) -> None:
    import joblib

    compressions: dict[str, object] = {
        "raw": 0,
        "zlib": ("zlib", 3),
        "gzip": ("gzip", 3),
        "bz2": ("bz2", 3),
        "lzma": ("lzma", 3),
        "xz": ("xz", 3),
    }
    for model_name, model in _sklearn_models().items():
        for comp_name, compress in compressions.items():
            if model_name != "random_forest" and comp_name not in ("raw", "zlib"):
                continue
            rel = f"benign/joblib/{model_name}_{comp_name}.joblib"
            joblib.dump(model, corpus.path(rel), compress=compress)
            corpus.record(
                rel,
                format="joblib",
                technique=f"joblib {comp_name}",
                malicious=False,
                note=f"scikit-learn {model_name} via joblib.dump",
            )


def add_tensorflow(corpus: Corpus) -> None:
    formats.write_saved_model(
        corpus,
        "benign/tensorflow/classifier",
        formats.tf_saved_model([]),
        format="tf-savedmodel",
        technique="ordinary ops",
        malicious=False,
        note="hand-encoded (TensorFlow is not installed): "
        "MatMul, VarHandleOp, SaveV2/RestoreV2/MergeV2Checkpoints",
    )


def add_archives(corpus: Corpus) -> None:
    root = corpus.root
    safetensors = (root / "benign/safetensors/model.safetensors").read_bytes()
    config = json.dumps({"architectures": ["LlamaForCausalLM"], "hidden_size": 32}).encode()
    corpus.write(
        "benign/archives/hf_snapshot.zip",
        ziptricks.build(
            [("m/model.safetensors", safetensors), ("m/config.json", config)], method=8
        ),
        format="zip",
        technique="zip of benign",
        malicious=False,
    )
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for rel in ("benign/numpy/weights.npy", "benign/pickle/plain_p4.pkl"):
            tar.add(root / rel, arcname=Path(rel).name)
    corpus.write(
        "benign/archives/bundle.tar.gz",
        buffer.getvalue(),
        format="tar",
        technique="tar of benign",
        malicious=False,
    )


def add_all(corpus: Corpus) -> None:
    add_pickles(corpus)
    add_numpy(corpus)
    add_safetensors(corpus)
    add_onnx(corpus)
    add_keras_h5(corpus)
    add_templates(corpus)
    add_joblib(corpus)
    add_tensorflow(corpus)
    add_archives(corpus)
