"""Departments, partners and staff. Once referenced they are deactivated, never deleted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ceo_desk.core import audit, permissions, validation
from ceo_desk.core.permissions import Action as Allow
from ceo_desk.core.services import versions
from ceo_desk.core.services.names import find_by_name, name_key
from ceo_desk.core.services.office import load_settings
from ceo_desk.enums import UnitKind
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Staff, Unit


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    kind: UnitKind
    active: bool
    staff_count: int
    version: int = 1
    head_staff_id: int | None = None
    head_name: str | None = None


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    unit_id: int
    unit_name: str
    unit_kind: UnitKind
    email: str | None
    phone: str | None
    active: bool
    version: int = 1


@dataclass(frozen=True)
class StaffInput:
    name: str
    unit_id: int
    email: str | None = None
    phone: str | None = None


def _unit_row(unit: Unit, staff_count: int) -> UnitRow:
    head = unit.head
    return UnitRow(
        unit.id,
        unit.name,
        unit.kind,
        unit.active,
        staff_count,
        unit.version,
        head.id if head else None,
        head.name if head else None,
    )


def _staff_row(staff: Staff) -> StaffRow:
    return StaffRow(
        staff.id,
        staff.name,
        staff.unit_id,
        staff.unit.name,
        staff.unit.kind,
        staff.email,
        staff.phone,
        staff.active,
        staff.version,
    )


def list_units(uow: UnitOfWork, *, include_inactive: bool = False) -> list[UnitRow]:
    counts = (
        select(Staff.unit_id, func.count().label("n"))
        .where(Staff.active.is_(True))
        .group_by(Staff.unit_id)
        .subquery()
    )
    query = (
        select(Unit, func.coalesce(counts.c.n, 0))
        .options(selectinload(Unit.head))
        .outerjoin(counts, counts.c.unit_id == Unit.id)
        .order_by(Unit.kind, func.lower(Unit.name))
    )
    if not include_inactive:
        query = query.where(Unit.active.is_(True))
    return [_unit_row(unit, n) for unit, n in uow.session.execute(query)]


def get_unit(uow: UnitOfWork, unit_id: int) -> UnitRow:
    """One department or partner as the directory lists it (the lists are short)."""
    for row in list_units(uow, include_inactive=True):
        if row.id == unit_id:
            return row
    raise NotFoundError(f"There is no department or partner with id {unit_id}.", field="unit")


def find_unit(uow: UnitOfWork, name_or_id: str | int) -> Unit:
    """A unit by id or by name (any case)."""
    if isinstance(name_or_id, int) or str(name_or_id).strip().isdigit():
        unit = uow.session.get(Unit, int(name_or_id))
    else:
        wanted = " ".join(str(name_or_id).split())
        unit = find_by_name(uow, Unit, wanted)
    if unit is None:
        raise NotFoundError(
            f"There is no department or partner '{name_or_id}'. Add it in the Directory first "
            "(`ceo-desk staff add --unit` adds one with its first person).",
            field="unit",
        )
    return unit


def add_unit(uow: UnitOfWork, name: str, kind: UnitKind) -> int:
    permissions.require(uow, Allow.EDIT_DIRECTORY)
    cleaned = validation.short_text(name, "unit", required=True)
    clash = find_by_name(uow, Unit, cleaned)
    if clash is not None:
        raise ValidationError(f"'{clash.name}' is already in the directory.", field="unit")
    unit = Unit(name=cleaned, kind=kind, active=True)
    uow.session.add(unit)
    uow.session.flush()
    audit.record(
        uow,
        "unit_added",
        entity="unit",
        entity_id=unit.id,
        description=f"{kind.label} '{cleaned}'",
        after={"name": cleaned, "kind": kind.value},
    )
    return unit.id


def update_unit(
    uow: UnitOfWork,
    unit_id: int,
    name: str,
    kind: UnitKind,
    *,
    expected_version: int | None = None,
) -> None:
    permissions.require(uow, Allow.EDIT_DIRECTORY)
    unit = find_unit(uow, unit_id)
    versions.check(unit, expected_version, f"'{unit.name}'")
    cleaned = validation.short_text(name, "unit", required=True)
    clash = find_by_name(uow, Unit, cleaned, exclude_id=unit_id)
    if clash is not None:
        raise ValidationError(f"'{clash.name}' is already in the directory.", field="unit")
    before = {"name": unit.name, "kind": unit.kind}
    unit.name, unit.kind = cleaned, kind
    after = {"name": unit.name, "kind": unit.kind}
    if before != after:
        audit.record(
            uow,
            "unit_changed",
            entity="unit",
            entity_id=unit.id,
            description=f"{kind.label} '{cleaned}'",
            before=before,
            after=after,
        )


def set_unit_active(
    uow: UnitOfWork, unit_id: int, active: bool, *, expected_version: int | None = None
) -> None:
    permissions.require(uow, Allow.EDIT_DIRECTORY)
    unit = find_unit(uow, unit_id)
    versions.check(unit, expected_version, f"'{unit.name}'")
    if unit.active == active:
        return
    unit.active = active
    audit.record(
        uow,
        "unit_activated" if active else "unit_deactivated",
        entity="unit",
        entity_id=unit.id,
        description=f"'{unit.name}'",
        before={"active": not active},
        after={"active": active},
    )


def set_unit_head(
    uow: UnitOfWork,
    unit_id: int,
    head_staff_id: int | None,
    *,
    expected_version: int | None = None,
) -> None:
    """Name the staff member a department's or partner's overdue reports are escalated to (None:
    nobody, and nothing is escalated). The head may work in another unit, as a partner's account
    manager in the company does."""
    permissions.require(uow, Allow.EDIT_DIRECTORY)
    unit = find_unit(uow, unit_id)
    versions.check(unit, expected_version, f"'{unit.name}'")
    if unit.head_staff_id == head_staff_id:
        return
    before = {"head": unit.head.name if unit.head else None}
    if head_staff_id is None:
        unit.head_staff_id = None
        described = f"'{unit.name}' has no head"
    else:
        head = uow.session.get(Staff, head_staff_id)
        if head is None:
            raise NotFoundError(f"There is no staff member with id {head_staff_id}.", field="head")
        if not head.active or not head.unit.active:
            raise ValidationError(
                f"{head.name} is deactivated and cannot head '{unit.name}'. Choose someone "
                "active, or reactivate them in the Directory first.",
                field="head",
            )
        unit.head_staff_id = head.id
        described = f"{head.name} heads '{unit.name}'"
    uow.session.flush()
    uow.session.expire(unit, ["head"])
    audit.record(
        uow,
        "unit_head_changed",
        entity="unit",
        entity_id=unit.id,
        description=described,
        before=before,
        after={"head": unit.head.name if unit.head else None},
    )


def _clean_staff(uow: UnitOfWork, data: StaffInput) -> dict[str, object]:
    region = load_settings(uow).phone_region
    unit = find_unit(uow, data.unit_id)
    return {
        "name": validation.short_text(data.name, "name", required=True),
        "unit_id": unit.id,
        "email": validation.email(data.email),
        "phone": validation.phone(data.phone, region),
    }


def add_staff(uow: UnitOfWork, data: StaffInput) -> int:
    permissions.require(uow, Allow.EDIT_DIRECTORY)
    values = _clean_staff(uow, data)
    wanted = name_key(str(values["name"]))
    for colleague in uow.session.scalars(select(Staff).where(Staff.unit_id == values["unit_id"])):
        if name_key(colleague.name) == wanted:
            state = "" if colleague.active else " (deactivated: reactivate them instead)"
            raise ValidationError(
                f"{colleague.name} (id {colleague.id}) is already in this department or "
                f"partner{state}.",
                field="name",
            )
    staff = Staff(active=True, **values)
    uow.session.add(staff)
    uow.session.flush()
    audit.record(
        uow,
        "staff_added",
        entity="staff",
        entity_id=staff.id,
        description=f"'{staff.name}'",
        after=values,
    )
    return staff.id


def add_staff_with_unit(
    uow: UnitOfWork,
    *,
    name: str,
    unit_name: str,
    unit_kind: UnitKind | None,
    email: str | None,
    phone: str | None,
) -> tuple[int, bool]:
    """Add a staff member, creating the unit when it is new. Returns (staff id, unit created)."""
    permissions.require(uow, Allow.EDIT_DIRECTORY)
    cleaned_unit = validation.short_text(unit_name, "unit", required=True)
    existing = find_by_name(uow, Unit, cleaned_unit)
    created = existing is None
    if existing is None:
        unit_id = add_unit(uow, cleaned_unit, unit_kind or UnitKind.DEPARTMENT)
    else:
        if unit_kind is not None and existing.kind is not unit_kind:
            raise ValidationError(
                f"'{existing.name}' is a {existing.kind.value}, not a {unit_kind.value}.",
                field="unit_kind",
            )
        if not existing.active:
            raise ValidationError(
                f"'{existing.name}' is deactivated. Reactivate it in the Directory first.",
                field="unit",
            )
        unit_id = existing.id
    staff_id = add_staff(uow, StaffInput(name=name, unit_id=unit_id, email=email, phone=phone))
    return staff_id, created


def update_staff(
    uow: UnitOfWork, staff_id: int, data: StaffInput, *, expected_version: int | None = None
) -> None:
    permissions.require(uow, Allow.EDIT_DIRECTORY)
    staff = uow.session.get(Staff, staff_id)
    if staff is None:
        raise NotFoundError(f"There is no staff member with id {staff_id}.")
    versions.check(staff, expected_version, staff.name)
    values = _clean_staff(uow, data)
    before = {k: getattr(staff, k) for k in values}
    if before == values:
        return
    for key, value in values.items():
        setattr(staff, key, value)
    audit.record(
        uow,
        "staff_changed",
        entity="staff",
        entity_id=staff.id,
        description=f"'{staff.name}'",
        before=before,
        after=values,
    )


def set_staff_active(
    uow: UnitOfWork, staff_id: int, active: bool, *, expected_version: int | None = None
) -> None:
    permissions.require(uow, Allow.EDIT_DIRECTORY)
    staff = uow.session.get(Staff, staff_id)
    if staff is None:
        raise NotFoundError(f"There is no staff member with id {staff_id}.")
    versions.check(staff, expected_version, staff.name)
    if staff.active == active:
        return
    staff.active = active
    audit.record(
        uow,
        "staff_activated" if active else "staff_deactivated",
        entity="staff",
        entity_id=staff.id,
        description=f"'{staff.name}'",
        before={"active": not active},
        after={"active": active},
    )


def list_staff(
    uow: UnitOfWork, *, include_inactive: bool = False, unit_id: int | None = None
) -> list[StaffRow]:
    query = select(Staff).join(Unit, Unit.id == Staff.unit_id).order_by(func.lower(Staff.name))
    if not include_inactive:
        query = query.where(Staff.active.is_(True), Unit.active.is_(True))
    if unit_id is not None:
        query = query.where(Staff.unit_id == unit_id)
    return [_staff_row(s) for s in uow.session.scalars(query)]


def get_staff(uow: UnitOfWork, staff_id: int) -> StaffRow:
    staff = uow.session.get(Staff, staff_id)
    if staff is None:
        raise NotFoundError(f"There is no staff member with id {staff_id}.")
    return _staff_row(staff)


def find_staff(uow: UnitOfWork, who: str | int) -> Staff:
    """A staff member by id, email, or a unique (part of a) name, as typed on the command line."""
    raw = str(who).strip()
    if not raw:
        raise ValidationError("Say who: a staff member's name, email or id.", field="staff")
    if raw.isdigit():
        staff = uow.session.get(Staff, int(raw))
        if staff is None:
            raise NotFoundError(f"There is no staff member with id {raw}.", field="staff")
        return staff
    wanted = name_key(raw)
    everyone = list(uow.session.scalars(select(Staff).order_by(Staff.id)))
    exact = [s for s in everyone if wanted in (name_key(s.name), name_key(s.email or ""))]
    matches = exact or [s for s in everyone if wanted in name_key(s.name)]
    if not matches:
        raise NotFoundError(
            f"There is no staff member '{raw}'. The Directory (`ceo-desk staff list`) shows who "
            "there is.",
            field="staff",
        )
    if len(matches) > 1:
        names = ", ".join(f"{s.name} (id {s.id})" for s in matches[:6])
        raise ValidationError(
            f"'{raw}' matches several people: {names}. Use the id.", field="staff"
        )
    return matches[0]


def require_active_staff(uow: UnitOfWork, staff_id: int) -> Staff:
    staff = uow.session.get(Staff, staff_id)
    if staff is None:
        raise NotFoundError(f"There is no staff member with id {staff_id}.", field="staff")
    if not staff.active or not staff.unit.active:
        raise ValidationError(
            f"{staff.name} is deactivated and cannot take new complaints. Choose someone else "
            "(on the command line: --to).",
            field="staff",
        )
    return staff
