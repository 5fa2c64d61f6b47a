"""What mailing digests needs checked across `[digest]` and `[mail]`: with `mail = true`,
a server, a sender and at least one address to send to."""

from __future__ import annotations

from phase_tui.config.report import Report, join_and
from phase_tui.config.settings import DigestSettings, MailSettings


def check_mail(digest: DigestSettings, mail: MailSettings, report: Report) -> None:
    """Report each `[mail]` setting that mailing digests needs and the file leaves empty."""
    if not digest.mail:
        return
    missing = [
        name
        for name, value in (("host", mail.host), ("sender", mail.sender), ("to", mail.to))
        if not value
    ]
    if missing:
        report.add(
            ("digest", "mail"),
            f"`digest.mail` is true, so [mail] needs {join_and(missing)}",
        )
