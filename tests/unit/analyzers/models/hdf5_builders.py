"""HDF5 files written by h5py for the pure-Python reader's tests, and h5py's view of them."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass

import h5py
import numpy as np

from aiwarden.analyzers.models import _keras_h5 as h5
from aiwarden.analyzers.models._keras_h5_lite import CONFIG_ATTRS

CONFIG = json.dumps({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense"}]}})

Build = Callable[[h5py.File], None]


def keras2(extra: Build | None = None, *, config: object = None, **kwargs: object) -> bytes:
    """A Keras 2 layout (``model_config`` and ``model_weights``), then ``extra``."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w", **kwargs) as handle:  # type: ignore[arg-type]
        handle.attrs["model_config"] = np.bytes_(CONFIG) if config is None else config
        handle.attrs["keras_version"] = "2.12.0"
        weights = handle.create_group("model_weights")
        weights.attrs["layer_names"] = np.array([b"dense"])
        dense = weights.create_group("dense").create_group("dense")
        dense.create_dataset("kernel:0", data=np.zeros((3, 4), dtype="float32"))
        dense.create_dataset("bias:0", data=np.zeros((4,), dtype="float32"))
        if extra is not None:
            extra(handle)
    return buffer.getvalue()


def _compact(handle: h5py.File) -> None:
    plist = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    plist.set_layout(h5py.h5d.COMPACT)
    space = h5py.h5s.create_simple((4,))
    h5py.h5d.create(handle.id, b"compact", h5py.h5t.NATIVE_INT32, space, dcpl=plist)


def _null_terminated(handle: h5py.File) -> None:
    del handle.attrs["model_config"]
    text = CONFIG.encode() + b"\x00ignored\x00"
    kind = h5py.h5t.C_S1.copy()
    kind.set_size(len(text))
    kind.set_strpad(h5py.h5t.STR_NULLTERM)
    attr = h5py.h5a.create(handle.id, b"model_config", kind, h5py.h5s.create(h5py.h5s.SCALAR))
    attr.write(np.array(text, dtype=f"S{len(text)}"))


def _virtual(handle: h5py.File) -> None:
    layout = h5py.VirtualLayout(shape=(4,), dtype="f4")
    layout[:] = h5py.VirtualSource("other.h5", "data", shape=(4,))
    handle.create_virtual_dataset("virtual", layout)


SUPPORTED: dict[str, Build | None] = {
    "keras2": None,
    "vlen config": lambda f: f.attrs.__setitem__("model_config", CONFIG),
    "training config": lambda f: f.attrs.__setitem__("training_config", '{"loss": "mse"}'),
    "null-terminated config": _null_terminated,
    "many groups": lambda f: [
        f.create_group(f"g{i}").create_dataset("w", data=[1.0]) for i in range(60)
    ],
    "hard link twice": lambda f: f.__setitem__("again", f["model_weights"]),
    "compact dataset": _compact,
    "scalar dataset": lambda f: f.create_dataset("scalar", data=1.5),
    "empty dataset": lambda f: f.create_dataset("empty", data=h5py.Empty("f4")),
    "string dataset": lambda f: f.create_dataset(
        "names", data=["a", "bb"], dtype=h5py.string_dtype()
    ),
    "int attributes": lambda f: f.attrs.__setitem__("epochs", np.int64(3)),
}

UNSUPPORTED: dict[str, bytes | Callable[[], bytes]] = {
    "soft link": lambda: keras2(lambda f: f.__setitem__("soft", h5py.SoftLink("/model_weights"))),
    "external link": lambda: keras2(
        lambda f: f.__setitem__("ext", h5py.ExternalLink("o.h5", "/x"))
    ),
    "external storage": lambda: keras2(
        lambda f: f.create_dataset("raw", shape=(4,), dtype="f4", external=[("raw.bin", 0, 16)])
    ),
    "virtual dataset": lambda: keras2(_virtual),
    "chunked dataset": lambda: keras2(
        lambda f: f.create_dataset("c", data=np.zeros(8), chunks=(4,))
    ),
    "shape bomb": lambda: keras2(lambda f: f.create_dataset("big", shape=(2**31,), dtype="f8")),
    "libver latest": lambda: keras2(libver="latest"),
    "committed datatype": lambda: keras2(lambda f: f.__setitem__("t", np.dtype("f4"))),
    "config array": lambda: keras2(config=np.array([CONFIG.encode(), b"x"])),
    "float config": lambda: keras2(config=1.5),
    "user block": lambda: keras2(userblock_size=512),
    "compound dataset": lambda: keras2(
        lambda f: f.create_dataset("rec", data=np.zeros(2, dtype=[("a", "i4"), ("b", "f4")]))
    ),
}


@dataclass(frozen=True)
class H5pyView:
    """What the h5py-based checks see in a file."""

    attribute_names: frozenset[str]
    attributes: dict[str, object]
    root_links: frozenset[str]
    structure_issues: int


def h5py_view(data: bytes) -> H5pyView:
    """Read ``data`` the way :mod:`aiwarden.analyzers.models._keras_h5` does."""
    with h5py.File(io.BytesIO(data), "r") as handle:
        values = {a: h5.attribute_text(handle.attrs[a]) for a in CONFIG_ATTRS if a in handle.attrs}
        return H5pyView(
            frozenset(handle.attrs.keys()),
            values,
            frozenset(handle.keys()),
            len(list(h5.structure_issues(handle, "file"))),
        )
