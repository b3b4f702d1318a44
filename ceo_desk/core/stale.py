"""Is the copy of a complaint someone is looking at still the saved one? And if not, who changed
it and when: what a refusal and the complaint window's "changed by NAME at TIME" say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ceo_desk.enums import Status
from ceo_desk.errors import ConflictError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Event


@dataclass(frozen=True)
class ComplaintStamp:
    """The saved version of a complaint and its newest event."""

    reference: str
    version: int
    status: Status
    changed_by: str | None
    changed_at: datetime | None
    last_change: str | None

    def changed_by_whom(self, now: datetime | None = None) -> str:
        """'changed by alice at 14:05 (Delegated to Sam Lee, report due 2026-03-09)'."""
        if self.changed_by is None or self.changed_at is None:
            return "changed"
        local = self.changed_at.astimezone()
        today = (now or datetime.now().astimezone()).astimezone().date()
        when = (
            f"at {local:%H:%M}"
            if local.date() == today
            else f"on {local.day} {local:%b} at {local:%H:%M}"
        )
        what = f" ({self.last_change})" if self.last_change else ""
        return f"changed by {self.changed_by} {when}{what}"


def complaint_stamp(uow: UnitOfWork, reference: str) -> ComplaintStamp | None:
    """The stamp of `reference`, or None when there is no such complaint."""
    row = uow.session.execute(
        select(Complaint.id, Complaint.reference, Complaint.version, Complaint.status).where(
            Complaint.reference == reference.strip().upper()
        )
    ).first()
    if row is None:
        return None
    newest = uow.session.execute(
        select(Event.os_user, Event.at, Event.description)
        .where(Event.complaint_id == row.id)
        .order_by(Event.id.desc())
        .limit(1)
    ).first()
    return ComplaintStamp(
        row.reference,
        row.version,
        Status(row.status),
        newest.os_user if newest else None,
        newest.at if newest else None,
        newest.description if newest else None,
    )


def require_unchanged(uow: UnitOfWork, reference: str, expected_version: int) -> None:
    """Refuse, before any rule about the status is applied, an action taken on an old copy.

    An old copy would otherwise be answered by the lifecycle ("delegate it first") for a state the
    person cannot see; what they need to know is that the complaint changed.
    """
    stamp = complaint_stamp(uow, reference)
    if stamp is None or stamp.version == expected_version:
        return
    raise ConflictError(
        f"{stamp.reference} was changed by someone else since you opened it: "
        f"{stamp.changed_by_whom().removeprefix('changed ')}; it is now "
        f"{stamp.status.label.lower()}. Reload it to see the change, then decide again."
    )
