"""Going from a reference to its screen: an item (bounce, memo, form map version, session)
by kind and id, or a link of a digest (a file of the studio, or a web address).

A link to a file that a record describes (a bounce's audio, a memo's audio or transcript)
opens the record's screen; any other file goes to the system's application.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

if TYPE_CHECKING:
    from phase_tui.app import PhaseOSApp


def open_item(app: PhaseOSApp, kind: str, item_id: str) -> None:
    """Show the item on its own screen, or say what it is when it has none."""
    from phase_tui.app import FORMS_MODE, MEMOS_MODE

    store = app.context.store
    record = store.get(kind, item_id)
    if record is None:
        app.notify(f"That {kind[:-1]} is no longer in the studio", severity="warning")
        return
    if kind == "bounces":
        app.open_bounce(record)
    elif kind in ("memos", "forms"):
        app.switch_mode(MEMOS_MODE if kind == "memos" else FORMS_MODE)
        app.call_after_refresh(lambda: app.screen.focus_on(item_id))  # type: ignore[attr-defined]
    elif kind == "sessions":
        app.notify(f"Session {record['name']}", title="Session", timeout=5)
    else:
        shown = record.get("path") or record.get("name") or item_id
        app.notify(str(shown), title=kind[:-1].capitalize(), timeout=8)


def open_link(app: PhaseOSApp, href: str, relative_to: Path) -> None:
    """Follow `href` (relative to the folder `relative_to`)."""
    from phase_tui.opener import CannotOpen, open_with_system

    if urlparse(href).scheme in ("http", "https", "mailto"):
        app.open_url(href)
        return
    path = (relative_to / href).resolve()
    found = _record_of(app, path)
    if found is not None:
        open_item(app, *found)
        return
    try:
        open_with_system(path)
    except CannotOpen as error:
        app.notify(str(error), severity="warning", timeout=6)


def _record_of(app: PhaseOSApp, path: Path) -> tuple[str, str] | None:
    """(kind, id) of the bounce or memo whose file `path` is."""
    for record in app.bounce_records():
        if app.bounce_path(record).resolve() == path:
            return "bounces", str(record["id"])
    from phase_tui.voice.memos import MEMOS

    for record in app.context.store.all(MEMOS):
        audio = Path(record["path"]).resolve()
        if path in (audio, audio.with_suffix(".md")):
            return MEMOS, str(record["id"])
    return None
