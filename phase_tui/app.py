"""The Textual app: the composition root that wires the studio's services to the screens.

Domain services report through `_emit` (from any thread); each report becomes a
`DomainEvent` message, and its handler is the only place that changes what is shown.
Slow work (Store writes after a key press, watchers, the control socket) runs off the UI
thread. Heavy imports (watchdog) happen after the first paint.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from phase_tui import control
from phase_tui.activity import EVENTS, bounce_slot, log_event
from phase_tui.app_jobs import AppJobs
from phase_tui.app_memos import MemoControls
from phase_tui.app_screens import (
    archives_screen,
    bounces_screen,
    builder_screen,
    curator_screen,
    describe_bindings,
    digests_screen,
    memos_screen,
    phase_screen,
    remix_screen,
    tags_screen,
)
from phase_tui.audio.playback import PlaybackUnavailable, Player
from phase_tui.context import StudioContext
from phase_tui.events import (
    BounceLogged,
    Event,
    MemoChanged,
    Notice,
    PayloadFinished,
    PhaseChanged,
    PhaseFileRejected,
    SessionChanged,
    WatchHealthChanged,
)
from phase_tui.formatting import format_clock
from phase_tui.logs import StderrToLog, setup_logging
from phase_tui.phase.payloads import PayloadRunner
from phase_tui.phase.rules import next_phase, suggest
from phase_tui.phase.switcher import PhaseSwitcher
from phase_tui.phase.telemetry import day_bounds, today_and_week
from phase_tui.services import StudioServices
from phase_tui.session.sessions import resume_or_start, start_session
from phase_tui.store import Record
from phase_tui.terminal_watch import terminal_gone
from screens.dashboard import DashboardScreen
from widgets.hud import HudState

if TYPE_CHECKING:
    from phase_tui.audio.peaks_cache import PeaksCache
    from phase_tui.builder.versions import FormVersions

log = logging.getLogger(__name__)

RULE_CHECK_INTERVAL_S = 30.0
DASHBOARD = "dashboard"
BOUNCES_MODE = "bounces"
FORMS_MODE = "forms"
MEMOS_MODE = "memos"
DIGESTS_MODE = "digests"
TAGS_MODE = "tags"
CURATOR_MODE = "curator"
REMIX_MODE = "remix"
ARCHIVES_MODE = "archives"
DAEMON_FOLLOW_INTERVAL_S = 1.0  # how often an app attached to a daemon looks for its writes
TERMINAL_CHECK_S = 2.0  # how often the app checks that its terminal is still there
BOUNCE_TOAST_GATHER_S = 0.2  # bounces logged within this time share one notification


class DomainEvent(Message):
    """A domain event delivered to the UI thread."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class PhaseFileEdited(Message):
    """`current_phase.txt` changed on disk (from the watcher thread)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def phase_mode(phase: str) -> str:
    """The mode name of a phase's screen."""
    return f"phase-{phase}"


class PhaseOSApp(App[int]):
    """Phase OS: HUD, dashboard, one screen per phase, shell control."""

    TITLE = "Phase OS"
    CSS_PATH = "phase_os.tcss"
    # The dashboard is the first screen: Textual's default screen of the default mode. So no
    # `switch_mode` at start (it holds repaints for 50 ms) and no CSS refresh (as a mode in
    # MODES would bring): together, a quarter of the time to the first paint.
    DEFAULT_MODE = DASHBOARD
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("question_mark", "toggle_help", "Keys", id="help"),
        Binding("d", "dashboard", "Dashboard", id="dashboard"),
        Binding("p", "phase_screen", "Phase screen", id="phase_screen"),
        Binding("b", "bounces", "Bounces", id="bounces"),
        Binding("f", "forms", "Form maps", id="forms"),
        Binding("m", "memo", "Memo", id="memo"),
        Binding("M", "memos", "Memos", id="memos"),
        Binding("number_sign", "tags", "Tags", id="tags"),
        Binding("w", "digests", "Digests", id="digests"),
        Binding("o", "curator", "Curator", id="curator"),
        Binding("z", "archives", "Archives", id="archives"),
        Binding("n", "next_phase", "Next phase", id="next_phase"),
    ]

    hud_state: var[HudState] = var(HudState, always_update=True)
    journal_revision: var[int] = var(0)
    playing: var[str] = var("")
    """The file playing now ("" when nothing plays)."""

    def __init__(
        self,
        context: StudioContext,
        *,
        clock: Callable[[], float] = time.time,
        services: bool = True,
    ) -> None:
        """`services=False` leaves the watcher and the control socket off (tests)."""
        self.context = context  # before App.__init__, which asks for the theme variables
        super().__init__()
        self.clock = clock
        self._services = services
        config = context.config
        self._alert = ""
        self._suggestion = ""
        self._watch_health: dict[str, WatchHealthChanged] = {}
        self._fresh_bounces: list[Record] = []  # logged live, not yet notified
        self._playback_problem = ""  # the last reason playback failed, said once
        self._payloads = PayloadRunner(self._payload_done)
        self.player = Player(on_finished=lambda _path: self.call_from_thread(self._played_out))
        self.session: Record = resume_or_start(
            context.store, idle_gap_s=config.idle_gap_hours * 3600, phase=None, now=clock()
        )[0]
        self.switcher = PhaseSwitcher(
            context.studio,
            config,
            context.store,
            session=lambda: self.session["name"],
            emit=self._emit,
            payloads=self._payloads,
            clock=clock,
        )
        self.services = StudioServices(
            context,
            emit=self._emit,
            on_phase_file=lambda text: self.post_message(PhaseFileEdited(text)),
            dispatch=self._dispatch,
            bounce_context=self._bounce_context,
        )
        self.memo_controls = MemoControls(self, self._emit)
        self.jobs = AppJobs(self, self._emit)
        self.attached = False  # a headless daemon serves the studio (see `_start_services`)
        self._seen_revision: tuple[Any, ...] = ()
        self.add_mode(BOUNCES_MODE, bounces_screen)
        self.add_mode(FORMS_MODE, builder_screen)
        self.add_mode(MEMOS_MODE, memos_screen)
        self.add_mode(DIGESTS_MODE, digests_screen)
        self.add_mode(TAGS_MODE, tags_screen)
        self.add_mode(CURATOR_MODE, curator_screen)
        self.add_mode(REMIX_MODE, remix_screen)
        self.add_mode(ARCHIVES_MODE, archives_screen)
        for item in config.phases:
            self.add_mode(phase_mode(item.name), partial(phase_screen, item.name))
            self.bind(item.key, f"switch_phase({item.name!r})", description=item.name)
        self.set_keymap(dict(config.keys))

    @property
    def runs_services(self) -> bool:
        """False in tests that leave the watchers, the socket and the monitor off."""
        return self._services

    # ----------------------------------------------------------------- life cycle
    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Each phase's colour is a theme variable: `$phase-oracle`, `$phase-builder`..."""
        return {f"phase-{p.name}": p.colour for p in self.context.config.phases}

    def get_default_screen(self) -> DashboardScreen:
        return DashboardScreen()

    def on_mount(self) -> None:
        self.add_mode(DASHBOARD, DashboardScreen)  # its stack exists: switch_mode goes back to it
        self._apply_theme()
        self._warn_unknown_keys()
        log_event(
            self.context.store,
            "app_start",
            session=self.session["name"],
            phase=self.switcher.current,
            at=self.clock(),
        )
        self._refresh_state()
        self.set_interval(RULE_CHECK_INTERVAL_S, self._refresh_state)
        if self._services:
            self.call_after_refresh(self._start_services)
        if not self.is_headless:
            self.set_interval(TERMINAL_CHECK_S, self._exit_if_terminal_gone)

    def _exit_if_terminal_gone(self) -> None:
        """End the app when its terminal went away (see `terminal_watch`)."""
        if terminal_gone(sys.__stdin__.fileno()):
            log.warning("the terminal is gone: closing")
            self.exit()

    @work(thread=True, exit_on_error=False, group="services")
    def _start_services(self) -> None:
        """Start the watchers and the control socket (off the UI thread). When a headless
        daemon serves the studio, attach to it instead: it keeps the watchers, the socket,
        the schedule and transcription; the app follows the Store and records memos."""
        self.attached = control.served_role(self.context.studio.internal) == "daemon"
        self.services.start(attached=self.attached)
        self.context.refresh_status(app_running=True)
        self.memo_controls.start(attached=self.attached)
        if self.attached:
            self.call_from_thread(self._follow_daemon)
            return
        self.jobs.start()

    def _follow_daemon(self) -> None:
        """Say so in the HUD, and redraw whenever the daemon wrote to the Store."""
        self.set_hud_slot("daemon", "⇄ daemon")
        self._seen_revision = self.context.store.revision(EVENTS)
        self.set_interval(DAEMON_FOLLOW_INTERVAL_S, self._daemon_wrote)

    def _daemon_wrote(self) -> None:
        revision = self.context.store.revision(EVENTS)
        if revision != self._seen_revision:
            self._seen_revision = revision
            self._refresh_state()

    def on_unmount(self) -> None:
        self.memo_controls.shutdown()
        self.player.stop()
        self.services.stop()
        self._payloads.shutdown()
        log_event(
            self.context.store,
            "app_stop",
            session=self.session["name"],
            phase=self.switcher.current,
            at=self.clock(),
        )
        self.context.refresh_status(app_running=False)

    def _apply_theme(self) -> None:
        theme = self.context.config.theme
        if theme == self.theme:
            return  # setting it anyway would restyle every widget before the first paint
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.notify(
                f"Unknown theme {theme!r} in phase_os.toml; known: "
                f"{', '.join(sorted(self.available_themes))}",
                severity="warning",
            )

    def _warn_unknown_keys(self) -> None:
        if not self.context.config.keys:
            return  # nothing to check: the screens' bindings stay unimported until shown
        known = {binding_id for binding_id, _, _ in describe_bindings()}
        unknown = sorted(set(self.context.config.keys) - known)
        if unknown:
            self.notify(
                f"Unknown key ids in [keys] of phase_os.toml: {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}",
                severity="warning",
                timeout=10,
            )

    # ----------------------------------------------------------------- events
    def _emit(self, event: Event) -> None:
        """Hand a domain event to the UI thread (safe from any thread)."""
        self.post_message(DomainEvent(event))

    def _payload_done(self, result: PayloadFinished) -> None:
        """A payload ended (payload thread): journal it, then tell the UI."""
        log_event(
            self.context.store,
            "payload",
            session=self.session["name"],
            phase=result.phase,
            at=self.clock(),
            hook=result.hook,
            argv=list(result.argv),
            ok=result.ok,
            summary=result.summary(),
        )
        self._emit(result)

    def on_domain_event(self, message: DomainEvent) -> None:
        """Route a domain event to its handler, then refresh the HUD and the views."""
        handler = getattr(self, f"_on_{type(message.event).__name__}", None)
        if handler is not None:
            handler(message.event)
        self._refresh_state()

    def _on_PhaseChanged(self, event: PhaseChanged) -> None:  # noqa: N802
        self._alert = ""
        if self.current_mode.startswith("phase-"):
            self.switch_mode(phase_mode(event.phase))
        self.notify(f"Phase: {event.phase} (by {event.by})", timeout=3)
        self._refresh_status_snapshot()

    def _on_PhaseFileRejected(self, event: PhaseFileRejected) -> None:  # noqa: N802
        known = ", ".join(event.known)
        self.notify(
            f"current_phase.txt says {event.text!r}, which is not a phase ({known}); ignored",
            severity="error",
            timeout=8,
        )

    def _on_PayloadFinished(self, event: PayloadFinished) -> None:  # noqa: N802
        if not event.ok:
            self._alert = event.summary()
            self.notify(
                event.summary() + " (see .phase_os/phase_os.log)", severity="error", timeout=8
            )

    def _on_Notice(self, event: Notice) -> None:  # noqa: N802
        self.notify(event.text, severity=event.severity)  # type: ignore[arg-type]

    def _on_SessionChanged(self, event: SessionChanged) -> None:  # noqa: N802
        self.notify(f"New session {event.name}", timeout=4)
        self._refresh_status_snapshot()

    def _on_BounceLogged(self, event: BounceLogged) -> None:  # noqa: N802
        if event.kind != "caught_up":
            if not self._fresh_bounces:  # bounces logged together make one notification
                self.set_timer(BOUNCE_TOAST_GATHER_S, self._notify_fresh_bounces)
            self._fresh_bounces.append(event.record)
        self._refresh_status_snapshot()

    def _notify_fresh_bounces(self) -> None:
        fresh, self._fresh_bounces = self._fresh_bounces, []
        if len(fresh) == 1:
            record = fresh[0]
            text = f"{record['name']} {format_clock(record.get('duration_s'))}"
            self.notify(text, title="Bounce logged", timeout=5)
        elif fresh:
            names = ", ".join(str(r["name"]) for r in fresh[:3])
            more = f" and {len(fresh) - 3} more" if len(fresh) > 3 else ""
            self.notify(names + more, title=f"{len(fresh)} bounces logged", timeout=6)

    def _on_MemoChanged(self, event: MemoChanged) -> None:  # noqa: N802
        self.memo_controls.changed(event)

    def _on_WatchHealthChanged(self, event: WatchHealthChanged) -> None:  # noqa: N802
        self._watch_health[event.folder] = event
        troubled = [h for h in self._watch_health.values() if h.mode in ("missing", "polling")]
        shown = self.context.studio.relative
        self.set_hud_slot(
            "watch", "  ".join(f"⚠ {shown(Path(h.folder))}: {h.mode}" for h in troubled)
        )
        if event.mode == "missing" or (
            event.mode == "polling" and "poll_folders" not in event.detail
        ):
            self.notify(f"{shown(Path(event.folder))}: {event.detail}", severity="warning")

    def on_phase_file_edited(self, message: PhaseFileEdited) -> None:
        self._run_in_thread(self.switcher.apply_file_text, message.text)

    def _refresh_state(self) -> None:
        """Recompute the HUD (rules included) and tell screens the journal moved on."""
        current = self.switcher.current
        events = self.events()
        found = suggest(
            self.context.config, current, self.switcher.entered_at, events, self.clock()
        )
        self._suggestion = found.text() + " (n)" if found else ""
        settings = self.context.config.phase(current)
        self.hud_state = HudState(
            phase=current,
            phase_colour=settings.colour,
            session=self.session["name"],
            session_colour=self.session["colour"],
            entered_at=self.switcher.entered_at,
            suggestion=self._suggestion,
            alert=self._alert,
            slots=self.hud_state.slots,
        ).with_slot("bounce", bounce_slot(events, day_bounds(self.clock())[0]))
        self.journal_revision += 1

    def set_hud_slot(self, name: str, text: str) -> None:
        """Show `text` in the HUD slot `name` ("bounce", "memo", "watch"); "" clears it."""
        self.hud_state = self.hud_state.with_slot(name, text)

    @work(thread=True, exit_on_error=False, group="status")
    def _refresh_status_snapshot(self) -> None:
        self.context.refresh_status(app_running=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker becomes a message, never a crash."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            log.error("worker %s failed: %r", event.worker.name, error, exc_info=error)
            self.notify(f"{event.worker.name} failed: {error}", severity="error", timeout=8)

    def bounce_records(self) -> list[Record]:
        """Every bounce record of the studio."""
        from phase_tui.loop.catalogue import BOUNCES

        return self.context.store.all(BOUNCES)

    def bounce_record(self, record_id: str) -> Record | None:
        """A bounce record as stored now, or None."""
        from phase_tui.loop.catalogue import BOUNCES

        return self.context.store.get(BOUNCES, record_id)

    def peaks_cache(self) -> PeaksCache:
        """The studio's cache of waveform peaks."""
        from phase_tui.audio.peaks_cache import PeaksCache

        return PeaksCache(self.context.studio.peaks_dir)

    def open_bounce(self, record: Record) -> None:
        """Show one bounce up close: waveform, sections, loudness, metadata."""
        from screens.bounce_detail import BounceDetailScreen

        self.push_screen(BounceDetailScreen(record))

    @work(thread=True, exit_on_error=False, group="art")
    def make_art(self, record: Record) -> None:
        """Draw the PNG art of a bounce into art/ and say where it is."""
        from phase_tui.audio.errors import UnreadableAudio
        from phase_tui.loop.bounce_art import bounce_details, make_art

        config = self.context.config
        colour = config.phase(self.switcher.current).colour
        try:
            path = make_art(
                self.bounce_path(record),
                bounce_details(record),
                colour,
                config.art,
                self.peaks_cache(),
                self.context.studio.art_dir,
            )
        except UnreadableAudio as error:
            self.call_from_thread(self.notify, error.reason, title="No art", severity="warning")
            return
        shown = self.context.studio.relative(path)
        self.call_from_thread(self.notify, shown, title="Art saved", timeout=8)

    @work(thread=True, exit_on_error=False, group="crates", exclusive=True)
    def scan_crates(self) -> None:
        """Import what is new in the crates now (a worker, progress in the HUD)."""
        self.jobs.scan_crates()

    def refresh_views(self) -> None:
        """Recompute the HUD and redraw the screens from the Store."""
        self._refresh_state()

    @work(thread=True, exit_on_error=False, group="tags")
    def set_item_tags(self, kind: str, item_id: str, tags: list[str]) -> None:
        """Replace the tags of an item (off the UI thread), then refresh the views."""
        from phase_tui.tags import TagIndex

        TagIndex(self.context.store).set(kind, item_id, tags)
        self.call_from_thread(self._refresh_state)

    def open_item(self, kind: str, item_id: str) -> None:
        """Show an item on its own screen (a bounce up close, a memo, a form map version)."""
        from phase_tui.app_navigation import open_item

        open_item(self, kind, item_id)

    def open_link(self, href: str, relative_to: Path) -> None:
        """Follow a link of a document in `relative_to`: the item it names, else the file."""
        from phase_tui.app_navigation import open_link

        open_link(self, href, relative_to)

    def bounce_path(self, record: Record) -> Path:
        """The file of a bounce record on this machine."""
        from phase_tui.loop.bounce_fields import bounce_file

        return bounce_file(self.context.studio.root, record)

    def toggle_playback(self, record: Record) -> None:
        """Play a bounce, or stop it if it is the one playing."""
        self.toggle_play(self.bounce_path(record))

    def play_file(self, path: Path) -> None:
        """Play an audio file from its start (what plays stops)."""
        self._play(path)

    def stop_playing(self) -> None:
        """Stop what plays."""
        self.player.stop()
        self.playing = ""

    def toggle_play(self, path: Path) -> None:
        """Play an audio file (a bounce, a memo), or stop it if it is the one playing."""
        if self.playing == str(path):
            self.player.stop()
            self.playing = ""
        else:
            self._play(path)

    @work(thread=True, exit_on_error=False, group="playback", exclusive=True)
    def _play(self, path: Path) -> None:
        try:
            self.player.play(path)
        except PlaybackUnavailable as error:
            if str(error) != self._playback_problem:  # said once, not at every auto-play
                self._playback_problem = str(error)
                self.call_from_thread(self.notify, str(error), severity="warning", timeout=6)
            self.call_from_thread(setattr, self, "playing", "")
            return
        self._playback_problem = ""
        self.call_from_thread(setattr, self, "playing", str(path))

    def _played_out(self) -> None:
        self.playing = str(self.player.playing or "")

    def _bounce_context(self) -> dict[str, Any]:
        """What a bounce logged now carries (called from the logger's threads): the session,
        the phase and the id of the active form map version."""
        active = self.form_versions().active()
        return {
            "session": self.session["name"],
            "phase": self.switcher.current,
            "form": active.id if active else None,
        }

    def form_versions(self) -> FormVersions:
        """The studio's form map versions."""
        from phase_tui.builder.versions import FormVersions

        return FormVersions(self.context.store, self.context.studio.root)

    # ----------------------------------------------------------------- data for screens
    def events(self) -> list[Record]:
        """Every journal event, oldest first."""
        return self.context.store.all(EVENTS)

    def phase_times(self, events: Iterable[Record]) -> tuple[dict[str, float], dict[str, float]]:
        """Seconds per phase today and this week (this app counts as running)."""
        return today_and_week(
            events,
            self.clock(),
            frozenset({self.context.store.machine}),
            self.context.config.week_starts_on,
        )

    # ----------------------------------------------------------------- actions
    def _run_in_thread(self, function: Callable[..., Any], *args: Any) -> None:
        self.run_worker(
            partial(function, *args),
            thread=True,
            exit_on_error=False,
            group="phase",
            name=getattr(function, "__name__", "work"),
        )

    def action_switch_phase(self, name: str, by: str = "key") -> None:
        """Switch to phase `name`."""
        self._run_in_thread(self.switcher.switch, name, by)

    def action_next_phase(self) -> None:
        """Accept the suggested phase (or go to the next one)."""
        current = self.switcher.current
        by = "rule" if self._suggestion else "key"
        self.action_switch_phase(next_phase(self.context.config, current), by)

    def action_dashboard(self) -> None:
        """Show the dashboard."""
        self.switch_mode(DASHBOARD)

    def action_phase_screen(self) -> None:
        """Show the current phase's screen."""
        self.switch_mode(phase_mode(self.switcher.current))

    def action_bounces(self) -> None:
        """Show the bounce catalogue."""
        self.switch_mode(BOUNCES_MODE)

    def action_forms(self) -> None:
        """Show the builder: form maps, their versions and diffs."""
        self.switch_mode(FORMS_MODE)

    def action_memo(self) -> None:
        """Start recording a voice memo, or stop the one recording."""
        self.memo_controls.toggle()

    def action_memos(self) -> None:
        """Show the memos: transcripts, tags, status; play, re-transcribe, delete."""
        self.switch_mode(MEMOS_MODE)

    def action_tags(self) -> None:
        """Show the tag browser: every tag, its items across kinds, combinations."""
        self.switch_mode(TAGS_MODE)

    def action_curator(self) -> None:
        """Show the curator: the sample queue, the slicer, more like this."""
        self.switch_mode(CURATOR_MODE)

    def action_remix_sessions(self) -> None:
        """Show the remix sessions and their fragments."""
        self.switch_mode(REMIX_MODE)

    def action_archives(self) -> None:
        """Show the archive browser: snapshots, their files and diffs; export, restore."""
        self.switch_mode(ARCHIVES_MODE)

    def action_digests(self) -> None:
        """Show the weekly digests."""
        self.switch_mode(DIGESTS_MODE)

    def action_toggle_help(self) -> None:
        """Show or hide every key of the current screen."""
        if self.screen.query("HelpPanel"):  # by name: importing it costs 25 ms of start-up
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_new_session(self) -> None:
        """Start a new session now."""
        self._run_in_thread(self._new_session)

    def _new_session(self) -> str:
        made = start_session(
            self.context.store, reason="asked", phase=self.switcher.current, now=self.clock()
        )
        self.session = made
        self._emit(SessionChanged(made["id"], made["name"], made["colour"]))
        return str(made["name"])

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for item in self.context.config.phases:
            yield SystemCommand(
                f"Phase: {item.name}",
                item.description or f"Enter {item.name}",
                partial(self.action_switch_phase, item.name),
            )
        yield SystemCommand("Dashboard", "Activity, time per phase", self.action_dashboard)
        yield SystemCommand("Phase screen", "The current phase's screen", self.action_phase_screen)
        yield SystemCommand("Bounces", "Every bounce, by track: filter, play", self.action_bounces)
        yield SystemCommand("Memo", "Record a voice memo, or stop it", self.action_memo)
        yield SystemCommand("Memos", "Voice memos and their transcripts", self.action_memos)
        yield SystemCommand("Tags", "Every tag and what carries it", self.action_tags)
        yield SystemCommand("Digests", "The weekly digests", self.action_digests)
        yield SystemCommand("Curator", "Curate the sample queue", self.action_curator)
        yield SystemCommand("Remix sessions", "Fragments collected", self.action_remix_sessions)
        yield SystemCommand("Archives", "Snapshots: export, compare, restore", self.action_archives)
        yield SystemCommand("Scan crates", "Import new samples from the crates", self.scan_crates)
        yield SystemCommand("Next phase", "Accept the suggested phase", self.action_next_phase)
        yield SystemCommand("New session", "Start a new session now", self.action_new_session)

    # ----------------------------------------------------------------- control socket
    def _dispatch(self, cmd: str, args: dict[str, Any]) -> Any:
        """Answer a shell command (runs on the control socket's thread)."""
        from phase_tui.shell_commands import SharedCommands, dispatch

        shared = SharedCommands(
            self.context,
            role="app",
            switcher=self.switcher,
            services=self.services,
            session=lambda: str(self.session["name"]),
            new_session=self._new_session,
            clock=self.clock,
            on_notify=self._shell_note,
        )
        return dispatch({**shared.table(), **self.memo_controls.commands()}, cmd, args)

    def _shell_note(self, text: str) -> str:
        self._emit(Notice(text))
        return "shown"


def run_app(context: StudioContext) -> int:
    """Open the app full screen; C-library stderr goes to the log while it runs."""
    studio = context.studio
    setup_logging(studio.log_path)
    log.info("Phase OS opening studio %s", studio.root)
    app = PhaseOSApp(context)
    with StderrToLog(studio.log_path):
        app.run()
    context.close()
    return app.return_code or 0
