"""Which files are dependency manifests, by name only (what ``accepts`` needs).

Kept apart from :mod:`.manifest` and its parsers so that deciding whether a file is a
manifest, which the engine asks of every file, does not load them.
"""

from __future__ import annotations

from pathlib import PurePosixPath

SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "site-packages",
     "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "dist-packages"}
)  # fmt: skip


def manifest_kind(relpath: str) -> str | None:
    """Which parser reads the file at ``relpath``, or ``None`` if it is no manifest.

    Requirements files are ``requirements*.txt``, ``*requirements.txt``,
    ``constraints*.txt``, the same with ``.in`` (pip-tools), and any ``.txt``/``.in``
    in a ``requirements/`` directory. Other ``*.in`` files (``MANIFEST.in``,
    ``Makefile.in``) are not requirements.
    """
    posix = PurePosixPath(relpath.replace("\\", "/"))
    name = posix.name.lower()
    fixed = _FIXED_NAMES.get(name)
    if fixed is not None:
        return fixed
    if name.endswith((".txt", ".in")):
        stem = name.rsplit(".", 1)[0]
        if "requirements" in stem or stem.startswith("constraints"):
            return "requirements"
        if posix.parent.name.lower() in ("requirements", "reqs", "requirements.d"):
            return "requirements"
    return None


_FIXED_NAMES = {
    "pyproject.toml": "pyproject",
    "poetry.lock": "poetry.lock",
    "uv.lock": "uv.lock",
    "pipfile": "pipfile",
    "pipfile.lock": "pipfile.lock",
    "environment.yml": "conda",
    "environment.yaml": "conda",
    "package.json": "package.json",
    "package-lock.json": "package-lock",
    "npm-shrinkwrap.json": "package-lock",
}
