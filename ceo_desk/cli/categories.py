"""`ceo-desk categories list|add|rename|retire`: what complaints are about."""

from __future__ import annotations

import argparse
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core.services import office
from ceo_desk.store.db import UnitOfWork


def register(commands: Any) -> None:
    common = common_options()
    group = commands.add_parser("categories", help="the categories complaints are filed under")
    actions = group.add_subparsers(dest="categories_command", metavar="ACTION", required=True)

    p = actions.add_parser("list", parents=[common], help="list the categories")
    p.add_argument("--all", action="store_true", help="include retired ones")
    p.set_defaults(handler=_list)

    p = actions.add_parser("add", parents=[common], help="add a category (or bring one back)")
    p.add_argument("name")
    p.set_defaults(handler=_add)

    p = actions.add_parser("rename", parents=[common], help="rename a category everywhere")
    p.add_argument("name", help="its name now")
    p.add_argument("new_name", metavar="NEW_NAME")
    p.set_defaults(handler=_rename)

    p = actions.add_parser(
        "retire",
        parents=[common],
        help="stop offering a category for new complaints (complaints keep it)",
    )
    p.add_argument("name")
    p.set_defaults(handler=_retire)


def _row_json(row: office.CategoryRow) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "active": row.active}


def _list(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.database().reading() as uow:
        rows = office.list_categories(uow, include_inactive=args.all)
    text = "\n".join(f"{r.name}{'' if r.active else '  (retired)'}" for r in rows)
    return ctx.emit(text or "No categories.", [_row_json(r) for r in rows])


def _add(args: argparse.Namespace, ctx: CommandContext) -> int:
    category_id = ctx.write(lambda uow: office.add_category(uow, args.name))
    return ctx.emit(
        f"Category '{args.name.strip()}' is offered for complaints.",
        {"id": category_id, "name": args.name.strip(), "active": True},
    )


def _rename(args: argparse.Namespace, ctx: CommandContext) -> int:
    def rename(uow: UnitOfWork) -> int:
        found = office.find_category(uow, args.name)
        office.rename_category(uow, found.id, args.new_name)
        return found.id

    category_id = ctx.write(rename)
    return ctx.emit(
        f"Category '{args.name.strip()}' is now '{args.new_name.strip()}'.",
        {"id": category_id, "name": args.new_name.strip()},
    )


def _retire(args: argparse.Namespace, ctx: CommandContext) -> int:
    def retire(uow: UnitOfWork) -> int:
        found = office.find_category(uow, args.name)
        office.set_category_active(uow, found.id, False)
        return found.id

    category_id = ctx.write(retire)
    return ctx.emit(
        f"Category '{args.name.strip()}' is retired: complaints keep it, new ones cannot use it.",
        {"id": category_id, "name": args.name.strip(), "active": False},
    )
