"""Load and validate `phase_os.toml` into a `Config`.

The file is read with `tomllib` and checked against `SECTIONS` (`schema.py`): each
section is read by `read_section`, then built into `Config` attributes, by
`build_phases` for `[phases]`, `build_builder` for `[builder]` (its tempo range) and by
`build_plain` for the others. Every problem is
collected by a `Report` and raised as one `ConfigError`. Stdlib only: importing is cheap.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from phase_tui.config.api_checks import check_api
from phase_tui.config.builder_checks import check_tempo_range, checked_template, user_templates
from phase_tui.config.lines import Lines
from phase_tui.config.mail_checks import check_mail
from phase_tui.config.phases import build_phases
from phase_tui.config.report import UNNAMED_FILE, ConfigError, Report, describe, did_you_mean
from phase_tui.config.schema import BUILDER, PHASES, SECTIONS, Section
from phase_tui.config.settings import Config
from phase_tui.config.values import SectionValues, read_section, settled

_TOML_AT_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def build_plain(section: Section, values: SectionValues, report: Report) -> dict[str, Any]:
    """Config attributes from an ordinary section: its fields (or a mapping of free keys)."""
    if section.free is not None:
        return {section.attr or section.name: MappingProxyType(settled(values.free))}
    given = settled(values.fields)
    fields = {spec.name: given.get(spec.name, spec.default) for spec in section.fields}
    if section.cls is not None:
        return {section.attr or section.name: section.cls(**fields)}
    return fields


def build_builder(section: Section, values: SectionValues, report: Report) -> dict[str, Any]:
    """`[builder]`: its fields, the user's templates, and the checks across them."""
    name = section.attr or section.name
    templates = user_templates(values.tables, report)
    settings = replace(build_plain(section, values, report)[name], templates=templates)
    check_tempo_range(settings, settled(values.fields), report)
    return {name: replace(settings, template=checked_template(settings, report))}


_BUILDERS: dict[str, Callable[[Section, SectionValues, Report], dict[str, Any]]] = {
    PHASES.name: build_phases,
    BUILDER.name: build_builder,
}


def _check(data: dict[str, Any], report: Report) -> dict[str, Any]:
    """The `Config` attributes the parsed file gives, reporting every problem on the way."""
    sections = {section.name: section for section in SECTIONS}
    for name, raw in data.items():
        if name in sections:
            continue
        owners = [s.name for s in SECTIONS if any(spec.name == name for spec in s.fields)]
        hint = (
            f"; did you mean `{owners[0]}.{name}` (under [{owners[0]}])?"
            if owners
            else did_you_mean(name, sections, "`[{}]`")
        )
        noun = "section" if isinstance(raw, dict) else "key"
        report.unknown((name,), ", ".join(sections), hint, noun)
    attributes: dict[str, Any] = {}
    for section in SECTIONS:
        raw = data.get(section.name, {})
        if not isinstance(raw, dict):
            report.add(
                (section.name,),
                f"`{section.name}` expects a table ([{section.name}]), found {describe(raw)}",
            )
            raw = {}
        build = _BUILDERS.get(section.name, build_plain)
        attributes.update(build(section, read_section(section, raw, report), report))
    check_mail(attributes["digest"], attributes["mail"], report)
    check_api(attributes["api"], report)
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
    report = Report(path, Lines(text))
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
