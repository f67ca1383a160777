"""SHA-256 from the interpreter's built-in module: the same digests as hashlib."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from aiwarden.core.sha256 import sha256_constructor


@given(st.binary(max_size=4096))
def test_digest_equals_hashlib(data: bytes) -> None:
    assert sha256_constructor()(data).hexdigest() == hashlib.sha256(data).hexdigest()


def test_hashing_does_not_import_hashlib_where_a_builtin_module_exists() -> None:
    code = (
        "import sys, importlib.util; from aiwarden.core.sha256 import sha256_constructor; "
        "sha256_constructor()(b'x').hexdigest(); "
        "own = any(importlib.util.find_spec(m) for m in ('_sha256', '_sha2')); "
        "print(own, 'hashlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert out == ["True", "False"] or out == ["False", "True"]
