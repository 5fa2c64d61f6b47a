"""The digest mailer: a Markdown digest sent over SMTP as text plus an HTML alternative.

`digest_message` builds the message (the Markdown as the text/plain part, HTML rendered from
it with markdown-it-py, UTF-8), `smtp_password` finds the password (the environment variable
`password_env`, else the first line of `password_file`, which must be private), and
`send_digest` connects as `[mail]` says: "ssl" (implicit TLS), "starttls" (refused when the
server does not offer it) or "none" (plain; a login over it only to this machine). Every
failure becomes a `MailError` whose text is one sentence for the user. The password is never
logged nor put in a message.
"""

from __future__ import annotations

import base64
import html
import logging
import os
import smtplib
import socket
import ssl
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from phase_tui.config.settings import MailSettings

log = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
SECURITIES = ("starttls", "ssl", "none")

HTML_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  line-height: 1.5; color: #2e3440; max-width: 44em; margin: 1em auto; padding: 0 1em; }}
h1 {{ font-size: 1.5em; border-bottom: 1px solid #d8dee9; padding-bottom: .2em; }}
h2, h3 {{ margin-top: 1.4em; }}
code {{ font-family: Menlo, Consolas, monospace; font-size: .9em;
  background: #eceff4; padding: .1em .3em; border-radius: 3px; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #d8dee9; padding: .25em .6em; text-align: left; }}
</style>
</head>
<body>
{body}</body>
</html>
"""


class MailError(Exception):
    """Mailing failed; `str()` is one sentence for the user: what failed and what to check."""


def digest_message(settings: MailSettings, subject: str, markdown_text: str) -> EmailMessage:
    """The digest as a message from `sender` to all of `to`: Markdown text plus HTML."""
    if not settings.sender:
        raise MailError("No sender is set for mailing the digest; set sender in [mail].")
    if not settings.to:
        raise MailError("No recipients are set for mailing the digest; set to in [mail].")
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid("phase-os", domain=_sender_domain(settings.sender))
    message.set_content(markdown_text, cte="quoted-printable")
    message.add_alternative(
        _render_html(subject, markdown_text), subtype="html", cte="quoted-printable"
    )
    return message


def smtp_password(settings: MailSettings) -> str | None:
    """The SMTP password: the variable `password_env` if set, else `password_file`'s first line.

    None when neither has one and no `username` needs it; with a `username`, a MailError
    naming both places. A password file readable or writable by group or others is refused.
    """
    if settings.password_env and os.environ.get(settings.password_env):
        return os.environ[settings.password_env]
    if settings.password_file:
        password = _password_from_file(Path(settings.password_file).expanduser())
        if password:
            return password
    if not settings.username:
        return None
    places = f"the environment variable {settings.password_env or '(password_env not set)'}"
    if settings.password_file:
        places += f" or the file {settings.password_file}"
    else:
        places += " or a file named by password_file in [mail]"
    raise MailError(f"No SMTP password for {settings.username}: put it in {places}.")


def send_digest(settings: MailSettings, subject: str, markdown_text: str) -> None:
    """Mail the digest as `[mail]` says; every failure is a MailError."""
    where = f"{settings.host}:{settings.port}"
    if not settings.host:
        raise MailError("No SMTP host is set for mailing the digest; set host in [mail].")
    if settings.security not in SECURITIES:
        raise MailError(
            f'Unknown mail security "{settings.security}"; use "starttls", "ssl" or "none".'
        )
    if (
        settings.username
        and settings.security == "none"
        and settings.host.lower() not in LOCAL_HOSTS
    ):
        raise MailError(
            f"Refusing to send the SMTP password to {where} unencrypted; "
            'set security to "starttls" or "ssl" in [mail].'
        )
    message = digest_message(settings, subject, markdown_text)
    password = smtp_password(settings)
    context = None if settings.security == "none" else _tls_context(settings)
    try:
        with _session(settings, context) as smtp:
            if settings.username:
                _login(smtp, settings, password or "")
            refused = smtp.send_message(message)
    except MailError:
        raise
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(_scrub(_failure(settings, exc), password)) from None
    if refused:  # some recipients took it: not an error, or a retry would mail them again
        log.warning("%s refused the digest for %s", where, ", ".join(refused))
    log.info("digest %r mailed through %s", subject, where)


@contextmanager
def _session(settings: MailSettings, context: ssl.SSLContext | None) -> Iterator[smtplib.SMTP]:
    """A connection to the server, encrypted as `security` says, closed on the way out."""
    smtp: smtplib.SMTP
    if settings.security == "ssl":
        smtp = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout_s, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
    try:
        if settings.security == "starttls":
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise MailError(
                    f"{settings.host}:{settings.port} does not offer STARTTLS, so the mail "
                    'would go unencrypted; check the port, or use security = "ssl" in [mail].'
                )
            smtp.starttls(context=context)
            smtp.ehlo()
        yield smtp
        with suppress(smtplib.SMTPException, OSError):  # the mail is sent: a failed QUIT is fine
            smtp.quit()
    finally:
        smtp.close()


def _login(smtp: smtplib.SMTP, settings: MailSettings, password: str) -> None:
    """Log in; a name or password beyond ASCII, which smtplib's `login` cannot send, goes
    as UTF-8 over AUTH PLAIN (RFC 4616)."""
    if settings.username.isascii() and password.isascii():
        smtp.login(settings.username, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise MailError(
            f"{settings.host}:{settings.port} does not offer AUTH PLAIN, the only way to send "
            "a username or password that is not plain ASCII; check the server's login methods."
        )
    token = base64.b64encode(f"\0{settings.username}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _tls_context(settings: MailSettings) -> ssl.SSLContext:
    """The system's trusted certificates, plus those of `ca_file` when set."""
    context = ssl.create_default_context()
    if settings.ca_file:
        path = Path(settings.ca_file).expanduser()
        try:
            context.load_verify_locations(cafile=str(path))
        except (OSError, ssl.SSLError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise MailError(
                f"Could not load the CA file {path} ({reason}); check ca_file in [mail]."
            ) from None
    return context


def _password_from_file(path: Path) -> str:
    """The first line of the private file `path` ("" when it is empty)."""
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise MailError(
                f"The SMTP password file {path} is open to other users; run chmod 600 {path}."
            )
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise MailError(
            f"Could not read the SMTP password file {path} ({exc.strerror or exc}); "
            "check password_file in [mail]."
        ) from None
    except UnicodeDecodeError:
        raise MailError(f"The SMTP password file {path} is not UTF-8 text.") from None
    return lines[0] if lines else ""


def _failure(settings: MailSettings, exc: BaseException) -> str:
    """The sentence telling the user what went wrong with `exc` and what to check."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"{where} refused the login of {settings.username} (authentication failed: "
            f"{_reply(exc.smtp_code, exc.smtp_error)}); check username and the password."
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(
            f"{address} ({_reply(code, text)})" for address, (code, text) in exc.recipients.items()
        )
        return f"{where} refused the recipients {refused}; check to in [mail]."
    if isinstance(exc, smtplib.SMTPSenderRefused) and exc.smtp_code == 530:
        return (
            f"{where} wants encryption or a login first "
            f"({_reply(exc.smtp_code, exc.smtp_error)}); check security and username in [mail]."
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (
            f"{where} refused the sender {exc.sender} ({_reply(exc.smtp_code, exc.smtp_error)}); "
            "check sender in [mail] (many servers want it to match the username)."
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"{where} does not support what mailing needs ({exc}); check security in [mail]."
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return (
            f"{where} closed the connection unexpectedly ({exc}); "
            "check that port and security in [mail] match the server."
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{where} refused the mail ({_reply(exc.smtp_code, exc.smtp_error)})."
    if isinstance(exc, smtplib.SMTPException):
        return f"Mailing through {where} failed ({exc}); check the [mail] settings."
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"Could not verify the TLS certificate of {where} ({exc.verify_message}); check "
            "host in [mail], or set ca_file there if the server has its own authority."
        )
    if isinstance(exc, ssl.SSLError):
        return (
            f"The TLS handshake with {where} failed ({exc.reason or exc}); check that security "
            'in [mail] matches the port (usually "ssl" on 465, "starttls" on 587).'
        )
    if isinstance(exc, socket.gaierror):
        return (
            f"Could not find the SMTP host {settings.host} ({exc.strerror}); "
            "check host in [mail] and the network."
        )
    if isinstance(exc, TimeoutError):
        return (
            f"{where} did not answer within {settings.timeout_s:g} s; "
            "check host and port in [mail] and the network."
        )
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"Nothing accepted the connection at {where} (connection refused); "
            "check host and port in [mail] and that the server is running."
        )
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"Could not mail through {where} ({reason}); check host, port and the network."


def _reply(code: int, text: bytes | str) -> str:
    """A server reply as "535 5.7.8 Bad credentials"."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _scrub(sentence: str, password: str | None) -> str:
    """`sentence` with the password hidden, should a server have echoed it."""
    return sentence.replace(password, "********") if password else sentence


def _sender_domain(sender: str) -> str:
    """The domain of the sender's address, for the Message-ID."""
    _, address = parseaddr(sender)
    domain = address.rpartition("@")[2]
    return domain or "phase-os.localhost"


def _render_html(title: str, markdown_text: str) -> str:
    """The Markdown as a small HTML page; raw HTML in it is shown as text, not run."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    return HTML_PAGE.format(title=html.escape(title), body=renderer.render(markdown_text))
