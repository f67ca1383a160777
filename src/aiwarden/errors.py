"""The root of aiwarden's user-facing errors.

Every error a user can cause (a bad path, a malformed config, a corrupt baseline)
derives from :class:`AiwardenError`. The CLI catches the root once, prints its
one-line message and exits with :data:`~aiwarden.core.exit_codes.EXIT_ERROR`.
"""

from __future__ import annotations


class AiwardenError(Exception):
    """Base class for errors that are reported to the user as one line."""

    def diagnostics(self) -> str:
        """The line shown to the user."""
        return str(self)


class UsageError(AiwardenError):
    """The command line asked for something impossible (a missing path, say)."""


class ConfigError(AiwardenError):
    """A configuration file or environment variable is malformed."""

    def __init__(self, source: str, message: str, key: str | None = None) -> None:
        self.source = source
        self.key = key
        where = f"{source}: key '{key}'" if key else source
        super().__init__(f"{where}: {message}")


class BaselineError(AiwardenError):
    """A baseline file cannot be read or has an unsupported version."""


class PluginError(AiwardenError):
    """An analyzer plugin could not be loaded or is malformed."""
