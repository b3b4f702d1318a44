"""Sub-commands that move a complaint through the loop, and the ones that look at it."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from ceo_desk import collector
from ceo_desk.cli import intake, promise_options
from ceo_desk.cli.context import CommandContext, common_options, whole_number
from ceo_desk.core import fields, json_values, validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.enums import Loyalty, Outcome, Status, parse_choice
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork

# The services that change a complaint load when a command that changes one runs: `list` and
# `show` start without them. The queries that read complaints load for `list` and `show`: the
# commands that change one start without them.
if TYPE_CHECKING:
    from ceo_desk.core import queries
    from ceo_desk.core.services import complaints as svc


def register(commands: Any) -> None:
    common = common_options()

    p = commands.add_parser("log", parents=[common], help="log a complaint that reached the CEO")
    for declared in fields.LOGGED:
        _add_field_option(p, declared)
    promise_options.add_promise_options(p)
    intake.add_options(p)
    p.set_defaults(handler=_log)

    p = commands.add_parser("delegate", parents=[common], help="hand a complaint to a staff member")
    p.add_argument("reference")
    p.add_argument("--to", required=True, metavar="STAFF", help="name, email or id")
    p.add_argument("--due", metavar="YYYY-MM-DD", help="report due (default: by severity)")
    p.add_argument("--note", default="", help="instructions for the delegate")
    p.set_defaults(handler=_delegate)

    p = commands.add_parser("file-report", parents=[common], help="file the delegate's report")
    p.add_argument("reference")
    p.add_argument("--said", help="what was said to the customer")
    p.add_argument("--done", help="what was done")
    p.add_argument("--accommodation", default="")
    p.add_argument("--cost", default=None, metavar="AMOUNT", help="cost of the accommodation")
    p.add_argument("--currency", default=None, help="default: the office currency")
    p.add_argument("--root-cause", default="")
    p.add_argument(
        "--from-form",
        metavar="FILE.pdf",
        help="the report form the delegate filled in and returned (instead of --said/--done)",
    )
    p.set_defaults(handler=_file_report)

    p = commands.add_parser("send-back", parents=[common], help="return a report to its delegate")
    p.add_argument("reference")
    p.add_argument("--comment", required=True)
    p.add_argument("--due", metavar="YYYY-MM-DD")
    p.add_argument("--to", default=None, metavar="STAFF", help="default: the same delegate")
    p.set_defaults(handler=_send_back)

    p = commands.add_parser("callback", parents=[common], help="record the CEO's confirmation call")
    p.add_argument("reference")
    p.add_argument(
        "--outcome", required=True, help="satisfied, not-satisfied, no-answer, voicemail"
    )
    p.add_argument("--score", default=None, metavar="1-5")
    p.add_argument("--words", default="", help="the customer's own words")
    p.add_argument("--loyalty", default=None, help="staying, at-risk or leaving")
    p.add_argument("--notes", default="")
    p.add_argument("--reassign-to", default=None, metavar="STAFF")
    p.add_argument(
        "--ceo-reports",
        action="store_true",
        help="the CEO rang and reports the customer satisfied: waits for the CEO to countersign",
    )
    promise_options.add_tick_options(p)
    p.set_defaults(handler=_callback)

    p = commands.add_parser(
        "mark-unreachable", parents=[common], help="close after repeated unanswered callbacks"
    )
    p.add_argument("reference")
    p.set_defaults(handler=_mark_unreachable)

    p = commands.add_parser("withdraw", parents=[common], help="close an open complaint")
    p.add_argument("reference")
    p.add_argument("--reason", required=True)
    p.add_argument("--duplicate-of", default=None, metavar="REF")
    p.set_defaults(handler=_withdraw)

    p = commands.add_parser(
        "reopen", parents=[common], help="reopen a resolved complaint: back to its last delegate"
    )
    p.add_argument("reference")
    p.add_argument("--reason", required=True, help="why it is not resolved after all")
    p.set_defaults(handler=_reopen)

    p = commands.add_parser("show", parents=[common], help="one complaint with its whole history")
    p.add_argument("reference")
    p.set_defaults(handler=_show)

    p = commands.add_parser("list", parents=[common], help="list complaints")
    p.add_argument("--status", default=None, help="new, delegated, awaiting-callback, ...")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--due-today", action="store_true")
    p.add_argument(
        "--to-delegate",
        action="store_true",
        help="logged and not yet delegated, the one due to be delegated soonest first "
        "(with --overdue: only those past their time)",
    )
    p.add_argument("--search", default="", help="words to look for")
    p.add_argument("--limit", type=whole_number, default=200)
    p.set_defaults(handler=_list)


_METAVARS = {
    fields.Kind.MOMENT: "ISO-DATETIME",
    fields.Kind.COUNT: "N",
    fields.Kind.UNIT: "UNIT",
    fields.Kind.CATEGORY: "CATEGORY",
}


def _add_field_option(parser: argparse.ArgumentParser, declared: fields.Field) -> None:
    """One `log` option, named, explained and bounded by the field's declaration."""
    assert declared.flag is not None
    # No defaults here: a flag left out is None, so what an email gives can fill it (see
    # cli/intake.py, which applies the declared defaults and the required check after that).
    if declared.kind is fields.Kind.FLAG:
        parser.add_argument(
            declared.flag, dest=declared.key, action="store_const", const=True, help=declared.help
        )
        return
    parser.add_argument(
        declared.flag,
        dest=declared.key,
        metavar=_METAVARS.get(declared.kind),
        help=declared.help,
    )


def _staff_id(ctx: CommandContext, who: str) -> int:
    from ceo_desk.core.services import directory

    with ctx.database().reading() as uow:
        return directory.find_staff(uow, who).id


def _log(args: argparse.Namespace, ctx: CommandContext) -> int:
    with collector.starting():  # one complaint: the services and checks load as it is logged
        return _log_one(args, ctx)


def _log_one(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.services import complaints as svc

    typed = {f.key: getattr(args, f.key) for f in fields.LOGGED}
    # Choices are checked before the log is opened: a typo costs no database round.
    for declared in fields.LOGGED:
        if declared.kind is fields.Kind.CHOICE and typed[declared.key] is not None:
            typed[declared.key] = declared.clean(typed[declared.key])
    taken = intake.read(ctx, args.from_email) if args.from_email else None
    if taken is not None:
        intake.report_taken(taken)
    given = intake.merged(typed, taken)
    files = intake.files_to_attach(ctx, taken, args.attach)
    call = svc.CallInput(**given, promises=promise_options.promises_given(args))

    def log_and_attach(uow: UnitOfWork) -> tuple[svc.LoggedComplaint, list[str]]:
        logged = svc.log_call(uow, call)
        return logged, intake.attach_all(uow, logged.reference, files)

    logged, attached = ctx.write(log_and_attach)
    for line in attached:
        print(line, file=sys.stderr)
    text = logged.reference
    if logged.earlier_complaints:
        text += f"\n(repeat caller: {logged.earlier_complaints} earlier complaint(s))"
    return ctx.emit(
        text,
        {
            "reference": logged.reference,
            "status": logged.status.value,
            "customer_id": logged.customer_id,
            "earlier_complaints": logged.earlier_complaints,
            "attachments": [f.name for f in files],
            **({"taken_from": taken.source, "taken": taken.call_values()} if taken else {}),
        },
    )


def _delegation_output(ctx: CommandContext, result: svc.DelegationResult) -> int:
    return ctx.emit(
        f"{result.reference} delegated to {result.staff_name}; report due "
        f"{result.report_due_on.isoformat()}",
        {
            "reference": result.reference,
            "status": result.status.value,
            "staff_id": result.staff_id,
            "staff": result.staff_name,
            "report_due_on": result.report_due_on.isoformat(),
        },
    )


def _delegate(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.services import complaints as svc

    staff_id = _staff_id(ctx, args.to)
    result = ctx.write(
        lambda uow: svc.delegate(
            uow, args.reference, staff_id, due_on=args.due, instructions=args.note
        )
    )
    return _delegation_output(ctx, result)


def _file_report(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.services import complaints as svc

    if args.from_form:
        from ceo_desk.cli import delegates  # reads PDFs: loaded only for a returned form

        return delegates.file_from_form(args, ctx)
    if not args.said or not args.done:
        raise ValidationError(
            "Give what was said (--said) and what was done (--done), or the returned report "
            "form with --from-form FILE.pdf."
        )
    report = svc.ReportInput(
        said=args.said,
        done=args.done,
        accommodation=args.accommodation,
        cost=args.cost,
        currency=args.currency,
        root_cause=args.root_cause,
    )
    result = ctx.write(lambda uow: svc.file_report(uow, args.reference, report))
    return report_filed_output(ctx, result)


def report_filed_output(ctx: CommandContext, result: svc.ReportResult, note: str = "") -> int:
    text = (
        note
        + f"{result.reference} awaiting the CEO's callback on {result.callback_due_on.isoformat()}"
    )
    if result.flagged_terms:
        text += f"\nNote: the report leans on {', '.join(repr(t) for t in result.flagged_terms)}"
    return ctx.emit(
        text,
        {
            "reference": result.reference,
            "status": result.status.value,
            "callback_due_on": result.callback_due_on.isoformat(),
            "flagged_terms": result.flagged_terms,
        },
    )


def _send_back(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.services import complaints as svc

    to_staff = _staff_id(ctx, args.to) if args.to else None
    result = ctx.write(
        lambda uow: svc.send_back(
            uow, args.reference, args.comment, due_on=args.due, to_staff_id=to_staff
        )
    )
    return _delegation_output(ctx, result)


def _callback(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.services import complaints as svc
    from ceo_desk.core.services import promises

    outcome = parse_choice(Outcome, args.outcome, field="outcome")
    loyalty = parse_choice(Loyalty, args.loyalty, field="loyalty") if args.loyalty else None
    reassign = _staff_id(ctx, args.reassign_to) if args.reassign_to else None
    data = svc.CallbackInput(
        outcome=outcome,
        satisfaction=args.score,
        customer_words=args.words,
        loyalty=loyalty,
        notes=args.notes,
        reassign_to_staff_id=reassign,
    )
    if reassign is not None and outcome is not Outcome.NOT_SATISFIED:
        raise ValidationError("--reassign-to goes with --outcome not-satisfied only.")
    ticks = promise_options.ticks_given(args)
    if args.ceo_reports:
        from ceo_desk.cli import countersign  # its own group, loaded only for this

        return countersign.ceo_reports(args, ctx, data, ticks)

    def record(uow: UnitOfWork) -> svc.CallbackResult:
        result = svc.record_callback(uow, args.reference, data)
        promises.settle(uow, args.reference, ticks)
        return result

    result = ctx.write(record)
    if result.status is Status.RESOLVED:
        text = f"{result.reference} resolved: the customer confirmed it to the CEO."
    elif result.status is Status.DELEGATED:
        text = f"{result.reference} reopened and delegated to {result.delegated_to}."
    else:
        text = (
            f"{result.reference}: attempt {result.unanswered_attempts} unanswered; next attempt "
            f"{result.next_callback_on.isoformat() if result.next_callback_on else '-'}"
        )
        if result.can_mark_unreachable:
            text += " (can now be marked unreachable)"
    return ctx.emit(
        text,
        {
            "reference": result.reference,
            "status": result.status.value,
            "next_callback_on": result.next_callback_on.isoformat()
            if result.next_callback_on
            else None,
            "unanswered_attempts": result.unanswered_attempts,
            "delegated_to": result.delegated_to,
        },
    )


def _mark_unreachable(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.services import complaints as svc

    result = ctx.write(lambda uow: svc.mark_unreachable(uow, args.reference))
    return ctx.emit(
        f"{result.reference} closed as unreachable.",
        {"reference": result.reference, "status": result.status.value},
    )


def _withdraw(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.services import complaints as svc

    result = ctx.write(
        lambda uow: svc.withdraw(uow, args.reference, args.reason, duplicate_of=args.duplicate_of)
    )
    return ctx.emit(
        f"{result.reference} withdrawn.",
        {"reference": result.reference, "status": result.status.value},
    )


def _reopen(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.services import complaints as svc

    result = ctx.write(lambda uow: svc.reopen(uow, args.reference, args.reason))
    return ctx.emit(
        f"{result.reference} reopened and delegated to {result.staff_name}; report due "
        f"{result.report_due_on.isoformat()}",
        {
            "reference": result.reference,
            "status": result.status.value,
            "staff_id": result.staff_id,
            "staff": result.staff_name,
            "report_due_on": result.report_due_on.isoformat(),
        },
    )


def _show(args: argparse.Namespace, ctx: CommandContext) -> int:
    with collector.starting():  # one complaint: its modules load as it is read and described
        from ceo_desk.core import queries

        with ctx.database().reading() as uow:
            detail = queries.complaint_detail(uow, args.reference)
        text = _describe(detail)
    return ctx.emit(text, detail.to_json())


def _day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def _describe(d: queries.ComplaintDetail) -> str:
    customer = "  ".join(
        part
        for part in (
            d.customer_name,
            validation.phone_for_display(d.customer_phone),
            d.customer_email or "",
        )
        if part
    )
    shown: list[tuple[str, object]] = [
        (
            "received_at",
            f"{d.received_at.astimezone():%Y-%m-%d %H:%M} by {d.channel.label.lower()}",
        ),
        ("customer_name", customer),
        ("organisation", d.customer_organisation),
        ("account_ref", d.customer_account_ref),
        ("summary", d.summary),
        ("details", d.details),
        ("customer_wants", d.customer_wants),
        ("ceo_promised", d.ceo_promised or ("(spoke to the customer)" if d.ceo_spoke else "")),
        ("vulnerable", "yes" if d.customer_vulnerable else ""),
        *((f.key, "yes") for f in fields.REPUTATION_FIELDS if getattr(d, f.key)),
        ("prior_contacts", d.prior_contacts),
        ("category", d.category),
        ("caused_by_unit", d.caused_by_unit),
    ]
    width = max(len(fields.label(key)) for key, _ in shown) + 2
    lines = [f"{d.reference}  {d.status.label}  (severity {d.severity.label.lower()})"]
    lines += [f"{fields.label(key) + ':':<{width}}{value}" for key, value in shown if value]
    if d.due_on:
        lines.append(f"{'Next due:':<{width}}{_day(d.due_on)}")
    if d.final_response is not None:
        said = d.final_response.describe(SYSTEM_CLOCK.today())
        paused = f" ({d.paused_for})" if d.paused_for else ""
        lines.append(f"{'Final response:':<{width}}{said}{paused}")
    for dl in d.delegations:
        lines.append(
            f"  Delegated {dl.delegated_at.astimezone():%Y-%m-%d} to {dl.staff_name} "
            f"({dl.unit_name}), report due {_day(dl.report_due_on)}"
        )
    for r in d.reports:
        lines.append(f"  Report {r.filed_at.astimezone():%Y-%m-%d} by {r.filed_by}: said: {r.said}")
        lines.append(f"    {r.provenance}")
        lines.append(f"    done: {r.done}")
        if r.accommodation or r.cost_minor:
            lines.append(
                f"    accommodation: {r.accommodation} "
                f"({validation.format_money(r.cost_minor, r.currency)})"
            )
        if r.flagged_terms:
            lines.append(f"    flagged: {', '.join(r.flagged_terms)}")
        if r.sent_back_comment:
            lines.append(f"    sent back: {r.sent_back_comment}")
    for cb in d.callbacks:
        score = f" {cb.satisfaction}/5" if cb.satisfaction else ""
        lines.append(
            f"  Callback {cb.made_at.astimezone():%Y-%m-%d}: {cb.outcome.label}{score}"
            + (f' "{cb.customer_words}"' if cb.customer_words else "")
        )
    today = SYSTEM_CLOCK.today()
    for pr in d.promises:
        lines.append(f"  Promise #{pr.id}: {pr.what} ({pr.state_text(today)})")
    for a in d.attachments:
        lines.append(f"  Attachment {a.name} ({a.size_text})")
    lines.append("History")
    for e in d.events:
        lines.append(
            f"  {e.at.astimezone():%Y-%m-%d %H:%M}  {e.os_user} ({e.role})  {e.description}"
        )
    return "\n".join(lines)


def _listed_fields(row: queries.ComplaintRow) -> dict[str, object]:
    """The fields a row of `list --json` carries, each under its declared JSON name."""
    values = {
        "reference": row.reference,
        "status": row.status,
        "received_at": row.received_at,
        "customer_name": row.customer_name,
        "summary": row.summary,
        "severity": row.severity,
        "category": row.category,
        "delegate": row.delegate,
        "reopen_count": row.reopen_count,
    }
    listed: dict[str, object] = json_values.plain(
        {fields.json_name(key): value for key, value in values.items()}
    )
    return listed


def _list_to_delegate(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core import to_delegate

    if args.status or args.due_today or args.search:
        raise ValidationError(
            "--to-delegate lists every complaint not yet delegated; it goes with --overdue and "
            "--limit only. Leave out --status, --due-today and --search.",
            field="to_delegate",
        )
    now = SYSTEM_CLOCK.now()
    with ctx.database().reading() as uow:
        rows = to_delegate.to_delegate(uow)
    if args.overdue:
        rows = [r for r in rows if r.is_overdue(now)]
    rows = rows[: max(1, args.limit)]
    data = [
        {
            **json_values.plain(
                {
                    fields.json_name("reference"): r.reference,
                    fields.json_name("received_at"): r.received_at,
                    fields.json_name("customer_name"): r.customer_name,
                    fields.json_name("summary"): r.summary,
                    fields.json_name("severity"): r.severity,
                }
            ),
            "delegate_by": json_values.plain(r.due_at),
            "overdue": r.is_overdue(now),
        }
        for r in rows
    ]
    if not rows:
        return ctx.emit(
            "Nothing waits to be delegated." if not args.overdue else "None is overdue.", data
        )
    text = "\n".join(
        f"{r.reference:<13} {'OVERDUE' if r.is_overdue(now) else '':<7} "
        f"delegate by {r.due_at.astimezone():%Y-%m-%d %H:%M}  {r.severity.label:<8} "
        f"{r.customer_name[:24]:<24} {r.summary[:50]}"
        for r in rows
    )
    return ctx.emit(text, data)


def _final_response_fields(row: queries.ComplaintRow) -> dict[str, object]:
    """`list --json`'s final-response deadline: the day, and ok, warning, overdue or met."""
    found = row.final_response
    return {
        "final_response_due": found.due.isoformat() if found else None,
        "final_response": found.state if found else None,
    }


def _deadline_mark(row: queries.ComplaintRow, today: date) -> str:
    """A line's mark when the final response is near or late: "  [final response 2026-05-04
    (3 days late)]"."""
    found = row.final_response
    if found is None or found.state not in ("warning", "overdue"):
        return ""
    return f"  [final response {found.short(today)}]"


def _list(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core import queries

    if args.to_delegate:
        return _list_to_delegate(args, ctx)
    statuses = (
        frozenset({parse_choice(Status, args.status, field="status")})
        if args.status
        else frozenset()
    )
    flt = queries.ComplaintFilter(
        text=args.search, statuses=statuses, overdue=args.overdue, due_today=args.due_today
    )
    with ctx.database().reading() as uow:
        rows = queries.list_complaints(uow, flt, limit=max(1, args.limit))
    data = [
        {
            **_listed_fields(r),
            "due_on": r.due_on.isoformat() if r.due_on else None,
            **_final_response_fields(r),
        }
        for r in rows
    ]
    if not rows:
        return ctx.emit("No complaints match.", data)
    today = SYSTEM_CLOCK.today()
    text = "\n".join(
        f"{r.reference:<13} {r.status.label:<18} {_day(r.due_on):<10}  {r.customer_name[:24]:<24} "
        f"{r.summary[:60]}{_deadline_mark(r, today)}"
        for r in rows
    )
    return ctx.emit(text, data)
