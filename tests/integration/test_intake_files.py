"""Reading what arrives: an email saved as .eml or .msg, a PDF letter, a photographed letter."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.intake import reader
from ceo_desk.enums import Channel
from ceo_desk.errors import ValidationError
from tests.intake_files import EML, LETTER_LINES, PNG, outlook_email, pdf_letter


def test_an_eml_gives_sender_subject_body_date_and_its_attachment() -> None:
    data = EML.read_bytes()
    intake = reader.read_bytes(data, EML.name, "GB")
    assert intake.channel is Channel.EMAIL
    assert intake.customer_name == "Renée Lefèvre"  # decoded from the encoded header
    assert intake.email == "renee.lefevre@example.net"
    assert intake.summary == "Still no refund for the cancelled boiler service"
    assert intake.received_at == datetime(2026, 11, 23, 16, 5, 44, tzinfo=UTC)
    assert intake.phone == "+33142685300"  # from the signature
    # The body is kept whole in the details, the quoted reply and signature included ...
    assert intake.details.startswith("Good afternoon,")
    assert "Your reference is 88213" in intake.details and "+33 1 42 68 53 00" in intake.details
    # ... and the message's own words stop before them.
    assert intake.new_text.endswith("I would like the 240 returned and an apology.")
    assert [f.name for f in intake.files] == [EML.name, "invoice.pdf"]
    assert intake.files[0].data == data
    assert intake.files[1].data.startswith(b"%PDF-1.4")


def test_an_eml_without_a_subject_takes_its_first_own_sentence() -> None:
    data = (
        b"From: ann@example.com\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n\n"
        b"Dear team,\n\nMy order never came. I paid in October.\n\n-- \nAnn\n"
    )
    intake = reader.read_bytes(data, "mail.eml", "GB")
    assert intake.summary == "My order never came."
    assert intake.customer_name == "" and intake.email == "ann@example.com"
    assert intake.details.endswith("-- \nAnn")


def test_an_html_only_email_is_read_as_text_with_its_quote_marked() -> None:
    data = (
        b"From: Ann <ann@example.com>\nSubject: Late\nContent-Type: text/html; charset=utf-8\n\n"
        b"<html><body><p>The parcel is <b>late</b>.</p>"
        b"<blockquote>We shipped it</blockquote></body></html>"
    )
    intake = reader.read_bytes(data, "mail.eml", "GB")
    assert intake.new_text == "The parcel is late."
    assert "> We shipped it" in intake.details


def test_an_outlook_msg_is_read_with_its_attachment() -> None:
    data = outlook_email()
    intake = reader.read_bytes(data, "complaint.msg", "GB")
    assert intake.channel is Channel.EMAIL
    assert (intake.customer_name, intake.email) == ("Dana Lee", "dana.lee@example.net")
    assert intake.summary == "Broken dishwasher, second visit missed"
    assert intake.received_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert intake.phone == "+447700900123"
    assert intake.new_text.endswith("I want a new machine.")
    assert "An engineer will call on Thursday." in intake.details
    assert [(f.name, f.data) for f in intake.files[1:]] == [("dishwasher.png", PNG)]


def test_a_pdf_letter_gives_its_signer_contact_date_and_subject() -> None:
    intake = reader.read_bytes(pdf_letter(LETTER_LINES), "letter.pdf", "GB")
    assert intake.channel is Channel.LETTER
    assert intake.customer_name == "Tomasz Nowak"
    assert intake.email == "tomasz.nowak@example.org"
    assert intake.phone == "+441314960754"
    assert intake.summary == "Water damage after the pipe repair"
    assert intake.received_at is not None
    assert SYSTEM_CLOCK.local_day(intake.received_at) == date(2026, 11, 3)  # the day written
    assert "my kitchen ceiling came down" in intake.details
    assert [f.name for f in intake.files] == ["letter.pdf"]


def test_a_pdf_with_no_text_and_a_photo_are_attached_with_the_fields_left_to_fill() -> None:
    scan = reader.read_bytes(pdf_letter([]), "scan.pdf", "GB")
    assert scan.summary == "" and scan.customer_name == ""
    assert "holds no text" in scan.notes[0]
    photo = reader.read_bytes(PNG, "IMG_0042.png", "GB")
    assert photo.channel is Channel.LETTER and photo.summary == ""
    assert photo.files[0].media_type == "image/png"
    assert "picture of a letter" in photo.notes[0]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.eml", "empty.eml is empty"),
        (b"just some words, no headers\n", "notes.eml", "notes.eml is not an email"),
        (b"%PDF-1.4\nbroken", "letter.pdf", "letter.pdf could not be read as a PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "mail.msg", "Outlook message"),
        (b"PK\x03\x04 a word document", "letter.docx", "letter.docx is not an email"),
    ],
)
def test_files_that_are_not_readable_get_a_clear_message(
    data: bytes, name: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        reader.read_bytes(data, name, "GB")
    assert "nothing was changed" in str(refused.value).lower()
