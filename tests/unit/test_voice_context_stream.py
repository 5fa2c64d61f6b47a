"""What a transcript's words do to the studio: tags on the memo and on their target, the
bookmark link, notes in the scratchpad, phase changes (without Whisper: the text is given)."""

from __future__ import annotations

from pathlib import Path

import pytest

from phase_tui.activity import EVENTS
from phase_tui.config.settings import MemoSettings
from phase_tui.context import StudioContext
from phase_tui.voice.context_stream import apply_spoken, default_focus
from phase_tui.voice.memos import MEMOS, new_memo
from tests.helpers import make_studio

SESSION = "amber-heron-7f3a"


@pytest.fixture
def context(tmp_path: Path) -> StudioContext:
    made = make_studio(tmp_path / "studio")
    made.store.insert("sessions", {"name": SESSION, "started_at": 0.0})
    return made


def log_bounce(context: StudioContext, name: str, at: float, session: str = SESSION) -> dict:
    bounce = context.store.insert("bounces", {"name": name, "tags": []})
    context.store.insert(
        EVENTS,
        {"type": "bounce", "at": at, "session": session, "bounce": bounce["id"], "name": name},
    )
    return bounce


def speak(context: StudioContext, text: str, focus: dict | None = None) -> tuple[list, dict]:
    path = context.studio.folder("memos") / "m.wav"
    memo = new_memo(context.store, path, session=SESSION, phase="oracle", at=0.0, focus=focus)
    memo = context.store.update(MEMOS, memo["id"], {"text": text})
    phases: list[str] = []
    done = apply_spoken(
        context.store,
        context.studio.root,
        memo,
        MemoSettings(),
        context.config.phase_names,
        phases.append,
        at=1_795_435_200.0,
    )
    return done + phases, context.store.get(MEMOS, memo["id"])


def test_tags_go_on_the_memo_and_the_focus(context: StudioContext) -> None:
    bounce = log_bounce(context, "memory-spike-v2", 10.0)
    focus = {"kind": "bounces", "id": bounce["id"], "name": "memory-spike-v2"}
    done, memo = speak(context, "Tag, Dark. Hashtag late-night!", focus)
    assert memo["tags"] == ["dark", "late-night"]
    assert context.store.get("bounces", bounce["id"])["tags"] == ["dark", "late-night"]
    assert done == ["tagged memory-spike-v2 #dark #late-night"]


def test_tag_last_bounce_and_tag_session_name_their_target(context: StudioContext) -> None:
    log_bounce(context, "older", 10.0)
    newest = log_bounce(context, "newest", 20.0, session="another-session")
    done, memo = speak(context, "Tag last bounce dark. Tag session warm.")
    assert context.store.get("bounces", newest["id"])["tags"] == ["dark"]
    (session,) = context.store.find("sessions", lambda r: r["name"] == SESSION)
    assert session["tags"] == ["warm"]
    assert memo["tags"] == ["dark", "warm"]
    assert done == ["tagged newest #dark", f"tagged {SESSION} #warm"]


def test_a_focus_that_vanished_leaves_the_tag_on_the_memo(context: StudioContext) -> None:
    done, memo = speak(context, "tag dark", {"kind": "bounces", "id": "gone", "name": "x"})
    assert memo["tags"] == ["dark"] and done == ["tagged the memo #dark"]


def test_bookmark_links_the_latest_bounce(context: StudioContext) -> None:
    assert speak(context, "Bookmark.")[0] == ["bookmark: no bounce logged yet"]
    bounce = log_bounce(context, "memory-spike", 30.0)
    done, memo = speak(context, "bookmark this")
    assert memo["bounce"] == bounce["id"] and done == ["bookmarked memory-spike"]


def test_notes_and_phases(context: StudioContext) -> None:
    done, _memo = speak(context, "Note: the kick is too muddy. Switch to remix.")
    pad = context.studio.root / "scratchpad" / f"{SESSION}.md"
    assert "the kick is too muddy" in pad.read_text()
    assert done == [
        f"noted in scratchpad/{SESSION}.md: the kick is too muddy",
        "phase remix",
        "remix",
    ]


def test_default_focus_is_the_sessions_latest_bounce_else_the_session(
    context: StudioContext,
) -> None:
    assert default_focus(context.store, SESSION)["kind"] == "sessions"
    log_bounce(context, "elsewhere", 50.0, session="other")
    assert default_focus(context.store, SESSION)["kind"] == "sessions"
    bounce = log_bounce(context, "mine", 40.0)
    assert default_focus(context.store, SESSION)["id"] == bounce["id"]
