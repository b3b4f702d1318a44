"""What a person may read: a delegate sees only the complaints ever delegated to their staff member.

On a PostgreSQL office the database's row-level security already says so (`store/office.py`); a
local SQLite log has no such rules, so every read of complaints narrows itself with this one
condition. Whoever may read the whole log (owner, CEO, assistant) is not narrowed at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import false, select

from ceo_desk.core import permissions
from ceo_desk.core.permissions import Action
from ceo_desk.errors import PermissionDenied
from ceo_desk.store.models import Complaint, Delegation

if TYPE_CHECKING:
    from ceo_desk.store.db import UnitOfWork


def sees_whole_log(uow: UnitOfWork) -> bool:
    return permissions.allows(uow.roles, Action.READ_LOG)


def visible_complaints(uow: UnitOfWork) -> list[Any]:
    """The conditions (none, or one) that keep a read to what the person may see: splice them
    into a query's `where(*...)`."""
    if sees_whole_log(uow):
        return []
    staff_id = uow.staff_id
    if staff_id is None:  # no role that reads anything
        return [false()]
    return [
        Complaint.id.in_(select(Delegation.complaint_id).where(Delegation.staff_id == staff_id))
    ]


def require_visible(uow: UnitOfWork, complaint: Complaint) -> None:
    """Refuse to show a complaint the person may not see, saying why."""
    if sees_whole_log(uow):
        return
    staff_id = uow.staff_id
    ever_theirs = staff_id is not None and any(
        d.staff_id == staff_id for d in complaint.delegations
    )
    if not ever_theirs:
        raise PermissionDenied(
            f"{complaint.reference} was never delegated to you: a delegate sees only the "
            "complaints handed to them (My work, or `ceo-desk list`)."
        )
