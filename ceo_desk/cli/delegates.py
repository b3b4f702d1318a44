"""Sub-commands for delegates' reports: the report form, a returned form, more time."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core import report_form_reader
from ceo_desk.core.safety.input_file import read_regular
from ceo_desk.core.services import more_time
from ceo_desk.reports.common import PAPERS
from ceo_desk.reports.report_form import render_report_form


def register(commands: Any) -> None:
    """Add this group's sub-commands to the main parser."""
    common = common_options()
    p = commands.add_parser(
        "report-form",
        parents=[common],
        help="write the fillable report form for a delegate without the app (PDF)",
        description="Write the fillable PDF report form for the complaint's current delegate. "
        "They fill it in any PDF reader and send it back; file it with "
        "`ceo-desk file-report REF --from-form FILE.pdf`.",
    )
    p.add_argument("reference", metavar="REF", help="complaint reference, e.g. C-2026-0042")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="where to save it")
    p.add_argument("--paper", default="a4", type=str.lower, choices=sorted(PAPERS))
    p.add_argument("--force", action="store_true", help="replace an existing PDF")
    p.set_defaults(handler=_report_form)

    p = commands.add_parser(
        "more-time", parents=[common], help="ask for a later report due date (delegates)"
    )
    p.add_argument("reference", metavar="REF")
    p.add_argument("--until", required=True, metavar="YYYY-MM-DD", help="the date you propose")
    p.add_argument("--reason", required=True, help="why the report needs more time")
    p.set_defaults(handler=_more_time)

    p = commands.add_parser(
        "accept-more-time", parents=[common], help="give a delegate the time they asked for"
    )
    p.add_argument("reference", metavar="REF")
    p.set_defaults(handler=_accept)

    p = commands.add_parser(
        "decline-more-time", parents=[common], help="refuse a delegate's request for more time"
    )
    p.add_argument("reference", metavar="REF")
    p.add_argument("--reason", required=True, help="why, in words the delegate will read")
    p.set_defaults(handler=_decline)

    p = commands.add_parser(
        "more-time-requests", parents=[common], help="requests for more time waiting for an answer"
    )
    p.set_defaults(handler=_waiting)


def _report_form(args: argparse.Namespace, ctx: CommandContext) -> int:
    result = render_report_form(
        ctx.database(), args.reference, args.output, paper=args.paper, force=args.force
    )
    reference = args.reference.strip().upper()
    return ctx.emit(
        f"Saved the report form for {reference} to {result.path}. Send it to the delegate; "
        f"file the returned form with `ceo-desk file-report {reference} --from-form FILE.pdf`.",
        {"reference": reference, "path": str(result.path)},
    )


def file_from_form(args: argparse.Namespace, ctx: CommandContext) -> int:
    """`file-report REF --from-form FILE.pdf`: file the report a returned form holds."""
    from ceo_desk.cli.complaints import report_filed_output

    path = Path(args.from_form).expanduser()
    data = read_regular(
        path, report_form_reader.MAX_FORM_BYTES, what="returned report form", field="from_form"
    )
    filed = ctx.write(
        lambda uow: report_form_reader.file_form(uow, args.reference, data, file_name=path.name)
    )
    note = f"Transcribed from {filed.transcription.form_source}.\n"
    return report_filed_output(ctx, filed.result, note)


def _request_json(view: more_time.MoreTimeView) -> dict[str, object]:
    return {
        "reference": view.reference,
        "staff": view.staff_name,
        "requested_by": view.requested_by,
        "requested_at": view.requested_at.isoformat(),
        "reason": view.reason,
        "due_on_before": view.due_on_before.isoformat(),
        "proposed_due_on": view.proposed_due_on.isoformat(),
        "decision": view.decision.value if view.decision else None,
        "decline_reason": view.decline_reason,
    }


def _more_time(args: argparse.Namespace, ctx: CommandContext) -> int:
    view = ctx.write(
        lambda uow: more_time.request_more_time(uow, args.reference, args.until, args.reason)
    )
    return ctx.emit(
        f"Asked for more time on {view.reference}: until {view.proposed_due_on.isoformat()} "
        f"(now due {view.due_on_before.isoformat()}). The office will accept or decline it.",
        _request_json(view),
    )


def _accept(args: argparse.Namespace, ctx: CommandContext) -> int:
    view = ctx.write(lambda uow: more_time.accept_more_time(uow, args.reference))
    return ctx.emit(
        f"{view.reference}: more time given to {view.staff_name}; report now due "
        f"{view.proposed_due_on.isoformat()}.",
        _request_json(view),
    )


def _decline(args: argparse.Namespace, ctx: CommandContext) -> int:
    view = ctx.write(lambda uow: more_time.decline_more_time(uow, args.reference, args.reason))
    return ctx.emit(
        f"{view.reference}: more time declined; the report stays due "
        f"{view.due_on_before.isoformat()}.",
        _request_json(view),
    )


def _waiting(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.database().reading() as uow:
        views = more_time.waiting_requests(uow)
    if not views:
        return ctx.emit("No request for more time is waiting.", [])
    text = "\n".join(
        f"{v.reference:<13} {v.staff_name[:22]:<22} due {v.due_on_before.isoformat()} -> "
        f"{v.proposed_due_on.isoformat()}  {v.reason[:60]}"
        for v in views
    )
    return ctx.emit(text, [_request_json(v) for v in views])
