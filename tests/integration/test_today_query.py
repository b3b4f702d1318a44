"""The Today list's query: its rows carry the same final-response deadline as every other list,
paused days included, though it reads each complaint once."""

from __future__ import annotations

from datetime import date

from ceo_desk.core import deadlines, queries
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
