"""Where the local OSV database lives.

``$AIWARDEN_OSV_DB`` names the database file directly; otherwise it is
``osv.sqlite3`` in the aiwarden cache directory: ``$AIWARDEN_CACHE_DIR``, else
``$XDG_CACHE_HOME/aiwarden``, else ``~/.cache/aiwarden``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DB_FILE_NAME = "osv.sqlite3"


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """aiwarden's cache directory (not created here)."""
    env = os.environ if environ is None else environ
    if env.get("AIWARDEN_CACHE_DIR"):
        return Path(env["AIWARDEN_CACHE_DIR"]).expanduser()
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]).expanduser() / "aiwarden"
    return Path.home() / ".cache" / "aiwarden"


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """The local OSV database file the scan and ``aiwarden db`` use by default."""
    env = os.environ if environ is None else environ
    if env.get("AIWARDEN_OSV_DB"):
        return Path(env["AIWARDEN_OSV_DB"]).expanduser()
    return cache_dir(env) / DB_FILE_NAME
