"""Customers: a caller who rings again is recognised by phone or email and linked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from ceo_desk.core import audit, permissions
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services import versions
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Customer


@dataclass(frozen=True)
class CustomerDetails:
    """Already validated: phone in E.164, email normalised."""

    name: str
    phone: str | None
    email: str | None
    organisation: str | None = None
    account_ref: str | None = None
    vulnerable: bool | None = None  # None: as it is (a known caller keeps their flag)


@dataclass(frozen=True)
class SavedCustomer:
    """A customer's details as saved now, with the version counter an edit must start from."""

    id: int
    details: CustomerDetails
    version: int


def saved(uow: UnitOfWork, customer_id: int) -> SavedCustomer:
    """What is saved for the customer now (to show beside an edit refused as stale)."""
    from ceo_desk.errors import NotFoundError

    customer = uow.session.get(Customer, customer_id)
    if customer is None or customer.erased_at is not None:
        raise NotFoundError(f"There is no customer #{customer_id}.", field="customer")
    details = CustomerDetails(
        customer.name,
        customer.phone,
        customer.email,
        customer.organisation,
        customer.account_ref,
        customer.vulnerable,
    )
    return SavedCustomer(customer.id, details, customer.version)


def find_existing(uow: UnitOfWork, phone: str | None, email: str | None) -> Customer | None:
    """The customer with this phone (preferred) or email, ignoring erased customers."""
    conditions = []
    if phone:
        conditions.append(Customer.phone == phone)
    if email:
        conditions.append(Customer.email == email)
    if not conditions:
        return None
    candidates = list(
        uow.session.scalars(
            select(Customer)
            .where(or_(*conditions), Customer.erased_at.is_(None))
            .order_by(Customer.id)
        )
    )
    for candidate in candidates:
        if phone and candidate.phone == phone:
            return candidate
    return candidates[0] if candidates else None


def find_or_create(uow: UnitOfWork, details: CustomerDetails) -> tuple[Customer, bool]:
    """Link to the known customer, filling in what was missing; returns (customer, is_new)."""
    existing = find_existing(uow, details.phone, details.email)
    if existing is None:
        customer = Customer(
            name=details.name,
            phone=details.phone,
            email=details.email,
            organisation=details.organisation or None,
            account_ref=details.account_ref or None,
            vulnerable=bool(details.vulnerable),
        )
        uow.session.add(customer)
        uow.session.flush()
        audit.record(
            uow,
            "customer_added",
            entity="customer",
            entity_id=customer.id,
            description=f"Customer #{customer.id}",
        )
        return customer, True
    filled = []
    for field in ("phone", "email", "organisation", "account_ref"):
        value = getattr(details, field)
        if value and not getattr(existing, field):
            setattr(existing, field, value)
            filled.append(field)
    if details.vulnerable is not None and details.vulnerable != existing.vulnerable:
        existing.vulnerable = details.vulnerable
        audit.record(
            uow,
            "customer_changed",
            entity="customer",
            entity_id=existing.id,
            description=f"Customer #{existing.id}: changed vulnerable",
        )
    if filled:
        audit.record(
            uow,
            "customer_completed",
            entity="customer",
            entity_id=existing.id,
            description=f"Customer #{existing.id}: added {', '.join(filled)}",
        )
    return existing, False


@dataclass(frozen=True)
class CustomerEdit:
    """The customer's details as typed; validated by `update`."""

    name: str
    phone: str | None = None
    email: str | None = None
    organisation: str | None = None
    account_ref: str | None = None
    vulnerable: bool | None = None  # None: left as it is


def update(
    uow: UnitOfWork, customer_id: int, edit: CustomerEdit, *, expected_version: int | None = None
) -> None:
    """Correct a customer's details; the audit trail names the fields, never their values."""
    permissions.require(uow, Allow.EDIT_CUSTOMER)
    from ceo_desk.core import search, validation
    from ceo_desk.core.services.office import load_settings
    from ceo_desk.errors import NotFoundError, ValidationError
    from ceo_desk.store.models import Complaint

    customer = uow.session.get(Customer, customer_id)
    if customer is None or customer.erased_at is not None:
        raise NotFoundError(f"There is no customer #{customer_id}.", field="customer")
    versions.check(customer, expected_version, f"Customer #{customer.id}")
    region = load_settings(uow).phone_region
    values = {
        "name": validation.short_text(edit.name, "customer_name", required=True),
        "phone": validation.phone(edit.phone, region),
        "email": validation.email(edit.email),
        "organisation": validation.short_text(edit.organisation, "organisation") or None,
        "account_ref": validation.short_text(edit.account_ref, "account_ref") or None,
        "vulnerable": customer.vulnerable if edit.vulnerable is None else bool(edit.vulnerable),
    }
    if not values["phone"] and not values["email"]:
        raise ValidationError(
            "Keep a phone number or an email so the CEO can call the customer back.", field="phone"
        )
    changed = sorted(k for k, v in values.items() if getattr(customer, k) != v)
    if not changed:
        return
    for key in changed:
        setattr(customer, key, values[key])
    audit.record(
        uow,
        "customer_changed",
        entity="customer",
        entity_id=customer.id,
        description=f"Customer #{customer.id}: changed {', '.join(changed)}",
    )
    for complaint_id in uow.session.scalars(
        select(Complaint.id).where(Complaint.customer_id == customer.id)
    ):
        search.refresh(uow, complaint_id)
