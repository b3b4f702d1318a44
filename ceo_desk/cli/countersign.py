"""`callback --ceo-reports` (the assistant records the CEO's satisfied call) and
`countersign` (the CEO's countersignature that resolves it)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core.services import complaints, countersign, promises
from ceo_desk.enums import Outcome, PromiseOutcome
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork


def register(commands: Any) -> None:
    p = commands.add_parser(
        "countersign",
        parents=[common_options()],
        help="the CEO countersigns a satisfied callback the assistant recorded",
    )
    p.add_argument("reference", nargs="?", help="leave out to list what waits")
    p.set_defaults(handler=_countersign)


def ceo_reports(
    args: argparse.Namespace,
    ctx: CommandContext,
    data: complaints.CallbackInput,
    ticks: Mapping[int, PromiseOutcome],
) -> int:
    """Record "the CEO reports: satisfied", and the promises the CEO says were kept or broken,
    in one transaction; the outcome waits for the CEO's countersignature."""
    if data.outcome is not Outcome.SATISFIED:
        raise ValidationError(
            "--ceo-reports goes with --outcome satisfied only: record any other outcome as "
            "the callback itself.",
            field="outcome",
        )

    def record(uow: UnitOfWork) -> complaints.ActionResult:
        result = countersign.report_ceo_satisfied(uow, args.reference, data)
        promises.settle(uow, args.reference, ticks)
        return result

    result = ctx.write(record)
    return ctx.emit(
        f"{result.reference}: recorded that the CEO reports the customer satisfied. It counts "
        "as resolved once the CEO countersigns it (ceo-desk countersign "
        f"{result.reference}).",
        {"reference": result.reference, "status": result.status.value, "countersigned": False},
    )


def _countersign(args: argparse.Namespace, ctx: CommandContext) -> int:
    if not args.reference:
        with ctx.database().reading() as uow:
            rows = countersign.awaiting_countersign(uow)
        text = "\n".join(
            f"{r.reference:<14} {r.customer_name:<24} recorded by {r.reported_by}" for r in rows
        )
        return ctx.emit(
            text or "Nothing waits for the CEO's countersignature.",
            [
                {
                    "reference": r.reference,
                    "customer": r.customer_name,
                    "reported_by": r.reported_by,
                    "reported_at": r.reported_at,
                }
                for r in rows
            ],
        )
    result = ctx.write(lambda uow: countersign.countersign(uow, args.reference))
    return ctx.emit(
        f"{result.reference} resolved: countersigned by the CEO.",
        {"reference": result.reference, "status": result.status.value, "countersigned": True},
    )
