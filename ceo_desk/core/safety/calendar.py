"""The CEO's scheduled confirmation calls as an iCalendar file for any calendar program."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ceo_desk.core import validation
from ceo_desk.core.safety import output
from ceo_desk.enums import Status
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint


def callbacks_calendar(uow: UnitOfWork, *, now: datetime | None = None) -> tuple[bytes, int]:
    """One all-day event per complaint awaiting the CEO's callback, on its due day."""
    # Imported here: icalendar takes a sixth of a second to load, and the app starts without it.
    from icalendar import Calendar, Event

    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", "-//CEO Desk//Callbacks//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "CEO Desk callbacks")
    count = 0
    complaints = uow.session.scalars(
        select(Complaint)
        .options(selectinload(Complaint.customer), selectinload(Complaint.reports))
        .where(
            Complaint.status == Status.AWAITING_CALLBACK,
            Complaint.callback_due_on.is_not(None),
        )
        .order_by(Complaint.callback_due_on, Complaint.id)
    )
    for complaint in complaints:
        assert complaint.callback_due_on is not None
        customer = complaint.customer
        report = complaint.reports[-1] if complaint.reports else None
        lines = [
            f"Complaint {complaint.reference}: {complaint.summary}",
            f"Phone: {validation.phone_for_display(customer.phone)}" if customer.phone else "",
            f"Email: {customer.email}" if customer.email else "",
            f"Done: {report.done}" if report else "",
            f"Accommodation: {report.accommodation}" if report and report.accommodation else "",
            f"Attempts without answer: {complaint.unanswered_attempts}"
            if complaint.unanswered_attempts
            else "",
        ]
        event = Event()
        event.add("uid", f"{complaint.reference.lower()}-callback@ceo-desk")
        event.add("dtstamp", stamp)
        event.add("dtstart", complaint.callback_due_on)
        event.add("dtend", complaint.callback_due_on + timedelta(days=1))
        event.add("summary", f"Call back {customer.name} ({complaint.reference})")
        event.add("description", "\n".join(line for line in lines if line))
        event.add("categories", ["CEO Desk"])
        cal.add_component(event)
        count += 1
    return cal.to_ical(), count


def export_callbacks(uow: UnitOfWork, path: Path, *, force: bool = False) -> int:
    """Write the calendar file (owner-only: it holds phone numbers); returns the event count."""
    if path.suffix.lower() != ".ics":
        raise ValidationError("Export the callbacks to a file ending in .ics.", field="output")
    output.check_target(path, output.Kind.ICS, force=force, log=uow.sqlite_path)
    content, count = callbacks_calendar(uow)
    output.write_bytes(path, output.Kind.ICS, content, force=force, log=uow.sqlite_path)
    return count
