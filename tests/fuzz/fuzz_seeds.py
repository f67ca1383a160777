"""Valid seed files of every model format, written by the real libraries where one exists.

Shared by the hypothesis mutation test (``test_model_mutations.py``) and the atheris
target (``fuzz_models.py``). Malicious content is not needed here: the fuzzers look for
crashes and hangs, not detections.
"""

from __future__ import annotations

import io
import json
import pickle
import struct
import tarfile
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np


def _pickle() -> bytes:
    return pickle.dumps({"weights": [1.0, 2.0], "meta": OrderedDict(a=1)}, protocol=4)


def _npy() -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}, [1, 2]], dtype=object), allow_pickle=True)
    return buffer.getvalue()


def _npz() -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, w=np.arange(6, dtype=np.float32), b=np.zeros(2))
    return buffer.getvalue()


def _joblib() -> bytes:
    import joblib
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression().fit(np.array([[0.0], [1.0], [2.0], [3.0]]), [0, 0, 1, 1])
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=("zlib", 3))
    return buffer.getvalue()


def _torch_zip() -> bytes:
    state = (
        b"\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01X\x06\x00\x00\x00weightq\x02"
        b"ctorch._utils\n_rebuild_tensor_v2\nq\x03(X\x01\x00\x00\x000q\x04K\x00K\x02\x85"
        b"K\x01\x85\x89h\x00)Rtq\x05Rq\x06s."
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model/data.pkl", state)
        archive.writestr("model/data/0", struct.pack("<2f", 1.0, 2.0))
        archive.writestr("model/version", "3\n")
    return buffer.getvalue()


def _safetensors() -> bytes:
    from safetensors.numpy import save

    return save({"w": np.ones((2, 3), dtype=np.float32)}, metadata={"format": "np"})


def _onnx() -> bytes:
    import onnx
    from onnx import TensorProto, helper

    node = helper.make_node("Relu", ["x"], ["y"])
    graph = helper.make_graph(
        [node],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
    )
    return onnx.helper.make_model(graph).SerializeToString()


def _gguf(tmp: Path) -> bytes:
    import gguf

    path = tmp / "seed.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_string(
        "tokenizer.chat_template", "{% for m in messages %}{{ m['content'] }}{% endfor %}"
    )
    writer.add_tensor("w", np.ones(4, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path.read_bytes()


def _keras_h5(tmp: Path) -> bytes:
    import h5py

    path = tmp / "seed.h5"
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                {"class_name": "Dense", "config": {"name": "d", "units": 2, "activation": "relu"}}
            ],
        },
    }
    with h5py.File(path, "w") as handle:
        handle.attrs["model_config"] = json.dumps(config)
        handle.attrs["keras_version"] = "2.15.0"
        handle.create_group("model_weights").create_dataset("d", data=np.ones(2))
    return path.read_bytes()


def _tokenizer_config() -> bytes:
    template = "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] | trim }}{% endfor %}"
    return json.dumps({"chat_template": template, "eos_token": "</s>"}).encode()


def _tar_of_pickle() -> bytes:
    buffer = io.BytesIO()
    data = _pickle()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("bundle/model.pkl")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


SEEDS: dict[str, Callable[[Path], bytes]] = {
    "model.pkl": lambda _: _pickle(),
    "array.npy": lambda _: _npy(),
    "arrays.npz": lambda _: _npz(),
    "model.joblib": lambda _: _joblib(),
    "model.pt": lambda _: _torch_zip(),
    "model.safetensors": lambda _: _safetensors(),
    "model.onnx": lambda _: _onnx(),
    "model.gguf": _gguf,
    "model.h5": _keras_h5,
    "tokenizer_config.json": lambda _: _tokenizer_config(),
    "bundle.tar": lambda _: _tar_of_pickle(),
}


def build_seeds(tmp: Path) -> dict[str, bytes]:
    """Every seed, by file name (the name drives extension-based classification)."""
    tmp.mkdir(parents=True, exist_ok=True)
    return {name: make(tmp) for name, make in SEEDS.items()}
