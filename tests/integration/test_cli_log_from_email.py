"""`ceo-desk log --from-email FILE` and `--attach FILE`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ceo_desk.cli import main
from ceo_desk.core import attachments
from ceo_desk.enums import Channel
from ceo_desk.store.db import Database
from tests.builders import stored_detail
from tests.intake_files import EML, PNG, outlook_email


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _attached(db: Database, ref: str) -> list[str]:
    with db.reading() as uow:
        return [a.name for a in attachments.list_for(uow, ref)]


def test_an_email_fills_the_complaint_prints_what_it_took_and_is_kept(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(sqlite_db.sqlite_path))
    code, out, err = _run(capsys, "log", "--from-email", str(EML), *db)
    assert code == 0, err
    ref = out.strip()
    assert "Taken from complaint_with_invoice.eml" in err
    assert "Customer name: Renée Lefèvre" in err and "Channel: Email" in err
    assert "Files kept with it: complaint_with_invoice.eml" in err
    detail = stored_detail(sqlite_db, ref)
    assert detail.summary == "Still no refund for the cancelled boiler service"
    assert detail.customer_name == "Renée Lefèvre"
    assert detail.customer_email == "renee.lefevre@example.net"
    assert detail.channel is Channel.EMAIL
    assert "Your reference is 88213" in detail.details
    assert detail.received_at.isoformat().startswith("2026-11-23T16:05:44")
    assert _attached(sqlite_db, ref) == ["complaint_with_invoice.eml", "invoice.pdf"]


def test_flags_on_the_command_line_win_over_the_file(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    msg = tmp_path / "dishwasher.msg"
    msg.write_bytes(outlook_email())
    photo = tmp_path / "receipt.png"
    photo.write_bytes(PNG + b"receipt")
    # The signature's 07700 900123 is read as a number of the office's country.
    assert (
        _run(capsys, "settings", "set", "phone_region", "GB", "--db", str(sqlite_db.sqlite_path))[0]
        == 0
    )
    code, out, err = _run(
        capsys,
        "log",
        "--from-email",
        str(msg),
        "--summary",
        "Dishwasher: two missed visits",
        "--severity",
        "high",
        "--attach",
        str(photo),
        "--json",
        "--db",
        str(sqlite_db.sqlite_path),
    )
    assert code == 0, err
    printed = json.loads(out)
    ref = printed["reference"]
    assert printed["taken_from"] == "dishwasher.msg"
    assert printed["taken"]["summary"] == "Broken dishwasher, second visit missed"  # as read
    detail = stored_detail(sqlite_db, ref)
    assert detail.summary == "Dishwasher: two missed visits"  # as typed
    assert detail.customer_name == "Dana Lee" and detail.customer_phone == "+447700900123"
    assert detail.severity.value == "high"
    assert _attached(sqlite_db, ref) == ["dishwasher.msg", "dishwasher.png", "receipt.png"]


def test_without_the_required_fields_nothing_is_logged(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(sqlite_db.sqlite_path))
    photo = tmp_path / "letter.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"\0" * 100)
    code, out, err = _run(capsys, "log", "--from-email", str(photo), *db)
    assert code == 2 and out == ""
    assert "picture of a letter" in err
    assert "Give --customer and --summary (letter.jpg does not give it)" in err
    code, out, err = _run(capsys, "log", "--phone", "+442079460001", *db)
    assert code == 2 and "Give --customer and --summary" in err and "--from-email" in err
    # With the fields typed, the picture is kept and the channel is the letter's.
    code, out, err = _run(
        capsys,
        "log",
        "--from-email",
        str(photo),
        "--customer",
        "Ann Smith",
        "--summary",
        "Letter about the leak",
        "--phone",
        "+442079460001",
        *db,
    )
    assert code == 0, err
    ref = out.strip()
    assert stored_detail(sqlite_db, ref).channel is Channel.LETTER
    assert _attached(sqlite_db, ref) == ["letter.jpg"]


def test_a_file_that_cannot_be_read_or_attached_leaves_nothing_logged(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(sqlite_db.sqlite_path))
    broken = tmp_path / "broken.msg"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    code, _, err = _run(capsys, "log", "--from-email", str(broken), *db)
    assert code == 2 and "could not be read as an Outlook message" in err
    assert "Traceback" not in err
    assert _run(capsys, "settings", "set", "attachment_max_mb", "1", *db)[0] == 0
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\0" * (1024 * 1024 + 10))
    code, _, err = _run(
        capsys,
        "log",
        "--customer",
        "Ann",
        "--summary",
        "x",
        "--phone",
        "+442079460001",
        "--attach",
        str(big),
        *db,
    )
    assert code == 2 and "video.mp4 is 1.0 MB; files up to 1 MB" in err
    code, out, _ = _run(capsys, "list", "--json", *db)
    assert json.loads(out) == []
