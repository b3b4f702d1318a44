"""What a reader took from a file: a proposed complaint for the assistant to check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ceo_desk.enums import Channel


@dataclass(frozen=True)
class IncomingFile:
    """A file to keep with the complaint: the email or letter itself, or one it came with."""

    name: str
    data: bytes
    media_type: str = ""


@dataclass(frozen=True)
class Intake:
    """The fields a file filled in; "" (or None) where it said nothing.

    Attributes:
        source: the file's name, as the person gave it.
        new_text: the message's own words, without quoted replies or signature.
        files: what to attach: the file itself first, then the files it carried.
        notes: what the person should know (a letter with no text, a date that was unreadable).
    """

    source: str
    channel: Channel
    customer_name: str = ""
    email: str = ""
    phone: str = ""
    summary: str = ""
    details: str = ""
    received_at: datetime | None = None
    new_text: str = ""
    files: tuple[IncomingFile, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def call_values(self) -> dict[str, object]:
        """The filled fields under their `CallInput` names (empty ones left out)."""
        values: dict[str, object] = {
            "customer_name": self.customer_name,
            "email": self.email,
            "phone": self.phone,
            "summary": self.summary,
            "details": self.details,
            "received_at": self.received_at,
            "channel": self.channel,
        }
        return {key: value for key, value in values.items() if value not in ("", None)}


def find_phone(text: str, region: str) -> str:
    """The first phone number written in `text`, in E.164, or ""."""
    import phonenumbers

    try:
        # Possible, as typing the number on Log a call accepts (the assistant checks it).
        matcher = phonenumbers.PhoneNumberMatcher(
            text or "", region or "US", leniency=phonenumbers.Leniency.POSSIBLE
        )
        for match in matcher:
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    except Exception:  # a number that cannot be read is simply not proposed
        return ""
    return ""


_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def find_email(text: str) -> str:
    """The first email address written in `text`, or ""."""
    match = _EMAIL.search(text or "")
    return match.group(0).rstrip(".") if match else ""
