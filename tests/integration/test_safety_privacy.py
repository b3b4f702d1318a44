"""Privacy: erasing a customer everywhere (to the last byte of the file), exporting what is held
about one customer, and the retention rule."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from ceo_desk.cli import main
from ceo_desk.core import audit, fields, queries
from ceo_desk.core.safety import erase, retention
from ceo_desk.core.services import complaints, office
from ceo_desk.enums import Outcome
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint, Customer, EventChange, Report
from tests.builders import add_staff, log

NAME = "Zoë Vandermeer"
PHONE = "+442079460123"
EMAIL = "zoe.vandermeer@example.org"
SECRETS = [NAME, "Vandermeer", "vandermeer", PHONE, "2079460123", "7946 0123", EMAIL]


def _customer_with_history(db: Database, staff_id: int) -> tuple[int, str]:
    ref = log(
        db,
        name=NAME,
        phone=PHONE,
        email=EMAIL,
        summary="Vandermeer order lost",
        details=f"{NAME} rang from 020 7946 0123; reply to {EMAIL}.",
    )
    with db.transaction() as uow:
        complaints.delegate(uow, ref, staff_id, instructions=f"Call Ms Vandermeer on {PHONE}")
    with db.transaction() as uow:
        complaints.file_report(
            uow,
            ref,
            complaints.ReportInput(
                said="Told Ms Vandermeer we are sorry", done="Refunded", cost="120.50"
            ),
        )
    with db.transaction() as uow:
        complaints.record_callback(
            uow,
            ref,
            complaints.CallbackInput(
                outcome=Outcome.NOT_SATISFIED,
                satisfaction=2,
                customer_words="Zoë says the parcel is still missing",
            ),
        )
    with db.transaction() as uow:
        complaints.file_report(uow, ref, complaints.ReportInput(said="Sorry", done="Resent"))
    with db.transaction() as uow:
        complaints.record_callback(
            uow, ref, complaints.CallbackInput(outcome=Outcome.SATISFIED, satisfaction=5)
        )
    with db.reading() as uow:
        customer_id = uow.session.scalar(select(Customer.id).where(Customer.email == EMAIL))
    assert customer_id is not None
    return customer_id, ref


def _statistics(db: Database) -> tuple[object, ...]:
    with db.reading() as uow:
        s = uow.session
        return (
            s.scalar(select(func.count()).select_from(Complaint)),
            s.scalar(select(func.sum(Report.cost_minor))),
            tuple(
                s.execute(
                    select(Complaint.status, Complaint.received_at, Complaint.closed_at).order_by(
                        Complaint.id
                    )
                ).all()
            ),
            s.scalar(select(func.count()).select_from(Customer)),
        )


def test_erase_removes_the_customer_everywhere_and_keeps_statistics(db: Database) -> None:
    staff = add_staff(db)
    customer_id, ref = _customer_with_history(db, staff)
    other = log(db, name="Bob Other", phone="+15555550100", summary="Bob's toaster broke")
    before = _statistics(db)

    result = erase.erase_customer_everywhere(db, customer_id)

    assert result.complaints == 1 and result.events_redacted > 0
    assert _statistics(db) == before
    with db.reading() as uow:
        customer = uow.session.get(Customer, customer_id)
        assert customer is not None and customer.erased_at is not None
        assert customer.phone is None and customer.email is None and NAME not in customer.name
        detail = queries.complaint_detail(uow, ref)
        shown = json.dumps(
            [
                detail.summary,
                detail.details,
                [r.said for r in detail.reports],
                [c.customer_words for c in detail.callbacks],
                [d.instructions for d in detail.delegations],
            ],
            ensure_ascii=False,
        )
        for secret in SECRETS:
            assert secret.lower() not in shown.lower()
        assert "[erased]" in detail.details and "order lost" in detail.summary
        changes = uow.session.scalars(
            select(EventChange).where(EventChange.redacted_at.is_not(None))
        )
        assert all(c.before_json == '{"redacted": true}' for c in changes)
        assert audit.verify_chain(uow).ok
        found = queries.list_complaints(uow, queries.ComplaintFilter(text="vandermeer"))
        assert found == []
        assert [
            r.reference for r in queries.list_complaints(uow, queries.ComplaintFilter(text="bob"))
        ] == [other]


def test_no_byte_of_an_erased_customer_is_left_in_the_file_or_wal(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = add_staff(sqlite_db)
    customer_id, _ = _customer_with_history(sqlite_db, staff)
    path = sqlite_db.sqlite_path
    assert path is not None
    wal = path.with_name(path.name + "-wal")
    everything = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert EMAIL.encode() in everything  # the check below can fail

    assert main(["erase-customer", str(customer_id), "--yes", "--db", str(path)]) == 0
    assert "erased" in capsys.readouterr().out

    everything = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    for secret in SECRETS:
        assert secret.encode("utf-8") not in everything, secret
    assert main(["check", "--db", str(path)]) == 0


def test_erase_refuses_unknown_and_already_erased_customers(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as uow, pytest.raises(NotFoundError):
        erase.erase_customer(uow, 404)
    log(sqlite_db)
    with sqlite_db.reading() as uow:
        customer_id = uow.session.scalar(select(Customer.id))
    assert customer_id is not None
    erase.erase_customer_everywhere(sqlite_db, customer_id)
    with sqlite_db.transaction() as uow, pytest.raises(ValidationError, match="already erased"):
        erase.erase_customer(uow, customer_id)


def test_cli_erase_without_confirmation_changes_nothing(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    log(sqlite_db, name="Keep Me")
    assert main(["erase-customer", "1", "--db", str(sqlite_db.sqlite_path)]) == 2
    assert "--yes" in capsys.readouterr().err
    with sqlite_db.reading() as uow:
        assert uow.session.scalar(select(Customer.name)) == "Keep Me"


def test_export_customer_holds_everything_about_them_and_nobody_else(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = add_staff(db)
    customer_id, ref = _customer_with_history(db, staff)
    other = log(db, name="Bob Other", phone="+15555550100", summary="Bob's toaster broke")
    target = tmp_path / "zoe.json"
    assert main(["export-customer", str(customer_id), "-o", str(target), "--db", db.url]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["customer"]["name"] == NAME and data["customer"]["email"] == EMAIL
    [complaint] = data["complaints"]
    assert complaint["reference"] == ref
    assert len(complaint["reports"]) == 2 and len(complaint["callbacks"]) == 2
    assert complaint["callbacks"][0]["customer_words"].startswith("Zoë")
    assert {e["action"] for e in complaint["events"]} >= {"logged", "delegated", "report_filed"}
    raw = target.read_text(encoding="utf-8")
    assert "Bob" not in raw and other not in raw and "toaster" not in raw


def test_export_customer_carries_every_declared_field_as_show_names_it(
    db: Database, tmp_path: Path
) -> None:
    staff = add_staff(db)
    customer_id, ref = _customer_with_history(db, staff)
    target = tmp_path / "zoe.json"
    assert main(["export-customer", str(customer_id), "-o", str(target), "--db", db.url]) == 0
    [complaint] = json.loads(target.read_text(encoding="utf-8"))["complaints"]
    with db.reading() as uow:
        shown = queries.complaint_detail(uow, ref).to_json()
    for declared in fields.JSON_VISIBLE:
        name = fields.json_name(declared.key)
        assert name in complaint, declared.key
        assert complaint[name] == shown[name], declared.key
    assert complaint[fields.json_name("email")] == EMAIL


def test_export_of_an_unknown_customer_is_refused(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.json"
    assert (
        main(["export-customer", "77", "-o", str(target), "--db", str(sqlite_db.sqlite_path)]) == 2
    )
    assert "no customer #77" in capsys.readouterr().err
    assert not target.exists()


def test_retention_anonymises_old_closed_complaints_only(db: Database) -> None:
    add_staff(db)
    long_ago = datetime.now(UTC) - timedelta(days=3 * 365)
    old = log(
        db,
        name="Olga Oldcase",
        phone="+442079460999",
        summary="Olga: meter misread",
        received_at=long_ago,
    )
    with db.transaction() as uow:
        complaints.withdraw(uow, old, "Olga Oldcase withdrew", now=long_ago + timedelta(days=1))
    recent = log(db, name="Rita Recent", phone="+442079460888", summary="Rita: meter misread")
    with db.transaction() as uow:
        settings = office.load_settings(uow)
        from dataclasses import replace

        office.save_settings(uow, replace(settings, retention_years=2))
    before = _statistics(db)

    outcome = retention.apply(db)

    assert outcome.customers_erased == 1 and outcome.complaints_anonymised == 1
    assert _statistics(db) == before
    with db.reading() as uow:
        names = set(uow.session.scalars(select(Customer.name)))
        old_detail = queries.complaint_detail(uow, old)
        recent_detail = queries.complaint_detail(uow, recent)
    assert "Rita Recent" in names and "Olga Oldcase" not in names
    assert "Olga" not in old_detail.summary and "Rita" in recent_detail.summary
    assert retention.apply(db).customers_erased == 0  # nothing left to do


def test_retention_does_nothing_without_a_setting(db: Database) -> None:
    log(db, received_at=datetime.now(UTC) - timedelta(days=4000))
    assert retention.apply(db) == retention.RetentionResult()
    with db.reading() as uow:
        assert (
            uow.session.scalar(text("SELECT count(*) FROM customer WHERE erased_at IS NOT NULL"))
            == 0
        )


def test_typed_comments_and_reasons_stay_out_of_the_frozen_descriptions(db: Database) -> None:
    staff_id = add_staff(db)
    with db.transaction() as uow:
        logged = complaints.log_call(
            uow,
            complaints.CallInput(
                customer_name="Greta Lindqvist", summary="Late refund", phone="+442079460777"
            ),
        )
    with db.transaction() as uow:
        complaints.delegate(uow, logged.reference, staff_id)
    with db.transaction() as uow:
        complaints.file_report(
            uow, logged.reference, complaints.ReportInput(said="Sorry", done="Refunded")
        )
    with db.transaction() as uow:
        complaints.send_back(uow, logged.reference, "Ring Greta Lindqvist back yourself")
    with db.transaction() as uow:
        complaints.withdraw(uow, logged.reference, "Greta Lindqvist withdrew it")
    result = erase.erase_customer_everywhere(db, logged.customer_id)
    assert result.descriptions_mentioning == ()
    with db.reading() as uow:
        assert audit.verify_chain(uow).ok
        texts = [t for (t,) in uow.session.execute(select(EventChange.after_json))]
    assert not any("Lindqvist" in t for t in texts)
