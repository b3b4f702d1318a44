"""Figures the board pack now reads in fewer queries give what the longer way gives: the league's
trend from each unit's score parts alone, the appendix's delegate from one joined query."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ceo_desk.core import policy, stats
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import complaints as svc
from ceo_desk.core.services import office
from ceo_desk.enums import Outcome
from ceo_desk.store.db import Database
from ceo_desk.store.models import Complaint, Delegation, Staff
from tests import builders
from tests.march_history import AFTER_MARCH, MARCH, History, at, build_history


def _with_late_changes(db: Database) -> History:
    """The March history, and: M3 handed to another person after March ended; X handed back to
    its first delegate when the not-satisfied call that re-delegated it was withdrawn."""
    h = build_history(db)
    h.delegate("M3", "L", at(4, 2))
    h.log("X", at(3, 25), "Barbara Ritchie", unit="FastShip Ltd")
    h.delegate("X", "J", at(3, 25))
    h.report("X", at(3, 26))
    builders.callback(
        db, h.refs["X"], Outcome.NOT_SATISFIED, at(3, 27), reassign_to_staff_id=h.staff["L"]
    )
    with db.transaction() as uow:
        svc.withdraw_outcome(uow, h.refs["X"], now=at(3, 27) + timedelta(minutes=2))
    return h


def _score_parts(unit: stats.UnitFigures) -> tuple[int, ...]:
    return (unit.cases, unit.cases_resolved, unit.cases_withdrawn, unit.caused, unit.reports,
            unit.reports_on_time, unit.reports_missing)  # fmt: skip


def test_the_trend_scores_are_those_of_every_persons_figures(db: Database) -> None:
    _with_late_changes(db)
    seen = []
    with db.reading() as uow:
        settings = office.load_settings(uow)
        for month in (MARCH.shifted(-2), MARCH.shifted(-1), MARCH, MARCH.next()):
            period = policy.Period.of(month, SYSTEM_CLOCK.moment(AFTER_MARCH), SYSTEM_CLOCK)
            whole = stats.unit_figures(uow, period, stats.staff_figures(uow, period, settings))
            parts = stats.unit_score_figures(uow, period)
            assert set(parts) <= set(whole)
            for uid, longer in whole.items():
                shorter = parts.get(uid)
                assert (shorter.score if shorter else None) == longer.score, (month, uid)
                if shorter is not None:
                    assert _score_parts(shorter) == _score_parts(longer), (month, uid)
                seen.append(longer.score)
    assert sum(score is not None for score in seen) >= 5, "the months have scored units"


def test_the_appendix_names_each_complaints_delegate_at_month_end(db: Database) -> None:
    h = _with_late_changes(db)
    with db.reading() as uow:
        summary = stats.monthly_summary(uow, MARCH, now=AFTER_MARCH)
        expected = {}
        for row in summary.appendix:
            handed = uow.session.execute(
                select(Delegation.id, Staff.name)
                .join(Staff, Staff.id == Delegation.staff_id)
                .join(Complaint, Complaint.id == Delegation.complaint_id)
                .where(Complaint.reference == row.reference)
            ).all()
            kept = [
                (d.id, name)
                for d, name in ((uow.session.get(Delegation, did), name) for did, name in handed)
                if d is not None and d.withdrawn_at is None and d.delegated_at < summary.period.end
            ]
            expected[row.reference] = max(kept)[1] if kept else ""
    shown = {row.reference: row.delegate for row in summary.appendix}
    assert shown == expected
    assert shown[h.refs["M3"]] == "Zoë Martin", "the delegate then, not the one after"
    assert shown[h.refs["X"]] == "Jürgen Weiß", "the withdrawn hand-off is left out"
    assert shown[h.refs["M5"]] == "", "withdrawn before anyone was asked"
