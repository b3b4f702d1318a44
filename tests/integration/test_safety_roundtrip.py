"""An exported file imports back into a fresh log, without a mapping, with every field intact."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ceo_desk.core import fields, queries
from ceo_desk.core.database import open_database
from ceo_desk.core.intake import sheet_import, sheet_mapping
from ceo_desk.core.safety import check, exporter
from ceo_desk.core.services import complaints, directory, promises
from ceo_desk.enums import Channel, Outcome, PromiseOutcome, Severity, UnitKind
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint, Event, EventChange
from tests import builders
from tests.conftest import _fresh_postgres_url

RECEIVED = datetime(2026, 3, 2, 9, 15, 42, tzinfo=UTC)


@pytest.fixture
def fresh_db(
    database_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Database]:
    """A second, empty log on the same backend as `db`."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        url = _fresh_postgres_url(request.getfixturevalue("postgres"))
    database = open_database(url)
    try:
        yield database
    finally:
        database.close()


def _directory(db: Database) -> int:
    """The same people and partners in both logs: the export names them, it does not carry them."""
    staff_id = builders.add_staff(db, "Jo Ortiz", "Billing")
    with db.transaction() as uow:
        directory.add_unit(uow, "Acme Couriers", UnitKind.PARTNER)
    return staff_id


def _log(db: Database, **given: Any) -> str:
    values: dict[str, Any] = {
        "customer_name": "Ann Lee",
        "summary": "Charged twice",
        "phone": "+442079460001",
        "received_at": RECEIVED,
    } | given
    with db.transaction() as uow:
        return complaints.log_call(uow, complaints.CallInput(**values)).reference


def _fill(db: Database, staff_id: int) -> list[str]:
    everything = _log(
        db,
        customer_name="+Mallory O'Neil",
        phone="+15555550199",
        email="mallory@example.com",
        organisation="=Acme Holdings",
        account_ref="'ACC-77",
        channel=Channel.EMAIL,
        severity=Severity.HIGH,
        category="Delivery",
        details='Parcel left in the rain.\nSecond line, with "quotes", commas; and =SUM(A1).',
        customer_wants="-A refund and an apology",
        ceo_spoke=True,
        ceo_promised="@Call back on Friday",
        prior_contacts=4,
        caused_by_unit="Acme Couriers",
        vulnerable=True,
        flag_mp=True,
        flag_social_media=True,
        promises=(
            promises.PromiseInput("Refund the second charge", "2026-03-04"),
            promises.PromiseInput("Ring back\n  once the courier has called", "2026-03-09"),
            promises.PromiseInput("2026-03-20: a line that looks like a promise", "2026-03-20"),
        ),
    )
    with db.transaction() as uow:
        [first, _, third] = promises.for_complaint(
            uow,
            uow.session.scalar(select(Complaint.id).where(Complaint.reference == everything)) or 0,
        )
        promises.settle(
            uow,
            everything,
            {first.id: PromiseOutcome.KEPT, third.id: PromiseOutcome.BROKEN},
        )
    delegated = _log(db, customer_name="Bob Ray", phone=None, email="bob@example.com")
    with db.transaction() as uow:
        complaints.delegate(uow, delegated, staff_id, due_on=date.today() + timedelta(days=9))
    resolved = _log(
        db,
        customer_name="Cleo Fox",
        phone="+15555550100",
        summary="Rude driver",
        flag_journalist=True,
        flag_regulator=True,
        promises=(promises.PromiseInput("Retrain the driver", "2026-03-05"),),
    )
    builders.delegate_and_report(db, resolved, staff_id)
    builders.callback(db, resolved, Outcome.SATISFIED, satisfaction=5)
    withdrawn = _log(db, customer_name="Dan Roe", phone="+15555550111")
    with db.transaction() as uow:
        complaints.withdraw(uow, withdrawn, "Sorted out with the shop, said the customer")
    unreachable = _log(db, customer_name="Eve Poe", phone="+15555550122")
    builders.delegate_and_report(db, unreachable, staff_id)
    builders.unanswered(db, unreachable, 3)
    with db.transaction() as uow:
        complaints.mark_unreachable(uow, unreachable)
    return [everything, delegated, resolved, withdrawn, unreachable]


def _to_the_second(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 19 and value[10] == "T":
        return datetime.fromisoformat(value).astimezone(UTC).replace(microsecond=0)
    return value


def _fields(db: Database, reference: str) -> dict[str, Any]:
    """Every field the export writes and the import reads, as `show --json` gives it."""
    with db.reading() as uow:
        shown = queries.complaint_detail(uow, reference).to_json()
    values = {f.key: _to_the_second(shown[f.json]) for f in fields.IMPORTABLE if f.json}
    # The promise ledger: what, by when and what became of it (who and when belong to the trail).
    values["promises"] = [(p["what"], p["due_on"], p["outcome"]) for p in shown["promises"]]
    if shown["status"] not in ("new", "delegated"):
        # A closed complaint's last delegate belongs to its history (the hand-offs), which the
        # export summarises and the import does not rebuild.
        values.pop("delegate")
    return values


def _with_machine_names(path: Path) -> None:
    """The export as earlier versions wrote it: the same rows under the columns' machine names."""
    text = path.read_bytes().decode("utf-8-sig")
    heading, rest = text.split("\r\n", 1)
    assert next(csv.reader([heading])) == [exporter.HEADINGS[c] for c in exporter.COLUMNS]
    path.write_bytes(("\ufeff" + ",".join(exporter.COLUMNS) + "\r\n" + rest).encode("utf-8"))


@pytest.mark.parametrize("headings", ["labels", "machine names"])
def test_export_then_import_gives_back_every_field(
    db: Database, fresh_db: Database, tmp_path: Path, headings: str
) -> None:
    references = _fill(db, _directory(db))
    _directory(fresh_db)
    exported = tmp_path / "complaints.csv"
    with db.reading() as uow:
        assert exporter.export_complaints(uow, exported) == len(references)
    if headings == "machine names":
        _with_machine_names(exported)

    with fresh_db.transaction() as uow:
        result = sheet_import.import_file(uow, exported)

    assert result.ok, result.problems
    assert result.references == references
    for reference in references:
        assert _fields(fresh_db, reference) == _fields(db, reference), reference
    with fresh_db.reading() as uow:
        first = queries.complaint_detail(uow, references[0])
    assert first.customer_name == "+Mallory O'Neil" and first.customer_vulnerable
    assert (first.flag_mp, first.flag_journalist, first.flag_social_media) == (True, False, True)
    assert [(p.what, p.outcome) for p in first.promises] == [
        ("Refund the second charge", PromiseOutcome.KEPT),
        ("Ring back\n  once the courier has called", None),
        ("2026-03-20: a line that looks like a promise", PromiseOutcome.BROKEN),
    ]
    # What came in is on the trail: the import's event holds the promises and the mark.
    with fresh_db.reading() as uow:
        after = uow.session.scalar(
            select(EventChange.after_json)
            .join(Event, Event.id == EventChange.event_id)
            .where(Event.action == "imported", Event.complaint_id == first.id)
        )
    assert after is not None
    imported = json.loads(after)
    assert imported["customer_vulnerable"] is True and imported["flag_mp"] is True
    assert imported["promises"][0] == {
        "what": "Refund the second charge",
        "due_on": "2026-03-04",
        "outcome": "kept",
    }
    report = check.run_check(fresh_db)
    assert report.ok, report.as_text()


def test_every_importable_field_has_a_column_the_export_writes() -> None:
    written = set(exporter.COLUMNS)
    for declared in fields.IMPORTABLE:
        assert declared.csv in written, declared.key
        assert sheet_mapping.field_for_header(declared.csv or "") == declared.key


def test_the_csv_export_is_headed_by_labels_the_import_maps_without_asking(
    sqlite_db: Database, tmp_path: Path
) -> None:
    _log(sqlite_db)
    exported = tmp_path / "complaints.csv"
    with sqlite_db.reading() as uow:
        exporter.export_complaints(uow, exported)
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == ["Reference", "Status", "Received"]
    assert "Customer name" in header and "customer_name" not in header
    with sqlite_db.reading() as uow:
        plan = sheet_import.plan(uow, exported)
    # Every field the import reads is fed by its own heading, and nothing else is mapped.
    assert plan.mapping.fields == {f.key: [f.label] for f in fields.EXPORTED if f.importable}
    assert plan.mapping.values == {} and plan.date_order is None


def test_an_apostrophe_the_export_adds_is_the_only_one_the_import_removes() -> None:
    for text in ("'quoted", "''twice", "=1+1", "+44 20", "plain", "it's"):
        assert exporter.unguard_cell(exporter.safe_cell(text)) == text


def _sheet(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "sheet.csv"
    heading = "Received,Summary,Customer name,Phone,Vulnerable customer,MP involved,Promises"
    path.write_text("\n".join([heading, *rows]) + "\n", encoding="utf-8")
    return path


def test_an_imported_yes_marks_a_known_customer_vulnerable(
    sqlite_db: Database, tmp_path: Path
) -> None:
    known = _log(sqlite_db)
    sheet = _sheet(
        tmp_path,
        '2026-03-03 10:00,Charged again,Ann Lee,+442079460001,yes,yes,"2026-03-05: Refund"',
    )
    with sqlite_db.transaction() as uow:
        result = sheet_import.import_file(uow, sheet)
    assert result.ok, result.problems
    with sqlite_db.reading() as uow:
        before = queries.complaint_detail(uow, known)
        imported = queries.complaint_detail(uow, result.references[0])
    assert imported.customer_id == before.customer_id and before.customer_vulnerable
    assert imported.flag_mp and [p.what for p in imported.promises] == ["Refund"]


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        ("maybe,no,", "'maybe' under Vulnerable customer is not yes or no"),
        (
            'no,no,"Refund by Friday"',
            "promise 'Refund by Friday' must start with the day it is due",
        ),
        ('no,no,"2026-02-01: Refund"', "promise 1 is due 2026-02-01, before the complaint came in"),
    ],
)
def test_a_bad_promise_or_mark_is_refused_and_nothing_is_imported(
    sqlite_db: Database, tmp_path: Path, cells: str, said: str
) -> None:
    sheet = _sheet(tmp_path, f"2026-03-03 10:00,Charged again,Ann Lee,+442079460001,{cells}")
    with sqlite_db.transaction() as uow:
        result = sheet_import.import_file(uow, sheet)
    assert len(result.problems) == 1 and result.problems[0].line == 2
    assert said in result.problems[0].reason
    with sqlite_db.reading() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Complaint)) == 0
