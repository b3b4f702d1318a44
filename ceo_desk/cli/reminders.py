"""`reminders run [--dry-run]`: queue and send the reminders due now.

Safe to run from cron or Task Scheduler as often as wanted, on a computer that is off at night:
each reminder is queued once (its dedupe key), a missed day is caught up on the next run, and a
message the mail server did not take now waits in the outbox for the next run.
"""

from __future__ import annotations

import argparse
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import reminders
from ceo_desk.core.services.reminders import Planned


def register(commands: Any) -> None:
    group = commands.add_parser(
        "reminders", help="send the reminders due now: report due, overdue, escalation"
    )
    actions = group.add_subparsers(dest="reminders_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "run",
        parents=[common_options()],
        help="queue and send what is due now (safe to run from cron or Task Scheduler)",
    )
    p.add_argument("--dry-run", action="store_true", help="list what would be sent; change nothing")
    p.set_defaults(handler=_run)


def _line(planned: Planned) -> str:
    reminder = planned.reminder
    return f"  {reminder.reference:<14} {reminder.kind.label:<30} to {planned.to_names}"


def _json(planned: Planned) -> dict[str, Any]:
    reminder = planned.reminder
    return {
        "reference": reminder.reference,
        "kind": reminder.kind.value,
        "to": list(planned.to),
        "cc": list(planned.cc),
        "subject": planned.subject,
        "dedupe_key": reminder.dedupe_key,
        "outbox_id": planned.outbox_id,
    }


def _run(args: argparse.Namespace, ctx: CommandContext) -> int:
    database = ctx.database()
    now = SYSTEM_CLOCK.now()
    if args.dry_run:
        with database.reading() as uow:
            due = reminders.plan(uow, now=now)
        text = (
            "\n".join([f"Would queue {len(due)} reminder(s):", *map(_line, due)])
            if due
            else "No reminders are due now."
        )
        return ctx.emit(
            text + "\n(dry run: nothing was queued or sent)",
            {"dry_run": True, "due": [_json(p) for p in due]},
        )
    from ceo_desk.reports import mail_files

    report = reminders.run(database, now=now, attach=mail_files.report_forms(database))
    lines = (
        [f"Queued {len(report.queued)} reminder(s):", *map(_line, report.queued)]
        if report.queued
        else ["No reminders were due."]
    )
    lines.append(report.sending)
    return ctx.emit(
        "\n".join(lines),
        {
            "dry_run": False,
            "queued": [_json(p) for p in report.queued],
            "sent": report.sent,
            "waiting": report.waiting,
        },
    )
