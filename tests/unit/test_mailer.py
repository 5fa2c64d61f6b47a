"""Tests for phase_tui.loop.mailer against a real aiosmtpd server on 127.0.0.1.

Plain SMTP, STARTTLS and implicit TLS with a trustme certificate authority, logins checked
by an authenticator, and each failure's sentence (wrong password, nothing listening, an
untrusted certificate, a password file open to others, a plain login to another host).
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

from phase_tui.config.settings import MailSettings
from phase_tui.loop import mailer
from phase_tui.loop.mailer import MailError, digest_message, send_digest, smtp_password

SAMPLE = (
    "# Weekly Loop Digest — 2025-06-01\n\n"
    "### New Bounces\n- `../bounces/memory-spike-v2.wav` — 3:17\n"
)
SUBJECT = "Weekly Loop Digest — 2025-06-01"
USER = "producer"
PASSWORD = "s3cret-Pässword"  # beyond ASCII: sent as UTF-8 over AUTH PLAIN
ENV = "PHASE_OS_TEST_SMTP_PASSWORD"


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps each received envelope and each login attempt."""

    envelopes: list[Envelope] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    password: str = PASSWORD

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        self.logins.append((login, password))
        return AuthResult(success=(login, password) == (USER, self.password), handled=False)

    def message(self) -> EmailMessage:
        (envelope,) = self.envelopes
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings_for(port: int, **changes: Any) -> MailSettings:
    base = MailSettings(
        host="127.0.0.1",
        port=port,
        security="none",
        password_env=ENV,
        sender="Phase OS <phase@studio.test>",
        to=("me@studio.test", "Zoë <zoe@studio.test>"),
        timeout_s=5.0,
    )
    return replace(base, **changes)


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_tls(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


@pytest.fixture
def ca_file(authority: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def serve() -> Iterator[Any]:
    """Start a server: `serve(**controller_options)` gives its (inbox, port)."""
    controllers: list[Controller] = []

    def start(**options: Any) -> tuple[Inbox, int]:
        inbox, port = Inbox(), free_port()
        if options.pop("auth", False):
            options["authenticator"] = inbox.authenticate
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return inbox, port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def starttls_server(serve: Any, server_tls: ssl.SSLContext) -> tuple[Inbox, int]:
    return serve(require_starttls=True, tls_context=server_tls, auth=True, auth_require_tls=True)


# ------------------------------------------------------------------------------- sending
def test_plain_to_a_local_server_sends_text_and_html(serve: Any) -> None:
    inbox, port = serve()
    send_digest(settings_for(port), SUBJECT, SAMPLE)
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "phase@studio.test"
    assert envelope.rcpt_tos == ["me@studio.test", "zoe@studio.test"]
    message = inbox.message()
    assert message["Subject"] == SUBJECT
    assert message["From"] == "Phase OS <phase@studio.test>"
    assert message["To"] == "me@studio.test, Zoë <zoe@studio.test>"
    assert message["Date"] and message["Message-ID"].endswith("@studio.test>")
    text = message.get_body(("plain",))
    page = message.get_body(("html",))
    assert text is not None and page is not None
    assert text.get_content().replace("\r\n", "\n") == SAMPLE  # CRLF on the wire
    rendered = page.get_content()
    assert "<h1>Weekly Loop Digest — 2025-06-01</h1>" in rendered
    assert "<h3>New Bounces</h3>" in rendered
    assert "<code>../bounces/memory-spike-v2.wav</code> — 3:17" in rendered


def test_starttls_with_login_from_the_environment(
    starttls_server: tuple[Inbox, int], ca_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = starttls_server
    monkeypatch.setenv(ENV, PASSWORD)
    send_digest(
        settings_for(port, security="starttls", username=USER, ca_file=ca_file), SUBJECT, SAMPLE
    )
    assert inbox.logins == [(USER, PASSWORD)]
    assert inbox.message()["Subject"] == SUBJECT


def test_implicit_tls_with_login(
    serve: Any,
    server_tls: ssl.SSLContext,
    ca_file: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; this connection is TLS already
    inbox, port = serve(ssl_context=server_tls, auth=True, auth_require_tls=False)
    inbox.password = "plain-ascii-secret"  # smtplib's own login
    monkeypatch.setenv(ENV, inbox.password)
    send_digest(settings_for(port, security="ssl", username=USER, ca_file=ca_file), SUBJECT, SAMPLE)
    assert inbox.logins == [(USER, inbox.password)]
    assert inbox.message()["Subject"] == SUBJECT


def test_starttls_refused_when_the_server_does_not_offer_it(serve: Any) -> None:
    inbox, port = serve()
    with pytest.raises(MailError, match="does not offer STARTTLS"):
        send_digest(settings_for(port, security="starttls"), SUBJECT, SAMPLE)
    assert inbox.envelopes == []


# ------------------------------------------------------------------------------- failures
def test_wrong_password_is_an_authentication_error_without_the_password(
    starttls_server: tuple[Inbox, int], ca_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = starttls_server
    monkeypatch.setenv(ENV, "wrong-horse-battery")
    settings = settings_for(port, security="starttls", username=USER, ca_file=ca_file)
    with pytest.raises(MailError) as caught:
        send_digest(settings, SUBJECT, SAMPLE)
    sentence = str(caught.value)
    assert "authentication" in sentence
    assert f"127.0.0.1:{port}" in sentence
    assert "wrong-horse-battery" not in sentence
    assert inbox.envelopes == []


def test_nothing_listening_names_host_and_port() -> None:
    port = free_port()
    with pytest.raises(MailError, match=f"127.0.0.1:{port}.*connection refused"):
        send_digest(settings_for(port), SUBJECT, SAMPLE)


def test_untrusted_certificate_is_refused(
    starttls_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = starttls_server
    monkeypatch.setenv(ENV, PASSWORD)
    with pytest.raises(MailError, match="certificate") as caught:
        send_digest(settings_for(port, security="starttls", username=USER), SUBJECT, SAMPLE)
    assert "ca_file" in str(caught.value)
    assert inbox.logins == []


def test_plain_to_a_server_that_wants_starttls_says_so(
    serve: Any, server_tls: ssl.SSLContext
) -> None:
    inbox, port = serve(require_starttls=True, tls_context=server_tls)
    with pytest.raises(MailError, match="wants encryption or a login first.*security"):
        send_digest(settings_for(port), SUBJECT, SAMPLE)
    assert inbox.envelopes == []


def test_missing_ca_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    settings = settings_for(free_port(), security="ssl", ca_file=str(missing))
    with pytest.raises(MailError, match=f"CA file {missing}"):
        send_digest(settings, SUBJECT, SAMPLE)


def test_plain_login_to_another_host_is_refused_without_connecting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("connected")

    monkeypatch.setattr(mailer.smtplib, "SMTP", no_connection)
    monkeypatch.setenv(ENV, PASSWORD)
    settings = settings_for(25, host="mail.example.com", username=USER)
    with pytest.raises(MailError, match="unencrypted") as caught:
        send_digest(settings, SUBJECT, SAMPLE)
    assert PASSWORD not in str(caught.value)


# ------------------------------------------------------------------------------- password
def test_password_from_the_environment_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-file\nsecond line\n")
    secret.chmod(0o600)
    settings = settings_for(25, username=USER, password_file=str(secret))
    monkeypatch.setenv(ENV, PASSWORD)
    assert smtp_password(settings) == PASSWORD
    monkeypatch.delenv(ENV)
    assert smtp_password(settings) == "from-file"


def test_password_file_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".smtp").write_text(PASSWORD + "\n")
    (tmp_path / ".smtp").chmod(0o600)
    assert smtp_password(settings_for(25, password_file="~/.smtp")) == PASSWORD


def test_password_file_open_to_others_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    secret = tmp_path / "secret"
    secret.write_text(PASSWORD)
    secret.chmod(0o644)
    with pytest.raises(MailError, match=f"chmod 600 {secret}") as caught:
        smtp_password(settings_for(25, username=USER, password_file=str(secret)))
    assert PASSWORD not in str(caught.value)


def test_no_password_is_none_without_a_username_and_an_error_with_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    settings = settings_for(25, password_file="/nonexistent/phase-os-secret")
    with pytest.raises(MailError, match="Could not read"):
        smtp_password(settings)
    assert smtp_password(settings_for(25)) is None
    with pytest.raises(MailError, match=f"{ENV} or a file named by password_file"):
        smtp_password(settings_for(25, username=USER))


# ------------------------------------------------------------------------------- message
def test_message_escapes_raw_html_and_renders_tables() -> None:
    text = "| Track | Bounces |\n|---|---|\n| <b>x</b> | 3 |\n"
    page = digest_message(settings_for(25), "Digest", text).get_body(("html",))
    assert page is not None
    rendered = page.get_content()
    assert "<table>" in rendered
    assert "&lt;b&gt;x&lt;/b&gt;" in rendered


def test_message_needs_sender_and_recipients() -> None:
    with pytest.raises(MailError, match="set sender"):
        digest_message(settings_for(25, sender=""), "Digest", SAMPLE)
    with pytest.raises(MailError, match="set to"):
        digest_message(settings_for(25, to=()), "Digest", SAMPLE)
