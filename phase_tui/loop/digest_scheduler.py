"""Writing the weekly digests: catching up missed weeks, drafts, and mailing them.

Each written digest has a Store record of kind `digests` with the fixed id `digest-DATE`
(so two synced machines share one record per week): `week`, `path` (studio-relative),
`start`, `end`, `written_at`, `complete` (False for a draft of a week not yet over) and
`mail` (None when not mailed, else `sent_at`, `error`, `tries`). A complete digest is
never written again unless forced; a draft is completed once its week is over. Only a
complete digest is mailed; a failed send keeps the file as written and is retried by
`retry_unsent`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, timedelta

from phase_tui.activity import EVENTS
from phase_tui.atomic import atomic_write_text
from phase_tui.config.settings import MailSettings
from phase_tui.context import StudioContext
from phase_tui.loop.digest import DIGESTS, digest_markdown, gather_week
from phase_tui.loop.digest_week import (
    last_complete_week_end,
    week_end_for,
    week_end_on_or_after,
    week_ending,
    week_ends,
)
from phase_tui.store import Record

log = logging.getLogger(__name__)

SendMail = Callable[[MailSettings, str, str], object]


def digest_id(week_end: date) -> str:
    """The Store id of a week's digest record."""
    return f"digest-{week_end.isoformat()}"


def digest_subject(week_end: date) -> str:
    """The subject of a digest's mail."""
    return f"Weekly Loop Digest — {week_end.isoformat()}"


class DigestScheduler:
    """Writes, completes and mails the digests of one studio."""

    def __init__(
        self,
        context: StudioContext,
        clock: Callable[[], float] = time.time,
        send: SendMail | None = None,
    ) -> None:
        """`send(settings, subject, markdown)` mails a digest (default: the SMTP mailer)."""
        self.context = context
        self.clock = clock
        self._send = send

    @property
    def day(self) -> str:
        return self.context.config.digest.day

    def records(self) -> list[Record]:
        """Every digest record, oldest week first."""
        return sorted(self.context.store.all(DIGESTS), key=lambda record: record["week"])

    def due(self, now: float | None = None) -> list[date]:
        """Weeks over at `now` that have no complete digest, from the week of the studio's
        first journal event (or the week after the newest complete digest) onwards."""
        now = self.clock() if now is None else now
        complete = {r["week"] for r in self.records() if r.get("complete")}
        if complete:
            newest = date.fromisoformat(max(complete))
            first = week_end_on_or_after(newest + timedelta(days=1), self.day)
        else:
            began = self._first_event_at()
            if began is None:
                return []
            first = week_end_for(began, self.day)
        last = last_complete_week_end(now, self.day)
        return [week for week in week_ends(first, last) if week.isoformat() not in complete]

    def run(self, now: float | None = None) -> list[Record]:
        """Write every due week's digest; the records written, oldest first."""
        now = self.clock() if now is None else now
        return [self.write(week, now=now) for week in self.due(now)]

    def write(self, week_end: date, force: bool = False, now: float | None = None) -> Record:
        """Write the digest of the week ending `week_end` (a draft while the week runs at
        `now`) and mail it when complete and `[digest] mail` is on. A complete one is
        returned as it is unless `force`."""
        store = self.context.store
        existing = store.get(DIGESTS, digest_id(week_end))
        if existing is not None and existing.get("complete") and not force:
            return existing
        now = self.clock() if now is None else now
        start, end = week_ending(week_end)
        text = digest_markdown(gather_week(store, self.context.studio.root, week_end, now))
        relative = f"{DIGESTS}/{week_end.isoformat()}.md"
        self.context.studio.folder(DIGESTS).mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.context.studio.root / relative, text)
        complete = end <= now
        mailing = complete and self.context.config.digest.mail
        fields = {
            "week": week_end.isoformat(),
            "path": relative,
            "start": start,
            "end": end,
            "written_at": now,
            "complete": complete,
            "mail": {"sent_at": None, "error": None, "tries": 0} if mailing else None,
        }
        if existing is None:
            record = store.insert(DIGESTS, {"id": digest_id(week_end), **fields})
        else:
            record = store.update(DIGESTS, existing["id"], fields)
        return self._mail(record, text, now) if mailing else record

    def catch_up(
        self, now: float | None = None, retry_mail: bool = False
    ) -> tuple[list[Record], list[Record]]:
        """A running app's or daemon's check: mail again what failed to send (at start,
        `retry_mail`), then write every due week when `[digest] auto` is on. The records
        written, and those whose mail failed (to be said)."""
        now = self.clock() if now is None else now
        mailed = self.retry_unsent(now) if retry_mail else []
        written = self.run(now) if self.context.config.digest.auto else []
        unsent = [r for r in [*mailed, *written] if (r.get("mail") or {}).get("error")]
        return written, unsent

    def retry_unsent(self, now: float | None = None) -> list[Record]:
        """Mail again every digest whose mail failed (the file as it is); the records tried."""
        if not self.context.config.digest.mail:
            return []
        tried = []
        for record in self.records():
            mail = record.get("mail")
            if not mail or mail.get("sent_at") is not None:
                continue
            path = self.context.studio.root / record["path"]
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as error:
                tried.append(self._failed(record, f"the digest {path} cannot be read: {error}"))
                continue
            tried.append(self._mail(record, text, now))
        return tried

    def _mail(self, record: Record, text: str, now: float | None = None) -> Record:
        """Send one digest and record how it went; never raises for a failed send."""
        from phase_tui.loop.mailer import MailError, send_digest

        send = self._send or send_digest
        subject = digest_subject(date.fromisoformat(record["week"]))
        try:
            send(self.context.config.mail, subject, text)
        except MailError as error:
            return self._failed(record, str(error))
        except Exception as error:  # a bug must not lose the digest: noted, retried later
            log.exception("mailing the digest %s failed", record["week"])
            return self._failed(record, f"mailing failed unexpectedly ({error}); see the log")
        sent_at = self.clock() if now is None else now
        tries = int((record.get("mail") or {}).get("tries", 0)) + 1
        mail = {"sent_at": sent_at, "error": None, "tries": tries}
        return self.context.store.update(DIGESTS, record["id"], {"mail": mail})

    def _failed(self, record: Record, error: str) -> Record:
        log.warning("the digest %s was not mailed: %s", record["week"], error)
        tries = int((record.get("mail") or {}).get("tries", 0)) + 1
        mail = {"sent_at": None, "error": error, "tries": tries}
        return self.context.store.update(DIGESTS, record["id"], {"mail": mail})

    def _first_event_at(self) -> float | None:
        """When the studio's journal began: its earliest event, leaving out bounces found by a
        catch-up scan (dated by their files, which may be years older than the studio)."""
        times = [
            float(event["at"])
            for event in self.context.store.all(EVENTS)
            if not event.get("caught_up")
        ]
        return min(times, default=None)
