"""Memo records in the Store, their files in `memos/`, and what happens to them over time.

A memo's record is written before its audio: `status` "recording" while the microphone
runs, then "pending" (audio kept, no transcript yet), "transcribing", "done" or "failed".
A record still "recording" when no recorder of this machine runs is the trace of a crash:
`recover_unfinished` repairs its WAV and makes it pending, so nothing said is lost.
The transcript is kept twice: in the record and as Markdown beside the audio.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from phase_tui.atomic import atomic_write_text
from phase_tui.formatting import format_clock
from phase_tui.store import Record, Store

log = logging.getLogger(__name__)

MEMOS = "memos"
TRASH = "trash"


def memo_audio_path(memos_dir: Path, at: float) -> Path:
    """A new, unused file name for a memo started at `at`: `memos/2026-11-23_2342-05.wav`."""
    stem = time.strftime("%Y-%m-%d_%H%M-%S", time.localtime(at))
    path = memos_dir / f"{stem}.wav"
    serial = 2
    while path.exists():
        path = memos_dir / f"{stem}-{serial}.wav"
        serial += 1
    return path


def memo_title(record: Mapping[str, Any]) -> str:
    """How a memo is named to the user: `memo 23:42 · 0:12`."""
    started = time.strftime("%H:%M", time.localtime(float(record.get("started_at", 0))))
    duration = record.get("duration_s")
    return f"memo {started}" + (f" · {format_clock(duration)}" if duration else "")


def new_memo(
    store: Store,
    path: Path,
    *,
    session: str,
    phase: str,
    at: float,
    focus: Mapping[str, str] | None,
) -> Record:
    """The record of a memo starting now (status "recording"), written before any audio."""
    return store.insert(
        MEMOS,
        {
            "path": str(path),
            "name": path.stem,
            "started_at": at,
            "status": "recording",
            "session": session,
            "phase": phase,
            "focus": dict(focus) if focus else None,
            "tags": [],
        },
    )


def set_memo(store: Store, memo_id: str, **fields: Any) -> Record:
    """Change fields of a memo record."""
    return store.update(MEMOS, memo_id, fields)


def memos_with_status(store: Store, *statuses: str) -> list[Record]:
    """This studio's memos in any of `statuses`, oldest first."""
    return store.find(MEMOS, lambda record: record.get("status") in statuses)


def find_memo(store: Store, ref: str) -> Record | None:
    """A memo by id, the start or end of its id (`memo ls` shows the last 8 characters,
    any case) or its file name stem; the newest when several match."""
    wanted = ref.strip()
    found = store.get(MEMOS, wanted)
    if found is not None or not wanted:
        return found
    upper = wanted.upper()
    matches = [
        record
        for record in store.all(MEMOS)
        if record["id"].startswith(upper)
        or record["id"].endswith(upper)
        or record.get("name") == wanted
    ]
    return matches[-1] if matches else None


def recover_unfinished(store: Store, recording_now: str | None = None) -> list[Record]:
    """Repair the memos a crash left "recording" (this machine's, except `recording_now`).

    The WAV's header is patched to the audio on disk (a kill loses at most the last second)
    and the memo becomes pending; a memo whose audio is gone or unusable becomes failed.
    """
    recovered = []
    for record in memos_with_status(store, "recording"):
        if record["id"] == recording_now or record.get("machine") != store.machine:
            continue
        import soundfile  # only now: an app start with nothing to repair stays light

        from phase_tui.audio.errors import UnreadableAudio
        from phase_tui.voice.wav_repair import repair_wav

        path = Path(record["path"])
        try:
            frames = repair_wav(path)
            info = soundfile.info(str(path))
        except (UnreadableAudio, OSError, RuntimeError) as error:
            log.warning("memo %s could not be repaired: %s", path, error)
            recovered.append(
                set_memo(store, record["id"], status="failed", error=f"audio lost: {error}")
            )
            continue
        recovered.append(
            set_memo(
                store,
                record["id"],
                status="pending",
                duration_s=frames / info.samplerate if info.samplerate else 0.0,
                sample_rate=info.samplerate,
                recovered=True,
            )
        )
    return recovered


def transcript_path(record: Mapping[str, Any]) -> Path:
    """The Markdown transcript beside a memo's audio."""
    return Path(record["path"]).with_suffix(".md")


def transcript_markdown(record: Mapping[str, Any]) -> str:
    """The transcript of a memo as Markdown: when, how long, tags, then timed segments."""
    started = time.strftime("%Y-%m-%d %H:%M", time.localtime(float(record["started_at"])))
    transcript = record.get("transcript") or {}
    lines = [
        f"# Memo {started}",
        "",
        f"- audio: `{Path(record['path']).name}` ({format_clock(record.get('duration_s'))})",
        f"- session: {record.get('session')} · phase: {record.get('phase')}",
    ]
    if record.get("tags"):
        lines.append("- tags: " + " ".join(f"#{tag}" for tag in record["tags"]))
    if transcript:
        lines.append(
            f"- transcribed by {transcript.get('backend')} {transcript.get('model')} "
            f"({transcript.get('language') or '?'})"
        )
    lines.append("")
    for segment in transcript.get("segments", ()):
        stamp = format_clock(float(segment["start_s"]))
        lines.append(f"[{stamp}] {str(segment['text']).strip()}  ")
    return "\n".join(lines).rstrip() + "\n"


def write_transcript_file(record: Mapping[str, Any]) -> Path:
    """Write (atomically) the Markdown transcript beside the memo's audio."""
    path = transcript_path(record)
    atomic_write_text(path, transcript_markdown(record))
    return path


def trash_memo(store: Store, studio_root: Path, record: Mapping[str, Any]) -> Path:
    """Move a memo's audio and transcript into `trash/memos/` and delete its record.

    Returns the trash folder; files already gone are skipped. Nothing is ever unlinked.
    """
    folder = studio_root / TRASH / MEMOS
    folder.mkdir(parents=True, exist_ok=True)
    for path in (Path(record["path"]), transcript_path(record)):
        if path.exists():
            target = folder / path.name
            if target.exists():
                target = folder / f"{path.stem}-{record['id'][-6:]}{path.suffix}"
            os.replace(path, target)
    store.delete(MEMOS, str(record["id"]))
    return folder
