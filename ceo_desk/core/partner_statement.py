"""A month's statement for one department or partner, to send to it: its complaints, what they
were, how long they took and what putting them right cost.

What a partner may see (the rule the printed statement states): only its own cases, the
complaints it caused (received in the month) or handled (delegated to, reported on or resolved
by its people in the month), the same cases the board pack's league table counts. For each: the
reference, the day it was received, its category, whether the partner caused or handled it, which
of the partner's own people held it, its status at month end, the day it closed, the business
days it took, and the accommodation cost counted in the month. Never the customer's name or
contact details, the complaint's or the reports' wording, the customer's words at a callback, the
names of anyone outside the partner, or anything about another unit's complaints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from ceo_desk.core import permissions, stats
from ceo_desk.core.clock import SYSTEM_CLOCK, Clock
from ceo_desk.core.history import open_states_at
from ceo_desk.core.permissions import Action
from ceo_desk.core.policy import BusinessDays, Month, Period
from ceo_desk.core.services.directory import find_unit
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import Status, UnitKind
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Category, Complaint, Delegation, Report, Staff


@dataclass(frozen=True)
class StatementLine:
    reference: str
    received_on: date
    category: str
    caused: bool  # the unit caused it (received this month or before)
    handled: bool
    contact: str  # the partner's own person who last held it this month, or ""
    status: Status  # at month end
    closed_on: date | None  # when closed by month end
    business_days: int  # receipt to closing, or to month end while open
    cost_minor: dict[str, int]  # counted this month, by currency

    @property
    def part(self) -> str:
        if self.caused and self.handled:
            return "Caused, handled"
        return "Caused" if self.caused else "Handled"


@dataclass(frozen=True)
class PartnerStatement:
    unit_name: str
    kind: UnitKind
    period: Period
    currency: str
    figures: stats.UnitFigures
    lines: list[StatementLine]

    @property
    def open_at_end(self) -> int:
        """How many of the cases were still open when the month ended."""
        return sum(1 for line in self.lines if line.closed_on is None)

    @property
    def by_concern(self) -> list[StatementLine]:
        """The cases in the order they matter: open at month end first, then closed; within
        each, those that have taken the most business days first (then the oldest)."""
        return sorted(
            self.lines,
            key=lambda line: (
                line.closed_on is not None,
                -line.business_days,
                line.received_on,
                line.reference,
            ),
        )

    @property
    def cost_minor(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for line in self.lines:
            for code, amount in line.cost_minor.items():
                totals[code] = totals.get(code, 0) + amount
        return totals


def partner_statement(
    uow: UnitOfWork,
    unit: str | int,
    month: Month,
    *,
    now: datetime | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> PartnerStatement:
    """The statement of `unit` (a name or an id) for `month`, as far as it has happened."""
    permissions.require(uow, Action.READ_LOG)
    found = find_unit(uow, unit)
    period = Period.of(month, clock.moment(now), clock)
    settings = load_settings(uow)
    cases = stats.unit_cases(uow, period)
    caused = cases.caused.get(found.id, set())
    handled = cases.handled.get(found.id, set())
    ids = sorted(caused | handled)
    people = [p for p in stats.staff_figures(uow, period, settings) if p.unit_id == found.id]
    figures = stats.unit_figures(uow, period, people).get(
        found.id, stats.UnitFigures(found.id, found.name, found.kind)
    )
    lines = _lines(uow, period, found.id, ids, handled, BusinessDays(settings))
    return PartnerStatement(found.name, found.kind, period, settings.currency, figures, lines)


def _lines(
    uow: UnitOfWork,
    period: Period,
    unit_id: int,
    ids: list[int],
    handled: set[int],
    day_math: BusinessDays,
) -> list[StatementLine]:
    if not ids:
        return []
    session = uow.session
    day = period.clock.local_day
    wanted = set(ids)
    contacts: dict[int, str] = {}
    costs: dict[int, dict[str, int]] = {}
    rows: list[Any] = []
    for chunk in _chunks(ids):
        rows += session.execute(
            select(
                Complaint.id,
                Complaint.reference,
                Complaint.received_at,
                Complaint.closed_at,
                Complaint.status,
                Category.name,
                Complaint.caused_by_unit_id,
            )
            .outerjoin(Category, Category.id == Complaint.category_id)
            .where(Complaint.id.in_(chunk))
        ).all()
        for complaint_id, name in session.execute(
            select(Delegation.complaint_id, Staff.name)
            .join(Staff, Staff.id == Delegation.staff_id)
            .where(
                Delegation.complaint_id.in_(chunk),
                Staff.unit_id == unit_id,
                Delegation.delegated_at < period.end,
                Delegation.withdrawn_at.is_(None),
            )
            .order_by(Delegation.id)
        ):
            contacts[complaint_id] = name
        for complaint_id, currency, total in session.execute(
            select(Report.complaint_id, Report.currency, func.sum(Report.cost_minor))
            .where(Report.complaint_id.in_(chunk), stats.cost_counted(period))
            .group_by(Report.complaint_id, Report.currency)
        ):
            if total:
                costs.setdefault(complaint_id, {})[currency] = int(total)
    open_status = {
        s.complaint_id: s.status
        for s in open_states_at(uow, period.end, judged_on=period.end_day, clock=period.clock)
        if s.complaint_id in wanted
    }
    last_day = day(period.end) if not period.complete else period.month.last_day
    lines = []
    for cid, reference, received, closed, status, category, causing in rows:
        closed_in_time = closed is not None and closed < period.end
        closed_on = day(closed) if closed_in_time else None
        received_on = day(received)
        lines.append(
            StatementLine(
                reference=reference,
                received_on=received_on,
                category=category or stats.UNCATEGORISED,
                caused=causing == unit_id,
                handled=cid in handled,
                contact=contacts.get(cid, ""),
                status=status if closed_in_time else open_status.get(cid, status),
                closed_on=closed_on,
                business_days=day_math.between(received_on, closed_on or last_day),
                cost_minor=costs.get(cid, {}),
            )
        )
    lines.sort(key=lambda line: (line.received_on, line.reference))
    return lines


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]
