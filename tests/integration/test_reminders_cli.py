"""`ceo-desk reminders run` through the real entry point and a real SMTP server on the loopback:
each reminder arrives once however often the run comes, the head gets the escalation, and the
dry run changes nothing."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ceo_desk.cli import main
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import open_database
from ceo_desk.core.services import directory, office
from ceo_desk.core.services import reminders as reminder_service
from ceo_desk.store.db import Database
from ceo_desk.store.models import Event, OutboxMessage
from tests.builders import days_ago, delegate, log
from tests.builders import office as small_office
from tests.smtp_server import SmtpServer, use_server


@pytest.fixture
def overdue(sqlite_db: Database, smtp_server: SmtpServer) -> str:
    return _overdue(sqlite_db, smtp_server)


def _overdue(db: Database, smtp_server: SmtpServer) -> str:
    """A report five days overdue, Jamie Ortiz's; Wei Chen heads Jamie's unit. Every day is a
    business day here, so what is due does not hang on the day the test runs."""
    use_server(db, smtp_server)
    with db.transaction() as uow:
        settings = office.load_settings(uow)
        office.save_settings(uow, replace(settings, weekend_days=(), escalate_after_days=3))
    people = small_office(db)
    with db.transaction() as uow:
        unit = directory.find_unit(uow, "Customer Service")
        directory.set_unit_head(uow, unit.id, people.chen)
    ref = log(db, "Farah Novák", "Charged twice for March", when=days_ago(11))
    delegate(db, ref, people.ortiz, days_ago(10), due_on=SYSTEM_CLOCK.today() - timedelta(5))
    smtp_server.received.clear()
    return ref


def _run(capsys: pytest.CaptureFixture[str], db: Database, *args: str) -> str:
    code = main(["reminders", "run", "--db", db.url, *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def _counts(db: Database) -> tuple[int, int]:
    with db.reading() as uow:
        messages = uow.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
        events = uow.session.scalar(select(func.count()).select_from(Event)) or 0
    return messages, events


def test_run_twice_sends_each_reminder_once(
    sqlite_db: Database, overdue: str, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite_db
    first = _run(capsys, db)
    assert "Queued 2 reminder(s):" in first
    assert f"{overdue}" in first and "Report overdue" in first
    assert "Escalation to the unit's head" in first
    subjects = sorted(mail.subject for mail in smtp_server.received)
    assert subjects == [
        f"Escalation: report on {overdue} is 5 business days overdue",
        f"New complaint for you: {overdue} — Charged twice for March",
        f"Overdue report: {overdue} — Charged twice for March",
    ]

    second = _run(capsys, db)
    assert second.startswith("No reminders were due.")
    assert len(smtp_server.received) == 3, "nothing sent twice"


def test_the_escalation_reaches_the_head_with_the_delegate_in_copy(
    sqlite_db: Database, overdue: str, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite_db
    _run(capsys, db)
    (escalation,) = [m for m in smtp_server.received if m.subject.startswith("Escalation")]
    assert set(escalation.recipients) == {"wei.chen@example.com", "j.ortiz@example.com"}
    assert escalation.message["To"] == "wei.chen@example.com"
    assert escalation.message["Cc"] == "j.ortiz@example.com"
    assert escalation.body.startswith("Hello Wei Chen,")
    assert "delegated to Jamie Ortiz of Customer Service" in escalation.body
    (overdue_mail,) = [m for m in smtp_server.received if m.subject.startswith("Overdue")]
    assert overdue_mail.recipients == ("j.ortiz@example.com",)


def test_the_dry_run_lists_what_would_go_and_changes_nothing(
    sqlite_db: Database, overdue: str, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite_db
    before = _counts(db)
    out = _run(capsys, db, "--dry-run")
    assert "Would queue 2 reminder(s):" in out
    assert "(dry run: nothing was queued or sent)" in out
    assert _counts(db) == before
    assert smtp_server.received == []
    listed = json.loads(_run(capsys, db, "--dry-run", "--json"))
    assert [d["kind"] for d in listed["due"]] == ["report_overdue", "escalation"]
    assert listed["due"][1]["to"] == ["wei.chen@example.com"]


def test_two_runs_at_once_send_each_reminder_once(db: Database, smtp_server: SmtpServer) -> None:
    """Two computers (two connections) running the reminders at the same moment, on both
    backends: the write lock and the unique dedupe key are the database's own."""
    _overdue(db, smtp_server)
    other = open_database(db.url)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(database: Database) -> None:
        try:
            start.wait()
            reminder_service.run(database, now=SYSTEM_CLOCK.now())
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(d,)) for d in (db, other)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.close()
    assert failures == []
    subjects = sorted(mail.subject for mail in smtp_server.received)
    assert len(subjects) == len(set(subjects)) == 3
    with db.reading() as uow:
        keys = list(uow.session.scalars(select(OutboxMessage.dedupe_key)))
    assert sorted(k for k in keys if k) == sorted({k for k in keys if k})
