"""Form map versions: every saved map is a version, in the Store and as a file in `forms/`.

- A version is named by the map's content hash (the music only) and the time it was saved,
  with the session and phase it was saved in. Saving a map whose content a version of the
  same track already has makes nothing new: `save` returns that version.
- The Store record (kind `forms`) holds the whole map and is what `history` reads; the JSON
  file `forms/<track-slug>/<UTC date>T<HHMM>-<hash8>.json` is the human copy, so a
  hand-edited or corrupt file never breaks the history.
- Refs (`get`): a record id, a unique prefix (>= 6 hex chars) of a content hash,
  `track@N` (the N-th version of the track, 1-based) or `track@latest`.
- The active map is one record of kind `builder_state` with the fixed id `active-form`
  holding `version_id`; synced like any record, the newest write wins.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from phase_tui.atomic import atomic_write_text
from phase_tui.builder.form_map import FormMap
from phase_tui.ids import new_id
from phase_tui.session.sessions import SESSIONS
from phase_tui.store import Record, Store

FORMS = "forms"  # Store kind, and the studio folder of the files
STATE = "builder_state"  # Store kind of the builder's small state records
ACTIVE_ID = "active-form"
MIN_PREFIX = 6
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FormVersion:
    """One saved version of a track's form map."""

    id: str
    track: str
    content_hash: str
    saved_at: float
    session: str | None
    phase: str | None
    path: str  # studio-relative, inside forms/
    form: FormMap


def track_slug(track: str) -> str:
    """A safe folder name from a user's track name: lowercase letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", track.lower()).strip("-")[:60].strip("-")
    return slug or "untitled"


class FormVersions:
    """The versions of every track's form maps in a studio (Store + `forms/` files)."""

    def __init__(self, store: Store, root: Path) -> None:
        """Versions kept in `store`, files under `root / forms`; `root` is the studio."""
        self.store = store
        self.root = root
        self._lock = threading.Lock()

    def save(
        self, form: FormMap, *, session: str | None, phase: str | None, now: float
    ) -> tuple[FormVersion, bool]:
        """Save `form` as a version; (version, created). Identical content -> the existing one."""
        content_hash = form.content_hash()
        with self._lock:
            for version in self.history(form.track):
                if version.content_hash == content_hash:
                    return version, False
            stamp = time.strftime("%Y-%m-%dT%H%M", time.gmtime(now))
            relative = f"{FORMS}/{track_slug(form.track)}/{stamp}-{content_hash[:8]}.json"
            if (self.root / relative).exists():  # another track with the same slug and hash8
                relative = relative.replace(content_hash[:8], content_hash)
            path = self.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, json.dumps(form.to_json(), indent=2, sort_keys=True) + "\n")
            record = self.store.insert(
                FORMS,
                {
                    "id": new_id(now),
                    "track": form.track,
                    "content_hash": content_hash,
                    "saved_at": now,
                    "session": session,
                    "phase": phase,
                    "path": relative,
                    "form": form.to_json(),
                },
            )
        version = FormVersion(
            str(record["id"]), form.track, content_hash, now, session, phase, relative, form
        )
        return version, True

    def history(self, track: str) -> list[FormVersion]:
        """The versions of one track, oldest first."""
        return [v for v in self._all() if v.track == track]

    def tracks(self) -> list[str]:
        """Every track with at least one version, sorted."""
        return sorted({version.track for version in self._all()})

    def get(self, ref: str) -> FormVersion | None:
        """A version by id, unique content-hash prefix, `track@N` or `track@latest`."""
        found = [v for v in self._all() if v.id == ref]
        if found:
            return found[0]
        track, at, number = ref.rpartition("@")
        if at:
            history = self.history(track)
            if number == "latest":
                return history[-1] if history else None
            if number.isdigit() and 1 <= int(number) <= len(history):
                return history[int(number) - 1]
            return None
        prefix = ref.lower()
        if len(prefix) < MIN_PREFIX or not re.fullmatch(r"[0-9a-f]+", prefix):
            return None
        found = [v for v in self._all() if v.content_hash.startswith(prefix)]
        return found[0] if len({v.content_hash for v in found}) == 1 else None

    def activate(self, version_id: str) -> None:
        """Make a version the active map (a bounce logged while it is active links to it)."""
        if self.get(version_id) is None:
            raise KeyError(f"no form version {version_id}")
        if self.store.get(STATE, ACTIVE_ID) is None:
            self.store.insert(STATE, {"id": ACTIVE_ID, "version_id": version_id})
        else:
            self.store.update(STATE, ACTIVE_ID, {"version_id": version_id})

    def active(self) -> FormVersion | None:
        """The active map, or None when none was activated (or its version is gone)."""
        state = self.store.get(STATE, ACTIVE_ID)
        return self.get(str(state["version_id"])) if state else None

    def since_session(
        self, track: str, session: str
    ) -> tuple[FormVersion | None, FormVersion | None]:
        """(the last version saved before `session` began or None, the newest version).

        A session begins at its record's `started_at` (matched by name or id); a session
        with no record began at its first saved version; an unknown one has not begun yet.
        """
        history = self.history(track)
        starts = [
            float(s["started_at"])
            for s in self.store.all(SESSIONS)
            if session in (s.get("name"), s.get("id"))
        ]
        starts += [v.saved_at for v in history if v.session == session]
        began = min(starts, default=float("inf"))
        before = [v for v in history if v.saved_at < began]
        return (before[-1] if before else None), (history[-1] if history else None)

    def _all(self) -> list[FormVersion]:
        versions = [v for v in map(_version, self.store.all(FORMS)) if v is not None]
        return sorted(versions, key=lambda v: (v.saved_at, v.id))


def _version(record: Record) -> FormVersion | None:
    """The version a Store record holds, or None (logged) when its map is unreadable."""
    try:
        form = FormMap.from_json(record["form"])
        return FormVersion(
            id=str(record["id"]),
            track=str(record["track"]),
            content_hash=str(record["content_hash"]),
            saved_at=float(record["saved_at"]),
            session=record.get("session"),
            phase=record.get("phase"),
            path=str(record.get("path", "")),
            form=form,
        )
    except (KeyError, TypeError, ValueError) as error:
        log.warning("form version %s is unreadable, skipped: %s", record.get("id"), error)
        return None
