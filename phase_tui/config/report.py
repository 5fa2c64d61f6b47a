"""Problems with a `phase_os.toml`: `ConfigError`, and `Report`, which collects them.

Every problem is collected, then one `ConfigError` lists them all, each naming the file,
the line (found by `Lines`) and the key, in the words of the file. The helpers here
shape those words: how a value is shown, "did you mean", "a, b and c".
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from phase_tui.config.kinds import Mismatch
from phase_tui.config.lines import Lines

UNNAMED_FILE = "phase_os.toml"  # how a text without a path is named in messages


class ConfigError(Exception):
    """The settings can not be used. `str()` lists every problem, one per line.

    Each problem names the file, the line (when known), the key, what was expected and
    what was found. `path`, `line` and `key` describe the first problem.
    """

    def __init__(
        self,
        problems: str | list[str],
        *,
        path: Path | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))
        self.path = path
        self.line = line
        self.key = key


def describe(value: object) -> str:
    """A TOML value as a message shows it: `string "four"`, `integer 3`, `array [...]`."""

    def short(text: str) -> str:
        return text if len(text) <= 60 else text[:57] + "..."

    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {short(json.dumps(value, ensure_ascii=False))}"
    if isinstance(value, list):
        return f"array {short(json.dumps(value, ensure_ascii=False, default=str))}"
    if isinstance(value, dict):
        return "a table"
    return f"date/time {value}"


def did_you_mean(word: str, candidates: Iterable[str], fmt: str = "`{}`") -> str:
    """`; did you mean `x`?` for the candidate closest to `word`, or "" when none is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {fmt.format(close[0])}?" if close else ""


def join_and(names: list[str]) -> str:
    """Names quoted and joined: "`a`", "`a` and `b`", "`a`, `b` and `c`"."""
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


@dataclass
class Report:
    """Collects problems, each located by key path, in the words of the file."""

    path: Path | None
    lines: Lines
    found: list[tuple[str, int | None, str]] = field(default_factory=list)

    def where(self, key: tuple[str, ...]) -> tuple[str, int | None]:
        """Where `key` is written: ("FILE line N", N), or ("FILE", None) when not found."""
        name = str(self.path) if self.path is not None else UNNAMED_FILE
        line = self.lines.line_of(key)
        return (f"{name} line {line}" if line is not None else name), line

    def add(self, key: tuple[str, ...], text: str) -> None:
        """A problem with `key`, described by `text`."""
        where, line = self.where(key)
        self.found.append((f"{where}: {text}", line, ".".join(key)))

    def unknown(self, key: tuple[str, ...], known: str, hint: str, noun: str = "key") -> None:
        """An unknown key (or section), with the `known` names and a `hint`."""
        where, line = self.where(key)
        shown = f"[{'.'.join(key)}]" if noun == "section" else ".".join(key)
        self.found.append(
            (f"unknown {noun} `{shown}` in {where} (known: {known}){hint}", line, ".".join(key))
        )

    def mismatch(self, key: tuple[str, ...], expects: str, raw: object, err: Mismatch) -> None:
        """A value `raw` at `key` that does not fit the kind expecting `expects`."""
        shown = ".".join(key) + "".join(f"[{index}]" for index in err.at)
        found = describe(err.found if err.at else raw)
        hint = f"; {err.hint}" if err.hint else ""
        self.add(key, f"`{shown}` expects {err.expects or expects}, found {found}{hint}")

    def raise_if_any(self) -> None:
        """Raise one `ConfigError` listing every problem, by line, when there are any."""
        if not self.found:
            return
        ordered = sorted(self.found, key=lambda item: (item[1] is None, item[1] or 0))
        first = ordered[0]
        raise ConfigError(
            [text for text, _, _ in ordered], path=self.path, line=first[1], key=first[2]
        )
