"""How much work each list of the main window holds, for the sidebar: counted in SQL, not listed.

A page of the main window declares one of these (or none); each takes a unit of work and the
local day and answers how many items the page lists and how many of them are overdue. Each
counts only what the person may see (`core/visibility.py`), as the lists do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, or_, select

from ceo_desk.core import policy, provenance, queries, to_delegate, visibility
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import OPEN_STATUSES, Status
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint


@dataclass(frozen=True)
class PageCount:
    """What the sidebar shows beside a page's name: items listed, and how many are late."""

    listed: int
    overdue: int = 0

    def describe(self) -> str:
        """'11, 3 overdue' — the count in words, for the screen reader and the tooltip."""
        text = str(self.listed)
        return f"{text}, {self.overdue} overdue" if self.overdue else text


def today(uow: UnitOfWork, day: date) -> PageCount:
    """Callbacks due today or earlier (the Today list); earlier than today is overdue."""
    listed, late = uow.session.execute(
        select(func.count(), func.sum(case((Complaint.callback_due_on < day, 1), else_=0))).where(
            queries.callback_due_clause(day), *visibility.visible_complaints(uow)
        )
    ).one()
    return PageCount(int(listed or 0), int(late or 0))


def chase(uow: UnitOfWork, day: date, *, horizon_business_days: int) -> PageCount:
    """Reports overdue or due within the horizon (the Chase list), as `reports_to_chase` picks."""
    until = policy.add_business_days(day, horizon_business_days, load_settings(uow))
    listed, late = uow.session.execute(
        select(func.count(), func.sum(case((Complaint.report_due_on < day, 1), else_=0))).where(
            *queries.chase_clauses(until), *visibility.visible_complaints(uow)
        )
    ).one()
    return PageCount(int(listed or 0), int(late or 0))


def open_complaints(uow: UnitOfWork, day: date) -> PageCount:
    """Every open complaint (All complaints), and those past a due date (a call not yet
    delegated: past its time to be delegated), as "Overdue only" lists them."""
    late_intake = to_delegate.overdue_clause(to_delegate.cutoffs_at(uow, day))
    overdue = or_(queries.overdue_clause(day), late_intake)
    listed, late = uow.session.execute(
        select(func.count(), func.sum(case((overdue, 1), else_=0))).where(
            Complaint.status.in_(list(OPEN_STATUSES)), *visibility.visible_complaints(uow)
        )
    ).one()
    return PageCount(int(listed or 0), int(late or 0))


def my_work(uow: UnitOfWork, day: date) -> PageCount | None:
    """The reports the signed-in delegate owes (My work), those past due apart; None for a
    person who is not a delegate (the page has nothing to count for them)."""
    staff_id = provenance.acting_staff_id(uow)
    if staff_id is None:
        return None
    listed, late = uow.session.execute(
        select(func.count(), func.sum(case((Complaint.report_due_on < day, 1), else_=0))).where(
            Complaint.status == Status.DELEGATED, Complaint.current_delegate_id == staff_id
        )
    ).one()
    return PageCount(int(listed or 0), int(late or 0))
