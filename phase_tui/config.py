"""Load and validate `phase_os.toml`, and write its commented default.

The file is read with `tomllib` and checked against the declarative schema in
`phase_tui.config_schema`. Every problem (unknown key, wrong type, a phase table missing
from the order, two phases on one key...) is collected, then one `ConfigError` lists them
all, each naming the file, the line and the key. tomllib gives no positions, so `_Lines`
finds where each key is written. Stdlib only: importing this module is cheap.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from phase_tui.config_schema import (
    BUILTIN_PHASES,
    PHASE_FIELDS,
    PHASE_NAME,
    PHASE_NAME_RE,
    PHASE_PALETTE,
    PHASES,
    SECTIONS,
    Config,
    Field,
    Mismatch,
    PhaseSettings,
    Section,
)

__all__ = [
    "Config",
    "ConfigError",
    "PhaseSettings",
    "default_config",
    "default_config_text",
    "load_config",
    "load_config_text",
]

UNNAMED_FILE = "phase_os.toml"  # how a text without a path is named in messages
_INVALID = object()  # a value that failed its check (already reported; the default stands)


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


# ------------------------------------------------------------------ where keys are written
_KEY_PART = r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'"""
_DOTTED = rf"(?:{_KEY_PART})(?:\s*\.\s*(?:{_KEY_PART}))*"
_HEADER_RE = re.compile(rf"\s*\[\[?\s*({_DOTTED})\s*\]")
_ASSIGN_RE = re.compile(rf"\s*({_DOTTED})\s*=")
_PART_RE = re.compile(_KEY_PART)
_TOML_AT_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


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


class _Lines:
    """Where each table and key of a TOML text is written: tomllib gives no positions.

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


# ------------------------------------------------------------------ problems
def _describe(value: object) -> str:
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


def _did_you_mean(word: str, candidates: Iterable[str], fmt: str = "`{}`") -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {fmt.format(close[0])}?" if close else ""


def _and(names: list[str]) -> str:
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


@dataclass
class _Report:
    """Collects problems, each located by key path, in the words of the file."""

    path: Path | None
    lines: _Lines
    found: list[tuple[str, int | None, str]] = field(default_factory=list)

    def where(self, key: tuple[str, ...]) -> tuple[str, int | None]:
        name = str(self.path) if self.path is not None else UNNAMED_FILE
        line = self.lines.line_of(key)
        return (f"{name} line {line}" if line is not None else name), line

    def add(self, key: tuple[str, ...], text: str) -> None:
        where, line = self.where(key)
        self.found.append((f"{where}: {text}", line, ".".join(key)))

    def unknown(self, key: tuple[str, ...], known: str, hint: str, noun: str = "key") -> None:
        where, line = self.where(key)
        shown = f"[{'.'.join(key)}]" if noun == "section" else ".".join(key)
        self.found.append(
            (f"unknown {noun} `{shown}` in {where} (known: {known}){hint}", line, ".".join(key))
        )

    def mismatch(self, key: tuple[str, ...], expects: str, raw: object, err: Mismatch) -> None:
        shown = ".".join(key) + "".join(f"[{index}]" for index in err.at)
        found = _describe(err.found if err.at else raw)
        hint = f"; {err.hint}" if err.hint else ""
        self.add(key, f"`{shown}` expects {err.expects or expects}, found {found}{hint}")

    def raise_if_any(self) -> None:
        if not self.found:
            return
        ordered = sorted(self.found, key=lambda item: (item[1] is None, item[1] or 0))
        first = ordered[0]
        raise ConfigError(
            [text for text, _, _ in ordered], path=self.path, line=first[1], key=first[2]
        )


# ------------------------------------------------------------------ validation
@dataclass
class _Values:
    """What one section of the file holds, checked: fixed keys, free keys, named sub-tables."""

    fields: dict[str, Any] = field(default_factory=dict)
    free: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)


def _convert(spec: Field, raw: object, key: tuple[str, ...], report: _Report) -> object:
    try:
        return spec.kind.convert(raw)
    except Mismatch as err:
        report.mismatch(key, spec.kind.expects, raw, err)
        return _INVALID


def _read_fields(
    table: Mapping[str, object],
    specs: tuple[Field, ...],
    prefix: tuple[str, ...],
    report: _Report,
) -> dict[str, Any]:
    known = {spec.name: spec for spec in specs}
    values: dict[str, Any] = {}
    for name, raw in table.items():
        if name in known:
            values[name] = _convert(known[name], raw, (*prefix, name), report)
        else:
            report.unknown((*prefix, name), ", ".join(known), _did_you_mean(name, known))
    return values


def _read_section(section: Section, table: Mapping[str, object], report: _Report) -> _Values:
    values = _Values()
    known = {spec.name: spec for spec in section.fields}
    for name, raw in table.items():
        key = (section.name, name)
        if name in known:
            values.fields[name] = _convert(known[name], raw, key, report)
        elif section.tables and isinstance(raw, dict):
            values.tables[name] = _read_fields(raw, section.tables, key, report)
        elif section.free is not None:
            values.free[name] = _convert(Field(name, section.free, None, ""), raw, key, report)
        else:
            shown = ", ".join(known) + (
                f", or a [{section.name}.NAME] table" if section.tables else ""
            )
            report.unknown(key, shown, _did_you_mean(name, known))
    return values


def _settled(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not _INVALID}


def _build_plain(section: Section, values: _Values, report: _Report) -> dict[str, Any]:
    """Config attributes from an ordinary section: its fields (or a mapping of free keys)."""
    if section.free is not None:
        return {section.attr or section.name: MappingProxyType(_settled(values.free))}
    given = _settled(values.fields)
    settled = {spec.name: given.get(spec.name, spec.default) for spec in section.fields}
    if section.cls is not None:
        return {section.attr or section.name: section.cls(**settled)}
    return settled


def _build_phases(section: Section, values: _Values, report: _Report) -> dict[str, Any]:
    """`phases` and `default_phase` from `[phases]` and its `[phases.NAME]` tables."""
    tables = values.tables
    for name in tables:
        if not PHASE_NAME_RE.match(name):
            report.add(
                ("phases", name),
                f'`[phases.{name}]`: the name expects {PHASE_NAME.expects}, found "{name}"',
            )
    named = tuple(name for name in tables if PHASE_NAME_RE.match(name))
    order = values.fields.get("order")
    if order is None or order is _INVALID:
        # No order: the built-in phases, then any new phase tables in file order.
        builtin = tuple(phase.name for phase in BUILTIN_PHASES)
        order = builtin + tuple(name for name in named if name not in builtin)
    else:
        for name in named:
            if name not in order:
                report.add(
                    ("phases", name),
                    (
                        f"`[phases.{name}]` is not in `phases.order` ({', '.join(order)}); "
                        f'add "{name}" to the order or remove the table'
                        + _did_you_mean(name, order, "`[phases.{}]`")
                    ),
                )
    builtin = {phase.name: phase for phase in BUILTIN_PHASES}
    phases = []
    for position, name in enumerate(order, start=1):
        base = builtin.get(name) or PhaseSettings(
            name, PHASE_PALETTE[(position - 1) % len(PHASE_PALETTE)], str(position)
        )
        base = replace(base, key=str(position))
        if base.next not in order or base.next == name:
            base = replace(base, next=None)
        phases.append(replace(base, **_settled(tables.get(name, {}))))
    for phase in phases:
        if phase.next is not None and (phase.next not in order or phase.next == phase.name):
            why = "the phase itself" if phase.next == phase.name else "not a configured phase"
            report.add(
                ("phases", phase.name, "next"),
                (
                    f'`phases.{phase.name}.next` is "{phase.next}", {why} '
                    f"(phases: {', '.join(order)})" + _did_you_mean(phase.next, order)
                ),
            )
    by_key: dict[str, list[str]] = {}
    for phase in phases:
        by_key.setdefault(phase.key, []).append(phase.name)
    for key, names in by_key.items():
        if len(names) > 1:
            written = [name for name in names if report.lines.written(("phases", name, "key"))]
            report.add(
                ("phases", (written or names)[-1], "key"),
                f'phases {_and(names)} both use the key "{key}"; give each phase its own `key`',
            )
    default = values.fields.get("default")
    if default is None or default is _INVALID:
        default = order[0]
    elif default not in order:
        report.add(
            ("phases", "default"),
            (
                f'`phases.default` is "{default}", not a configured phase '
                f"(phases: {', '.join(order)})" + _did_you_mean(default, order)
            ),
        )
        default = order[0]
    return {"phases": tuple(phases), "default_phase": default}


_BUILDERS: dict[str, Callable[[Section, _Values, _Report], dict[str, Any]]] = {
    PHASES.name: _build_phases,
}


def _check(data: dict[str, Any], report: _Report) -> dict[str, Any]:
    """The `Config` attributes the parsed file gives, reporting every problem on the way."""
    sections = {section.name: section for section in SECTIONS}
    for name, raw in data.items():
        if name in sections:
            continue
        owners = [s.name for s in SECTIONS if any(spec.name == name for spec in s.fields)]
        hint = (
            f"; did you mean `{owners[0]}.{name}` (under [{owners[0]}])?"
            if owners
            else _did_you_mean(name, sections, "`[{}]`")
        )
        noun = "section" if isinstance(raw, dict) else "key"
        report.unknown((name,), ", ".join(sections), hint, noun)
    attributes: dict[str, Any] = {}
    for section in SECTIONS:
        raw = data.get(section.name, {})
        if not isinstance(raw, dict):
            report.add(
                (section.name,),
                f"`{section.name}` expects a table ([{section.name}]), found {_describe(raw)}",
            )
            raw = {}
        build = _BUILDERS.get(section.name, _build_plain)
        attributes.update(build(section, _read_section(section, raw, report), report))
    return attributes


def load_config_text(text: str, path: Path | None = None) -> Config:
    """Validate the text of a `phase_os.toml`; `path` names it in messages. ConfigError if bad."""
    name = str(path) if path is not None else UNNAMED_FILE
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        if at := _TOML_AT_RE.search(message):
            line = int(at.group(1))
            detail = f"{message[: at.start()]} (column {at.group(2)})"
        else:
            line = max(1, len(text.splitlines()))
            detail = message.replace(" (at end of document)", " at the end of the file")
        raise ConfigError(
            f"{name} line {line}: invalid TOML: {detail}", path=path, line=line
        ) from None
    report = _Report(path, _Lines(text))
    attributes = _check(data, report)
    report.raise_if_any()
    return Config(path=path, **attributes)


def load_config(path: Path) -> Config:
    """Read and validate `path`; the defaults when it does not exist. ConfigError if bad."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return default_config()
    except OSError as error:
        raise ConfigError(
            f"{path}: can not read the settings: {error.strerror or error}", path=path
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"{path} line {line}: not UTF-8 text (byte {error.start})", path=path, line=line
        ) from None
    return load_config_text(text, path)


@functools.cache
def default_config() -> Config:
    """The built-in settings (what an empty file gives); `path` is None."""
    return load_config_text("")


# ------------------------------------------------------------------ the commented template
_TEMPLATE_HEAD = """\
# Phase OS settings for this studio.
# Every setting is shown at its default value, with what it means above it. Delete a
# setting to use its default; `phase-os config check` validates this file.
"""


def _toml(value: object) -> str:
    """A default value as a TOML literal (None is written as "")."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def _comment(doc: str) -> list[str]:
    return [f"# {line}" for line in doc.splitlines()]


def _setting_lines(specs: tuple[Field, ...], values: Mapping[str, object]) -> list[str]:
    lines = []
    for spec in specs:
        lines += [*_comment(spec.doc), f"{spec.name} = {_toml(values[spec.name])}"]
    return lines


def _defaults_of(
    section: Section, config: Config
) -> tuple[dict[str, object], dict[str, dict[str, object]]]:
    """The default values of a section's fields and of its sub-tables."""
    if section is PHASES:
        tables = {
            phase.name: {spec.name: getattr(phase, spec.name) for spec in PHASE_FIELDS}
            for phase in config.phases
        }
        return {"order": config.phase_names, "default": config.default_phase}, tables
    return {spec.name: spec.default for spec in section.fields}, {}


def default_config_text() -> str:
    """The commented `phase_os.toml` that `phase-os init` writes: every setting at its default."""
    config = default_config()
    lines = _TEMPLATE_HEAD.splitlines()
    for section in SECTIONS:
        fields, tables = _defaults_of(section, config)
        lines += ["", *_comment(section.doc), f"[{section.name}]"]
        lines += _setting_lines(section.fields, fields)
        lines += [f"# {example}" for example in section.example]
        for name, values in tables.items():
            lines += ["", f"[{section.name}.{name}]", *_setting_lines(section.tables, values)]
    return "\n".join(lines) + "\n"
