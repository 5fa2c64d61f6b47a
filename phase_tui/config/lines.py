"""Where each table and key of a TOML text is written: `tomllib` gives no positions.

`Lines` scans the text once so that messages can name the line of the key at fault.
"""

from __future__ import annotations

import re

_KEY_PART = r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'"""
_DOTTED = rf"(?:{_KEY_PART})(?:\s*\.\s*(?:{_KEY_PART}))*"
_HEADER_RE = re.compile(rf"\s*\[\[?\s*({_DOTTED})\s*\]")
_ASSIGN_RE = re.compile(rf"\s*({_DOTTED})\s*=")
_PART_RE = re.compile(_KEY_PART)


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part[1:-1] if part[0] in "\"'" else part for part in _PART_RE.findall(dotted))


def _scan(line: str, index: int, depth: int) -> tuple[int, str | None]:
    """Follow brackets and strings from `index`: (bracket depth, open multi-line quote)."""
    while index < len(line):
        char = line[index]
        if char == "#":
            break
        quote = line[index : index + 3]
        if quote in ('"""', "'''"):
            end = line.find(quote, index + 3)
            if end < 0:
                return depth, quote
            index = end + 3
            continue
        if char in "\"'":
            index += 1
            while index < len(line) and line[index] != char:
                index += 2 if char == '"' and line[index] == "\\" else 1
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return depth, None


class Lines:
    """Where each table and key of a TOML text is written.

    Knows `[table]` headers, `key = ` and dotted `a.b = ` lines, and skips the insides of
    multi-line arrays, inline tables and strings. A key inside an inline table is found at
    the line of the key that holds the table.
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        depth, open_quote = 0, None
        for number, line in enumerate(text.splitlines(), start=1):
            start = 0
            if open_quote:
                end = line.find(open_quote)
                if end < 0:
                    continue
                start, open_quote = end + 3, None
            elif depth == 0:
                if header := _HEADER_RE.match(line):
                    table = _key_parts(header.group(1))
                    self._lines.setdefault(table, number)
                    continue
                if assign := _ASSIGN_RE.match(line):
                    self._lines.setdefault(table + _key_parts(assign.group(1)), number)
                    start = assign.end()
            depth, open_quote = _scan(line, start, depth)

    def written(self, key: tuple[str, ...]) -> bool:
        """True when `key` itself is written in the text (not only a table around it)."""
        return key in self._lines

    def line_of(self, key: tuple[str, ...]) -> int | None:
        """The line of `key`, else of the first key inside it, else of its parent."""
        while key:
            if key in self._lines:
                return self._lines[key]
            inside = [line for path, line in self._lines.items() if path[: len(key)] == key]
            if inside:
                return min(inside)
            key = key[:-1]
        return None
