"""The office's email templates: one per kind of message, editable, with a default for each.

A template is a subject and a body with `{name}` placeholders filled from `message_values` (and
whatever the caller adds, such as the CEO's comment on a report sent back). An edited template
is kept in the log's settings table under `template.<kind>`; `reset` brings back the default.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ceo_desk.core import audit, permissions
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.reminders import business_days_overdue
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import MessageKind
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Customer, Delegation, Promise, Setting, Staff

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
_KEY_PREFIX = "template."
MAX_SUBJECT = 300
MAX_BODY = 20_000

# The values every template may use, and what each is (shown beside the template editor).
VALUES: Mapping[str, str] = {
    "reference": "the complaint's reference, such as C-2026-0042",
    "customer": "the customer's name",
    "summary": "the complaint's one-line summary",
    "delegate": "the delegate's name",
    "delegate_first_name": "the delegate's first name",
    "delegate_email": "the delegate's email address",
    "report_due": "the day the report is due, such as Friday 4 December 2026",
    "report_due_when": "'is due today', 'is due on Friday 4 December 2026' or 'was due on … (2 "
    "days ago)'",
    "ceo_promised": "what the CEO promised the customer: each promise still to keep and its day, "
    "then those kept or broken (lines, or nothing)",
    "final_response_due": "the day the final response is due, when known",
    "instructions": "the instructions given with the hand-off",
    "comment": "the CEO's comment on a report sent back",
    "unit": "the delegate's unit",
    "unit_head": "the head of the delegate's unit",
    "days_overdue": "how many business days the report is overdue",
    "business_days_overdue": "how long the report is overdue, such as '1 business day' or '6 "
    "business days'",
    "due_heading": "'Overdue report', 'Report due today' or 'Report due Friday 4 December 2026'",
    "signature": "the office's signature (Office of the CEO's name)",
}


@dataclass(frozen=True)
class Template:
    kind: MessageKind
    subject: str
    body: str
    edited: bool  # False: the default


_REPORT_ASK = (
    "Please send what you said to the customer, what you did, and any accommodation and its "
    "cost, so the CEO can call the customer back."
)

DEFAULTS: Mapping[MessageKind, tuple[str, str]] = {
    MessageKind.DELEGATION_NOTICE: (
        "New complaint for you: {reference} — {summary}",
        "Hello {delegate_first_name},\n\n"
        "The CEO has asked you to handle complaint {reference} from {customer}, with full "
        "authority to put it right.\n\n"
        "Complaint: {summary}\n"
        "{ceo_promised}"
        "{instructions}\n"
        "Your report {report_due_when}.\n\n" + _REPORT_ASK + "\n\nThank you.\n{signature}",
    ),
    MessageKind.REPORT_DUE_TOMORROW: (
        "Report due tomorrow: {reference} — {summary}",
        "Hello {delegate_first_name},\n\n"
        "Your report on complaint {reference} from {customer} {report_due_when}.\n\n"
        "Complaint: {summary}\n{ceo_promised}\n" + _REPORT_ASK + "\n\nThank you.\n{signature}",
    ),
    MessageKind.REPORT_OVERDUE: (
        "Overdue report: {reference} — {summary}",
        "Hello {delegate_first_name},\n\n"
        "Your report on complaint {reference} from {customer} {report_due_when}.\n\n"
        "Complaint: {summary}\n{ceo_promised}\n" + _REPORT_ASK + "\n\nThank you.\n{signature}",
    ),
    MessageKind.ESCALATION: (
        "Escalation: report on {reference} is {business_days_overdue} overdue",
        "Hello {unit_head},\n\n"
        "The report on complaint {reference} from {customer}, delegated to {delegate} of "
        "{unit}, {report_due_when}: {business_days_overdue} overdue.\n\n"
        "Complaint: {summary}\n{ceo_promised}\n"
        "Please make sure the report reaches the CEO's office.\n\nThank you.\n{signature}",
    ),
    MessageKind.SENT_BACK: (
        "Report sent back: {reference} — {summary}",
        "Hello {delegate_first_name},\n\n"
        "The CEO has sent back the report on complaint {reference} from {customer}:\n\n"
        "{comment}\n\n"
        "Complaint: {summary}\n{ceo_promised}\n"
        "Your new report {report_due_when}.\n\nThank you.\n{signature}",
    ),
    MessageKind.FINAL_DEADLINE_NEAR: (
        "Final response due {final_response_due}: {reference} — {summary}",
        "Hello {delegate_first_name},\n\n"
        "The final response to {customer} on complaint {reference} is due on "
        "{final_response_due}.\n\n"
        "Complaint: {summary}\n{ceo_promised}\nThank you.\n{signature}",
    ),
    MessageKind.CHASE: (
        "{due_heading}: {reference} — {summary}",
        "Hello {delegate_first_name},\n\n"
        "Your report on complaint {reference} {report_due_when}.\n\n"
        "Complaint: {summary}\n\n{ceo_promised}\n" + _REPORT_ASK + "\n\nThank you.\n{signature}",
    ),
    MessageKind.HAND_OFF_WITHDRAWN: (
        "Hand-off withdrawn: {reference} — {summary}",
        "Hello {delegate_first_name},\n\n"
        "Please disregard the earlier email handing you complaint {reference} from {customer}: "
        "the CEO's office recorded the callback by mistake and has withdrawn the hand-off. No "
        "action is needed from you.\n\n"
        "Complaint: {summary}\n\nThank you.\n{signature}",
    ),
}


def long_date(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def due_when(due: date, today: date) -> str:
    """How a report's due date reads after "Your report …"."""
    if due < today:
        days = (today - due).days
        return f"was due on {long_date(due)} ({days} day{'s' if days != 1 else ''} ago)"
    if due == today:
        return "is due today"
    return f"is due on {long_date(due)}"


def due_heading(due: date, today: date) -> str:
    """How a reminder's subject starts."""
    if due < today:
        return "Overdue report"
    if due == today:
        return "Report due today"
    return f"Report due {long_date(due)}"


def signature(ceo_name: str) -> str:
    return f"Office of {ceo_name}" if ceo_name else ""


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each `{name}` replaced by its value (nothing when the value is unknown)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)


def _tidy(body: str) -> str:
    """No run of blank lines where an empty value left its line empty; no trailing blanks."""
    lines = [line.rstrip() for line in body.split("\n")]
    tidied: list[str] = []
    for line in lines:
        if line == "" and tidied and tidied[-1] == "":
            continue
        tidied.append(line)
    return "\n".join(tidied).strip("\n")


def _stored(uow: UnitOfWork, kind: MessageKind) -> tuple[str, str] | None:
    row = uow.session.get(Setting, _KEY_PREFIX + kind.value)
    if row is None:
        return None
    data = json.loads(row.value_json)
    return str(data["subject"]), str(data["body"])


def get(uow: UnitOfWork, kind: MessageKind) -> Template:
    """The office's template for `kind`, or its default."""
    stored = _stored(uow, kind)
    if stored is None:
        return Template(kind, *DEFAULTS[kind], edited=False)
    return Template(kind, *stored, edited=True)


def all_templates(uow: UnitOfWork) -> list[Template]:
    return [get(uow, kind) for kind in MessageKind]


def check(subject: str, body: str) -> tuple[str, str]:
    """The template cleaned, or a ValidationError naming an unknown placeholder."""
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError("A template needs a subject.", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise ValidationError(
            f"The subject is {len(subject)} characters long; shorten it to {MAX_SUBJECT}.",
            field="subject",
        )
    body = body.replace("\r\n", "\n").strip("\n")
    if not body.strip():
        raise ValidationError("A template needs a body.", field="body")
    if len(body) > MAX_BODY:
        raise ValidationError(
            f"The body is {len(body):,} characters long; shorten it to {MAX_BODY:,}.",
            field="body",
        )
    for where, text in (("subject", subject), ("body", body)):
        for name in _PLACEHOLDER.findall(text):
            if name not in VALUES:
                raise ValidationError(
                    f"The {where} uses {{{name}}}, which is not a value CEO Desk fills in. Use "
                    f"one of: {', '.join('{' + v + '}' for v in VALUES)}.",
                    field=where,
                )
    return subject, body


def save(uow: UnitOfWork, kind: MessageKind, subject: str, body: str) -> Template:
    """Keep the office's own wording for `kind` (recorded in the trail)."""
    permissions.require(uow, Allow.EDIT_SETTINGS)
    subject, body = check(subject, body)
    before = get(uow, kind)
    if (before.subject, before.body) == (subject, body):
        return before
    key = _KEY_PREFIX + kind.value
    value = json.dumps({"subject": subject, "body": body})
    row = uow.session.get(Setting, key)
    if row is None:
        uow.session.add(Setting(key=key, value_json=value))
    else:
        row.value_json = value
    audit.record(
        uow,
        "template_changed",
        entity="settings",
        entity_id=None,
        description=f"Changed the email template: {kind.label}",
        before={"subject": before.subject, "body": before.body},
        after={"subject": subject, "body": body},
    )
    return Template(kind, subject, body, edited=True)


def reset(uow: UnitOfWork, kind: MessageKind) -> Template:
    """Go back to the default wording for `kind`."""
    permissions.require(uow, Allow.EDIT_SETTINGS)
    row = uow.session.get(Setting, _KEY_PREFIX + kind.value)
    if row is not None:
        before = get(uow, kind)
        uow.session.delete(row)
        audit.record(
            uow,
            "template_reset",
            entity="settings",
            entity_id=None,
            description=f"Reset the email template to the default: {kind.label}",
            before={"subject": before.subject, "body": before.body},
        )
    return get(uow, kind)


def render(uow: UnitOfWork, kind: MessageKind, values: Mapping[str, str]) -> tuple[str, str]:
    """(subject, body) of a message of `kind` from the office's template (or the default)."""
    template = get(uow, kind)
    return render_text(template.subject, template.body, values)


def render_text(subject: str, body: str, values: Mapping[str, str]) -> tuple[str, str]:
    """A template's subject and body with the values filled in and stray blank lines gone."""
    return " ".join(fill(subject, values).split()), _tidy(fill(body, values))


def message_values(
    uow: UnitOfWork, complaint_id: int, *, today: date | None = None
) -> dict[str, str]:
    """The values a template can use about one complaint and its current delegate, as of
    `today` (this computer's day unless given).

    Lines that only make sense when filled (what the CEO promised, the instructions) come with
    their caption and line break, so an empty one leaves no stray caption behind.
    """
    complaint = uow.session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFoundError(f"There is no complaint with id {complaint_id}.")
    customer = uow.session.get(Customer, complaint.customer_id)
    settings = load_settings(uow)
    today = today or SYSTEM_CLOCK.today()
    values: dict[str, str] = {
        "reference": complaint.reference,
        "customer": customer.name if customer is not None else "",
        "summary": complaint.summary,
        "ceo_promised": _promised(uow, complaint),
        "signature": signature(settings.ceo_name),
        "delegate": "",
        "delegate_first_name": "",
        "delegate_email": "",
        "report_due": "",
        "report_due_when": "",
        "instructions": "",
        "unit": "",
        "unit_head": "",
        "days_overdue": "0",
        "business_days_overdue": "0 business days",
    }
    if complaint.current_delegate_id is not None:
        staff = uow.session.get(Staff, complaint.current_delegate_id)
        assert staff is not None
        values["delegate"] = staff.name
        values["delegate_first_name"] = staff.name.split()[0] if staff.name.strip() else ""
        values["delegate_email"] = staff.email or ""
        values["unit"] = staff.unit.name
        values["unit_head"] = _unit_head(uow, staff)
        handoff = uow.session.scalar(
            select(Delegation)
            .where(Delegation.complaint_id == complaint.id)
            .order_by(Delegation.id.desc())
            .limit(1)
        )
        if handoff is not None and handoff.instructions.strip():
            values["instructions"] = f"Instructions: {handoff.instructions.strip()}\n"
    if complaint.report_due_on is not None:
        values["report_due"] = long_date(complaint.report_due_on)
        values["report_due_when"] = due_when(complaint.report_due_on, today)
        values["due_heading"] = due_heading(complaint.report_due_on, today)
        late = business_days_overdue(complaint.report_due_on, today, settings)
        values["days_overdue"] = str(late)
        values["business_days_overdue"] = f"{late} business day{'' if late == 1 else 's'}"
    final = _final_response_due(uow, complaint.id, today)
    if final:
        values["final_response_due"] = final
    return values


def _promised(uow: UnitOfWork, complaint: Complaint) -> str:
    """What the CEO promised, from the promise ledger: each promise still to keep with its day,
    then those already kept or broken; the CEO's free-text words only when the ledger is empty."""
    ledger = list(
        uow.session.scalars(
            select(Promise)
            .where(Promise.complaint_id == complaint.id)
            .order_by(Promise.due_on, Promise.id)
        )
    )
    if not ledger:
        words = complaint.ceo_promised.strip()
        return f"What the CEO promised the customer: {words}\n" if words else ""
    lines = []
    still_open = [p for p in ledger if p.outcome is None]
    if still_open:
        lines.append("What the CEO promised the customer:")
        lines.extend(f"- {p.what}, by {long_date(p.due_on)}" for p in still_open)
    settled = [p for p in ledger if p.outcome is not None]
    if settled:
        done = "; ".join(
            f"{p.what} ({p.outcome.label.lower()})" for p in settled if p.outcome is not None
        )
        lines.append(f"Already settled with the customer: {done}")
    return "\n".join(lines) + "\n"


def _unit_head(uow: UnitOfWork, staff: Staff) -> str:
    """The name of the head of the staff member's unit, once units have heads."""
    head_id = getattr(staff.unit, "head_staff_id", None)
    if head_id is None:
        return ""
    head = uow.session.get(Staff, head_id)
    return head.name if head is not None else ""


def _final_response_due(uow: UnitOfWork, complaint_id: int, today: date) -> str:
    """The final-response due day as a long date, once the log knows final-response deadlines."""
    try:
        from ceo_desk.core import deadlines  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return ""
    found = deadlines.final_responses(uow, [complaint_id], today=today).get(complaint_id)
    return long_date(found.due) if found is not None else ""
