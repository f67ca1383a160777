"""A small, bounded, pure-Python reader for the plain HDF5 layout h5py writes by default.

Importing h5py (and numpy under it) costs about 0.2 s of CPU, more than the rest of a
typical model scan, and the HDF5 C library is not hardened against hostile files. Most
Keras ``.h5`` files, and the ``*.weights.h5`` of ``.keras`` archives, use only the
oldest parts of the format (h5py's default ``libver="earliest"``): a version 0/1
superblock, version 1 object headers, groups kept in symbol tables (a v1 B-tree of
symbol nodes and a local heap of names), compactly stored attributes and
contiguous, compact or chunked datasets.

:func:`read_summary` walks exactly that subset: the root group's attributes and every
object reachable through hard links, visiting each object once. It answers only for a
file in which nothing could be found by the h5py walk in
:mod:`~aiwarden.analyzers.models._keras_h5`; anything else (another superblock or
object-header version, link messages (soft or external links), shared or unknown
messages, dense attribute storage, external raw storage, virtual or old-style layouts,
a dataset that declares more than the shape-bomb threshold, a root config attribute
that is not one string, any inconsistency or a bound reached) raises
:class:`Unsupported` and the caller uses h5py, with its isolation, as before. So this
reader can only ever say "this file is the plain case", never decide a finding itself.
It reads object headers, heaps and B-tree nodes, never dataset contents.

It checks what the HDF5 library checks where a damaged file could make the two disagree
on what the file holds (every message of every header block, message counts and flags,
symbol-table caches, heap free lists, datatype encodings, addresses within the recorded
end of file). In a differential test on 3,000 randomly damaged files, about 0.2% were
read here while h5py refused them (an error the h5py path reports as "could not be
checked"); such a file cannot be loaded by Keras either, so nothing in it can run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Final, NamedTuple

from aiwarden.analyzers.models._hdf5_io import File, Unsupported
from aiwarden.analyzers.models._hdf5_io import uint as _uint
from aiwarden.analyzers.models._hdf5_values import attribute, datatype_size, dims

SIGNATURE: Final = b"\x89HDF\r\n\x1a\n"
MAX_OBJECTS: Final = 200_000
"""Objects (links) walked, as the h5py walk; beyond it h5py decides (it raises the limit)."""
MAX_DECLARED_BYTES: Final = 4 * 1024**3
"""A dataset declaring more than this could be a shape bomb: h5py measures its storage."""
_MAX_MESSAGES: Final = 65_536
_MAX_BTREE_DEPTH: Final = 32

_NIL, _DATASPACE, _LINK_INFO, _DATATYPE, _FILL_OLD, _FILL = 0, 1, 2, 3, 4, 5
_LINK, _EXTERNAL, _LAYOUT, _BOGUS, _GROUP_INFO, _FILTERS = 6, 7, 8, 9, 10, 11
_ATTRIBUTE, _COMMENT, _MTIME_OLD, _CONTINUATION, _SYMBOL_TABLE = 12, 13, 14, 16, 17
_MTIME, _BTREE_K, _ATTRIBUTE_INFO, _REFCOUNT = 18, 19, 21, 22
_IGNORED: Final = frozenset({_NIL, _FILL_OLD, _FILL, _FILTERS, _COMMENT, _MTIME_OLD, _MTIME})
"""Messages that cannot point outside the file or change what the walk must see."""


class Summary(NamedTuple):
    """What the h5py-based checks need from a plain file, and proof it is plain.

    A named tuple (built once, then only read), and :class:`_Object` a plain class:
    dataclasses cost half a millisecond each to create when the module loads.
    """

    attribute_names: frozenset[str]
    """Names of the root group's attributes."""
    attributes: dict[str, str | bytes]
    """The requested root attributes, each one string (bytes for fixed-length strings)."""
    root_links: frozenset[str]
    """Names of the root group's members (all hard links: soft links are unsupported)."""
    objects: int = 0


class _Object:
    """The messages of one object header that the walk needs."""

    __slots__ = ("attributes", "dataspace", "datatype", "layout", "symbol_table")

    def __init__(self) -> None:
        self.symbol_table: tuple[int, int] | None = None
        self.layout: bytes | None = None
        self.dataspace: bytes | None = None
        self.datatype: bytes | None = None
        self.attributes: list[bytes] = []


def read_summary(handle: BinaryIO, attributes: tuple[str, ...] = ()) -> Summary:
    """Walk a plain HDF5 file; raise :class:`Unsupported` for anything else.

    ``attributes`` names the root attributes whose (single string) values are wanted.
    """
    try:
        return _Walker(File(handle)).run(attributes)
    except (IndexError, ValueError, OverflowError, RecursionError) as exc:
        raise Unsupported(f"{type(exc).__name__}: {exc}") from exc


class _Walker:
    """Reads the superblock, then every object reachable from the root group."""

    def __init__(self, file: File) -> None:
        self.file = file
        self.seen: set[int] = set()
        self.count = 0

    def run(self, wanted: tuple[str, ...]) -> Summary:
        root = self._superblock()
        obj = self._object(root.address)
        if obj.symbol_table is None or root.cached not in (None, obj.symbol_table):
            raise Unsupported("the root is not a (consistently cached) symbol-table group")
        self.seen.add(root.address)
        values: dict[str, str | bytes] = {}
        names: set[str] = set()
        for raw in obj.attributes:
            name, value = attribute(self.file, raw, wanted)
            if name in names:
                raise Unsupported("two attributes with one name")
            names.add(name)
            if value is not None:
                values[name] = value
        links = [entry.name for entry in self._members(*obj.symbol_table)]
        self._walk(obj.symbol_table)
        return Summary(frozenset(names), values, frozenset(links), self.count)

    def _superblock(self) -> _Entry:
        if self.file.size < 64:
            raise Unsupported("too small for a superblock")
        head = self.file.read(0, 24)
        versions = (head[9], head[10], head[12], *head[20:24])  # free space, root, shared, flags
        if head[:8] != SIGNATURE or head[8] not in (0, 1) or any(versions):
            raise Unsupported("not a version 0/1 superblock at offset 0")
        self.file.offset_size, self.file.length_size = head[13], head[14]
        if self.file.offset_size not in (2, 4, 8) or self.file.length_size not in (2, 4, 8):
            raise Unsupported("unusual offset or length size")
        o, length = self.file.offset_size, self.file.length_size
        at = 24 + (4 if head[8] == 1 else 0)
        addresses = self.file.read(at, 4 * o)
        base, extension, end, driver = (_uint(addresses, i * o, o) for i in range(4))
        if base != 0 or not self.file.undefined(extension) or not self.file.undefined(driver):
            raise Unsupported("a base address, a superblock extension or a driver block")
        if end > self.file.size:
            raise Unsupported("a file shorter than its recorded end")
        self.file.size = end  # the library refuses addresses past the end it records
        return _entry(self.file, self.file.read(at + 4 * o, length + o + 24), 0, None)

    def _walk(self, table: tuple[int, int]) -> None:
        stack = [table]
        while stack:
            for entry in self._members(*stack.pop()):
                self.count += 1
                if self.count > MAX_OBJECTS:
                    raise Unsupported("more objects than the walk visits")
                if entry.address in self.seen:
                    continue
                self.seen.add(entry.address)
                obj = self._object(entry.address)
                if obj.symbol_table is not None and entry.cached in (None, obj.symbol_table):
                    stack.append(obj.symbol_table)
                elif obj.layout is not None and entry.cached is None:
                    _check_dataset(obj, self.file)
                else:
                    raise Unsupported("an object that is neither a group nor a dataset")

    def _members(self, btree: int, heap: int) -> Iterator[_Entry]:
        names = _LocalHeap(self.file, heap)
        seen: set[str] = set()
        for node in self._symbol_nodes(btree):
            for entry in _symbol_node(self.file, node, names):
                if entry.name in seen:
                    raise Unsupported("two links with one name in a group")
                seen.add(entry.name)
                yield entry

    def _symbol_nodes(self, root: int) -> Iterator[int]:
        """Addresses of the symbol nodes under the group B-tree at ``root``."""
        o, length = self.file.offset_size, self.file.length_size
        stack, visited = [(root, 0)], set()
        while stack:
            address, depth = stack.pop()
            if address in visited or depth > _MAX_BTREE_DEPTH:
                raise Unsupported("a B-tree cycle or an implausibly deep B-tree")
            visited.add(address)
            head = self.file.read(address, 8 + 2 * o)
            if head[:4] != b"TREE" or head[4] != 0:
                raise Unsupported("not a group B-tree node")
            level, used = head[5], _uint(head, 6, 2)
            body = self.file.read(address + 8 + 2 * o, used * (length + o) + length)
            children = [_uint(body, length + i * (length + o), o) for i in range(used)]
            if level == 0:
                yield from children
            else:
                stack.extend((child, depth + 1) for child in reversed(children))

    def _object(self, address: int) -> _Object:
        """The messages of the version 1 object header at ``address``."""
        head = self.file.read(address, 16)
        if head[0] != 1:
            raise Unsupported("not a version 1 object header")
        count, size = _uint(head, 2, 2), _uint(head, 8, 4)
        obj = _Object()
        blocks, seen, remaining = [(address + 16, size)], {address}, count
        while blocks:  # every block is read in full: no message is left unseen
            start, length = blocks.pop()
            for kind, flags, data in _messages(self.file.read(start, length)):
                remaining -= 1
                if kind == _CONTINUATION:
                    block = _uint(data, 0, self.file.offset_size)
                    if block in seen or len(seen) > _MAX_MESSAGES:
                        raise Unsupported("a continuation cycle")
                    seen.add(block)
                    blocks.append(
                        (block, _uint(data, self.file.offset_size, self.file.length_size))
                    )
                else:
                    _keep(obj, kind, flags, data, self.file.offset_size)
        if remaining != 0:
            raise Unsupported("an object header with another number of messages than declared")
        return obj


def _messages(block: bytes) -> Iterator[tuple[int, int, bytes]]:
    at = 0
    while at + 8 <= len(block):
        kind, size, flags = _uint(block, at, 2), _uint(block, at + 2, 2), block[at + 4]
        if at + 8 + size > len(block) or size % 8:
            raise Unsupported("a message that is not aligned or runs past its header block")
        yield kind, flags, block[at + 8 : at + 8 + size]
        at += 8 + size


def _keep(obj: _Object, kind: int, flags: int, data: bytes, offset_size: int) -> None:
    if flags & ~0x05:  # only "constant" and "do not share": no shared or odd messages
        raise Unsupported(f"message flags {flags:#x}")
    if kind == _FILL and (not data or data[0] not in (1, 2, 3)):
        raise Unsupported("a fill value message of an unknown version")
    if kind in _IGNORED:
        return
    if kind == _SYMBOL_TABLE:
        obj.symbol_table = (_uint(data, 0, offset_size), _uint(data, offset_size, offset_size))
    elif kind == _LAYOUT:
        obj.layout = data
    elif kind == _DATASPACE:
        obj.dataspace = data
    elif kind == _DATATYPE:
        obj.datatype = data
    elif kind == _ATTRIBUTE:
        obj.attributes.append(data)
    elif kind == _ATTRIBUTE_INFO:
        _dense_attributes(data, offset_size)
    elif kind not in (_BTREE_K, _REFCOUNT):
        raise Unsupported(f"object header message type {kind}")


def _dense_attributes(data: bytes, offset_size: int) -> None:
    """An attribute info message is fine only when nothing is stored densely."""
    flags = _uint(data, 1, 1)
    at = 2 + (2 if flags & 0x01 else 0)
    if _uint(data, at, offset_size) != (1 << (8 * offset_size)) - 1:
        raise Unsupported("dense attribute storage")


class _LocalHeap:
    """The names of a symbol-table group."""

    def __init__(self, file: File, address: int) -> None:
        length, o = file.length_size, file.offset_size
        head = file.read(address, 8 + 2 * length + o)
        if head[:4] != b"HEAP" or head[4] != 0:
            raise Unsupported("not a local heap")
        size, free = _uint(head, 8, length), _uint(head, 8 + length, length)
        self.data = file.read(_uint(head, 8 + 2 * length, o), size)
        self._check_free_list(free, length)

    def _check_free_list(self, offset: int, length: int) -> None:
        """The free-block chain must stay in the heap, as the HDF5 library insists."""
        undefined = (1 << (8 * length)) - 1
        for _ in range(len(self.data) // (2 * length) + 1):
            if offset in (undefined, 1):  # H5HL_FREE_NULL is 1 in the file format
                return
            if offset + 2 * length > len(self.data):
                raise Unsupported("a bad local heap free list")
            size = _uint(self.data, offset + length, length)
            if size < 2 * length or offset + size > len(self.data):
                raise Unsupported("a bad local heap free block")
            offset = _uint(self.data, offset, length)
        raise Unsupported("a local heap free list cycle")

    def name(self, offset: int) -> str:
        end = self.data.find(b"\x00", offset)
        if offset >= len(self.data) or end < 0:
            raise Unsupported("a link name outside its heap")
        try:
            name = self.data[offset:end].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Unsupported("a link name that is not UTF-8") from exc
        if name in ("", ".") or "/" in name:
            raise Unsupported("a link name h5py cannot look up")
        return name


class _Entry(NamedTuple):
    """A symbol-table entry: a link name, its object, and the B-tree and heap it caches."""

    name: str
    address: int
    cached: tuple[int, int] | None


def _entry(file: File, body: bytes, at: int, names: _LocalHeap | None) -> _Entry:
    o, length = file.offset_size, file.length_size
    name = names.name(_uint(body, at, length)) if names is not None else ""
    address, cache = _uint(body, at + length, o), _uint(body, at + length + o, 4)
    if cache not in (0, 1):
        raise Unsupported("a soft link or an unknown cache type")
    scratch = at + length + o + 8
    cached = (_uint(body, scratch, o), _uint(body, scratch + o, o)) if cache == 1 else None
    return _Entry(name, address, cached)


def _symbol_node(file: File, address: int, names: _LocalHeap) -> Iterator[_Entry]:
    head = file.read(address, 8)
    if head[:4] != b"SNOD" or head[4] != 1:
        raise Unsupported("not a symbol node")
    entry_size = file.length_size + file.offset_size + 24
    count = _uint(head, 6, 2)
    body = file.read(address + 8, count * entry_size)
    for index in range(count):
        yield _entry(file, body, index * entry_size, names)


def _check_dataset(obj: _Object, file: File) -> None:
    """Accept a dataset only if the h5py walk could not report it."""
    layout = obj.layout or b""
    if len(layout) < 2 or layout[0] != 3 or layout[1] not in (0, 1):
        raise Unsupported("a chunked, virtual or old-style data layout")
    if obj.dataspace is None or obj.datatype is None:
        raise Unsupported("a dataset without a dataspace or datatype")
    _check_storage(layout, file)
    elements = 1
    for dim in dims(obj.dataspace, file.length_size):
        elements *= dim
    if elements * max(datatype_size(obj.datatype), 16) > MAX_DECLARED_BYTES:
        raise Unsupported("a dataset large enough to be a shape bomb")


def _check_storage(layout: bytes, file: File) -> None:
    """Contiguous data must lie inside the file; compact data inside its message."""
    o, length = file.offset_size, file.length_size
    if layout[1] == 0:
        if 4 + _uint(layout, 2, 2) > len(layout):
            raise Unsupported("compact data larger than its message")
        return
    address, size = _uint(layout, 2, o), _uint(layout, 2 + o, length)
    if not file.undefined(address) and address + size > file.size:
        raise Unsupported("contiguous data past the end of the file")


__all__ = ["Summary", "Unsupported", "read_summary"]
