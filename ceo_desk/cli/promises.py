"""The CEO's word and what followed it: `promise` (add, tick), `follow-up` ("did it stick?")
and `today` (the CEO's calls, the most at stake first, with the reasons)."""

from __future__ import annotations

import argparse
from typing import Any

from ceo_desk.cli import promise_options
from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core import risk
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import follow_ups, promises
from ceo_desk.enums import FollowUpOutcome
from ceo_desk.errors import ValidationError


def register(commands: Any) -> None:
    common = common_options()
    group = commands.add_parser("promise", help="the CEO's promises: add one later, tick them")
    actions = group.add_subparsers(dest="promise_action", required=True, metavar="ACTION")
    p = actions.add_parser("add", parents=[common], help="a promise made after the call was logged")
    p.add_argument("reference")
    promise_options.add_promise_options(p)
    p.set_defaults(handler=_add)
    p = actions.add_parser("tick", parents=[common], help="tick promises kept or broken")
    p.add_argument("reference")
    promise_options.add_tick_options(p)
    p.set_defaults(handler=_tick)

    p = commands.add_parser(
        "follow-up",
        parents=[common],
        help="record the 'did it stick?' call on a resolved complaint",
    )
    p.add_argument("reference")
    answer = p.add_mutually_exclusive_group(required=True)
    answer.add_argument("--stuck", action="store_true", help="the fix held")
    answer.add_argument(
        "--came-back", action="store_true", help="it came back: reopens the complaint"
    )
    p.add_argument("--reason", default="", help="with --came-back: what came back")
    p.set_defaults(handler=_follow_up)

    p = commands.add_parser(
        "today", parents=[common], help="the CEO's calls today, the most at stake first"
    )
    p.set_defaults(handler=_today)


def _add(args: argparse.Namespace, ctx: CommandContext) -> int:
    given = promise_options.promises_given(args)
    ids = ctx.write(lambda uow: promises.add(uow, args.reference, given))
    return ctx.emit(
        "\n".join(f"Promise #{n} recorded on {args.reference.upper()}" for n in ids),
        {"reference": args.reference.upper(), "promises": ids},
    )


def _tick(args: argparse.Namespace, ctx: CommandContext) -> int:
    ticks = promise_options.ticks_given(args)
    if not ticks:
        raise ValidationError("Give --kept N or --broken N for each promise to tick.")
    ctx.write(lambda uow: promises.settle(uow, args.reference, ticks))
    return ctx.emit(
        "\n".join(f"Promise #{n} {o.label.lower()}" for n, o in ticks.items()),
        {
            "reference": args.reference.upper(),
            "ticked": {str(n): o.value for n, o in ticks.items()},
        },
    )


def _follow_up(args: argparse.Namespace, ctx: CommandContext) -> int:
    outcome = FollowUpOutcome.CAME_BACK if args.came_back else FollowUpOutcome.STUCK
    if outcome is FollowUpOutcome.STUCK and args.reason.strip():
        raise ValidationError("--reason goes with --came-back only.", field="reason")
    result = ctx.write(
        lambda uow: follow_ups.record(uow, args.reference, outcome, reason=args.reason)
    )
    if result.delegated_to:
        text = (
            f"{result.reference} came back: reopened and delegated to {result.delegated_to}; "
            f"report due {result.report_due_on.isoformat() if result.report_due_on else '-'}"
        )
    else:
        text = f"{result.reference}: it stuck."
    return ctx.emit(
        text,
        {
            "reference": result.reference,
            "outcome": result.outcome.value,
            "status": result.status.value,
            "delegated_to": result.delegated_to,
        },
    )


def _today(args: argparse.Namespace, ctx: CommandContext) -> int:
    today = SYSTEM_CLOCK.today()
    with ctx.database().reading() as uow:
        ranked = risk.callbacks_by_risk(uow, today=today)
        due_promises = promises.nearly_due(uow, today=today)
        calls = follow_ups.due(uow, today=today)
    lines = [f"Callbacks due: {len(ranked)}"]
    lines += [
        f"  {item.row.reference:<13} {item.row.customer_name[:24]:<24} {item.risk.text}"
        for item in ranked
    ]
    if due_promises:
        lines.append(f"Promises due: {len(due_promises)}")
        lines += [
            f"  {p.reference:<13} #{p.promise_id:<5} {promises.short_day(p.due_on):<11} "
            f"{p.what[:60]}"
            for p in due_promises
        ]
    if calls:
        lines.append(f"Did it stick? {len(calls)} follow-up call(s)")
        lines += [f"  {c.reference:<13} {c.customer_name[:24]:<24} {c.summary[:50]}" for c in calls]
    data = {
        "callbacks": [
            {
                "reference": item.row.reference,
                "customer_name": item.row.customer_name,
                "risk": item.risk.score,
                "reasons": [r.text for r in item.risk.reasons],
            }
            for item in ranked
        ],
        "promises_due": [
            {
                "reference": p.reference,
                "promise": p.promise_id,
                "what": p.what,
                "due_on": p.due_on.isoformat(),
            }
            for p in due_promises
        ],
        "follow_ups_due": [
            {"reference": c.reference, "due_on": c.due_on.isoformat()} for c in calls
        ],
    }
    return ctx.emit("\n".join(lines), data)
