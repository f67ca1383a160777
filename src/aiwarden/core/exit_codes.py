"""Exit codes, the contract between aiwarden and CI systems."""

from __future__ import annotations

from typing import Final

EXIT_CLEAN: Final = 0
"""No unsuppressed, non-baselined finding at or above the ``fail-on`` severity."""
EXIT_FINDINGS: Final = 1
"""At least one unsuppressed, non-baselined finding at or above ``fail-on``."""
EXIT_ERROR: Final = 2
"""Usage or configuration error, or an incomplete scan (takes precedence over 1)."""
EXIT_INTERNAL: Final = 101
"""A bug in aiwarden itself."""
