"""The digest scheduler: catching up missed weeks once, drafts completed later, forced
rewrites, and mailing with failures recorded and retried, the file never touched."""

from __future__ import annotations

import dataclasses
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from phase_tui.activity import log_event
from phase_tui.config.settings import DigestSettings, MailSettings
from phase_tui.context import StudioContext
from phase_tui.loop.digest_scheduler import DigestScheduler
from phase_tui.loop.digest_week import week_ending
from phase_tui.loop.mailer import MailError
from tests.helpers import make_studio
from tests.unit.test_digest import SEED, WEEK, seed_week

HOUR = 3600.0


class FakeMailer:
    """Records what it sends; fails with `error` while one is set."""

    def __init__(self) -> None:
        self.sent: list[tuple[MailSettings, str, str]] = []
        self.error: str | None = None

    def __call__(self, settings: MailSettings, subject: str, text: str) -> None:
        if self.error:
            raise MailError(self.error)
        self.sent.append((settings, subject, text))


class Clock:
    """A settable clock."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def context(tmp_path: Path) -> StudioContext:
    return make_studio(tmp_path / "studio")


def mailing(context: StudioContext) -> None:
    """Turn `[digest] mail` on, with a `[mail]` server."""
    context.config = dataclasses.replace(
        context.config,
        digest=DigestSettings(mail=True),
        mail=MailSettings(host="mail.example.org", sender="studio@example.org", to=("me@x.org",)),
    )


def after(week_end: date, hours: float = 1.0) -> float:
    """`hours` after the end of the week ending `week_end`."""
    return week_ending(week_end)[1] + hours * HOUR


def test_nothing_is_due_in_a_studio_without_events(context: StudioContext) -> None:
    assert DigestScheduler(context).due(after(WEEK)) == []


def test_due_weeks_start_at_the_first_journal_event(context: StudioContext) -> None:
    start, _ = week_ending(WEEK - timedelta(days=14))
    log_event(context.store, "app_start", session="s", phase=None, at=start + 5 * HOUR)
    # a bounce caught up from an old file does not make the studio older
    log_event(context.store, "bounce", session="s", phase=None, at=start - 400 * 24 * HOUR,
              bounce="b", name="old.wav", path="bounces/old.wav", caught_up=True)  # fmt: skip
    scheduler = DigestScheduler(context)
    assert scheduler.due(after(WEEK)) == [WEEK - timedelta(days=14), WEEK - timedelta(days=7), WEEK]
    assert scheduler.due(after(WEEK) - 2 * HOUR) == [
        WEEK - timedelta(days=14),
        WEEK - timedelta(days=7),
    ]


def test_catch_up_after_three_weeks_writes_three_digests_once(context: StudioContext) -> None:
    first = WEEK - timedelta(days=21)
    seed_week(context.store)
    clock = Clock(after(first))
    scheduler = DigestScheduler(context, clock=clock)
    log_event(context.store, "app_start", session="s", phase=None, at=week_ending(first)[0])
    assert [r["week"] for r in scheduler.run()] == [first.isoformat()]

    clock.now = after(WEEK, 30)  # three weeks later
    written = scheduler.run()
    assert [r["week"] for r in written] == ["2025-05-18", "2025-05-25", "2025-06-01"]
    assert all(r["complete"] and r["mail"] is None for r in written)
    digests = context.studio.root / "digests"
    assert sorted(p.name for p in digests.iterdir()) == [
        "2025-05-11.md",
        "2025-05-18.md",
        "2025-05-25.md",
        "2025-06-01.md",
    ]
    text = (digests / "2025-06-01.md").read_text(encoding="utf-8")
    assert text.startswith(SEED)
    record = context.store.get("digests", "digest-2025-06-01")
    assert record is not None
    assert record["path"] == "digests/2025-06-01.md"
    assert (record["start"], record["end"]) == week_ending(WEEK)
    assert record["written_at"] == clock.now

    stamp = (digests / "2025-06-01.md").stat().st_mtime_ns
    clock.now += HOUR
    assert scheduler.due() == []
    assert scheduler.run() == []
    assert scheduler.write(WEEK)["written_at"] == record["written_at"]  # complete: kept
    assert (digests / "2025-06-01.md").stat().st_mtime_ns == stamp

    rewritten = scheduler.write(WEEK, force=True)
    assert rewritten["written_at"] == clock.now
    assert context.store.count("digests") == 4


def test_a_draft_is_completed_once_its_week_is_over(context: StudioContext) -> None:
    start, end = week_ending(WEEK)
    log_event(context.store, "app_start", session="s", phase=None, at=start + HOUR)
    clock = Clock(start + 30 * HOUR)
    scheduler = DigestScheduler(context, clock=clock)
    draft = scheduler.write(WEEK)
    assert draft["complete"] is False
    assert scheduler.due() == []
    path = context.studio.root / draft["path"]
    assert "No new bounces" in path.read_text(encoding="utf-8")

    seed_week(context.store)  # the rest of the week happens
    clock.now = end + 10
    assert scheduler.due() == [WEEK]
    [completed] = scheduler.run()
    assert completed["complete"] is True and completed["id"] == draft["id"]
    assert path.read_text(encoding="utf-8").startswith(SEED)
    assert context.store.count("digests") == 1


def test_a_mailed_digest_records_its_success(context: StudioContext) -> None:
    mailing(context)
    seed_week(context.store)
    mailer = FakeMailer()
    clock = Clock(after(WEEK))
    scheduler = DigestScheduler(context, clock=clock, send=mailer)
    [record] = scheduler.run()
    assert record["mail"] == {"sent_at": clock.now, "error": None, "tries": 1}
    [(settings, subject, text)] = mailer.sent
    assert settings.host == "mail.example.org"
    assert subject == "Weekly Loop Digest — 2025-06-01"
    assert text == (context.studio.root / record["path"]).read_text(encoding="utf-8")
    assert scheduler.retry_unsent() == []


def test_a_draft_is_not_mailed(context: StudioContext) -> None:
    mailing(context)
    mailer = FakeMailer()
    scheduler = DigestScheduler(context, clock=Clock(after(WEEK, -5)), send=mailer)
    assert scheduler.write(WEEK)["mail"] is None
    assert mailer.sent == []


def test_a_failed_mail_is_recorded_and_retried_with_the_file_untouched(
    context: StudioContext,
) -> None:
    mailing(context)
    seed_week(context.store)
    mailer = FakeMailer()
    mailer.error = "The mail server mail.example.org refused the login: check the username."
    clock = Clock(after(WEEK))
    scheduler = DigestScheduler(context, clock=clock, send=mailer)
    [record] = scheduler.run()
    assert record["complete"] is True
    assert record["mail"] == {"sent_at": None, "error": mailer.error, "tries": 1}
    path = context.studio.root / record["path"]
    text, stamp = path.read_text(encoding="utf-8"), path.stat().st_mtime_ns
    assert text.startswith(SEED)

    clock.now += HOUR
    [again] = scheduler.retry_unsent()
    assert again["mail"] == {"sent_at": None, "error": mailer.error, "tries": 2}

    mailer.error = None
    clock.now += HOUR
    assert scheduler.due() == []  # a failed mail never makes the week due again
    [sent] = scheduler.retry_unsent()
    assert sent["mail"] == {"sent_at": clock.now, "error": None, "tries": 3}
    assert mailer.sent[0][2] == text
    assert path.read_text(encoding="utf-8") == text and path.stat().st_mtime_ns == stamp
    assert sent["written_at"] == record["written_at"]
    assert scheduler.retry_unsent() == []


def test_catch_up_retries_then_writes_and_names_what_was_not_mailed(
    context: StudioContext,
) -> None:
    mailing(context)
    seed_week(context.store)
    mailer = FakeMailer()
    mailer.error = "The mail server mail.example.org refused the login: check the username."
    clock = Clock(after(WEEK))
    scheduler = DigestScheduler(context, clock=clock, send=mailer)
    written, unsent = scheduler.catch_up()
    assert [r["week"] for r in written] == [WEEK.isoformat()] and unsent == written

    mailer.error = None
    clock.now += HOUR
    assert scheduler.catch_up() == ([], [])  # nothing due, and no retry unless asked
    written, unsent = scheduler.catch_up(retry_mail=True)
    assert (written, unsent) == ([], []) and len(mailer.sent) == 1

    context.config = dataclasses.replace(
        context.config, digest=dataclasses.replace(context.config.digest, auto=False)
    )
    clock.now = after(WEEK + timedelta(days=7))
    assert scheduler.catch_up() == ([], [])  # [digest] auto off: written only when asked


def test_an_unexpected_send_error_is_recorded_too(context: StudioContext) -> None:
    mailing(context)

    def broken(settings: MailSettings, subject: str, text: str) -> None:
        raise RuntimeError("boom")

    scheduler = DigestScheduler(context, clock=Clock(after(WEEK)), send=broken)
    record = scheduler.write(WEEK)
    assert record["mail"]["sent_at"] is None
    assert "boom" in record["mail"]["error"]
    assert (context.studio.root / record["path"]).exists()


@pytest.mark.parametrize(
    ("zone", "week_end", "hours"),
    [
        ("Europe/Berlin", date(2025, 3, 30), 167),
        ("Europe/Berlin", date(2025, 10, 26), 169),
        ("America/New_York", date(2025, 3, 9), 167),
        ("America/New_York", date(2025, 11, 2), 169),
    ],
)
def test_a_dst_week_is_written_with_its_local_bounds(
    context: StudioContext, monkeypatch: pytest.MonkeyPatch, zone: str, week_end: date, hours: int
) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        start, end = week_ending(week_end)
        log_event(context.store, "app_start", session="s", phase=None, at=start)
        seed_week(context.store, week_end)
        scheduler = DigestScheduler(context, clock=Clock(end + 1))
        assert scheduler.due(end - 1) == []
        assert scheduler.due(end) == [week_end]
        [record] = scheduler.run()
        assert record["week"] == week_end.isoformat()
        assert record["end"] - record["start"] == hours * HOUR
        text = (context.studio.root / record["path"]).read_text(encoding="utf-8")
        assert text.startswith(SEED.replace("2025-06-01", week_end.isoformat()))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
