"""The one place that talks SMTP: hand the outbox's queued messages to the office's mail server.

Each message is claimed before it is sent (its attempt counted and a lease set, in a committed
transaction, and only if nobody claimed it first), so two computers, or the app and a scheduled
command, never send the same row. A server that cannot be reached, or answers "try later" (4xx),
leaves the message queued for another attempt after a growing pause; a refusal (5xx) marks it
failed with the server's words, to be sent from a mail program instead. A message the server
accepted is marked sent with its answer, and the complaint's timeline records it.
"""

from __future__ import annotations

import email.policy
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate

from sqlalchemy import select, update

from ceo_desk import secrets
from ceo_desk.core import audit, permissions
from ceo_desk.core.database import Database
from ceo_desk.core.mail import notices
from ceo_desk.core.mail.outbox import split_addresses
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import OutboxState
from ceo_desk.settings import OfficeSettings
from ceo_desk.store.models import OutboxMessage

# A claimed message is left alone this long by other senders (a sender that died mid-send).
CLAIM_LEASE = timedelta(minutes=10)
# The pause before the next attempt doubles from one minute up to an hour.
FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=1)
TIMEOUT_SECONDS = 20
BATCH = 50


def pause_after(attempts: int) -> timedelta:
    """How long to wait before trying again after `attempts` failed attempts."""
    return min(LONGEST_PAUSE, FIRST_PAUSE * (1 << min(10, max(0, attempts - 1))))


@dataclass
class SendReport:
    """What one run did: messages sent, left for another attempt, refused for good."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    configured: bool = True
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if not self.configured:
            return "No mail server is set up; messages wait in the Outbox as drafts."
        parts = [f"{self.sent} sent"]
        if self.retrying:
            parts.append(f"{self.retrying} to try again later")
        if self.failed:
            parts.append(f"{self.failed} refused by the mail server")
        return ", ".join(parts) + "."


class _TryLater(Exception):
    """The server could not take the message now (unreachable, 4xx): keep it queued."""


class _Refused(Exception):
    """The server refused the message for good (5xx): mark it failed."""


def _sender_address(settings: OfficeSettings) -> str:
    return settings.mail_from or (settings.smtp_user if "@" in settings.smtp_user else "")


class _ImplicitTls(smtplib.SMTP_SSL):
    """SMTP over TLS from the first byte. smtplib leaves the plain socket open when the TLS
    handshake fails (a certificate refused); this closes it."""

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        plain = socket.create_connection((host, port), timeout, self.source_address)
        try:
            return self.context.wrap_socket(plain, server_hostname=self._host)  # type: ignore[attr-defined]
        except BaseException:
            plain.close()
            raise


def _verifying_context() -> ssl.SSLContext:
    """Certificates checked against the authorities this computer trusts (the system's, or
    the bundle SSL_CERT_FILE / SSL_CERT_DIR name), and the name checked against the host."""
    return ssl.create_default_context()


def _connect(settings: OfficeSettings) -> smtplib.SMTP:
    """An open, signed-in connection to the office's mail server, or _TryLater/_Refused."""
    host, port = settings.smtp_host, settings.smtp_port
    where = f"The mail server {host}:{port}"
    smtp: smtplib.SMTP | None = None
    try:
        if settings.smtp_security == "tls":
            smtp = _ImplicitTls(host, port, timeout=TIMEOUT_SECONDS, context=_verifying_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
            if settings.smtp_security == "starttls":
                smtp.starttls(context=_verifying_context())
        smtp.ehlo_or_helo_if_needed()
    except ssl.SSLCertVerificationError as exc:
        _close(smtp)
        raise _TryLater(_certificate_refused(where, host, exc)) from exc
    except smtplib.SMTPNotSupportedError as exc:
        _close(smtp)
        raise _TryLater(
            f"{where} does not offer STARTTLS, so nothing was sent to it. Check the port, or "
            "choose TLS in Settings → Email if the server expects it from the start."
        ) from exc
    except ssl.SSLError as exc:
        _close(smtp)
        if settings.smtp_security == "tls":
            raise _TryLater(
                f"{where} did not answer in TLS ({exc.reason or exc}). If it expects STARTTLS "
                "(usually on port 587), choose STARTTLS in Settings → Email, or check the port."
            ) from exc
        raise _TryLater(
            f"{where} could not set up an encrypted connection ({exc.reason or exc}); check "
            "the security choice in Settings → Email."
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        _close(smtp)
        raise _TryLater(f"{where} could not be reached ({_reason(exc)}).") from exc
    if settings.smtp_user:
        password = secrets.get_password(secrets.mail_service(host, port), settings.smtp_user)
        if password is None:
            smtp.close()
            raise _TryLater(
                "The mail server's password is not in this computer's keyring; enter it in "
                "Settings → Email."
            )
        try:
            smtp.login(settings.smtp_user, password)
        except smtplib.SMTPAuthenticationError as exc:
            smtp.close()
            raise _TryLater(
                f"The mail server refused the user name or password ({_reason(exc)}); check "
                "them in Settings → Email."
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            smtp.close()
            raise _TryLater(f"Signing in to the mail server failed ({_reason(exc)}).") from exc
    return smtp


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        smtp.close()


# OpenSSL's codes for a certificate that names another host, or no chain to a trusted authority.
_NAME_MISMATCH = (62, 64)
_UNTRUSTED = (2, 18, 19, 20, 21)
_EXPIRED = 10


def _certificate_refused(where: str, host: str, exc: ssl.SSLCertVerificationError) -> str:
    """A refused certificate in words a person can act on; the messages wait."""
    code, detail = exc.verify_code, exc.verify_message or exc.reason or str(exc)
    if code in _NAME_MISMATCH:
        what = f"is not for {host}"
    elif code in _UNTRUSTED:
        what = "is not signed by an authority this computer trusts"
    elif code == _EXPIRED:
        what = "has expired"
    else:
        what = f"was not accepted ({detail})"
    return (
        f"{where}'s certificate {what}, so nothing was sent to it. Check the server's name in "
        "Settings → Email, or ask whoever runs the mail server; the messages wait and are "
        "tried again."
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, socket.timeout | TimeoutError):
        return "no answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return str(exc) or type(exc).__name__


@dataclass(frozen=True)
class MailFile:
    """A file sent with a message (the delegate's report form with the delegation notice)."""

    name: str
    media_type: str  # "application/pdf"
    data: bytes


# What files go with an outbox row, made when it is sent: the report form is drawn by the
# reports layer, which the callers (the app, the command line) hand in.
Attacher = Callable[[OutboxMessage], Sequence[MailFile]]


def build_message(
    row: OutboxMessage, sender: str, domain: str, files: Sequence[MailFile] = ()
) -> EmailMessage:
    """The email for an outbox row. Its Message-ID is the row's own, so a message sent again
    after a crash between sending and recording is seen as the same message by mail programs."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.recipients
    if row.cc:
        message["Cc"] = row.cc
    message["Subject"] = row.subject
    message["Date"] = formatdate(row.queued_at.timestamp(), localtime=False)
    message["Message-ID"] = f"<ceo-desk.{row.id}.{int(row.queued_at.timestamp())}@{domain}>"
    message.set_content(row.body)
    for file in files:
        main, _, sub = file.media_type.partition("/")
        message.add_attachment(file.data, maintype=main, subtype=sub, filename=file.name)
    return message


def _deliver(
    smtp: smtplib.SMTP, row: OutboxMessage, sender: str, files: Sequence[MailFile] = ()
) -> str:
    """Send one message on an open connection; the server's answer to it."""
    domain = sender.rpartition("@")[2] or "localhost"
    message = build_message(row, sender, domain, files)
    recipients = [*split_addresses(row.recipients), *split_addresses(row.cc)]
    try:
        code, answer = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, answer, sender)
        refused = []
        for address in recipients:
            code, answer = smtp.rcpt(address)
            if code not in (250, 251):
                refused.append(f"{address}: {code} {answer.decode('utf-8', 'replace')}")
        if len(refused) == len(recipients):
            smtp.rset()
            raise _Refused("The mail server refused every recipient: " + "; ".join(refused))
        # SMTP lines end in CRLF: smtplib fixes line ends only in text, never in bytes, and a
        # server reads a message with bare LFs as one line, refused once over 1,000 bytes.
        code, answer = smtp.data(message.as_bytes(policy=email.policy.SMTP))
        if code != 250:
            raise smtplib.SMTPDataError(code, answer)
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            raise _TryLater(f"The mail server asked to try later ({_reason(exc)}).") from exc
        raise _Refused(f"The mail server refused the message ({_reason(exc)}).") from exc
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise _TryLater(f"The connection to the mail server broke ({_reason(exc)}).") from exc
    reply = f"{code} {answer.decode('utf-8', 'replace')}".strip()
    if refused:
        reply += " (not delivered to " + "; ".join(refused) + ")"
    return reply


def _due(database: Database, now: datetime) -> list[tuple[int, int]]:
    with database.reading() as uow:
        rows = uow.session.execute(
            select(OutboxMessage.id, OutboxMessage.attempts)
            .where(
                OutboxMessage.state == OutboxState.QUEUED,
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.id)
            .limit(BATCH)
        ).all()
    return [(id_, attempts) for id_, attempts in rows]


def _claim(database: Database, message_id: int, attempts: int, now: datetime) -> bool:
    """Take the message for this run, unless someone else took it since it was read."""
    with database.transaction() as uow:
        claimed = uow.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.state == OutboxState.QUEUED,
                OutboxMessage.attempts == attempts,
            )
            .values(attempts=attempts + 1, next_attempt_at=now + CLAIM_LEASE)
        )
        return bool(getattr(claimed, "rowcount", 0) == 1)


def _try_later(database: Database, message_id: int, now: datetime, error: str) -> None:
    with database.transaction() as uow:
        row = uow.session.get(OutboxMessage, message_id)
        assert row is not None
        if row.state is OutboxState.CANCELLED:  # cancelled while this run tried it
            return
        row.next_attempt_at = now + pause_after(row.attempts)
        row.last_error = error


def _postpone_all(
    database: Database, due: list[tuple[int, int]], now: datetime, error: str
) -> None:
    """The server is away: every due message waits, counting the attempt (so the pause grows)."""
    with database.transaction() as uow:
        for message_id, attempts in due:
            uow.session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == message_id,
                    OutboxMessage.state == OutboxState.QUEUED,
                    OutboxMessage.attempts == attempts,
                )
                .values(
                    attempts=attempts + 1,
                    next_attempt_at=now + pause_after(attempts + 1),
                    last_error=error,
                )
            )


def _record(
    database: Database, message_id: int, now: datetime, *, reply: str | None, error: str | None
) -> None:
    """Mark the message sent (with the server's answer) or failed, and put it on the timeline."""
    with database.transaction() as uow:
        row = uow.session.get(OutboxMessage, message_id)
        assert row is not None
        cancelled_meanwhile = row.state is OutboxState.CANCELLED
        if cancelled_meanwhile and reply is None:
            return  # it stays cancelled, never sent
        if reply is not None:
            row.state, row.sent_at, row.server_reply, row.last_error = (
                OutboxState.SENT,
                now,
                reply,
                None,
            )
            action, said = "email_sent", f"emailed to {row.recipients}"
        else:
            row.state, row.last_error, row.next_attempt_at = OutboxState.FAILED, error, None
            action, said = "email_refused", f"to {row.recipients} was refused by the mail server"
        audit.record(
            uow,
            action,
            entity="outbox_message",
            entity_id=row.id,
            complaint_id=row.complaint_id,
            description=f"{row.kind.label} {said}",
            after={"subject": row.subject, "server_reply": reply, "error": error},
            now=now,
        )
        if cancelled_meanwhile:  # withdrawn while the server was taking it: it went out
            notices.hand_off_withdrawn(uow, row, now=now)


def send_pending(
    database: Database, *, now: datetime, attach: Attacher | None = None
) -> SendReport:
    """Send every queued message that is due, through the office's mail server, each with the
    files `attach` gives for it."""
    report = SendReport()
    with database.reading() as uow:
        settings = load_settings(uow)
        if not permissions.allows(uow.roles, Allow.SEND_MAIL):
            return report
    if not settings.smtp_host:
        report.configured = False
        return report
    due = _due(database, now)
    if not due:
        return report
    sender = _sender_address(settings)
    if not sender:
        error = "No sending address is set; give one in Settings → Email (Send as)."
        _postpone_all(database, due, now, error)
        report.retrying, report.errors = len(due), [error]
        return report
    try:
        smtp = _connect(settings)
    except (_TryLater, _Refused) as exc:
        _postpone_all(database, due, now, str(exc))
        report.retrying, report.errors = len(due), [str(exc)]
        return report
    try:
        for tried, (message_id, attempts) in enumerate(due, start=1):
            if not _claim(database, message_id, attempts, now):
                continue  # another computer took it
            with database.reading() as uow:
                row = uow.session.get(OutboxMessage, message_id)
                assert row is not None
                uow.session.expunge(row)
            try:
                reply = _deliver(smtp, row, sender, attach(row) if attach else ())
            except _TryLater as exc:
                _try_later(database, message_id, now, str(exc))
                report.retrying += 1
                report.errors.append(str(exc))
                if not _still_connected(smtp):
                    # The rest stay due, untried, for the next run: counted as waiting too, so
                    # the run's summary does not read as if they had gone.
                    report.retrying += len(due) - tried
                    break
                continue
            except _Refused as exc:
                _record(database, message_id, now, reply=None, error=str(exc))
                report.failed += 1
                report.errors.append(str(exc))
                continue
            _record(database, message_id, now, reply=reply, error=None)
            report.sent += 1
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return report


def _still_connected(smtp: smtplib.SMTP) -> bool:
    try:
        return smtp.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False
