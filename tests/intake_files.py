"""Files of the shapes that reach a CEO's office, made for the intake tests."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from tests.msg_builder import MsgAttachment, build_msg

FIXTURES = Path(__file__).parent / "fixtures"
EML = FIXTURES / "complaint_with_invoice.eml"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def outlook_email(**changes: object) -> bytes:
    """An Outlook .msg: a complaint with an Outlook-style quoted block and a photo attached."""
    values: dict[str, object] = {
        "subject": "RE: Broken dishwasher, second visit missed",
        "sender_name": "Dana Lee",
        "sender_email": "Dana.Lee@example.net",
        "body": (
            "Hello,\r\n\r\nThe engineer missed the second visit as well. I want a new machine."
            "\r\n\r\nKind regards\r\nDana Lee\r\n07700 900123\r\n\r\n"
            "From: Service Desk <service@example.com>\r\nSent: 17 November 2026 08:00\r\n"
            "Subject: Your visit\r\n\r\nAn engineer will call on Thursday.\r\n"
        ),
        "sent_at": datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        "attachments": (MsgAttachment("dishwasher.png", PNG, "image/png"),),
    }
    values.update(changes)
    return build_msg(**values)  # type: ignore[arg-type]


def pdf_letter(lines: list[str]) -> bytes:
    """A one-page letter as a PDF with a text layer, as a word processor saves it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    y = 800.0
    for line in lines:
        page.drawString(60, y, line)
        y -= 16
    page.showPage()
    page.save()
    return buffer.getvalue()


LETTER_LINES = [
    "Mr Tomasz Nowak",
    "14 Harbour Road, Leith",
    "tomasz.nowak@example.org",
    "0131 496 0754",
    "",
    "3 November 2026",
    "",
    "Re: Water damage after the pipe repair",
    "",
    "Dear Chief Executive,",
    "",
    "Your contractor left the pipe loose and my kitchen ceiling came down.",
    "I have written twice to customer services without an answer.",
    "",
    "Yours sincerely,",
    "",
    "Tomasz Nowak",
]
