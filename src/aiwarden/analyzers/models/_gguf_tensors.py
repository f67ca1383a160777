"""Consistency checks of GGUF tensor infos against the file (bounds, overlap, alignment)."""

from __future__ import annotations

import math

from aiwarden.analyzers.models._gguf_reader import Header, TensorInfo

QK_K = 256
GGML_TYPES: dict[int, tuple[int, int]] = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
    9: (32, 40), 10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176),
    14: (256, 210), 15: (256, 292), 16: (256, 66), 17: (256, 74), 18: (256, 98),
    19: (256, 50), 20: (32, 18), 21: (256, 110), 22: (256, 82), 23: (256, 136), 24: (1, 1),
    25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8), 29: (256, 56), 30: (1, 2),
    34: (256, 54), 35: (256, 66), 39: (32, 17), 40: (64, 36), 41: (128, 18),
}  # fmt: skip
"""ggml type id -> (elements per block, bytes per block), from gguf-py's GGML_QUANT_SIZES."""
DEFAULT_ALIGNMENT = 32


class TensorReport:
    """Fatal ``errors`` (llama.cpp would refuse the file) and softer ``anomalies``.

    A plain class: a dataclass costs half a millisecond to create at import.
    """

    __slots__ = ("anomalies", "errors")

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.anomalies: list[str] = []


def alignment_of(header: Header, report: TensorReport) -> int:
    """``general.alignment`` (default 32); a bad value is an error."""
    for kv in header.kvs:
        if kv.key == "general.alignment":
            value = kv.value
            if kv.type != 4 or not isinstance(value, int) or value <= 0 or value & (value - 1):
                report.errors.append(f"general.alignment {value!r} is not a power-of-two uint32")
                return DEFAULT_ALIGNMENT
            return value
    return DEFAULT_ALIGNMENT


def check_tensors(header: Header, size: int, report: TensorReport) -> None:
    """Check every tensor info of ``header`` against a file of ``size`` bytes."""
    align = alignment_of(header, report)
    data_start = _align(header.end, align)
    data_size = size - data_start
    if data_size < 0 and header.tensors:
        report.errors.append(f"file ends before its tensor data section at offset {data_start}")
        return
    names: set[str] = set()
    spans: list[tuple[int, int, str]] = []
    for info in header.tensors:
        if info.name in names:
            report.errors.append(f"tensor name {info.name[:80]!r} appears more than once")
        names.add(info.name)
        span = _span(info, align, data_size, report)
        if span is not None:
            spans.append((span[0], span[1], info.name))
        if len(report.errors) > 50:
            return
    _check_overlaps(spans, report)
    end = _align(max((e for _s, e, _n in spans), default=0), align)
    if header.tensors and data_size > end:
        report.anomalies.append(
            f"{data_size - end} bytes after the last tensor are not described by the header"
        )


def _span(
    info: TensorInfo, align: int, data_size: int, report: TensorReport
) -> tuple[int, int] | None:
    label = repr(info.name[:80])
    if any(d >= 2**63 for d in info.dims):
        report.errors.append(f"tensor {label} has a negative dimension")
        return None
    count = math.prod(info.dims)
    if count >= 2**63:
        report.errors.append(f"tensor {label} dimensions {info.dims} overflow")
        return None
    if info.offset % align:
        report.errors.append(f"tensor {label} offset {info.offset} is not aligned to {align}")
    block = GGML_TYPES.get(info.ggml_type)
    if block is None:
        report.anomalies.append(f"tensor {label} has unknown ggml type {info.ggml_type}")
        return None
    per_block, block_bytes = block
    if info.dims and info.dims[0] % per_block:
        report.errors.append(
            f"tensor {label} row of {info.dims[0]} is not a multiple of {per_block}"
        )
        return None
    nbytes = count // per_block * block_bytes
    if info.offset + nbytes > data_size:
        report.errors.append(
            f"tensor {label} data [{info.offset}, {info.offset + nbytes}) runs past the end of "
            f"the {data_size}-byte data section"
        )
        return None
    return info.offset, info.offset + nbytes


def _check_overlaps(spans: list[tuple[int, int, str]], report: TensorReport) -> None:
    cursor, previous = 0, ""
    for start, end, name in sorted(spans):
        if start < cursor:
            report.errors.append(f"tensor {name[:80]!r} overlaps tensor {previous[:80]!r}")
        if end > cursor:
            cursor, previous = end, name


def _align(offset: int, align: int) -> int:
    return offset + (-offset % align)
