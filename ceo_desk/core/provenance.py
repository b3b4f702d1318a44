"""Who filed a report and how: the one home for a report's provenance and its wording.

A report is filed in person (the delegate, signed in as themself), transcribed from the report
form the delegate returned, or typed by an assistant for the delegate. The service decides which
from who is acting; it is never a choice a person makes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ceo_desk.enums import FiledHow
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Report, Staff


def acting_identity(uow: UnitOfWork) -> str:
    """The identity of the person acting in this unit of work (120 characters at most)."""
    identity: str = getattr(uow, "identity", None) or uow.actor.os_user
    return identity[:120]


def acting_staff_id(uow: UnitOfWork) -> int | None:
    """The staff member the acting person is, when they act as a delegate; else None."""
    staff_id = getattr(uow, "staff_id", None)
    return staff_id if isinstance(staff_id, int) else None


def how_filed(uow: UnitOfWork, delegate_staff_id: int, form_source: str | None) -> FiledHow:
    """A report is from the form when it was transcribed from one, in person when the delegate
    is the one acting, and typed otherwise."""
    if form_source:
        return FiledHow.FORM
    if acting_staff_id(uow) == delegate_staff_id:
        return FiledHow.IN_PERSON
    return FiledHow.TYPED


def form_source(delegate_name: str, on: str) -> str:
    """'Dana Lee's form of 2026-11-30': where a transcribed report came from."""
    return f"{delegate_name}'s form of {on}"


def describe(
    how: FiledHow, delegate_name: str, filed_by: str | None, source: str | None = None
) -> str:
    """One line a person reads beside the report: who filed it and how."""
    by = f" ({filed_by})" if filed_by else ""
    if how is FiledHow.IN_PERSON:
        return f"filed in person by {delegate_name}{by}"
    if how is FiledHow.FORM:
        where = source or form_source(delegate_name, "an unknown date")
        return f"transcribed from {where}" + (f" by {filed_by}" if filed_by else "")
    return f"typed by the assistant{by} for {delegate_name}"


@dataclass(frozen=True)
class FiledBy:
    """How one delegate's reports of a period were filed: counts by way."""

    staff_name: str
    counts: dict[FiledHow, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def filed_by_delegate(uow: UnitOfWork, start: datetime, end: datetime) -> list[FiledBy]:
    """Each delegate's reports filed in [start, end), counted by how they were filed; the
    delegates with most reports first."""
    rows = uow.session.execute(
        select(Staff.name, Report.filed_how, func.count())
        .join(Staff, Staff.id == Report.filed_by_staff_id)
        .where(Report.filed_at >= start, Report.filed_at < end)
        .group_by(Staff.id, Staff.name, Report.filed_how)
    )
    counts: dict[str, dict[FiledHow, int]] = {}
    for name, how, count in rows:
        counts.setdefault(name, dict.fromkeys(FiledHow, 0))[FiledHow(how)] += int(count)
    found = [FiledBy(name, by_how) for name, by_how in counts.items()]
    return sorted(found, key=lambda f: (-f.total, f.staff_name.lower()))
