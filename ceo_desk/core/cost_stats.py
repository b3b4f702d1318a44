"""The cost of failure: what accommodations cost in a month, by the unit that caused each complaint.

A report's cost counts in the month it was filed unless it was sent back by the month's end (the
same rule as the headline's total, `stats.cost_counted`), so the rows here add up to that total.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ceo_desk.core.policy import Period
from ceo_desk.core.stats import cost_counted
from ceo_desk.enums import UnitKind
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Report, Unit

NO_CAUSING_UNIT = "No causing unit recorded"


@dataclass(frozen=True)
class UnitCost:
    unit_id: int | None  # None: complaints with no causing unit recorded
    name: str
    kind: UnitKind | None
    complaints: int  # complaints with an accommodation that cost something this month
    cost_minor: dict[str, int]  # by currency

    def in_currency(self, currency: str) -> int:
        return self.cost_minor.get(currency, 0)


def cost_by_unit(uow: UnitOfWork, period: Period, currency: str) -> list[UnitCost]:
    """Accommodation costs counted in the month, by causing unit, dearest first (in `currency`,
    the office's), the complaints with no causing unit last."""
    session = uow.session
    paid = (cost_counted(period), Report.cost_minor > 0)
    sums: dict[int | None, dict[str, int]] = {}
    for unit_id, money, total in session.execute(
        select(Complaint.caused_by_unit_id, Report.currency, func.sum(Report.cost_minor))
        .join(Complaint, Complaint.id == Report.complaint_id)
        .where(*paid)
        .group_by(Complaint.caused_by_unit_id, Report.currency)
    ):
        sums.setdefault(unit_id, {})[money] = int(total)
    if not sums:
        return []
    counts = dict(
        session.execute(
            select(Complaint.caused_by_unit_id, func.count(func.distinct(Report.complaint_id)))
            .join(Complaint, Complaint.id == Report.complaint_id)
            .where(*paid)
            .group_by(Complaint.caused_by_unit_id)
        ).all()
    )
    units = {
        uid: (name, kind)
        for uid, name, kind in session.execute(
            select(Unit.id, Unit.name, Unit.kind).where(Unit.id.in_([u for u in sums if u]))
        )
    }
    rows = [
        UnitCost(
            uid,
            units[uid][0] if uid is not None else NO_CAUSING_UNIT,
            units[uid][1] if uid is not None else None,
            int(counts.get(uid, 0)),
            costs,
        )
        for uid, costs in sums.items()
    ]
    rows.sort(key=lambda r: (r.unit_id is None, -r.in_currency(currency), r.name.lower()))
    return rows
