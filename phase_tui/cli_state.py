"""What every `phase-os` command shares: the studio, opened lazily, and the running app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from phase_tui import control
from phase_tui.config import ConfigError
from phase_tui.context import StudioContext


class State:
    """The group's options, and the studio opened lazily by the first command needing it."""

    def __init__(self, studio: Path | None) -> None:
        self.studio_path = studio
        self._context: StudioContext | None = None

    def context(self) -> StudioContext:
        if self._context is None:
            try:
                self._context = StudioContext.open(
                    self.studio_path, on_problem=lambda m: click.secho(m, fg="yellow", err=True)
                )
            except ConfigError as error:
                raise click.ClickException(str(error)) from error
        return self._context

    def send(self, cmd: str, **args: Any) -> Any:
        """Send to the running app; raises ConnectionError when none runs."""
        try:
            return control.send(self.context().studio.internal, cmd, **args)
        except control.CommandError as error:
            raise click.ClickException(str(error)) from error


pass_state = click.make_pass_decorator(State)
