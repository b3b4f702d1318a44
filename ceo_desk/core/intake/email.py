"""Emails as they are saved from a mail program: .eml (RFC 5322) and Outlook's .msg.

The sender's name and address, the subject, the date sent and the body become a proposed
complaint; the email itself and the files it carried are kept with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parseaddr

from ceo_desk.core.intake import trimming
from ceo_desk.core.intake.html_text import html_to_text
from ceo_desk.core.intake.proposal import IncomingFile, Intake, find_phone
from ceo_desk.enums import Channel
from ceo_desk.errors import ValidationError

SUMMARY_LIMIT = 500
EML_TYPE = "message/rfc822"
MSG_TYPE = "application/vnd.ms-outlook"
_HEADERS_THAT_MAKE_AN_EMAIL = ("from", "subject", "date", "to", "message-id")


@dataclass(frozen=True)
class Mail:
    """The parts of an email a complaint is made of, whatever format it came in."""

    sender_name: str
    sender_address: str
    subject: str
    body: str
    sent_at: datetime | None
    files: tuple[IncomingFile, ...]


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def proposal(mail: Mail, source: IncomingFile, region: str) -> Intake:
    """The proposed complaint: subject as summary (else the first sentence of the message's own
    words), the whole body as details, the phone number from the signature when there is one."""
    name = " ".join(mail.sender_name.split()).strip("'\" ")
    if name == mail.sender_address:
        name = ""
    parts = trimming.trim(mail.body, name or None)
    summary = trimming.shorten(trimming.clean_subject(mail.subject), SUMMARY_LIMIT)
    if not summary:
        summary = trimming.first_sentence(parts.new_text, SUMMARY_LIMIT)
    phone = find_phone(parts.signature, region) or find_phone(parts.new_text, region)
    notes: list[str] = []
    if mail.sent_at is None:
        notes.append(f"{source.name} gives no date it was sent: check when it was received.")
    if not mail.sender_address:
        notes.append(f"{source.name} names no sender's address: fill in the customer.")
    return Intake(
        source=source.name,
        channel=Channel.EMAIL,
        customer_name=name,
        email=mail.sender_address.lower(),
        phone=phone,
        summary=summary,
        details=mail.body.strip(),
        received_at=mail.sent_at,
        new_text=parts.new_text,
        files=(source, *mail.files),
        notes=tuple(notes),
    )


# ---------------------------------------------------------------- .eml


def _sender(message: EmailMessage) -> tuple[str, str]:
    try:
        header = message["From"]
        addresses: tuple[Address, ...] = getattr(header, "addresses", ()) if header else ()
    except (ValueError, TypeError, IndexError):  # a header the parser cannot make sense of
        addresses = ()
        header = None
    if addresses:
        return str(addresses[0].display_name or ""), str(addresses[0].addr_spec or "")
    raw = str(message.get("From", "") or "")
    name, address = parseaddr(raw)
    return name, address if "@" in address else ""


def _sent_at(message: EmailMessage) -> datetime | None:
    try:
        header = message["Date"]
        moment = getattr(header, "datetime", None) if header is not None else None
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    return _aware(moment) if isinstance(moment, datetime) else None


def _text_of(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError, AssertionError, KeyError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    text = str(content)
    return html_to_text(text) if part.get_content_type() == "text/html" else text


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    return _text_of(part).replace("\r\n", "\n").strip()


def _carried(message: EmailMessage) -> tuple[IncomingFile, ...]:
    found: list[IncomingFile] = []
    for number, part in enumerate(message.iter_attachments(), start=1):
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                data = inner[0].as_bytes()  # a forwarded email carried whole
            else:
                continue
        name = part.get_filename() or f"attachment-{number}"
        found.append(IncomingFile(name, data, part.get_content_type()))
    return tuple(found)


def read_eml(data: bytes, name: str, region: str) -> Intake:
    """A proposed complaint from the bytes of an .eml file; ValidationError when it is none."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    present = {key.lower() for key in message}
    if not present.intersection(_HEADERS_THAT_MAKE_AN_EMAIL):
        raise ValidationError(
            f"{name} is not an email: it has no From, Subject or Date line at the top. Save the "
            "message from the mail program as .eml or .msg and try again; nothing was changed.",
            field="email_file",
        )
    sender_name, sender_address = _sender(message)
    mail = Mail(
        sender_name,
        sender_address,
        str(message.get("Subject", "") or ""),
        _body(message),
        _sent_at(message),
        _carried(message),
    )
    return proposal(mail, IncomingFile(name, data, EML_TYPE), region)


# ---------------------------------------------------------------- .msg


def read_msg(data: bytes, name: str, region: str) -> Intake:
    """A proposed complaint from an Outlook .msg file, read with extract-msg."""
    import extract_msg

    unreadable = (
        f"{name} could not be read as an Outlook message; save it again from Outlook (File -> "
        "Save As -> Outlook Message Format) and try again. Nothing was changed."
    )
    try:
        message = extract_msg.openMsg(data, delayAttachments=False)
    except Exception as exc:  # extract-msg raises many kinds for a damaged file
        raise ValidationError(unreadable, field="email_file") from exc
    try:
        if not isinstance(message, extract_msg.Message):
            raise ValidationError(
                f"{name} is an Outlook item but not an email (a meeting, a contact or a task). "
                "Save the email itself and try again; nothing was changed.",
                field="email_file",
            )
        try:
            mail = _msg_mail(message)
        except Exception as exc:  # a damaged property stream
            raise ValidationError(unreadable, field="email_file") from exc
    finally:
        message.close()
    return proposal(mail, IncomingFile(name, data, MSG_TYPE), region)


def _msg_mail(message: object) -> Mail:
    sender = str(getattr(message, "sender", "") or "")
    sender_name, sender_address = parseaddr(sender)
    if not sender_address or "@" not in sender_address:
        sender_address = ""
        sender_name = sender_name or sender
    body = str(getattr(message, "body", "") or "")
    if not body.strip():
        html_body = getattr(message, "htmlBody", None)
        if isinstance(html_body, bytes):
            body = html_to_text(html_body.decode("utf-8", "replace"))
    files: list[IncomingFile] = []
    for number, attachment in enumerate(getattr(message, "attachments", ()), start=1):
        content = getattr(attachment, "data", None)
        if not isinstance(content, bytes):
            continue
        file_name = (
            getattr(attachment, "longFilename", None)
            or getattr(attachment, "shortFilename", None)
            or f"attachment-{number}"
        )
        media = str(getattr(attachment, "mimetype", "") or "")
        files.append(IncomingFile(str(file_name), content, media))
    sent = getattr(message, "date", None)
    return Mail(
        sender_name,
        sender_address,
        str(getattr(message, "subject", "") or ""),
        body.replace("\r\n", "\n").strip(),
        _aware(sent) if isinstance(sent, datetime) else None,
        tuple(files),
    )
