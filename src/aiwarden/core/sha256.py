"""SHA-256 without importing :mod:`hashlib` on the start-up path.

Importing ``hashlib`` initialises OpenSSL, a few milliseconds of every run of the
command line; fingerprints and secret hashes need only SHA-256 of short strings. The
interpreter's built-in module (``_sha256``, ``_sha2`` from Python 3.12) computes the
same digest; ``hashlib`` is the fallback where neither exists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import import_module
from typing import Protocol


class Hash(Protocol):
    """The part of a hash object used here."""

    def hexdigest(self) -> str:
        """The digest as lowercase hexadecimal."""
        ...


@functools.cache
def sha256_constructor() -> Callable[[bytes], Hash]:
    """A callable that hashes ``bytes`` with SHA-256, as ``hashlib.sha256`` does."""
    for name in ("_sha256", "_sha2"):
        try:
            constructor: Callable[[bytes], Hash] = import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return constructor
    import hashlib

    return hashlib.sha256
