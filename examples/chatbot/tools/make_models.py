"""Generate the example model files in ``../models`` (stdlib only, deterministic output).

* ``intent_classifier.pkl``: a protocol-2 pickle whose REDUCE calls ``os.system`` with a
  harmless ``echo``. It is a scanner fixture: NEVER load it with pickle/joblib/torch.
* ``sentiment.pt``: a PyTorch-style zip checkpoint holding a benign state dict.
* ``embeddings.safetensors``: a valid, tiny safetensors file (one 2x2 float32 tensor).

Nothing here unpickles anything; the pickles are written opcode by opcode.
"""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

MODELS = Path(__file__).resolve().parent.parent / "models"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
COMMAND = "echo aiwarden-example: this model would run a shell command"
WEIGHTS = struct.pack("<4f", 0.5, -0.25, 1.0, 0.0)


def _unicode(text: str) -> bytes:
    """BINUNICODE opcode."""
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def _global(module: str, name: str) -> bytes:
    """GLOBAL opcode."""
    return b"c" + f"{module}\n{name}\n".encode()


def _int(value: int) -> bytes:
    """BININT1 opcode."""
    return b"K" + bytes([value])


def malicious_pickle() -> bytes:
    """``os.system(COMMAND)`` as protocol 2: PROTO, GLOBAL, arg, TUPLE1, REDUCE, STOP."""
    return b"\x80\x02" + _global("os", "system") + _unicode(COMMAND) + b"\x85R."


def state_dict_pickle() -> bytes:
    """``OrderedDict(classifier.weight=<2x2 float tensor in storage '0'>)``, as torch writes."""
    ordered_dict = _global("collections", "OrderedDict") + b")R"
    storage_id = (
        b"("
        + _unicode("storage")
        + _global("torch", "FloatStorage")
        + _unicode("0")
        + _unicode("cpu")
        + _int(4)
        + b"tQ"  # TUPLE, BINPERSID
    )
    size_stride = _int(2) + _int(2) + b"\x86" + _int(2) + _int(1) + b"\x86"
    tensor = (
        _global("torch._utils", "_rebuild_tensor_v2")
        + b"("
        + storage_id
        + _int(0)
        + size_stride
        + b"\x89"  # requires_grad=False
        + ordered_dict  # backward hooks
        + b"tR"
    )
    return b"\x80\x02" + ordered_dict + _unicode("classifier.weight") + tensor + b"s."


def torch_zip() -> bytes:
    """A PyTorch zip checkpoint: data.pkl, the raw storage, byteorder and version."""
    members = {
        "sentiment/data.pkl": state_dict_pickle(),
        "sentiment/byteorder": b"little",
        "sentiment/data/0": WEIGHTS,
        "sentiment/version": b"3\n",
    }
    path = MODELS / "sentiment.pt"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return path.read_bytes()


def safetensors() -> bytes:
    """8-byte little-endian header length, JSON header (space-padded to 8), tensor bytes."""
    header = {
        "__metadata__": {"format": "pt"},
        "weight": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, len(WEIGHTS)]},
    }
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + WEIGHTS


def main() -> None:
    """Write the three model files."""
    MODELS.mkdir(parents=True, exist_ok=True)
    (MODELS / "intent_classifier.pkl").write_bytes(malicious_pickle())
    torch_zip()
    (MODELS / "embeddings.safetensors").write_bytes(safetensors())
    for path in sorted(MODELS.iterdir()):
        print(f"wrote {path.name} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
