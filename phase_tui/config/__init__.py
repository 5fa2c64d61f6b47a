"""The studio settings, `phase_os.toml`: load and validate them, or write their template.

Stdlib only, so importing is cheap. The modules, each one job:

- `kinds`: value kinds (`TEXT`, `COLOUR`, `number()`...) and `Mismatch`
- `settings`: `Config`, `PhaseSettings` and the built-in phases
- `schema`: `Field`, `Section` and `SECTIONS`, the shape of the file (extend it here)
- `lines`: where each key is written in the TOML text
- `report`: `ConfigError` and the collector of problems with their messages
- `values`, `phases`, `loader`: reading, building and loading a `Config`
- `template`: the commented default file written by `phase-os init`
"""

from __future__ import annotations

from phase_tui.config.loader import default_config, load_config, load_config_text
from phase_tui.config.report import ConfigError
from phase_tui.config.schema import SECTIONS
from phase_tui.config.settings import Config, PhaseSettings
from phase_tui.config.template import default_config_text

__all__ = [
    "SECTIONS",
    "Config",
    "ConfigError",
    "PhaseSettings",
    "default_config",
    "default_config_text",
    "load_config",
    "load_config_text",
]
