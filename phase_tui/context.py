"""An opened studio: its paths, validated config and Store, shared by the CLI and the app."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from phase_tui.config import Config, load_config
from phase_tui.session.sessions import latest_session, start_session
from phase_tui.session.status import write_status_snapshot
from phase_tui.session.studio import Studio, find_studio
from phase_tui.store import Record, Store, open_store


@dataclass
class StudioContext:
    """Everything a command needs to work on one studio."""

    studio: Studio
    config: Config
    store: Store

    @classmethod
    def open(
        cls, explicit: Path | None = None, on_problem: Callable[[str], None] | None = None
    ) -> StudioContext:
        """Find the studio, validate its config (ConfigError) and open its Store."""
        studio = find_studio(explicit)
        config = load_config(studio.config_path)
        return cls(studio, config, open_store(studio.internal, on_problem=on_problem))

    def session(self) -> Record:
        """The latest session, started now if there is none yet."""
        found = latest_session(self.store)
        if found is None:
            found = start_session(self.store, reason="first session", phase=None)
        return found

    def refresh_status(self, app_running: bool) -> None:
        """Rewrite the status snapshot after a change (see `phase_tui.session.status`)."""
        write_status_snapshot(
            self.studio, self.config, self.store, app_running=app_running, now=time.time()
        )

    def close(self) -> None:
        self.store.close()
