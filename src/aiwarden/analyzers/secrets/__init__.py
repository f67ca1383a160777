"""Secret detection: AI-provider keys, cloud credentials, private keys, generic secrets.

:func:`~.scanner.find_secrets` is the whole detection over one text (reused by the
notebook analyzer); :mod:`.patterns` is the table of credential shapes; :mod:`.pii`
holds personal-data detectors (emails, phones, cards, IBANs, SSNs) for analyzers
that scan saved outputs; :class:`~.analyzer.SecretsAnalyzer` runs over text files.
Nothing here ever returns or prints a whole secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiwarden.analyzers.secrets.scanner import SecretMatch, find_secrets

__all__ = ["SecretMatch", "find_secrets"]


def __getattr__(name: str) -> object:
    """Load the scanner (its pattern table) on first use of ``find_secrets`` or ``SecretMatch``.

    Importing :mod:`.analyzer` or :mod:`.rules` for the registry then stays cheap.
    """
    if name in __all__:
        from aiwarden.analyzers.secrets import scanner

        return getattr(scanner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
