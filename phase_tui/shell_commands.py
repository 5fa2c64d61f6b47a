"""The control socket's commands that the app and the headless daemon answer alike: ping,
role, the phase, notify, a new session, a bounce scan. Each adds its own (memos, status)
to `table()`; `dispatch` answers one command or says it is unknown."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from phase_tui import control
from phase_tui.activity import log_event
from phase_tui.context import StudioContext
from phase_tui.phase.switcher import PhaseSwitcher, UnknownPhase
from phase_tui.services import StudioServices

Command = Callable[[dict[str, Any]], Any]


class SharedCommands:
    """What both answer; `on_notify(text)` shows a notification (or not) and says how."""

    def __init__(
        self,
        context: StudioContext,
        *,
        role: str,
        switcher: PhaseSwitcher,
        services: StudioServices,
        session: Callable[[], str],
        new_session: Callable[[], str],
        clock: Callable[[], float],
        on_notify: Callable[[str], str],
    ) -> None:
        self.context = context
        self.role = role
        self.switcher = switcher
        self.services = services
        self._session = session
        self._new_session = new_session
        self._clock = clock
        self._on_notify = on_notify

    def table(self) -> dict[str, Command]:
        return {
            "ping": lambda args: "pong",
            "role": lambda args: self.role,
            "phase.get": lambda args: self.switcher.current,
            "phase.set": self._phase_set,
            "notify": self._notify,
            "session.new": lambda args: self._new_session(),
            "bounces.scan": self._bounces_scan,
        }

    def _phase_set(self, args: dict[str, Any]) -> str:
        try:
            self.switcher.switch(str(args["name"]), by="shell")
        except UnknownPhase as error:
            raise control.CommandError(str(error)) from error
        return self.switcher.current

    def _notify(self, args: dict[str, Any]) -> str:
        """A note from the shell: journalled, then shown where there is a screen."""
        text = str(args.get("text", ""))
        log_event(
            self.context.store,
            "notify",
            session=self._session(),
            phase=self.switcher.current,
            at=self._clock(),
            text=text,
        )
        return self._on_notify(text)

    def _bounces_scan(self, _args: dict[str, Any]) -> dict[str, int]:
        logger = self.services.bounces
        if logger is None:
            raise control.CommandError("the bounce logger has not started yet; try again")
        return logger.scan().counts()


def dispatch(commands: Mapping[str, Command], cmd: str, args: dict[str, Any]) -> Any:
    """Answer `cmd` from `commands` (the control socket's thread)."""
    handler = commands.get(cmd)
    if handler is None:
        raise control.CommandError(f"unknown command {cmd!r}")
    return handler(args)
