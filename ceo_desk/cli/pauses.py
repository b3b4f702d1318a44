"""`pause REF --reason TEXT` and `resume REF`: the complaint's clock stands still while the office
waits for the customer or a third party."""

from __future__ import annotations

import argparse
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import pauses


def register(commands: Any) -> None:
    p = commands.add_parser(
        "pause",
        parents=[common_options()],
        help="pause a complaint's clock while waiting for the customer or a third party",
    )
    p.add_argument("reference")
    p.add_argument("--reason", required=True, help="what the office is waiting for")
    p.set_defaults(handler=_pause)
    r = commands.add_parser(
        "resume",
        parents=[common_options()],
        help="start a paused complaint's clock again; its due dates move on by the pause",
    )
    r.add_argument("reference")
    r.set_defaults(handler=_resume)


def _json(view: pauses.PauseView) -> dict[str, Any]:
    return {
        "reference": view.reference,
        "reason": view.reason,
        "paused_at": view.paused_at,
        "paused_by": view.paused_by,
        "resumed_at": view.resumed_at,
        "resumed_by": view.resumed_by,
        "paused_business_days": view.paused_business_days,
        "report_due_on": view.report_due_on,
        "callback_due_on": view.callback_due_on,
    }


def _pause(args: argparse.Namespace, ctx: CommandContext) -> int:
    view = ctx.write(lambda uow: pauses.pause(uow, args.reference, args.reason))
    return ctx.emit(
        f"{view.reference}: clock paused ({view.reason}). Its due dates and final-response "
        f"deadline stand still until `ceo-desk resume {view.reference}`.",
        _json(view),
    )


def _resume(args: argparse.Namespace, ctx: CommandContext) -> int:
    view = ctx.write(lambda uow: pauses.resume(uow, args.reference))
    days = view.paused_business_days
    since = SYSTEM_CLOCK.local_day(view.paused_at).isoformat()
    moved = [
        f"report now due {view.report_due_on.isoformat()}" if view.report_due_on else "",
        f"callback now due {view.callback_due_on.isoformat()}" if view.callback_due_on else "",
    ]
    said = "; ".join(m for m in moved if m)
    return ctx.emit(
        f"{view.reference}: clock resumed after {days} business day{'' if days == 1 else 's'} "
        f"paused (since {since})" + (f"; {said}." if said else "."),
        _json(view),
    )
