"""Neutralise text that came from scanned files before it reaches a terminal or a page.

Messages, evidence, paths and reasons are built from hostile input. A crafted file
could embed ANSI escape sequences (to rewrite the terminal, hide lines or set the
window title), carriage returns (to overwrite what was printed) or bidirectional
overrides (to reorder what a reviewer reads). Every such character is replaced by a
visible escape such as ``\\x1b`` so the reader sees that it was there.
"""

from __future__ import annotations

import re

_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")
_WHITESPACE_RUN = re.compile(r"[\n\t]+")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(text: str) -> str:
    """Replace control characters (all but newline and tab) with visible escapes."""
    return _CONTROL.sub(_visible, text)


def clean_line(text: str) -> str:
    """Like :func:`clean`, and fold newlines and tabs into single spaces."""
    return _WHITESPACE_RUN.sub(" ", clean(text)).strip()
