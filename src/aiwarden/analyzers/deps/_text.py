"""Line numbers for values found by parsers that do not keep them (tomllib, json)."""

from __future__ import annotations

import bisect
import re

_JSON_KEY = re.compile(r'"((?:[^"\\\n]|\\.){1,1000})"\s*:')


class LineIndex:
    """Maps character offsets of ``text`` to 1-based line numbers and finds needles."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._keys: dict[str, list[int]] | None = None

    def line_at(self, offset: int) -> int:
        """The line holding character ``offset``."""
        return bisect.bisect_right(self._starts, offset)

    def find(self, needle: str, start: int = 0) -> int | None:
        """The line of the first ``needle`` at or after offset ``start``, else ``None``."""
        pos = self.text.find(needle, start)
        return None if pos < 0 else self.line_at(pos)

    def offset_of(self, needle: str, start: int = 0) -> int:
        """The offset of the first ``needle`` at or after ``start`` (``start`` if absent)."""
        pos = self.text.find(needle, start)
        return start if pos < 0 else pos

    def key_line(self, key: str, start: int = 0) -> int | None:
        """The line of the first JSON object key ``key`` at or after offset ``start``.

        All keys are indexed in one pass on first use, so looking up every entry of a
        large lock file stays linear.
        """
        if self._keys is None:
            self._keys = {}
            for match in _JSON_KEY.finditer(self.text):
                self._keys.setdefault(match.group(1), []).append(match.start())
        offsets = self._keys.get(key)
        if not offsets:
            return None
        index = bisect.bisect_left(offsets, start)
        return self.line_at(offsets[index]) if index < len(offsets) else None

    def find_key(self, key: str, start: int = 0) -> int | None:
        """The line where TOML/JSON key ``key`` is written (bare or quoted) after ``start``."""
        pattern = re.compile(r'(^|[\s{,"\'])' + re.escape(key) + r'["\']?\s*[=:]', re.MULTILINE)
        match = pattern.search(self.text, start)
        return None if match is None else self.line_at(match.start() + len(match.group(1)))

    def find_string(self, value: str, start: int = 0) -> int | None:
        """The line where the quoted string ``value`` is written after ``start``."""
        for quote in ('"', "'"):
            line = self.find(f"{quote}{value}{quote}", start)
            if line is not None:
                return line
        return self.find(value, start)
