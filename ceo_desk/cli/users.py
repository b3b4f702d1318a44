"""Sub-commands for people: who holds which role (`users list`, `users grant`, `users revoke`)."""

from __future__ import annotations

import argparse
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core.services import people
from ceo_desk.enums import GRANTABLE_ROLES

_ROLES = "|".join(role.value for role in GRANTABLE_ROLES)


def register(commands: Any) -> None:
    common = common_options()
    users = commands.add_parser("users", help="who may do what: the roles granted to people")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    p = actions.add_parser("list", parents=[common], help="list who holds which role")
    p.set_defaults(handler=_list)

    p = actions.add_parser("grant", parents=[common], help="grant a role (owners only)")
    p.add_argument("identity", metavar="IDENTITY", help="the account or database login")
    p.add_argument("--role", required=True, metavar=_ROLES)
    p.add_argument("--staff", metavar="NAME", help="for a delegate: whose work they file")
    p.set_defaults(handler=_grant)

    p = actions.add_parser("revoke", parents=[common], help="revoke a role (owners only)")
    p.add_argument("identity", metavar="IDENTITY")
    p.add_argument("--role", required=True, metavar=_ROLES)
    p.set_defaults(handler=_revoke)


def _json(row: people.GrantRow) -> dict[str, Any]:
    return {
        "identity": row.identity,
        "role": row.role.value,
        "staff_id": row.staff_id,
        "staff": row.staff_name,
        "granted_by": row.granted_by,
        "granted_at": row.granted_at,
    }


def _line(row: people.GrantRow) -> str:
    staff = f" for {row.staff_name}" if row.staff_name else ""
    return f"{row.identity:<24} {row.role.label:<10}{staff}  (granted by {row.granted_by})"


def _list(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.database().reading() as uow:
        rows = people.list_grants(uow)
    return ctx.emit("\n".join(_line(r) for r in rows), [_json(r) for r in rows])


def _grant(args: argparse.Namespace, ctx: CommandContext) -> int:
    row = ctx.write(lambda uow: people.grant(uow, args.identity, args.role, staff=args.staff))
    staff = f" for the work of {row.staff_name}" if row.staff_name else ""
    return ctx.emit(f"{row.identity} now holds the {row.role.label} role{staff}.", _json(row))


def _revoke(args: argparse.Namespace, ctx: CommandContext) -> int:
    role = people.parse_role(args.role)
    ctx.write(lambda uow: people.revoke(uow, args.identity, role))
    return ctx.emit(
        f"{args.identity.strip()} no longer holds the {role.label} role.",
        {"identity": args.identity.strip(), "role": role.value, "revoked": True},
    )
