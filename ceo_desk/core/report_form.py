"""The report form a delegate without the app fills in: its fields, what it shows, its check.

The form carries the complaint's reference, the delegation it was issued for and a check value,
an HMAC over both under a secret kept in this log. A returned form is accepted only for the
complaint and the delegation it was issued for, and only with its check value intact, so a form
for another complaint, an edited reference or a form from an earlier hand-off is refused
(`core.report_form_reader`). The secret never leaves the log; it is made when the first form is.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ceo_desk.core import lifecycle, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.lifecycle import Action
from ceo_desk.core.services import complaints, office
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Delegation, Setting

SECRET_KEY = "report_form_secret"  # a row of the settings table, not an office setting

# The embedded fields a delegate cannot change (read-only; the last two hidden).
REFERENCE_FIELD = "reference"
DELEGATION_FIELD = "delegation"
ISSUED_FIELD = "issued_on"
CHECK_FIELD = "check"


@dataclass(frozen=True)
class FormField:
    """One field the delegate fills in, named as the report's input names it."""

    name: str
    label: str
    hint: str
    lines: int  # how tall the box is, in lines of text
    required: bool = False


FILLED_FIELDS = (
    FormField(
        "said",
        "What was said to the customer",
        "Who spoke to the customer, when, and what they were told.",
        6,
        required=True,
    ),
    FormField("done", "What was done", "What has been put right, and by whom.", 6, required=True),
    FormField(
        "accommodation",
        "Accommodation offered",
        "A refund, a replacement, a visit, a goodwill gesture; leave empty if none.",
        3,
    ),
    FormField("cost", "Cost of the accommodation", "An amount such as 250.00.", 1),
    FormField("root_cause", "Root cause", "Why it went wrong, so it does not happen again.", 3),
    FormField("completed_on", "Date completed", "YYYY-MM-DD", 1),
)
FIELD_NAMES = frozenset(f.name for f in FILLED_FIELDS)


@dataclass(frozen=True)
class FormContent:
    """Everything printed on and embedded in one complaint's report form."""

    reference: str
    delegation_id: int
    check: str
    issued_on: date
    delegate_name: str
    unit_name: str
    report_due_on: date
    summary: str
    details: str
    customer_wants: str
    ceo_promised: str
    customer_name: str
    customer_phone: str
    customer_email: str
    instructions: str
    currency: str


def check_value(secret: str, reference: str, delegation_id: int | str) -> str:
    """The check value of a form: HMAC-SHA256 of the reference and the delegation, under the
    log's secret, as 32 hex digits."""
    message = f"{reference.strip().upper()}|{str(delegation_id).strip()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def secret(uow: UnitOfWork, *, create: bool = False) -> str | None:
    """This log's form secret; made (in the caller's transaction) when `create` and missing."""
    row = uow.session.get(Setting, SECRET_KEY)
    if row is not None:
        return str(json.loads(row.value_json))
    if not create:
        return None
    value = secrets.token_hex(32)
    uow.session.add(Setting(key=SECRET_KEY, value_json=json.dumps(value)))
    uow.session.flush()
    return value


def current_delegation(uow: UnitOfWork, complaint_id: int) -> Delegation | None:
    """The latest hand-off of the complaint: the only one a report may be filed against."""
    delegation: Delegation | None = uow.session.scalar(
        select(Delegation)
        .where(Delegation.complaint_id == complaint_id)
        .order_by(Delegation.id.desc())
        .limit(1)
    )
    return delegation


def issue(uow: UnitOfWork, reference: str, *, now: datetime | None = None) -> FormContent:
    """What the form for the complaint's current delegation shows; refused unless the
    complaint is waiting for a delegate's report."""
    complaint = complaints.load(uow, reference, for_update=False)
    lifecycle.require(complaint.reference, complaint.status, Action.FILE_REPORT)
    delegation = current_delegation(uow, complaint.id)
    if delegation is None:
        raise ValidationError(
            f"{complaint.reference} has not been delegated yet; delegate it first.",
            field="reference",
        )
    key = secret(uow, create=True)
    assert key is not None
    customer = complaint.customer
    return FormContent(
        reference=complaint.reference,
        delegation_id=delegation.id,
        check=check_value(key, complaint.reference, delegation.id),
        issued_on=SYSTEM_CLOCK.local_day(SYSTEM_CLOCK.moment(now)),
        delegate_name=delegation.staff.name,
        unit_name=delegation.staff.unit.name,
        report_due_on=complaint.report_due_on or delegation.report_due_on,
        summary=complaint.summary,
        details=complaint.details,
        customer_wants=complaint.customer_wants,
        ceo_promised=complaint.ceo_promised,
        customer_name=customer.name,
        customer_phone=validation.phone_for_display(customer.phone),
        customer_email=customer.email or "",
        instructions=delegation.instructions,
        currency=office.load_settings(uow).currency,
    )
