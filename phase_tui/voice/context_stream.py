"""The context stream: what a memo's words do once it is transcribed.

`parse_spoken` (in `spoken_commands`) reads the transcript; `apply_spoken` carries the
actions out: every tag goes on the memo and on its target (the item in focus when the
memo started, the latest bounce, or the session), a note goes to the session's
scratchpad, a phase name switches the phase, "bookmark" links the memo to the latest
bounce. It returns one line per thing done, which the memo keeps and the app shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from phase_tui.activity import EVENTS
from phase_tui.config.settings import MemoSettings
from phase_tui.session.sessions import SESSIONS
from phase_tui.store import Record, Store
from phase_tui.tags import merge_tags
from phase_tui.voice.memos import MEMOS
from phase_tui.voice.scratchpad import append_note
from phase_tui.voice.spoken_commands import (
    BookmarkAction,
    NoteAction,
    PhaseAction,
    SpokenAction,
    SpokenWords,
    TagAction,
    parse_spoken,
)

Focus = dict[str, str]
"""An item tags can go on: {"kind": store kind, "id": record id, "name": shown name}."""


def spoken_words(settings: MemoSettings) -> SpokenWords:
    """The trigger words configured in `[memo]`."""
    return SpokenWords(
        tag=settings.tag_words,
        note=settings.note_words,
        phase=settings.phase_words,
        bookmark=settings.bookmark_words,
    )


def latest_bounce(events: Iterable[Mapping[str, Any]], session: str | None = None) -> Focus | None:
    """The bounce logged last (in `session` when given), as a focus."""
    bounces = [
        event
        for event in events
        if event.get("type") == "bounce"
        and event.get("bounce")
        and (session is None or event.get("session") == session)
    ]
    if not bounces:
        return None
    last = max(bounces, key=lambda event: float(event["at"]))
    return {"kind": "bounces", "id": str(last["bounce"]), "name": str(last.get("name", ""))}


def session_focus(store: Store, session: str) -> Focus | None:
    """The session named `session`, as a focus."""
    found = store.find(SESSIONS, lambda record: record.get("name") == session)
    return {"kind": SESSIONS, "id": found[-1]["id"], "name": session} if found else None


def default_focus(store: Store, session: str) -> Focus | None:
    """What a memo's tags go on when no item is selected: the session's latest bounce,
    else the session itself."""
    return latest_bounce(store.all(EVENTS), session) or session_focus(store, session)


def apply_spoken(
    store: Store,
    studio_root: Path,
    memo: Record,
    settings: MemoSettings,
    phases: Sequence[str],
    switch_phase: Callable[[str], None],
    at: float,
) -> list[str]:
    """Carry out the actions the memo's transcript speaks; the lines say what was done."""
    text = str(memo.get("text", ""))
    actions = parse_spoken(text, spoken_words(settings), phases)
    done: list[str] = []
    tags = [action for action in actions if isinstance(action, TagAction)]
    if tags:
        done += _tag(store, memo, tags)
    for action in actions:
        done += _act(store, studio_root, memo, action, switch_phase, at)
    return done


def _tag(store: Store, memo: Record, actions: list[TagAction]) -> list[str]:
    """Every tag on the memo, and on its target."""
    every = _names(actions)
    store.modify(MEMOS, memo["id"], lambda found: {"tags": merge_tags(found["tags"], every)})
    targets: dict[str, Focus | None] = {
        "focus": memo.get("focus"),
        "last_bounce": latest_bounce(store.all(EVENTS)),
        "session": session_focus(store, str(memo.get("session"))),
    }
    done = []
    for target_name, target in targets.items():
        names = _names(a for a in actions if a.target == target_name)
        if not names:
            continue
        if target is None or not _add_tags(store, target, names):
            done.append(f"tagged the memo {_hashed(names)}")
            continue
        done.append(f"tagged {target.get('name') or target['kind']} {_hashed(names)}")
    return done


def _act(
    store: Store,
    studio_root: Path,
    memo: Record,
    action: SpokenAction,
    switch_phase: Callable[[str], None],
    at: float,
) -> list[str]:
    if isinstance(action, NoteAction):
        path = append_note(
            studio_root, str(memo.get("session")), action.text, at, source=str(memo["name"])
        )
        return [f"noted in {path.parent.name}/{path.name}: {action.text}"]
    if isinstance(action, PhaseAction):
        switch_phase(action.phase)
        return [f"phase {action.phase}"]
    if isinstance(action, BookmarkAction):
        bounce = latest_bounce(store.all(EVENTS))
        if bounce is None:
            return ["bookmark: no bounce logged yet"]
        store.update(MEMOS, memo["id"], {"bounce": bounce["id"]})
        return [f"bookmarked {bounce['name']}"]
    return []


def _names(actions: Iterable[TagAction]) -> list[str]:
    return merge_tags((), (action.tag for action in actions))


def _hashed(names: Iterable[str]) -> str:
    return " ".join(f"#{name}" for name in names)


def _add_tags(store: Store, target: Focus, names: list[str]) -> bool:
    """Add tags to an item of any kind; False when it no longer exists."""
    try:
        store.modify(
            target["kind"],
            target["id"],
            lambda found: {"tags": merge_tags(found.get("tags") or (), names)},
        )
    except KeyError:
        return False
    return True
