"""The board pack's follow-through: the CEO's promises made, kept and broken, and how often a fix
did not stick, by the unit that caused each complaint.

A promise counts as made in the month it was made, and as kept or broken in the month it was
ticked; a follow-up call counts in the month it was made. The relapse rate is the share of the
month's follow-up calls where the problem had come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ceo_desk.core.policy import Period
from ceo_desk.enums import FollowUpOutcome, PromiseOutcome, UnitKind
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, FollowUp, Promise, Unit

NO_CAUSING_UNIT = "No causing unit recorded"


@dataclass
class UnitFollowThrough:
    unit_id: int | None  # None: complaints with no causing unit recorded
    name: str
    kind: UnitKind | None
    promises_made: int = 0
    promises_kept: int = 0
    promises_broken: int = 0
    follow_ups: int = 0
    came_back: int = 0

    @property
    def relapse_rate(self) -> float | None:
        return self.came_back / self.follow_ups if self.follow_ups else None


@dataclass(frozen=True)
class FollowThrough:
    units: list[UnitFollowThrough] = field(default_factory=list)

    @property
    def total(self) -> UnitFollowThrough:
        whole = UnitFollowThrough(None, "All units", None)
        for row in self.units:
            whole.promises_made += row.promises_made
            whole.promises_kept += row.promises_kept
            whole.promises_broken += row.promises_broken
            whole.follow_ups += row.follow_ups
            whole.came_back += row.came_back
        return whole


def follow_through(uow: UnitOfWork, period: Period) -> FollowThrough:
    """Promises and follow-up calls of the month, by causing unit (most promises broken first,
    then the highest relapse rate), the complaints with no causing unit last."""
    session = uow.session
    rows: dict[int | None, UnitFollowThrough] = {}

    def row(unit_id: int | None) -> UnitFollowThrough:
        if unit_id not in rows:
            rows[unit_id] = UnitFollowThrough(unit_id, NO_CAUSING_UNIT, None)
        return rows[unit_id]

    unit = Complaint.caused_by_unit_id
    made = (
        select(unit, func.count(Promise.id))
        .join(Complaint, Complaint.id == Promise.complaint_id)
        .where(Promise.made_at >= period.start, Promise.made_at < period.end)
        .group_by(unit)
    )
    for unit_id, count in session.execute(made):
        row(unit_id).promises_made = int(count)
    settled = (
        select(unit, Promise.outcome, func.count(Promise.id))
        .join(Complaint, Complaint.id == Promise.complaint_id)
        .where(Promise.settled_at >= period.start, Promise.settled_at < period.end)
        .group_by(unit, Promise.outcome)
    )
    for unit_id, outcome, count in session.execute(settled):
        if outcome is PromiseOutcome.KEPT:
            row(unit_id).promises_kept = int(count)
        elif outcome is PromiseOutcome.BROKEN:
            row(unit_id).promises_broken = int(count)
    calls = (
        select(unit, FollowUp.outcome, func.count(FollowUp.id))
        .join(Complaint, Complaint.id == FollowUp.complaint_id)
        .where(FollowUp.settled_at >= period.start, FollowUp.settled_at < period.end)
        .group_by(unit, FollowUp.outcome)
    )
    for unit_id, answer, count in session.execute(calls):
        target = row(unit_id)
        target.follow_ups += int(count)
        if answer is FollowUpOutcome.CAME_BACK:
            target.came_back += int(count)
    named = [u for u in rows if u is not None]
    if named:
        for uid, name, kind in session.execute(
            select(Unit.id, Unit.name, Unit.kind).where(Unit.id.in_(named))
        ):
            rows[uid].name, rows[uid].kind = name, kind
    ordered = sorted(
        rows.values(),
        key=lambda r: (
            r.unit_id is None,
            -r.promises_broken,
            -(r.relapse_rate or 0.0),
            r.name.lower(),
        ),
    )
    return FollowThrough(ordered)
