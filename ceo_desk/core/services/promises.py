"""The CEO's promises as a ledger: what was promised and by when, ticked kept or broken at the
callback. A complaint may carry several; each is one row, never a line of free text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from ceo_desk.core import audit, permissions, policy, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.complaint_lookup import acting
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import PromiseOutcome, Status
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Customer, Promise

# A promise is said in a sentence, not a page.
MAX_PROMISE_LENGTH = 500


@dataclass(frozen=True)
class PromiseInput:
    """A promise as typed: what, and the day it is due by (YYYY-MM-DD or a date)."""

    what: str
    due_on: date | str | None


@dataclass(frozen=True)
class PromiseView:
    id: int
    complaint_id: int
    what: str
    due_on: date
    made_at: datetime
    made_by: str
    outcome: PromiseOutcome | None
    settled_at: datetime | None
    settled_by: str | None

    @property
    def is_open(self) -> bool:
        return self.outcome is None

    @property
    def broken(self) -> bool:
        return self.outcome is PromiseOutcome.BROKEN

    def state_text(self, today: date) -> str:
        """ "kept", "broken", "due Fri 4 Dec", "overdue since Fri 4 Dec"."""
        if self.outcome is not None:
            return self.outcome.label.lower()
        if self.due_on < today:
            return f"overdue since {short_day(self.due_on)}"
        return f"due {short_day(self.due_on)}"


def short_day(day: date) -> str:
    """ "Fri 4 Dec": the day as a promise names it."""
    return f"{day:%a} {day.day} {day:%b}"


def _view(p: Promise) -> PromiseView:
    return PromiseView(
        p.id,
        p.complaint_id,
        p.what,
        p.due_on,
        p.made_at,
        p.made_by,
        p.outcome,
        p.settled_at,
        p.settled_by,
    )


# How the trail words a promise (the demo generator writes the same events in bulk).
PROMISE_MADE = "promise_made"


def made_description(promise_id: int, due: date) -> str:
    return f"Promise #{promise_id} made, due {due.isoformat()}"


def made_values(what: str, due: date) -> dict[str, str]:
    """The event's after-values for a promise made."""
    return {"what": what, "due_on": due.isoformat()}


def settled_action(outcome: PromiseOutcome) -> str:
    return f"promise_{outcome.value}"


def settled_description(promise_id: int, outcome: PromiseOutcome) -> str:
    return f"Promise #{promise_id} {outcome.label.lower()}"


def settled_values(outcome: PromiseOutcome) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The event's before- and after-values for a promise ticked."""
    return {"outcome": None}, {"outcome": outcome.value}


def clean(items: Iterable[PromiseInput], *, earliest: date) -> list[tuple[str, date]]:
    """Each promise checked: a what and a due day, the day no earlier than `earliest` (the day
    the complaint came in). Numbered in messages as the person typed them."""
    cleaned: list[tuple[str, date]] = []
    for number, item in enumerate(items, start=1):
        name = f"Promise {number}"
        what = validation.text(
            item.what, "promise", required=True, max_length=MAX_PROMISE_LENGTH, label=name
        )
        if item.due_on is None or (isinstance(item.due_on, str) and not item.due_on.strip()):
            raise ValidationError(
                f"{name} ('{what[:40]}') needs the day it is due by, such as "
                f"{earliest.isoformat()}.",
                field="promise_due",
            )
        due = validation.day(item.due_on, "promise_due")
        assert due is not None
        if due < earliest:
            raise ValidationError(
                f"{name} is due {due.isoformat()}, before the complaint came in "
                f"({earliest.isoformat()}); check the date.",
                field="promise_due",
            )
        cleaned.append((what, due))
    return cleaned


def record_for(
    uow: UnitOfWork, complaint: Complaint, promises: Sequence[tuple[str, date]], now: datetime
) -> list[int]:
    """Write checked promises on a complaint in this unit of work, one event each."""
    ids: list[int] = []
    for what, due in promises:
        row = Promise(
            complaint_id=complaint.id,
            what=what,
            due_on=due,
            made_at=now,
            made_by=acting(uow),
        )
        uow.session.add(row)
        uow.session.flush()
        audit.record(
            uow,
            PROMISE_MADE,
            entity="promise",
            entity_id=row.id,
            complaint_id=complaint.id,
            description=made_description(row.id, due),
            after=made_values(what, due),
            now=now,
        )
        ids.append(row.id)
    return ids


def add(
    uow: UnitOfWork,
    reference: str,
    items: Sequence[PromiseInput],
    *,
    now: datetime | None = None,
) -> list[int]:
    """Promises made later, on a complaint already in the log (a second call, a letter)."""
    from ceo_desk.core.services.complaints import load

    permissions.require(uow, Allow.MAKE_PROMISE)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    if complaint.status is Status.WITHDRAWN:
        raise ValidationError(
            f"{complaint.reference} was withdrawn; a promise on it would never be checked. "
            "Log a new complaint if the customer is still owed something.",
            field="reference",
        )
    if not items:
        raise ValidationError("Give at least one promise: what, and by when.", field="promise")
    checked = clean(items, earliest=SYSTEM_CLOCK.local_day(complaint.received_at))
    return record_for(uow, complaint, checked, moment)


def settle(
    uow: UnitOfWork,
    reference: str,
    outcomes: Mapping[int, PromiseOutcome],
    *,
    now: datetime | None = None,
) -> None:
    """Tick promises kept or broken (at the callback, or whenever it becomes known)."""
    from ceo_desk.core.services.complaints import load

    if not outcomes:
        return
    permissions.require(uow, Allow.SETTLE_PROMISE)
    moment = SYSTEM_CLOCK.moment(now)
    complaint = load(uow, reference)
    rows = {
        p.id: p
        for p in uow.session.scalars(
            select(Promise).where(
                Promise.complaint_id == complaint.id, Promise.id.in_(list(outcomes))
            )
        )
    }
    for promise_id, outcome in outcomes.items():
        row = rows.get(promise_id)
        if row is None:
            raise NotFoundError(
                f"{complaint.reference} has no promise #{promise_id}; "
                f"`ceo-desk show {complaint.reference}` lists its promises.",
                field="promise",
            )
        if row.outcome is not None:
            raise ValidationError(
                f"Promise #{promise_id} on {complaint.reference} was already ticked "
                f"{row.outcome.label.lower()}.",
                field="promise",
            )
        kind = PromiseOutcome(outcome)
        row.outcome = kind
        row.settled_at = moment
        row.settled_by = acting(uow)
        before, after = settled_values(kind)
        audit.record(
            uow,
            settled_action(kind),
            entity="promise",
            entity_id=row.id,
            complaint_id=complaint.id,
            description=settled_description(row.id, kind),
            before=before,
            after=after,
            now=moment,
        )


def untick_since(uow: UnitOfWork, complaint: Complaint, since: datetime, now: datetime) -> int:
    """Take back the ticks made with a callback outcome that is being withdrawn (ticked at or
    after `since`, the call's moment); the promises are open again. Returns how many."""
    count = 0
    for row in uow.session.scalars(
        select(Promise).where(
            Promise.complaint_id == complaint.id,
            Promise.outcome.is_not(None),
            Promise.settled_at >= since,
        )
    ):
        before = row.outcome
        row.outcome = row.settled_at = row.settled_by = None
        audit.record(
            uow,
            "promise_unticked",
            entity="promise",
            entity_id=row.id,
            complaint_id=complaint.id,
            description=f"Promise #{row.id}: tick taken back with the call's outcome",
            before={"outcome": before.value if before else None},
            after={"outcome": None},
            now=now,
        )
        count += 1
    return count


def for_complaint(uow: UnitOfWork, complaint_id: int) -> list[PromiseView]:
    """The complaint's promises, in the order they were made."""
    return [
        _view(p)
        for p in uow.session.scalars(
            select(Promise).where(Promise.complaint_id == complaint_id).order_by(Promise.id)
        )
    ]


def earliest_open_due(uow: UnitOfWork, complaint_ids: Iterable[int]) -> dict[int, date]:
    """For each complaint, the due day of its earliest promise not yet ticked."""
    wanted = list(complaint_ids)
    if not wanted:
        return {}
    query = (
        select(Promise.complaint_id, func.min(Promise.due_on))
        .where(Promise.complaint_id.in_(wanted), Promise.outcome.is_(None))
        .group_by(Promise.complaint_id)
    )
    return {complaint_id: due for complaint_id, due in uow.session.execute(query)}


@dataclass(frozen=True)
class PromiseDue:
    """A promise Today shows: due soon or overdue, not yet ticked."""

    promise_id: int
    reference: str
    customer_name: str
    status: Status
    what: str
    due_on: date


def warning_until(uow: UnitOfWork, today: date) -> date:
    """The last due day Today counts as "nearly due"."""
    settings = load_settings(uow)
    return policy.add_business_days(today, settings.promise_warning_days, settings)


def nearly_due(uow: UnitOfWork, *, today: date) -> list[PromiseDue]:
    """Promises not yet ticked, due within the warning days or overdue, on complaints not
    withdrawn; the most overdue first."""
    until = warning_until(uow, today)
    # Columns, not whole promises: Today reads hundreds of them at every refresh.
    query = (
        select(
            Promise.id,
            Complaint.reference,
            Customer.name,
            Complaint.status,
            Promise.what,
            Promise.due_on,
        )
        .join(Complaint, Complaint.id == Promise.complaint_id)
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(
            Promise.outcome.is_(None),
            Promise.due_on <= until,
            Complaint.status != Status.WITHDRAWN,
        )
        .order_by(Promise.due_on, Promise.id)
    )
    return [PromiseDue(*row) for row in uow.session.execute(query)]
