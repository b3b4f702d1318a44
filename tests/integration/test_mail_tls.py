"""Sending over STARTTLS and implicit TLS to a real SMTP server on the loopback, its certificate
issued by an authority made here and trusted the standard way (SSL_CERT_FILE): the sender
verifies the certificate, and a wrong one leaves a clear error on the message, which waits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import trustme
from sqlalchemy import select

from ceo_desk import secrets
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.mail import sender
from ceo_desk.core.services import office as office_settings
from ceo_desk.enums import OutboxState
from ceo_desk.store.db import Database
from ceo_desk.store.models import OutboxMessage
from tests.builders import delegate, log, office, stored_detail
from tests.smtp_server import HOST, SmtpServer, server_tls, use_server


@pytest.fixture
def authority(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """A certificate authority this computer trusts, as an office's own would be."""
    made = trustme.CA()
    bundle = tmp_path / "trusted.pem"
    made.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    return made


def _running(server: SmtpServer) -> Iterator[SmtpServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _sent_notice(db: Database, server: SmtpServer, *, user: str = "") -> str:
    use_server(db, server, user=user)
    staff = office(db)
    ref = log(db, "Farah Novák", "Charged twice for March")
    delegate(db, ref, staff.ortiz)
    return ref


def _row(db: Database) -> OutboxMessage:
    with db.reading() as uow:
        row = uow.session.scalars(select(OutboxMessage)).one()
        uow.session.expunge(row)
    return row


def test_starttls_signs_in_only_over_tls_and_delivers(
    sqlite_db: Database, authority: trustme.CA
) -> None:
    server = SmtpServer(security="starttls", tls=server_tls(authority), logins={"office": "s3cret"})
    for running in _running(server):
        ref = _sent_notice(sqlite_db, running, user="office")
        secrets.set_password(secrets.mail_service(HOST, running.port), "office", "s3cret")
        report = sender.send_pending(sqlite_db, now=SYSTEM_CLOCK.now())
        assert (report.sent, report.errors) == (1, [])
        [mail] = running.received
        assert mail.recipients == ("j.ortiz@example.com",)
        assert mail.subject == f"New complaint for you: {ref} — Charged twice for March"
        assert running.signed_in == ["office"]
        assert _row(sqlite_db).state is OutboxState.SENT


def test_implicit_tls_delivers(db: Database, authority: trustme.CA) -> None:
    for running in _running(SmtpServer(security="tls", tls=server_tls(authority))):
        ref = _sent_notice(db, running)
        report = sender.send_pending(db, now=SYSTEM_CLOCK.now())
        assert (report.sent, report.errors) == (1, [])
        [mail] = running.received
        assert mail.body.startswith("Hello Jamie,")
        timeline = [e.description for e in stored_detail(db, ref).events]
        assert "Delegation notice emailed to j.ortiz@example.com" in timeline


@pytest.mark.parametrize("security", ["starttls", "tls"])
@pytest.mark.parametrize(
    ("wrong", "said"),
    [
        ("unknown authority", "is not signed by an authority this computer trusts"),
        ("other name", f"is not for {HOST}"),
    ],
)
def test_a_wrong_certificate_is_refused_with_a_clear_error_kept_on_the_message(
    sqlite_db: Database, authority: trustme.CA, security: str, wrong: str, said: str
) -> None:
    if wrong == "unknown authority":
        tls = server_tls(trustme.CA())  # an authority nobody here trusts
    else:
        tls = server_tls(authority, host="mail.example.com")
    for running in _running(SmtpServer(security=security, tls=tls)):
        _sent_notice(sqlite_db, running)
        report = sender.send_pending(sqlite_db, now=SYSTEM_CLOCK.now())
        assert (report.sent, report.retrying) == (0, 1)
        assert running.received == []
        row = _row(sqlite_db)
        assert row.state is OutboxState.QUEUED  # tried again later, after a pause
        assert row.last_error is not None
        assert row.last_error.startswith(f"The mail server {HOST}:{running.port}'s certificate")
        assert said in row.last_error
        assert "Settings → Email" in row.last_error
        assert "Traceback" not in row.last_error and "_ssl.c" not in row.last_error


@pytest.mark.parametrize(
    ("chosen", "said"),
    [
        ("starttls", "does not offer STARTTLS"),
        ("tls", "did not answer in TLS"),
    ],
)
def test_a_security_setting_the_server_does_not_speak_says_which_to_choose(
    sqlite_db: Database, smtp_server: SmtpServer, chosen: str, said: str
) -> None:
    _sent_notice(sqlite_db, smtp_server)  # a server without encryption
    with sqlite_db.transaction() as uow:
        settings = office_settings.load_settings(uow)
        office_settings.save_settings(uow, replace(settings, smtp_security=chosen))
    report = sender.send_pending(sqlite_db, now=SYSTEM_CLOCK.now())
    assert (report.sent, report.retrying) == (0, 1)
    row = _row(sqlite_db)
    assert row.last_error is not None and said in row.last_error
    assert "Settings → Email" in row.last_error
    assert smtp_server.received == []
