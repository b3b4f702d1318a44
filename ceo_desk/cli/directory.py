"""Sub-commands for departments, partners and staff."""

from __future__ import annotations

import argparse
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core.services import directory
from ceo_desk.enums import UnitKind, parse_choice
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork


def register(commands: Any) -> None:
    common = common_options()
    staff = commands.add_parser("staff", help="staff members who take delegated complaints")
    actions = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)

    p = actions.add_parser("add", parents=[common], help="add a staff member")
    p.add_argument("--name", required=True)
    p.add_argument("--unit", required=True, help="department or partner (created when new)")
    p.add_argument("--unit-kind", default=None, help="department or partner")
    p.add_argument("--email")
    p.add_argument("--phone")
    p.set_defaults(handler=_add)

    p = actions.add_parser("list", parents=[common], help="list staff")
    p.add_argument("--all", action="store_true", help="include deactivated staff")
    p.set_defaults(handler=_list)

    p = actions.add_parser("deactivate", parents=[common], help="stop delegating to someone")
    p.add_argument("who", help="name, email or id")
    choice = p.add_mutually_exclusive_group()
    choice.add_argument(
        "--hand-over-to",
        metavar="WHO",
        help="give their open complaints to this person (name, email or id) in the same step",
    )
    choice.add_argument(
        "--keep-them",
        action="store_true",
        help="leave their open complaints with them (someone must re-delegate each later)",
    )
    p.set_defaults(handler=_deactivate)

    units = commands.add_parser("units", parents=[common], help="list departments and partners")
    units.add_argument("--all", action="store_true", help="include deactivated ones")
    units.set_defaults(handler=_units)

    head = commands.add_parser(
        "unit-head",
        parents=[common],
        help="name who a department's or partner's overdue reports are escalated to",
    )
    head.add_argument("unit", help="department or partner: name or id")
    head.add_argument("who", nargs="?", help="the head: a staff member's name, email or id")
    head.add_argument("--none", action="store_true", help="the unit has no head: never escalate")
    head.set_defaults(handler=_unit_head)


def _add(args: argparse.Namespace, ctx: CommandContext) -> int:
    kind = parse_choice(UnitKind, args.unit_kind, field="unit_kind") if args.unit_kind else None
    staff_id, created = ctx.write(
        lambda uow: directory.add_staff_with_unit(
            uow,
            name=args.name,
            unit_name=args.unit,
            unit_kind=kind,
            email=args.email,
            phone=args.phone,
        )
    )
    with ctx.database().reading() as uow:
        row = directory.get_staff(uow, staff_id)
    note = f" (new {row.unit_kind.value})" if created else ""
    return ctx.emit(f"Added {row.name} (id {row.id}) to {row.unit_name}{note}.", _staff_json(row))


def _staff_json(row: directory.StaffRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "unit": row.unit_name,
        "unit_kind": row.unit_kind.value,
        "email": row.email,
        "phone": row.phone,
        "active": row.active,
    }


def _list(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.database().reading() as uow:
        rows = directory.list_staff(uow, include_inactive=args.all)
    if not rows:
        return ctx.emit("No staff yet. Add someone with `ceo-desk staff add`.", [])
    text = "\n".join(
        f"{r.id:>5}  {r.name:<28} {r.unit_name:<24} {r.email or '':<30}"
        + ("" if r.active else "  (deactivated)")
        for r in rows
    )
    return ctx.emit(text, [_staff_json(r) for r in rows])


def _deactivate(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.services import hand_over

    def deactivate(uow: UnitOfWork) -> hand_over.Deactivated:
        staff = directory.find_staff(uow, args.who)
        target = directory.find_staff(uow, args.hand_over_to).id if args.hand_over_to else None
        waiting = hand_over.open_assignments(uow, staff.id)
        if waiting and target is None and not args.keep_them:
            count = len(waiting)
            raise ValidationError(
                f"{staff.name} still has {count} open complaint{'s' if count != 1 else ''} "
                f"({hand_over.listed(waiting)}). Give them to someone with --hand-over-to WHO, "
                "or leave them with this person with --keep-them; nothing was changed.",
                field="hand_over_to",
            )
        return hand_over.deactivate(uow, staff.id, hand_over_to=target, keep_open=args.keep_them)

    done = ctx.write(deactivate)
    text = f"{done.staff_name} is deactivated."
    if done.handed_over:
        text += f" {len(done.handed_over)} open complaints went to {done.to_name}: " + ", ".join(
            done.handed_over
        )
    elif done.kept:
        text += f" Still with them, to re-delegate: {', '.join(done.kept)}."
    return ctx.emit(
        text,
        {
            "id": done.staff_id,
            "name": done.staff_name,
            "active": False,
            "handed_over": list(done.handed_over),
            "handed_over_to": done.to_name,
            "kept": list(done.kept),
        },
    )


def _units(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.database().reading() as uow:
        rows = directory.list_units(uow, include_inactive=args.all)
    data = [
        {
            "id": u.id,
            "name": u.name,
            "kind": u.kind.value,
            "active": u.active,
            "staff": u.staff_count,
            "head": u.head_name,
            "head_staff_id": u.head_staff_id,
        }
        for u in rows
    ]
    text = "\n".join(
        f"{u.id:>5}  {u.name:<30} {u.kind.label:<11} {f'{u.staff_count} staff':<10}"
        + (f" head: {u.head_name}" if u.head_name else "")
        for u in rows
    )
    return ctx.emit(text or "No departments or partners yet.", data)


def _unit_head(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.none == bool(args.who):
        raise ValidationError(
            "Say who heads the unit (`ceo-desk unit-head UNIT WHO`), or --none for nobody; "
            "not both.",
            field="head",
        )

    def set_head(uow: UnitOfWork) -> directory.UnitRow:
        unit = directory.find_unit(uow, args.unit)
        head_id = None if args.none else directory.find_staff(uow, args.who).id
        directory.set_unit_head(uow, unit.id, head_id)
        return directory.get_unit(uow, unit.id)

    row = ctx.write(set_head)
    text = (
        f"{row.head_name} heads {row.name}: its overdue reports are escalated to them."
        if row.head_name
        else f"{row.name} has no head: its overdue reports are not escalated."
    )
    return ctx.emit(text, {"id": row.id, "name": row.name, "head": row.head_name})
