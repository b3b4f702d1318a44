"""Sub-commands that look after the log as a whole: demo data."""

from __future__ import annotations

import argparse
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options, whole_number


def register(commands: Any) -> None:
    common = common_options()
    p = commands.add_parser("demo", parents=[common], help="fill the database with demo history")
    p.add_argument("--complaints", type=whole_number, default=500)
    p.add_argument("--months", type=whole_number, default=12)
    p.add_argument("--seed", type=whole_number, default=1)
    p.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core import demo

    with demo.written_once(ctx.database()):
        summary = ctx.write(
            # A command is a process of one thread: the rows can be made alongside the writing.
            lambda uow: demo.generate(
                uow,
                complaints=args.complaints,
                months=args.months,
                seed=args.seed,
                alongside=True,
            )
        )
    return ctx.emit(
        f"Added {summary.complaints:,} demo complaints from {summary.customers:,} customers "
        f"over {args.months} months.",
        {"complaints": summary.complaints, "customers": summary.customers, "staff": summary.staff},
    )
