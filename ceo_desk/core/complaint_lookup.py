"""Finding a complaint by its reference: the one lookup every read and every change starts from.

It lives apart from the services that change a complaint so that a command that only reads one
(`ceo-desk show`, a brief) starts without loading them.
"""

from __future__ import annotations

from sqlalchemy import select

from ceo_desk.core import permissions
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint


def load(uow: UnitOfWork, reference: str, *, for_update: bool = True) -> Complaint:
    """The complaint with this reference (typed in any case), locked on PostgreSQL when it is to
    be changed; a clear refusal when the reference is empty or unknown."""
    ref = (reference or "").strip().upper()
    if not ref:
        raise ValidationError("Give a complaint reference such as C-2026-0042.", field="reference")
    query = select(Complaint).where(Complaint.reference == ref)
    if for_update and uow.dialect == "postgresql":
        query = query.with_for_update()
    complaint = uow.session.scalar(query)
    if complaint is None:
        raise NotFoundError(
            f"There is no complaint {ref}; check the reference (they look like C-2026-0042).",
            field="reference",
        )
    return complaint


def acting(uow: UnitOfWork) -> str:
    """Who acted, as stored beside a hand-off, a call or a file (the column holds 120)."""
    return f"{uow.identity} ({permissions.acting_role(uow).label})"[:120]
