"""Who holds which role: list, grant, revoke, and the first owner of a log without grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ceo_desk.core import audit, identity, permissions
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.permissions import Action
from ceo_desk.enums import Role, parse_choice
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store import office
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import RoleGrant, Staff

# What the one person starting a local log holds, so the README's first command just works.
FIRST_ROLES = (Role.OWNER, Role.CEO, Role.ASSISTANT)
IDENTITY_LIMIT = 120


@dataclass(frozen=True)
class GrantRow:
    identity: str
    role: Role
    staff_id: int | None
    staff_name: str | None
    granted_by: str
    granted_at: datetime


def list_grants(uow: UnitOfWork) -> list[GrantRow]:
    """Every grant, by identity then role."""
    permissions.require(uow, Action.READ_LOG)
    rows = uow.session.execute(
        select(RoleGrant, Staff.name)
        .outerjoin(Staff, Staff.id == RoleGrant.staff_id)
        .order_by(RoleGrant.identity, RoleGrant.role)
    ).all()
    return [
        GrantRow(g.identity, g.role, g.staff_id, name, g.granted_by, g.granted_at)
        for g, name in rows
    ]


def parse_role(text: str) -> Role:
    """A role as typed; SYSTEM is CEO Desk's own and never granted."""
    role = parse_choice(Role, text, field="role")
    if not role.grantable:
        raise ValidationError(
            "The system role is kept for what CEO Desk does by itself (such as reminders); it "
            "is never granted. Choose owner, ceo, assistant or delegate.",
            field="role",
        )
    return role


def _clean_identity(text: str) -> str:
    name = (text or "").strip()
    if not name:
        raise ValidationError(
            "Give the account name (the login on this computer, or the database login).",
            field="identity",
        )
    if len(name) > IDENTITY_LIMIT or any(ch.isspace() or not ch.isprintable() for ch in name):
        raise ValidationError(
            f"'{name[:40]}' is not an account name: use the login itself, without spaces "
            f"(at most {IDENTITY_LIMIT} characters).",
            field="identity",
        )
    return name


def _find(uow: UnitOfWork, who: str, role: Role) -> RoleGrant | None:
    return uow.session.scalar(
        select(RoleGrant).where(RoleGrant.identity == who, RoleGrant.role == role)
    )


def _record(uow: UnitOfWork, action: str, grant: RoleGrant, description: str) -> None:
    values = {"identity": grant.identity, "role": grant.role.value, "staff_id": grant.staff_id}
    audit.record(
        uow,
        action,
        entity="role_grant",
        entity_id=grant.id,
        description=description,
        before={} if action == "role_granted" else values,
        after=values if action == "role_granted" else {},
    )


def grant(
    uow: UnitOfWork,
    who: str,
    role: Role | str,
    *,
    staff: str | int | None = None,
    now: datetime | None = None,
) -> GrantRow:
    """Grant `role` to the identity `who`; only an owner may. A delegate is linked to an active
    staff member, whose work is the only work they see and file."""
    permissions.require(uow, Action.MANAGE_PEOPLE)
    name = _clean_identity(who)
    chosen = parse_role(role) if isinstance(role, str) else role
    if not chosen.grantable:
        parse_role(chosen.value)
    staff_row: Staff | None = None
    if chosen is Role.DELEGATE:
        from ceo_desk.core.services import directory  # only here: opening the log needs none

        if staff is None or (isinstance(staff, str) and not staff.strip()):
            raise ValidationError(
                f"A delegate is linked to the staff member whose work they file: give --staff "
                f"NAME (for example: ceo-desk users grant {name} --role delegate --staff "
                "'Wei Chen').",
                field="staff",
            )
        staff_row = directory.find_staff(uow, staff)
        staff_row = directory.require_active_staff(uow, staff_row.id)
    elif staff is not None and not (isinstance(staff, str) and not staff.strip()):
        raise ValidationError(
            "Only a delegate is linked to a staff member; leave out --staff for the "
            f"{chosen.label} role.",
            field="staff",
        )
    if _find(uow, name, chosen) is not None:
        raise ValidationError(
            f"{name} already holds the {chosen.label} role; nothing was changed.", field="role"
        )
    _follow_in_database(uow, name, chosen, member=True)
    moment = SYSTEM_CLOCK.moment(now)
    row = RoleGrant(
        identity=name,
        role=chosen,
        staff_id=staff_row.id if staff_row else None,
        granted_by=uow.identity,
        granted_at=moment,
    )
    uow.session.add(row)
    uow.session.flush()
    linked = f" for the work of {staff_row.name}" if staff_row else ""
    _record(uow, "role_granted", row, f"Granted the {chosen.label} role to {name}{linked}")
    uow.forget_grants()
    return GrantRow(
        name, chosen, row.staff_id, staff_row.name if staff_row else None, uow.identity, moment
    )


def revoke(uow: UnitOfWork, who: str, role: Role | str) -> None:
    """Take `role` away from `who`; only an owner may, and the last owner is never removed."""
    permissions.require(uow, Action.MANAGE_PEOPLE)
    name = _clean_identity(who)
    chosen = parse_role(role) if isinstance(role, str) else role
    row = _find(uow, name, chosen)
    if row is None:
        raise NotFoundError(
            f"{name} does not hold the {chosen.label} role; see who holds what with "
            "`ceo-desk users list`.",
            field="identity",
        )
    if chosen is Role.OWNER:
        owners = (
            uow.session.scalar(
                select(func.count()).select_from(RoleGrant).where(RoleGrant.role == Role.OWNER)
            )
            or 0
        )
        if owners <= 1:
            raise ValidationError(
                f"{name} is the last owner: without an owner nobody could grant roles again. "
                "Grant the owner role to someone else first, then revoke it here.",
                field="role",
            )
    _follow_in_database(uow, name, chosen, member=False)
    _record(uow, "role_revoked", row, f"Revoked the {chosen.label} role from {name}")
    uow.session.delete(row)
    uow.session.flush()
    uow.forget_grants()


def _follow_in_database(uow: UnitOfWork, name: str, role: Role, *, member: bool) -> None:
    """In an office on PostgreSQL the database enforces the roles: the login joins (or leaves)
    the role's group in the same transaction as the grant. Elsewhere there is nothing to do."""
    if uow.dialect != "postgresql":
        return
    conn = uow.session.connection()
    if not office.is_office(conn):
        return
    if not office.login_exists(conn, name):
        if not member:
            return  # no login, no membership: the grant alone goes
        raise ValidationError(
            f"There is no login {name} on this server; create it with `ceo-desk office "
            f"add-user {name} --role {role.value}`. Nothing was changed.",
            field="identity",
        )
    office.set_membership(conn, name, role, member=member)


def has_grants(uow: UnitOfWork) -> bool:
    """Some role has been granted on this log (every log but a new one)."""
    return uow.session.scalar(select(RoleGrant.id).limit(1)) is not None


def ensure_first_owner(uow: UnitOfWork) -> str | None:
    """A log with no grants at all (a new log, or one from before roles were granted) belongs to
    its first owner: the account owning the file on SQLite, the login opening it on PostgreSQL.
    They get owner, CEO and assistant. Returns who, or None when grants existed already."""
    if has_grants(uow):
        return None
    who = identity.first_owner(uow.engine)
    moment = SYSTEM_CLOCK.now()
    uow.acting_role = Role.SYSTEM  # nobody granted these: CEO Desk did, once
    for role in FIRST_ROLES:
        row = RoleGrant(identity=who, role=role, granted_by="ceo-desk", granted_at=moment)
        uow.session.add(row)
        uow.session.flush()
        _record(
            uow, "role_granted", row, f"Granted the {role.label} role to {who}, the log's owner"
        )
    uow.forget_grants()
    uow.acting_role = None
    return who
