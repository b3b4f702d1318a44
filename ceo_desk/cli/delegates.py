"""Sub-commands for delegates' reports: the report form, a returned form, more time."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ceo_desk.cli.context import CommandContext
from ceo_desk.core import report_form_reader
from ceo_desk.core.safety.input_file import read_regular
from ceo_desk.reports.common import PAPERS
from ceo_desk.reports.report_form import render_report_form


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add this group's sub-commands to the main parser."""
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
