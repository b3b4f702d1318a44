"""Who a customer is and how many complaints they have: what the erase and export confirmations
tell the person before anything is changed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Customer


@dataclass(frozen=True)
class CustomerSummary:
    id: int
    name: str
    complaints: int
    erased: bool


def customer_summary(uow: UnitOfWork, customer_id: int) -> CustomerSummary:
    """The customer's name, complaint count and whether they were erased; refused when unknown."""
    customer = uow.session.get(Customer, customer_id)
    if customer is None:
        raise ValidationError(f"There is no customer #{customer_id}.", field="customer")
    count = uow.session.scalar(
        select(func.count()).select_from(Complaint).where(Complaint.customer_id == customer_id)
    )
    return CustomerSummary(customer.id, customer.name, count or 0, customer.erased_at is not None)
