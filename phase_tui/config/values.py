"""Reading one section of a parsed `phase_os.toml` against its schema.

Each value is converted by its field's kind; a value that does not fit is reported and
left as `INVALID`, so the default stands and checking goes on to find every problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from phase_tui.config.kinds import Mismatch
from phase_tui.config.report import Report, did_you_mean
from phase_tui.config.schema import Field, Section

INVALID = object()  # a value that failed its check (already reported; the default stands)


@dataclass
class SectionValues:
    """What one section of the file holds, checked: fixed keys, free keys, named sub-tables."""

    fields: dict[str, Any] = field(default_factory=dict)
    free: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)


def settled(values: dict[str, Any]) -> dict[str, Any]:
    """The values that passed their checks."""
    return {name: value for name, value in values.items() if value is not INVALID}


def _convert(spec: Field, raw: object, key: tuple[str, ...], report: Report) -> object:
    try:
        return spec.kind.convert(raw)
    except Mismatch as err:
        report.mismatch(key, spec.kind.expects, raw, err)
        return INVALID


def _read_fields(
    table: Mapping[str, object],
    specs: tuple[Field, ...],
    prefix: tuple[str, ...],
    report: Report,
) -> dict[str, Any]:
    known = {spec.name: spec for spec in specs}
    values: dict[str, Any] = {}
    for name, raw in table.items():
        if name in known:
            values[name] = _convert(known[name], raw, (*prefix, name), report)
        else:
            report.unknown((*prefix, name), ", ".join(known), did_you_mean(name, known))
    return values


def read_section(section: Section, table: Mapping[str, object], report: Report) -> SectionValues:
    """The checked values of `table`, the TOML table of `section`; problems go to `report`."""
    values = SectionValues()
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
            report.unknown(key, shown, did_you_mean(name, known))
    return values
