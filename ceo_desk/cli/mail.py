"""`ceo-desk outbox list|show|send|handed|resend` and `ceo-desk templates list|show|edit|reset`:
the office's email from the command line.

A command that queues an email (delegate, send-back, reopen, a callback that hands the complaint
back) sends it straight after its commit through `send_after_command`; what cannot go now stays
in the outbox for the app or `ceo-desk outbox send` (safe to run from a scheduler).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options, whole_number
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.database import Database
from ceo_desk.core.mail import outbox, sender, templates
from ceo_desk.enums import MessageKind, parse_choice
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork

_KINDS = ", ".join(kind.value.replace("_", "-") for kind in MessageKind)


def register(commands: Any) -> None:
    common = common_options()
    group = commands.add_parser(
        "outbox", help="the emails waiting, sent or to open in a mail program"
    )
    actions = group.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    p = actions.add_parser("list", parents=[common], help="the messages not yet sent")
    p.add_argument("--all", action="store_true", help="sent and handed-over messages too")
    p.set_defaults(handler=_list)
    p = actions.add_parser(
        "show", parents=[common], help="one message, with a mailto: link for a mail program"
    )
    p.add_argument("id", type=whole_number, help="the message's number in `outbox list`")
    p.set_defaults(handler=_show)
    p = actions.add_parser(
        "send", parents=[common], help="send what is due through the office's mail server"
    )
    p.set_defaults(handler=_send)
    p = actions.add_parser(
        "handed",
        parents=[common],
        help="record that a draft was sent from a mail program (it is not sent again)",
    )
    p.add_argument("id", type=whole_number)
    p.set_defaults(handler=_handed)
    p = actions.add_parser(
        "resend",
        parents=[common],
        help="give a draft or a refused message to the mail server (after fixing the address)",
    )
    p.add_argument("id", type=whole_number)
    p.set_defaults(handler=_resend)

    group = commands.add_parser("templates", help="the office's wording for each kind of email")
    actions = group.add_subparsers(dest="templates_command", metavar="ACTION", required=True)
    p = actions.add_parser("list", parents=[common], help="every kind of email and its subject")
    p.set_defaults(handler=_templates_list)
    p = actions.add_parser("show", parents=[common], help="one template, and the values it can use")
    p.add_argument("kind", help=f"one of: {_KINDS}")
    p.set_defaults(handler=_templates_show)
    p = actions.add_parser(
        "edit",
        parents=[common],
        help="change a template's subject and/or body (for everyone using this log)",
        epilog="values a template can use:\n"
        + "\n".join(f"  {{{name}}}: {what}" for name, what in templates.VALUES.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("kind", help=f"one of: {_KINDS}")
    p.add_argument("--subject", help="the new subject line")
    p.add_argument("--body-file", type=Path, help="a text file with the new body ('-': stdin)")
    p.set_defaults(handler=_templates_edit)
    p = actions.add_parser("reset", parents=[common], help="go back to the default wording")
    p.add_argument("kind", help=f"one of: {_KINDS}")
    p.set_defaults(handler=_templates_reset)


def _send_pending(database: Database, now: datetime) -> sender.SendReport:
    """Send what is due, each delegation notice with its report form."""
    from ceo_desk.reports import mail_files

    return sender.send_pending(database, now=now, attach=mail_files.report_forms(database))


def send_after_command(database: Database) -> None:
    """Send what a command just queued; say on stderr what waits and why."""
    report = _send_pending(database, SYSTEM_CLOCK.now())
    if not report.configured:
        print(
            "ceo-desk: note: no mail server is set up, so the email waits in the outbox as a "
            "draft (`ceo-desk outbox list`, or the app's Outbox).",
            file=sys.stderr,
        )
    elif report.retrying or report.failed:
        print(f"ceo-desk: note: email: {report.summary} {report.errors[0]}", file=sys.stderr)


def _row_json(row: outbox.OutboxRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "reference": row.reference,
        "customer": row.customer,
        "kind": row.kind.value,
        "to": row.recipients,
        "cc": row.cc,
        "subject": row.subject,
        "state": row.state.value,
        "queued_at": row.queued_at,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at,
        "sent_at": row.sent_at,
        "server_reply": row.server_reply,
        "last_error": row.last_error,
    }


def _line(row: outbox.OutboxRow) -> str:
    about = f"{row.reference} " if row.reference else ""
    to = row.recipients or "(no address)"
    note = f" — {row.last_error}" if row.last_error and row.state.value != "sent" else ""
    return f"{row.id:>5}  {row.state.label:<28} {about}{row.kind.label} to {to}{note}"


def _list(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.database().reading() as uow:
        rows = outbox.list_messages(uow, waiting_only=not args.all)
    text = "\n".join(_line(r) for r in rows) or "The outbox is empty: every message was sent."
    return ctx.emit(text, [_row_json(r) for r in rows])


def _show(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.database().reading() as uow:
        row = outbox.get_message(uow, args.id)
    text = "\n".join(
        [
            _line(row),
            f"To: {row.recipients or '(no address)'}",
            *([f"Cc: {row.cc}"] if row.cc else []),
            f"Subject: {row.subject}",
            "",
            row.body,
            "",
            f"Open in a mail program: {outbox.mailto(row)}",
        ]
    )
    return ctx.emit(text, _row_json(row) | {"body": row.body, "mailto": outbox.mailto(row)})


def _send(args: argparse.Namespace, ctx: CommandContext) -> int:
    report = _send_pending(ctx.database(), SYSTEM_CLOCK.now())
    text = report.summary + "".join(f"\n  {error}" for error in dict.fromkeys(report.errors))
    return ctx.emit(
        text,
        {
            "configured": report.configured,
            "sent": report.sent,
            "retrying": report.retrying,
            "failed": report.failed,
            "errors": report.errors,
        },
    )


def _handed(args: argparse.Namespace, ctx: CommandContext) -> int:
    now = SYSTEM_CLOCK.now()
    row = ctx.write(lambda uow: outbox.mark_handed_over(uow, args.id, now=now))
    return ctx.emit(f"Recorded: “{row.subject}” was sent from a mail program.", _row_json(row))


def _resend(args: argparse.Namespace, ctx: CommandContext) -> int:
    now = SYSTEM_CLOCK.now()
    row = ctx.write(lambda uow: outbox.send_by_mail_server(uow, args.id, now=now))
    report = _send_pending(ctx.database(), now)
    return ctx.emit(f"“{row.subject}”: {report.summary}", _row_json(row))


def _kind(text: str) -> MessageKind:
    return parse_choice(MessageKind, text, field="kind")


def _template_json(template: templates.Template) -> dict[str, Any]:
    return {
        "kind": template.kind.value,
        "label": template.kind.label,
        "subject": template.subject,
        "body": template.body,
        "edited": template.edited,
    }


def _templates_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.database().reading() as uow:
        found = templates.all_templates(uow)
    text = "\n".join(
        f"{t.kind.value.replace('_', '-'):<20} {'edited ' if t.edited else 'default'}  {t.subject}"
        for t in found
    )
    return ctx.emit(text, [_template_json(t) for t in found])


def _templates_show(args: argparse.Namespace, ctx: CommandContext) -> int:
    kind = _kind(args.kind)
    with ctx.database().reading() as uow:
        template = templates.get(uow, kind)
    text = "\n".join(
        [
            f"{kind.label} ({'edited by the office' if template.edited else 'the default'})",
            f"Subject: {template.subject}",
            "",
            template.body,
        ]
    )
    return ctx.emit(text, _template_json(template))


def _read_body(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"The body could not be read from {path} ({exc.__class__.__name__}); give a UTF-8 "
            "text file.",
            field="body_file",
        ) from exc


def _templates_edit(args: argparse.Namespace, ctx: CommandContext) -> int:
    kind = _kind(args.kind)
    if args.subject is None and args.body_file is None:
        raise ValidationError(
            "Give --subject TEXT, --body-file FILE, or both; nothing was changed.",
            field="subject",
        )
    body = _read_body(args.body_file) if args.body_file is not None else None

    def edit(uow: UnitOfWork) -> templates.Template:
        current = templates.get(uow, kind)
        return templates.save(
            uow,
            kind,
            args.subject if args.subject is not None else current.subject,
            body if body is not None else current.body,
        )

    template = ctx.write(edit)
    return ctx.emit(f"The {kind.label.lower()} template is saved.", _template_json(template))


def _templates_reset(args: argparse.Namespace, ctx: CommandContext) -> int:
    kind = _kind(args.kind)
    template = ctx.write(lambda uow: templates.reset(uow, kind))
    return ctx.emit(
        f"The {kind.label.lower()} template is the default again.", _template_json(template)
    )
