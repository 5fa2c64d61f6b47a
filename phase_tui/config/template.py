"""The commented `phase_os.toml` that `phase-os init` writes, generated from the schema.

Every section of `SECTIONS` with its doc, every setting at its default with its doc above
it, and one `[phases.NAME]` table per built-in phase.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from phase_tui.config.loader import default_config
from phase_tui.config.schema import PHASE_FIELDS, PHASES, SECTIONS, Field, Section
from phase_tui.config.settings import Config

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
