"""Letters: a PDF (its text read with PDFium) or a scan or photo (kept, the fields left to fill).

A letter's layout varies too much to be sure of anything, so what is taken is only proposed: the
name under the sign-off, an email and a phone number from the sender's block or the signature, a
date written with its month in words or as year-month-day, and a "Re:" line as the summary.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.intake import trimming
from ceo_desk.core.intake.proposal import IncomingFile, Intake, find_email, find_phone
from ceo_desk.enums import Channel
from ceo_desk.errors import ValidationError

SUMMARY_LIMIT = 500
IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
    b"BM": "image/bmp",
}
_SIGN_OFFS = re.compile(
    r"^\s*(?:yours\s+(?:sincerely|faithfully|truly)|(?:kind|best|warm|with\s+kind)?\s*regards"
    r"|sincerely|respectfully)\s*[,.]?\s*$",
    re.IGNORECASE,
)
_SUBJECT_LINE = re.compile(r"^\s*(?:re|subject|ref|regarding)\s*:\s*(?P<subject>.+)$", re.I)
_SALUTATION = re.compile(r"^\s*(?:dear|to\s+whom|hello|good\s+(?:morning|afternoon))\b", re.I)
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%Y-%m-%d")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)


def image_type(data: bytes) -> str | None:
    """The media type of a picture, recognised by its first bytes, or None."""
    for magic, media_type in IMAGE_TYPES.items():
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "image/heic"
    return None


def read_image(data: bytes, name: str) -> Intake:
    """A scanned or photographed letter: kept with the complaint, the fields left to fill in."""
    return Intake(
        source=name,
        channel=Channel.LETTER,
        files=(IncomingFile(name, data, image_type(data) or ""),),
        notes=(
            f"{name} is a picture of a letter: it is attached; read it and fill in the "
            "customer, the summary and the date.",
        ),
    )


def pdf_text(data: bytes, name: str) -> str:
    """The text of every page of a PDF, in reading order; ValidationError when unreadable."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc).lower()
        if "password" in reason:
            raise ValidationError(
                f"{name} is protected by a password, so its text cannot be read. Save an "
                "unprotected copy and try again; nothing was changed.",
                field="letter_file",
            ) from exc
        raise ValidationError(
            f"{name} could not be read as a PDF (it is damaged or not a PDF). Save or scan it "
            "again and try again; nothing was changed.",
            field="letter_file",
        ) from exc
    try:
        pages: list[str] = []
        for page in document:
            text_page = page.get_textpage()
            try:
                pages.append(text_page.get_text_bounded())
            finally:
                text_page.close()
                page.close()
        return "\n\n".join(p.replace("\r\n", "\n").replace("\r", "\n").strip() for p in pages)
    finally:
        document.close()


def _letter_date(lines: list[str]) -> datetime | None:
    for line in lines[:25]:
        text = _ORDINAL.sub("", " ".join(line.replace(",", ", ").split())).replace(" ,", ",")
        for candidate in (text, text.split(", ", 1)[-1]):
            for pattern in _DATE_FORMATS:
                try:
                    day = datetime.strptime(candidate.strip(), pattern).date()
                except ValueError:
                    continue
                # Noon local time: a letter gives a day, not a moment (never later than now).
                noon = SYSTEM_CLOCK.day_start(day) + timedelta(hours=12)
                return min(noon, SYSTEM_CLOCK.now())
    return None


def _looks_like_a_name(line: str) -> bool:
    return (
        0 < len(line) <= 80
        and not find_email(line)
        and re.search(r"[^\W\d_]", line) is not None
        and re.search(r"\d{3}", line) is None
    )


def _signed_name(lines: list[str]) -> tuple[str, int | None]:
    """The name under the last sign-off, and where the sign-off is."""
    for number in range(len(lines) - 1, -1, -1):
        if _SIGN_OFFS.match(lines[number]):
            for following in lines[number + 1 : number + 4]:
                candidate = " ".join(following.split())
                if _looks_like_a_name(candidate):
                    return candidate, number
            return "", number
    return "", None


def read_pdf(data: bytes, name: str, region: str) -> Intake:
    """A proposed complaint from a PDF letter."""
    text = pdf_text(data, name)
    source = IncomingFile(name, data, "application/pdf")
    if not text.strip():
        return Intake(
            source=name,
            channel=Channel.LETTER,
            files=(source,),
            notes=(
                f"{name} holds no text (a scan saved as PDF?): it is attached; read it and fill "
                "in the customer, the summary and the date.",
            ),
        )
    lines = text.split("\n")
    customer_name, sign_off = _signed_name(lines)
    salutation = next((n for n, line in enumerate(lines) if _SALUTATION.match(line)), None)
    top = lines[: salutation if salutation is not None else 12]
    signature = "\n".join(lines[sign_off:]) if sign_off is not None else ""
    body_lines = lines[(salutation or 0) : sign_off]
    subject = next(
        (m.group("subject") for line in lines[:40] if (m := _SUBJECT_LINE.match(line))), ""
    )
    summary = trimming.shorten(subject, SUMMARY_LIMIT) or trimming.first_sentence(
        "\n".join(body_lines), SUMMARY_LIMIT
    )
    received = _letter_date(lines)
    notes = [] if received else [f"{name} shows no date: check when the letter was received."]
    return Intake(
        source=name,
        channel=Channel.LETTER,
        customer_name=customer_name,
        email=(find_email(signature) or find_email("\n".join(top))).lower(),
        phone=find_phone(signature, region) or find_phone("\n".join(top), region),
        summary=summary,
        details=text.strip(),
        received_at=received,
        new_text="\n".join(body_lines).strip(),
        files=(source,),
        notes=tuple(notes),
    )
