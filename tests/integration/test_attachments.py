"""Attachments: kept once by their SHA-256, limited in size, carried by backups, restore and a
customer's export, and gone to the last byte when the customer is erased."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ceo_desk.cli import main
from ceo_desk.core import attachments, audit
from ceo_desk.core.safety import backups
from ceo_desk.core.services import office
from ceo_desk.enums import Role
from ceo_desk.errors import NotFoundError, PermissionDenied, ValidationError
from ceo_desk.store.db import Database
from ceo_desk.store.models import AttachmentBlob, Complaint, Event, EventChange, Report
from tests.builders import add_staff, awaiting_callback, log, person

LETTER = b"%PDF-1.4 a letter from Quintessa Marlowe-Brightwater about the boiler\n" * 20


def _attach(db: Database, ref: str, name: str, data: bytes) -> attachments.Attached:
    with db.transaction() as uow:
        return attachments.attach(uow, ref, name, data)


def _names(db: Database, ref: str) -> list[str]:
    with db.reading() as uow:
        return [a.name for a in attachments.list_for(uow, ref)]


def _blobs(db: Database) -> int:
    with db.reading() as uow:
        return uow.session.scalar(select(func.count()).select_from(AttachmentBlob)) or 0


def test_the_same_file_is_kept_once_however_often_it_is_attached(db: Database) -> None:
    first = log(db, name="Ann Smith")
    second = log(db, name="Bob Jones", phone="+442079460002")
    made = _attach(db, first, "letter.pdf", LETTER)
    assert made.bytes_stored and not made.already_attached
    assert made.info.sha256 == hashlib.sha256(LETTER).hexdigest()
    assert made.info.media_type == "application/pdf"

    again = _attach(db, first, "letter.pdf", LETTER)
    assert again.already_attached and again.info.id == made.info.id
    elsewhere = _attach(db, second, "scan.pdf", LETTER)
    assert not elsewhere.bytes_stored and not elsewhere.already_attached
    other = _attach(db, first, "letter.pdf", LETTER + b"second page")

    assert _names(db, first) == ["letter.pdf", "letter (2).pdf"]
    assert other.info.name == "letter (2).pdf"
    assert _names(db, second) == ["scan.pdf"]
    assert _blobs(db) == 2
    with db.reading() as uow:
        found = attachments.find(uow, first, "LETTER.PDF")
        assert attachments.content(uow, found.sha256) == LETTER


def test_a_file_above_the_limit_is_refused_with_its_size_and_the_limit(db: Database) -> None:
    ref = log(db)
    with db.transaction() as uow:
        office.save_settings(uow, replace(office.load_settings(uow), attachment_max_mb=1))
    too_big = b"x" * (1024 * 1024 + 1)
    with pytest.raises(ValidationError) as refused, db.transaction() as uow:
        attachments.attach(uow, ref, "photo.jpg", too_big)
    message = str(refused.value)
    assert "photo.jpg is 1.0 MB" in message and "up to 1 MB" in message
    assert "Largest attachment" in message
    assert _names(db, ref) == [] and _blobs(db) == 0
    _attach(db, ref, "photo.jpg", too_big[: 1024 * 1024])  # exactly the limit is fine
    assert _names(db, ref) == ["photo.jpg"]


def test_the_default_limit_is_25_mb(sqlite_db: Database) -> None:
    ref = log(sqlite_db)
    with pytest.raises(ValidationError, match="up to 25 MB"), sqlite_db.transaction() as uow:
        attachments.attach(uow, ref, "video.mp4", b"\0" * (25 * 1024 * 1024 + 1))


def test_an_attachment_is_an_audited_event_whose_name_is_not_frozen(db: Database) -> None:
    ref = log(db)
    made = _attach(db, ref, "Letter from Ann Smith.pdf", LETTER)
    with db.reading() as uow:
        event, change = uow.session.execute(
            select(Event, EventChange)
            .join(EventChange, EventChange.event_id == Event.id)
            .where(Event.action == "attachment_added")
        ).one()
        assert event.entity_id == made.info.id
        assert "Ann" not in event.description and ref in event.description
        assert json.loads(change.after_json)["name"] == "Letter from Ann Smith.pdf"
        assert audit.verify_chain(uow).ok


def test_bad_names_and_unknown_complaints_are_refused(db: Database) -> None:
    ref = log(db)
    with pytest.raises(ValidationError, match="file name"), db.transaction() as uow:
        attachments.attach(uow, ref, "  ", b"data")
    with pytest.raises(NotFoundError, match="There is no complaint"), db.transaction() as uow:
        attachments.attach(uow, "C-2026-9999", "a.txt", b"data")
    with pytest.raises(NotFoundError, match="no report #7"), db.transaction() as uow:
        attachments.attach(uow, ref, "a.txt", b"data", report_id=7)
    assert _attach(db, ref, "../../etc/passwd", b"x").info.name == "passwd"
    with db.reading() as uow, pytest.raises(NotFoundError, match="Its attachments: passwd"):
        attachments.find(uow, ref, "letter.pdf")


def test_erasing_the_customer_leaves_no_byte_of_their_files(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sqlite_db.sqlite_path
    assert path is not None
    ref = log(sqlite_db, name="Quintessa Marlowe-Brightwater", phone="+442079460003")
    other = log(sqlite_db, name="Bob Jones", phone="+442079460002")
    shared = b"the office's own leaflet, sent to both customers " * 10
    _attach(sqlite_db, ref, "boiler letter.pdf", LETTER)
    _attach(sqlite_db, ref, "leaflet.pdf", shared)
    _attach(sqlite_db, other, "leaflet.pdf", shared)
    wal = path.with_name(path.name + "-wal")
    marker = b"about the boiler"
    everything = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert marker in everything and b"boiler letter.pdf" in everything  # the check can fail

    with sqlite_db.reading() as uow:
        customer_id = uow.session.scalar(
            select(Complaint.customer_id).where(Complaint.reference == ref)
        )
    assert main(["erase-customer", str(customer_id), "--yes", "--db", str(path)]) == 0
    capsys.readouterr()

    everything = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert marker not in everything
    assert b"boiler letter" not in everything
    assert _names(sqlite_db, other) == ["leaflet.pdf"]  # the other customer's copy stays
    with sqlite_db.reading() as uow:
        kept = attachments.find(uow, other, "leaflet.pdf")
        assert attachments.content(uow, kept.sha256) == shared
    assert _blobs(sqlite_db) == 1
    assert main(["check", "--db", str(path)]) == 0
    with pytest.raises(ValidationError, match="erased customer"), sqlite_db.transaction() as uow:
        attachments.attach(uow, ref, "again.pdf", LETTER)


def test_backup_and_restore_bring_the_files_back(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sqlite_db.sqlite_path
    assert path is not None
    ref = log(sqlite_db)
    _attach(sqlite_db, ref, "letter.pdf", LETTER)
    made = backups.backup_now(sqlite_db)
    _attach(sqlite_db, ref, "after.txt", b"added after the backup")

    assert main(["restore", str(made), "--db", str(path)]) == 0, capsys.readouterr().err
    assert _names(sqlite_db, ref) == ["letter.pdf"]
    with sqlite_db.reading() as uow:
        found = attachments.find(uow, ref, "letter.pdf")
        assert attachments.content(uow, found.sha256) == LETTER
        assert found.size == len(LETTER)


def test_a_customers_export_holds_their_files(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = log(db, name="Ann Smith")
    other = log(db, name="Bob Jones", phone="+442079460002")
    _attach(db, ref, "letter.pdf", LETTER)
    _attach(db, other, "bob.txt", b"Bob's own file")
    with db.reading() as uow:
        customer_id = uow.session.scalar(
            select(Complaint.customer_id).where(Complaint.reference == ref)
        )
    target = tmp_path / "ann.json"
    assert main(["export-customer", str(customer_id), "-o", str(target), "--db", db.url]) == 0
    [complaint] = json.loads(target.read_text(encoding="utf-8"))["complaints"]
    [attached] = complaint["attachments"]
    assert attached["name"] == "letter.pdf" and attached["size"] == len(LETTER)
    assert base64.b64decode(attached["content_base64"]) == LETTER
    assert "bob.txt" not in target.read_text(encoding="utf-8")


def test_the_call_brief_lists_the_files_by_name_and_size(
    sqlite_db: Database, tmp_path: Path
) -> None:
    from ceo_desk.core import presenting, queries
    from ceo_desk.reports.brief import render_call_brief
    from tests.integration.test_reports import flat, pages_text

    ref = log(sqlite_db)
    _attach(sqlite_db, ref, "letter.pdf", LETTER)
    _attach(sqlite_db, ref, "photo.jpg", b"\xff\xd8\xff" + b"\0" * 5000)
    with sqlite_db.reading() as uow:
        detail = queries.complaint_detail(uow, ref)
    titles = [section.title for section in presenting.call_brief(detail)]
    assert "Attachments (2)" in titles
    out = tmp_path / "brief.pdf"
    render_call_brief(sqlite_db, ref, out)
    text = flat(" ".join(pages_text(out)))
    assert f"letter.pdf ({attachments.size_text(len(LETTER))})" in text
    assert "photo.jpg (5 KB)" in text


def test_a_file_can_belong_to_one_of_the_complaints_reports(db: Database) -> None:
    from ceo_desk.core.services import complaints
    from tests.builders import add_staff

    ref = log(db)
    staff = add_staff(db)
    with db.transaction() as uow:
        complaints.delegate(uow, ref, staff)
    with db.transaction() as uow:
        complaints.file_report(uow, ref, complaints.ReportInput(said="Sorry", done="Refunded"))
    with db.reading() as uow:
        report_id = uow.session.scalar(select(Report.id))
    with db.transaction() as uow:
        made = attachments.attach(uow, ref, "returned form.pdf", LETTER, report_id=report_id)
    assert made.info.report_id == report_id
    with db.reading() as uow:
        [listed] = attachments.list_for(uow, ref)
    assert listed.report_id == report_id and listed.name == "returned form.pdf"


def test_only_who_may_edit_the_complaint_or_file_its_report_attaches(db: Database) -> None:
    filer = add_staff(db, "Jo Ortiz")
    ref = awaiting_callback(db, filer)
    with db.reading() as uow:
        report_id = uow.session.scalar(select(Report.id))
    other = person(db, "lpark", Role.DELEGATE, staff=add_staff(db, "Lee Park", "Sales"))
    with (
        pytest.raises(PermissionDenied, match=r"Editing a complaint needs the .* role; held by"),
        other.transaction() as uow,
    ):
        attachments.attach(uow, ref, "note.txt", b"a note")
    with pytest.raises(PermissionDenied, match="not delegated to you"), other.transaction() as uow:
        attachments.attach(uow, ref, "receipt.pdf", b"%PDF-1.4", report_id=report_id)
    owner = person(db, "olga", Role.OWNER)
    with (
        pytest.raises(PermissionDenied, match=r"Filing a report needs the .* role; held by"),
        owner.transaction() as uow,
    ):
        attachments.attach(uow, ref, "receipt.pdf", b"%PDF-1.4", report_id=report_id)
    assert _names(db, ref) == []
    assert _blobs(db) == 0
    with person(db, "jortiz", Role.DELEGATE, staff=filer).transaction() as uow:
        attachments.attach(uow, ref, "receipt.pdf", b"%PDF-1.4", report_id=report_id)
    assert _names(db, ref) == ["receipt.pdf"]
