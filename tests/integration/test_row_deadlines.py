"""The rows of Today and of All complaints carry the same final-response deadline as the
deadline's own reading, paused days included, though each list reads its complaints once."""

from __future__ import annotations

from datetime import date

from ceo_desk.core import deadlines, queries
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.queries import ComplaintFilter
from ceo_desk.core.services import pauses
from ceo_desk.enums import ReputationFlag
from ceo_desk.store.db import Database
from tests.builders import at, delegate, log, office, report


def test_today_rows_carry_the_deadline_with_the_paused_days(db: Database) -> None:
    staff = office(db)
    paused = log(db, "Paused Customer", when=at(0))  # Monday 9 March
    delegate(db, paused, staff.ortiz, at(0), due_on=date(2026, 3, 13))
    with db.transaction() as uow:
        pauses.pause(uow, paused, "Waiting for the customer's bank statement", now=at(1))
    with db.transaction() as uow:
        pauses.resume(uow, paused, now=at(8))
    report(db, paused, at(9))
    plain = log(db, "Plain Customer", "Charged twice", "+442079460002", when=at(0), flag_mp=True)
    delegate(db, plain, staff.chen, at(0), due_on=date(2026, 3, 13))
    report(db, plain, at(2))
    with db.reading() as uow:
        rows = {
            row.customer_name: row for row in queries.callbacks_due(uow, today=date(2026, 4, 1))
        }
        expected = deadlines.final_responses(
            uow, [row.id for row in rows.values()], today=date(2026, 4, 1)
        )
    assert set(rows) == {"Paused Customer", "Plain Customer"}
    assert rows["Paused Customer"].final_response == expected[rows["Paused Customer"].id]
    assert rows["Paused Customer"].final_response is not None
    assert rows["Paused Customer"].final_response.paused_days == 7
    assert rows["Plain Customer"].final_response == expected[rows["Plain Customer"].id]
    assert rows["Plain Customer"].final_response is not None
    assert rows["Plain Customer"].final_response.paused_days == 0
    assert rows["Plain Customer"].flags == frozenset({ReputationFlag.MP})
    assert rows["Paused Customer"].flags == frozenset()


def test_list_rows_carry_the_deadline_with_the_paused_days(db: Database) -> None:
    staff = office(db)
    paused = log(db, "Paused Customer", when=at(0))  # Monday 9 March
    delegate(db, paused, staff.ortiz, at(0), due_on=date(2026, 3, 13))
    with db.transaction() as uow:
        pauses.pause(uow, paused, "Waiting for the customer's bank statement", now=at(1))
    still = log(db, "Still Paused", "Boiler broken", "+442079460003", when=at(0))
    delegate(db, still, staff.chen, at(0), due_on=date(2026, 3, 13))
    with db.transaction() as uow:
        pauses.pause(uow, still, "Waiting for the installer", now=at(1))
        pauses.resume(uow, paused, now=at(8))
    log(db, "Plain Customer", "Charged twice", "+442079460002", when=at(0))
    with db.reading() as uow:
        ids = queries.complaint_ids(uow, ComplaintFilter(), limit=10)
        rows = {row.customer_name: row for row in queries.complaint_rows(uow, ids)}
        expected = deadlines.final_responses(uow, ids, today=SYSTEM_CLOCK.today())
    assert set(rows) == {"Paused Customer", "Still Paused", "Plain Customer"}
    for row in rows.values():
        assert row.final_response == expected[row.id]
    assert rows["Paused Customer"].final_response is not None
    assert rows["Paused Customer"].final_response.paused_days == 7
    assert rows["Still Paused"].final_response is not None
    assert rows["Still Paused"].final_response.paused
    assert rows["Plain Customer"].final_response is not None
    assert rows["Plain Customer"].final_response.paused_days == 0
