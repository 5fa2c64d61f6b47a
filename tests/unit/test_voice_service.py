"""The memo service end to end, with a stand-in microphone and the real faster-whisper
tiny.en model: record, stop, transcribe, and what the words do (tags on the memo and the
item in focus, a scratchpad note, a phase change); a crash's memo repaired; missing model,
unreadable audio and no microphone as messages with the audio kept."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from phase_tui.activity import EVENTS, describe
from phase_tui.events import Event, MemoChanged, Notice
from phase_tui.voice.memos import MEMOS, new_memo
from phase_tui.voice.microphone import MicUnavailable
from phase_tui.voice.service import MemoService
from tests.helpers import make_studio, wait_until
from tests.voice_fakes import NoMicrophone, SpeechRecorder, copy_speech, tiny_checkpoint

QUIET = "[memo]\ncue = false\n"
TRANSCRIBE_TIMEOUT_S = 120


def words(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


class Harness:
    """A studio, a service with a stand-in microphone, and what it reported."""

    def __init__(self, root: Path, config: str = QUIET) -> None:
        self.context = make_studio(root, config)
        self.events: list[Event] = []
        self.phases: list[str] = []
        self.focus: dict[str, str] | None = None
        self.service = MemoService(
            self.context,
            self.events.append,
            session=lambda: "amber-heron-7f3a",
            phase=lambda: "oracle",
            switch_phase=self.phases.append,
            focus=lambda: self.focus,
        )
        self.service.make_recorder = SpeechRecorder

    def memo(self, memo_id: str) -> dict:
        found = self.context.store.get(MEMOS, memo_id)
        assert found is not None
        return found

    def reported(self, what: str) -> list[MemoChanged]:
        return [e for e in self.events if isinstance(e, MemoChanged) and e.what == what]

    def notices(self) -> list[str]:
        return [e.text for e in self.events if isinstance(e, Notice)]


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    made = Harness(tmp_path / "studio")
    yield made
    made.service.shutdown()


def test_a_memo_is_recorded_transcribed_and_its_words_act(harness: Harness) -> None:
    bounce = harness.context.store.insert("bounces", {"name": "memory-spike-v2", "tags": []})
    harness.focus = {"kind": "bounces", "id": bounce["id"], "name": bounce["name"]}

    started = harness.service.start()
    assert started["status"] == "recording" and harness.service.recording == started
    assert harness.service.start()["id"] == started["id"]  # push-to-talk: start twice
    stopped = harness.service.stop()
    assert stopped["status"] == "pending" and stopped["duration_s"] > 3
    assert [e["type"] for e in harness.context.store.all(EVENTS)].count("memo") == 1
    harness.service.worker.join(TRANSCRIBE_TIMEOUT_S)

    memo = harness.memo(started["id"])
    assert memo["status"] == "done", memo.get("error")
    assert "tag dark" in words(memo["text"]) and "kick" in words(memo["text"])
    assert "dark" in memo["tags"]
    assert harness.context.store.get("bounces", bounce["id"])["tags"] == ["dark"]
    assert harness.phases == ["builder"]
    scratchpad = harness.context.studio.root / "scratchpad" / "amber-heron-7f3a.md"
    assert "kick" in scratchpad.read_text().lower()
    segments = memo["transcript"]["segments"]
    assert segments and all(s["start_s"] <= s["end_s"] <= memo["duration_s"] + 1 for s in segments)
    markdown = Path(memo["path"]).with_suffix(".md").read_text()
    assert "[0:00]" in markdown and "#dark" in markdown
    (transcribed,) = harness.reported("transcribed")
    assert "tagged memory-spike-v2 #dark" in transcribed.done
    assert any(line.startswith("noted in scratchpad/") for line in transcribed.done)
    assert "phase builder" in transcribed.done
    journal = [e for e in harness.context.store.all(EVENTS) if e["type"].startswith("memo")]
    assert [describe(e) for e in journal][0] == "memo recorded (0:07)"
    assert describe(journal[1]).lower().startswith("memo: “note, the kick")


def test_with_nothing_selected_tags_go_on_the_session_latest_bounce(harness: Harness) -> None:
    store = harness.context.store
    bounce = store.insert("bounces", {"name": "late-night", "tags": []})
    store.insert(
        EVENTS,
        {"type": "bounce", "at": 5.0, "session": "amber-heron-7f3a", "bounce": bounce["id"]},
    )
    memo = harness.service.start()
    assert memo["focus"]["id"] == bounce["id"]


def test_a_missing_model_keeps_the_memos_pending_and_says_so_once(tmp_path: Path) -> None:
    harness = Harness(tmp_path / "studio", QUIET + 'model = "no-such-model"\n')
    first = harness.service.start()
    harness.service.stop()
    second = harness.service.start()
    harness.service.stop()
    harness.service.worker.join(30)
    for memo_id in (first["id"], second["id"]):
        memo = harness.memo(memo_id)
        assert memo["status"] == "pending"
        assert "no-such-model" in memo["error"]
        assert Path(memo["path"]).stat().st_size > 1000  # the audio is kept
    (notice,) = harness.notices()
    assert "no-such-model" in notice and "transcribe --pending" in notice
    harness.service.shutdown()


def test_unreadable_audio_fails_the_memo_with_a_reason(harness: Harness) -> None:
    path = harness.context.studio.folder("memos") / "broken.wav"
    path.write_bytes(b"not a wav at all" * 100)
    memo = new_memo(harness.context.store, path, session="s", phase="oracle", at=1.0, focus=None)
    harness.context.store.update(MEMOS, memo["id"], {"status": "pending"})
    harness.service.transcribe(memo["id"])
    harness.service.worker.join(30)
    failed = harness.memo(memo["id"])
    assert failed["status"] == "failed" and "unreadable" in failed["error"]
    assert path.exists()


def test_no_microphone_is_a_message_and_leaves_nothing(harness: Harness) -> None:
    harness.service.make_recorder = NoMicrophone
    with pytest.raises(MicUnavailable, match="No microphone"):
        harness.service.start()
    assert harness.context.store.all(MEMOS) == []
    assert list(harness.context.studio.folder("memos").iterdir()) == []
    assert harness.service.recording is None
    with pytest.raises(LookupError):
        harness.service.stop()


def test_a_memo_cut_by_a_crash_is_repaired_and_transcribed(harness: Harness) -> None:
    path = copy_speech(harness.context.studio.folder("memos") / "crashed.wav")
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 4, 0)  # the sizes a killed recorder may leave
    struct.pack_into("<I", data, 40, 0)
    path.write_bytes(bytes(data))
    memo = new_memo(
        harness.context.store, path, session="amber-heron-7f3a", phase="oracle", at=1.0, focus=None
    )
    (repaired,) = harness.service.recover()
    assert repaired["id"] == memo["id"] and repaired["status"] == "pending"
    assert repaired["duration_s"] > 3
    assert any("repaired" in text for text in harness.notices())
    harness.service.worker.join(TRANSCRIBE_TIMEOUT_S)
    assert "dark" in harness.memo(memo["id"])["tags"]


def test_delete_moves_the_files_to_the_trash(harness: Harness) -> None:
    memo = harness.service.start()
    harness.service.stop()
    harness.service.worker.join(TRANSCRIBE_TIMEOUT_S)
    folder = harness.service.delete(memo["id"])
    assert folder == harness.context.studio.root / "trash" / "memos"
    assert sorted(p.suffix for p in folder.iterdir()) == [".md", ".wav"]
    assert harness.context.store.get(MEMOS, memo["id"]) is None


def test_shutting_down_mid_memo_keeps_it_pending(harness: Harness) -> None:
    memo = harness.service.start()
    harness.service.shutdown()
    assert harness.memo(memo["id"])["status"] == "pending"


def test_set_tags_normalises_and_rewrites_the_transcript(harness: Harness) -> None:
    memo = harness.service.start()
    harness.service.stop()
    harness.service.worker.join(TRANSCRIBE_TIMEOUT_S)
    harness.service.set_tags(memo["id"], ["#Late Night", "dark", "DARK"])
    assert harness.memo(memo["id"])["tags"] == ["late-night", "dark"]
    assert "#late-night #dark" in Path(memo["path"]).with_suffix(".md").read_text()


def test_openai_whisper_output_flows_through_the_same_pipeline(tmp_path: Path) -> None:
    checkpoint = tiny_checkpoint(tmp_path / "tiny-random.pt")  # random weights: any words
    harness = Harness(
        tmp_path / "studio",
        QUIET + f'backend = "openai-whisper"\nmodel = "{checkpoint}"\nlanguage = "en"\n',
    )
    memo = harness.service.start()
    harness.service.stop()
    harness.service.worker.join(TRANSCRIBE_TIMEOUT_S)
    done = harness.memo(memo["id"])
    assert done["status"] == "done", done.get("error")
    assert done["transcript"]["backend"] == "openai-whisper"
    assert done["transcript"]["model"] == str(checkpoint)
    assert Path(done["path"]).with_suffix(".md").exists()
    assert harness.reported("transcribed")
    harness.service.shutdown()


def test_silence_stops_the_memo_and_keeps_it(harness: Harness) -> None:
    made: list[SpeechRecorder] = []

    def recorder(**settings: object) -> SpeechRecorder:
        made.append(SpeechRecorder(**settings))
        return made[-1]

    harness.service.make_recorder = recorder
    memo = harness.service.start()
    made[0].settings["on_silence"]()  # what the recorder calls, from its writer thread
    assert wait_until(lambda: harness.memo(memo["id"])["status"] != "recording")
    assert harness.service.recording is None and harness.reported("stopped")
