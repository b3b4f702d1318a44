"""Everything held about one customer, as one JSON document (a subject access request): their
details and vulnerable mark, and each complaint with its fields, the CEO's promises, hand-offs,
reports, callbacks, files and audit events."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ceo_desk.core import attachments, json_values, permissions, queries
from ceo_desk.core.safety import output
from ceo_desk.errors import NotFoundError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Customer, Delegation, Event, EventChange, Staff

FORMAT_VERSION = 1


def _columns(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: json_values.plain(getattr(row, name)) for name in names}


def _parsed(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def customer_record(uow: UnitOfWork, customer_id: int) -> dict[str, Any]:
    """The customer, their complaints with delegations, reports, callbacks and audit events."""
    customer = uow.session.get(Customer, customer_id)
    if customer is None:
        raise NotFoundError(f"There is no customer #{customer_id}.", field="customer")
    complaints = list(
        uow.session.scalars(
            select(Complaint)
            .options(
                selectinload(Complaint.delegations).selectinload(Delegation.staff),
                selectinload(Complaint.reports),
                selectinload(Complaint.callbacks),
                selectinload(Complaint.category),
            )
            .where(Complaint.customer_id == customer_id)
            .order_by(Complaint.id)
        )
    )
    staff_names = {s.id: s.name for s in uow.session.scalars(select(Staff))}
    out_complaints = []
    for complaint in complaints:
        detail = queries.complaint_detail(uow, complaint.reference)
        events = uow.session.execute(
            select(Event, EventChange)
            .outerjoin(EventChange, EventChange.event_id == Event.id)
            .where(Event.complaint_id == complaint.id)
            .order_by(Event.id)
        ).all()
        out_complaints.append(
            {
                # Every declared field, named as `ceo-desk show --json` names it (the
                # reputational flags among them).
                **detail.field_json(),
                "promises": [
                    _columns(p, ("what", "due_on", "outcome", "made_at", "made_by", "settled_at"))
                    for p in detail.promises
                ],
                "delegations": [
                    {
                        "staff": d.staff.name,
                        **_columns(
                            d, ("delegated_at", "delegated_by", "instructions", "report_due_on")
                        ),
                    }
                    for d in complaint.delegations
                ],
                "reports": [
                    {
                        "filed_by": staff_names.get(r.filed_by_staff_id),
                        **_columns(
                            r,
                            (
                                "filed_at",
                                "said",
                                "done",
                                "accommodation",
                                "cost_minor",
                                "currency",
                                "root_cause",
                                "sent_back_at",
                                "sent_back_comment",
                            ),
                        ),
                    }
                    for r in complaint.reports
                ],
                "callbacks": [
                    _columns(
                        c,
                        (
                            "scheduled_for",
                            "made_at",
                            "outcome",
                            "satisfaction",
                            "customer_words",
                            "loyalty",
                            "notes",
                            "made_by",
                        ),
                    )
                    for c in complaint.callbacks
                ],
                # The files themselves, base64 in the JSON, so the export holds all there is.
                "attachments": [
                    {
                        "name": a.name,
                        "media_type": a.media_type,
                        "size": a.size,
                        "sha256": a.sha256,
                        "added_at": a.added_at.isoformat(),
                        "added_by": a.added_by,
                        "report_id": a.report_id,
                        "content_base64": base64.b64encode(
                            attachments.content(uow, a.sha256)
                        ).decode("ascii"),
                    }
                    for a in attachments.list_for_complaints(uow, [complaint.id])
                ],
                "events": [
                    {
                        "id": event.id,
                        "at": event.at.isoformat(),
                        "action": event.action,
                        "description": event.description,
                        "by": f"{event.os_user} ({event.role})",
                        "before": _parsed(change.before_json) if change else None,
                        "after": _parsed(change.after_json) if change else None,
                    }
                    for event, change in events
                ],
            }
        )
    return {
        "format": "ceo-desk customer export",
        "format_version": FORMAT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "customer": {
            "id": customer.id,
            **_columns(
                customer,
                (
                    "name",
                    "phone",
                    "email",
                    "organisation",
                    "account_ref",
                    "vulnerable",
                    "erased_at",
                ),
            ),
        },
        "complaints": out_complaints,
    }


def export_customer(uow: UnitOfWork, customer_id: int, path: Path, *, force: bool = False) -> Path:
    """Write everything held about one customer as JSON (private; see core.safety.output)."""
    permissions.require(uow, permissions.Action.EXPORT)
    output.check_target(path, output.Kind.JSON, force=force, log=uow.sqlite_path)
    record = customer_record(uow, customer_id)
    text = json_values.dumps(record, indent=2) + "\n"
    return output.write_text(path, output.Kind.JSON, text, force=force, log=uow.sqlite_path)
