"""Neutralising control characters from hostile files."""

from __future__ import annotations

import pytest

from aiwarden.outputs._sanitize import clean, clean_line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain text", "plain text"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("over\rwrite", "over\\x0dwrite"),
        ("bell\x07 nul\x00 del\x7f", "bell\\x07 nul\\x00 del\\x7f"),
        ("c1 csi \x9b2J", "c1 csi \\x9b2J"),
        ("bidi \u202eevil", "bidi \\u202eevil"),
        ("keeps\nnewline\tand tab", "keeps\nnewline\tand tab"),
        ("unicode é 模型 ok", "unicode é 模型 ok"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_line_folds_whitespace() -> None:
    assert clean_line("  a\n\n\tb\x1b ") == "a b\\x1b"
