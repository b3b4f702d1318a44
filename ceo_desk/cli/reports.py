"""Sub-commands for printed reports: the monthly summary, the CEO's call brief and a partner's
monthly statement."""

from __future__ import annotations

import argparse
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core import policy
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.reports.common import PAPERS
from ceo_desk.reports.monthly import render_monthly


def register(commands: Any) -> None:
    """Add this group's sub-commands to the main parser."""
    common = common_options()
    report = commands.add_parser(
        "report", help="print the monthly summary, a call brief or a partner's statement (PDF)"
    )
    kinds = report.add_subparsers(dest="report_command", metavar="KIND", required=True)

    p = kinds.add_parser(
        "monthly",
        parents=[common],
        help="the monthly summary for the board",
        description="Write the monthly summary as a PDF. The month defaults to the last complete "
        "one.",
    )
    p.add_argument("month", nargs="?", metavar="YYYY-MM", help="the month (default: last month)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="where to save it")
    p.add_argument("--paper", default="a4", type=str.lower, choices=sorted(PAPERS))
    p.add_argument("--force", action="store_true", help="replace an existing PDF")
    p.set_defaults(handler=_monthly)

    p = kinds.add_parser(
        "brief",
        parents=[common],
        help="the one-page brief for the CEO's call to a customer",
    )
    p.add_argument("reference", metavar="REF", help="complaint reference, e.g. C-2026-0042")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="where to save it")
    p.add_argument("--paper", default="a4", type=str.lower, choices=sorted(PAPERS))
    p.add_argument("--force", action="store_true", help="replace an existing PDF")
    p.set_defaults(handler=_brief)

    p = kinds.add_parser(
        "partner",
        parents=[common],
        help="a month's statement for one department or partner, to send to it",
        description="Write a department's or partner's statement for a month as a PDF: its "
        "complaints, what they were, how long they took and what they cost, without the "
        "customers' names or words.",
    )
    p.add_argument("unit", metavar="UNIT", help="the department or partner (name or id)")
    p.add_argument("month", metavar="YYYY-MM", help="the month")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="where to save it")
    p.add_argument("--paper", default="a4", type=str.lower, choices=sorted(PAPERS))
    p.add_argument("--force", action="store_true", help="replace an existing PDF")
    p.set_defaults(handler=_partner)


def _monthly(args: argparse.Namespace, ctx: CommandContext) -> int:
    month = policy.Month.parse(args.month) if args.month else None
    now = SYSTEM_CLOCK.now()
    chosen = month or policy.last_complete_month(SYSTEM_CLOCK.local_day(now))
    result = render_monthly(
        ctx.database(), chosen, args.output, paper=args.paper, now=now, force=args.force
    )
    return ctx.emit(
        f"Saved the {chosen.label} summary to {result.path} ({result.pages} pages).",
        {"month": chosen.iso, "path": str(result.path), "pages": result.pages},
    )


def _partner(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.reports.partner_statement import render_partner_statement

    month = policy.Month.parse(args.month)
    result = render_partner_statement(
        ctx.database(), args.unit, month, args.output, paper=args.paper, force=args.force
    )
    return ctx.emit(
        f"Saved {args.unit.strip()}'s statement for {month.label} to {result.path} "
        f"({result.pages} {'page' if result.pages == 1 else 'pages'}).",
        {"unit": args.unit.strip(), "month": month.iso, "path": str(result.path),
         "pages": result.pages},
    )  # fmt: skip


def _brief(args: argparse.Namespace, ctx: CommandContext) -> int:
    # Imported here: the brief's wording rules and phone formatting are not needed for the pack.
    from ceo_desk.reports.brief import render_call_brief

    result = render_call_brief(
        ctx.database(), args.reference, args.output, paper=args.paper, force=args.force
    )
    reference = args.reference.strip().upper()
    return ctx.emit(
        f"Saved the call brief for {reference} to {result.path}.",
        {"reference": reference, "path": str(result.path), "pages": result.pages},
    )
