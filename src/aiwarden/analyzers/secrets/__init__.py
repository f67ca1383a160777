"""Secret detection: AI-provider keys, cloud credentials, private keys, generic secrets.

:func:`~.scanner.find_secrets` is the whole detection over one text (reused by the
notebook analyzer); :mod:`.patterns` is the table of credential shapes; :mod:`.pii`
holds personal-data detectors (emails, phones, cards, IBANs, SSNs) for analyzers
that scan saved outputs; :class:`~.analyzer.SecretsAnalyzer` runs over text files.
Nothing here ever returns or prints a whole secret.
"""

from aiwarden.analyzers.secrets.scanner import SecretMatch, find_secrets

__all__ = ["SecretMatch", "find_secrets"]
