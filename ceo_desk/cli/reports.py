"""Sub-commands for printed reports: the monthly summary and the CEO's call brief."""

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
    report = commands.add_parser("report", help="print the monthly summary or a call brief (PDF)")
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
