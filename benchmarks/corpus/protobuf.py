"""A minimal protobuf wire-format encoder for hand-built TF SavedModels.

Field numbers (tensorflow/core/protobuf/saved_model.proto, meta_graph.proto,
framework/graph.proto, node_def.proto, function.proto, op_def.proto,
attr_value.proto):

    SavedModel   { int64 saved_model_schema_version = 1; repeated MetaGraphDef meta_graphs = 2; }
    MetaGraphDef { MetaInfoDef meta_info_def = 1; GraphDef graph_def = 2; ... }
    MetaInfoDef  { string meta_graph_version = 1; repeated string tags = 4;
                   string tensorflow_version = 5; }
    GraphDef     { repeated NodeDef node = 1; FunctionDefLibrary library = 2;
                   VersionDef versions = 4; }
    NodeDef      { string name = 1; string op = 2; repeated string input = 3;
                   string device = 4; map<string, AttrValue> attr = 5; }
    FunctionDefLibrary { repeated FunctionDef function = 1; }
    FunctionDef  { OpDef signature = 1; repeated NodeDef node_def = 3; }
    OpDef        { string name = 1; }
    AttrValue    { bytes s = 2; int64 i = 3; bool b = 5; DataType type = 6; }
    VersionDef   { int32 producer = 1; int32 min_consumer = 2; }
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def varint(value: int) -> bytes:
    out = bytearray()
    value &= (1 << 64) - 1
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_varint(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(value)


def field_bytes(number: int, value: bytes | str) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return varint(number << 3 | 2) + varint(len(data)) + data


def attr_value(value: str | bytes | int | bool) -> bytes:
    if isinstance(value, bool):
        return field_varint(5, int(value))
    if isinstance(value, int):
        return field_varint(3, value)
    return field_bytes(2, value)


def node_def(
    name: str,
    op: str,
    inputs: Iterable[str] = (),
    attrs: Mapping[str, str | bytes | int | bool] | None = None,
) -> bytes:
    out = field_bytes(1, name) + field_bytes(2, op)
    out += b"".join(field_bytes(3, i) for i in inputs)
    for key, value in (attrs or {}).items():
        entry = field_bytes(1, key) + field_bytes(2, attr_value(value))
        out += field_bytes(5, entry)
    return out


def function_def(name: str, nodes: Iterable[bytes]) -> bytes:
    return field_bytes(1, field_bytes(1, name)) + b"".join(field_bytes(3, n) for n in nodes)


def graph_def(nodes: Iterable[bytes], functions: Iterable[bytes] = ()) -> bytes:
    out = b"".join(field_bytes(1, n) for n in nodes)
    library = b"".join(field_bytes(1, f) for f in functions)
    if library:
        out += field_bytes(2, library)
    return out + field_bytes(4, field_varint(1, 1882) + field_varint(2, 12))


def saved_model(graph: bytes, tags: Iterable[str] = ("serve",)) -> bytes:
    info = field_bytes(1, "") + b"".join(field_bytes(4, t) for t in tags)
    info += field_bytes(5, "2.17.0")
    meta = field_bytes(1, info) + field_bytes(2, graph)
    return field_varint(1, 1) + field_bytes(2, meta)
