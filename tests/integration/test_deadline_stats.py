"""The board pack's final-response figures: closings in time, open complaints near or past the
deadline at month end (paused days added), and the month's pauses."""

from __future__ import annotations

from ceo_desk.core import policy, stats
from ceo_desk.core.services import pauses
from ceo_desk.store.db import Database
from ceo_desk.store.models import ClockPause
from tests.builders import at, delegate, log, office, resolve, stored_detail

MARCH = policy.Month(2026, 3)


def test_the_month_end_deadlines_leave_the_paused_days_out(sqlite_db: Database) -> None:
    db = sqlite_db
    staff = office(db)
    past = log(db, "Ann Lee", "Meter never read", when=at(-70))  # 29 December: due 23 February
    delegate(db, past, staff.ortiz, at(-70))
    paused = log(db, "Bob Ray", "Boiler", "+442079460002", when=at(-40))  # 28 January
    with db.transaction() as uow:  # 27 February to 14 March: fifteen days
        pauses.pause(uow, paused, "Waiting for the installer", now=at(-10))
    with db.transaction() as uow:
        pauses.resume(uow, paused, now=at(5))
    quick = log(db, "Cy Twain", "Charged twice", "+442079460003", when=at(0))
    resolve(db, quick, staff.chen, now=at(3))
    with db.reading() as uow:
        figures = stats.monthly_summary(uow, MARCH, now=at(30)).final_responses
    assert (figures.closed_in_time, figures.closed_late) == (1, 0)
    assert figures.open_at_end == 2
    # Bob Ray's deadline moved from 25 March to 9 April: near it on 1 April, not past it.
    assert figures.near_at_end == 1
    assert [(p.reference, p.due.isoformat(), p.days_over) for p in figures.past_at_end] == [
        (past, "2026-02-23", 37)
    ]
    # Thirteen of the pause's days fell in March.
    assert (figures.paused_complaints, figures.paused_days) == (1, 13)


def test_a_pause_left_running_on_a_complaint_closed_before_the_month_is_not_in_it(
    sqlite_db: Database,
) -> None:
    db = sqlite_db
    staff = office(db)
    ref = log(db, "Bob Ray", "Boiler", "+442079460002", when=at(-40))  # 28 January
    resolve(db, ref, staff.chen, now=at(-12))  # 25 February
    with db.transaction() as uow:  # as a log written before closing ended the pause holds it
        uow.session.add(
            ClockPause(
                complaint_id=stored_detail(db, ref).id,
                reason="Waiting for the installer",
                paused_at=at(-20),
                paused_by="p.jones",
            )
        )
    with db.reading() as uow:
        march = stats.monthly_summary(uow, MARCH, now=at(30)).final_responses
        february = stats.monthly_summary(uow, policy.Month(2026, 2), now=at(-5)).final_responses
    assert (march.paused_complaints, march.paused_days) == (0, 0)
    assert (february.paused_complaints, february.paused_days) == (1, 8)  # 17 to 25 February
