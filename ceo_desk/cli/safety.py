"""Sub-commands that keep the log safe: backup, restore, check, erase, import and export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options, whole_number
from ceo_desk.errors import StorageError, ValidationError
from ceo_desk.store.db import sqlite_path


def register(commands: Any) -> None:
    """Add this group's sub-commands to the main parser."""
    common = common_options()

    p = commands.add_parser("backup", parents=[common], help="take a verified backup now")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: the backups folder")
    p.add_argument("--force", action="store_true", help="replace an existing file of the same kind")
    p.set_defaults(handler=_backup)

    p = commands.add_parser(
        "restore", parents=[common], help="replace the database with a backup (after backing up)"
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(handler=_restore)

    p = commands.add_parser(
        "check", parents=[common], help="check integrity, references and the audit chain"
    )
    p.add_argument(
        "--seal", metavar="TEXT", help="also check against an audit seal printed on a board pack"
    )
    p.set_defaults(handler=_check)

    p = commands.add_parser(
        "erase-customer", parents=[common], help="anonymise a customer everywhere (irreversible)"
    )
    p.add_argument("customer_id", type=whole_number, metavar="ID")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=_erase_customer)

    p = commands.add_parser(
        "export-customer", parents=[common], help="everything held about one customer, as JSON"
    )
    p.add_argument("customer_id", type=whole_number, metavar="ID")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.json")
    p.add_argument("--force", action="store_true", help="replace an existing file of the same kind")
    p.set_defaults(handler=_export_customer)

    p = commands.add_parser(
        "import",
        parents=[common],
        help="import complaints from a CSV file (all or nothing)",
        description="Import complaints from another system's CSV export: every row or none. "
        "Without --mapping a mapping is proposed from the header and shown; the encoding, "
        "delimiter and header row are found. Every problem of every row is listed on stderr "
        "with its line. The mapping file, every field, the statuses, date orders and limits "
        "are described in docs/import.md.",
    )
    p.add_argument("file", type=Path, metavar="FILE.csv")
    p.add_argument(
        "--mapping",
        type=Path,
        metavar="MAP.toml",
        help="which columns feed which field, the date order, value translations "
        "(docs/import.md); default: proposed from the header",
    )
    p.add_argument(
        "--save-mapping", type=Path, metavar="MAP.toml", help="save the mapping used, to edit"
    )
    p.add_argument(
        "--date-order",
        choices=("dmy", "mdy"),
        help="how dates written day and month first read: dmy (14/03/2026) or mdy (03/14/2026)",
    )
    p.add_argument(
        "--create-categories",
        action="store_true",
        help="add the categories the file names that the log lacks",
    )
    p.add_argument(
        "--skip-existing",
        action="store_true",
        help="skip rows already in the log (same reference, or same received time, customer "
        "and summary)",
    )
    p.add_argument("--dry-run", action="store_true", help="check every row, import nothing")
    p.add_argument("--force", action="store_true", help="replace the --save-mapping file")
    p.set_defaults(handler=_import)

    p = commands.add_parser(
        "export", parents=[common], help="one row per complaint, to CSV or XLSX"
    )
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="received on or after")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="received on or before")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.csv|FILE.xlsx")
    p.add_argument("--force", action="store_true", help="replace an existing file of the same kind")
    p.set_defaults(handler=_export)

    p = commands.add_parser(
        "export-callbacks", parents=[common], help="scheduled confirmation calls as a calendar"
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.ics")
    p.add_argument("--force", action="store_true", help="replace an existing file of the same kind")
    p.set_defaults(handler=_export_callbacks)


def _backup(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.safety import backups

    made = backups.backup_now(ctx.database(), args.output, force=args.force)
    size = made.stat().st_size
    return ctx.emit(
        f"Backed up to {made} ({size:,} bytes, integrity verified).",
        {"backup": str(made), "bytes": size},
    )


def _restore(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.safety import backups

    path = sqlite_path(ctx.url)
    if path is None:
        raise StorageError(
            "This log is on a PostgreSQL server; restore it with the server's own tools."
        )
    backups.require_may_restore(ctx.database())
    result = backups.restore(path, args.file)
    kept = (
        f" The previous database was backed up to {result.previous_copy}."
        if result.previous_copy
        else f" The damaged previous database was moved to {result.moved_aside}."
        if result.moved_aside
        else ""
    )
    return ctx.emit(
        f"Restored {result.database} from {result.restored_from}.{kept}",
        {
            "database": str(result.database),
            "restored_from": str(result.restored_from),
            "previous_copy": str(result.previous_copy) if result.previous_copy else None,
            "moved_aside": str(result.moved_aside) if result.moved_aside else None,
        },
    )


def _check(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.safety import check

    path = sqlite_path(ctx.url)
    if path is not None:
        finding = check.check_file(path)
        if not finding.ok:
            # A damaged file may not even open; report it without trying.
            report = check.CheckReport([finding])
            ctx.emit(report.as_text(), report.as_dict())
            return 2
    report = check.run_check(ctx.database(), seal=args.seal)
    ctx.emit(report.as_text(), report.as_dict())
    return 0 if report.ok else 2


def _erase_customer(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.safety import erase

    if not args.yes:
        if not sys.stdin.isatty():
            raise ValidationError(
                "Erasing a customer cannot be undone; add --yes to confirm.", field="yes"
            )
        answer = input(
            f"Erase customer #{args.customer_id} everywhere? This cannot be undone. "
            "Type the id again to confirm: "
        )
        if answer.strip() != str(args.customer_id):
            print("Nothing was erased.")
            return 1
    result = erase.erase_customer_everywhere(
        ctx.database(), args.customer_id, on_wait=lambda message: print(message, file=sys.stderr)
    )
    mentioning = ", ".join(map(str, result.descriptions_mentioning))
    note = (
        f" {len(result.descriptions_mentioning)} audit description(s) still mention the "
        f"customer and cannot be changed (events {mentioning})."
        if mentioning
        else ""
    )
    return ctx.emit(
        f"Customer #{result.customer_id} erased: {result.complaints} complaint(s) anonymised, "
        f"{result.texts_changed} text(s) changed, {result.events_redacted} event value(s) "
        f"redacted. Counts, dates and costs are unchanged.{note}",
        {
            "customer_id": result.customer_id,
            "complaints": result.complaints,
            "texts_changed": result.texts_changed,
            "events_redacted": result.events_redacted,
            "descriptions_mentioning": list(result.descriptions_mentioning),
        },
    )


def _export_customer(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.safety import export_customer

    with ctx.database().reading() as uow:
        path = export_customer.export_customer(uow, args.customer_id, args.output, force=args.force)
    return ctx.emit(
        f"Wrote everything held about customer #{args.customer_id} to {path}.",
        {"customer_id": args.customer_id, "output": str(path)},
    )


def _import(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.cli.progress import StderrProgress
    from ceo_desk.core.intake import sheet_import, sheet_mapping

    mapping = sheet_mapping.load_mapping(args.mapping) if args.mapping else None
    bar = StderrProgress("Importing")
    try:
        result = ctx.write(
            lambda uow: sheet_import.import_file(
                uow,
                args.file,
                mapping,
                date_order=args.date_order,
                create_categories=args.create_categories,
                skip_existing=args.skip_existing,
                dry_run=args.dry_run,
                progress=bar,
            )
        )
    finally:
        bar.close()
    plan = result.plan
    for line in plan.summary_lines():
        print(line, file=sys.stderr)
    if args.save_mapping:
        saved = sheet_mapping.save_mapping(plan.mapping, args.save_mapping, force=args.force)
        print(f"Mapping saved to {saved}.", file=sys.stderr)
    for shared in result.shared_contacts:
        print(
            f"review: {shared.contact} is given for {len(shared.names)} different names "
            f"({', '.join(shared.names)}; lines {', '.join(map(str, shared.lines[:10]))}); "
            "kept as separate customers, not merged.",
            file=sys.stderr,
        )
    data = {
        "rows": result.rows,
        "imported": 0 if args.dry_run or result.problems else result.imported,
        "skipped": result.skipped,
        "created_categories": result.created_categories,
        "problems": [
            {"line": p.line, "field": p.field, "reason": p.reason} for p in result.problems
        ],
        "review": [
            {"contact": s.contact, "names": list(s.names), "lines": list(s.lines)}
            for s in result.shared_contacts
        ],
    }
    if result.problems:
        for problem in result.problems:
            print(f"line {problem.line}: {problem.reason}", file=sys.stderr)
        print(
            f"{len(result.problems)} problem(s) in {len({p.line for p in result.problems})} "
            "row(s); nothing was imported. Fix them and try again.",
            file=sys.stderr,
        )
        if ctx.as_json:
            ctx.emit("", data)
        return 2
    verb = "would import" if args.dry_run else "imported"
    skipped = f", skipped {result.skipped} already in the log" if result.skipped else ""
    created = (
        f" Created {len(result.created_categories)} categor(y/ies): "
        + ", ".join(result.created_categories)
        + "."
        if result.created_categories
        else ""
    )
    return ctx.emit(
        f"{result.rows} row(s) checked; {verb} {result.imported} complaint(s){skipped}"
        + (" (dry run: nothing was changed)." if args.dry_run else ".")
        + created,
        data,
    )


def _export(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core import validation
    from ceo_desk.core.safety import exporter

    date_from = validation.day(args.date_from, "from")
    date_to = validation.day(args.date_to, "to")
    with ctx.database().reading() as uow:
        count = exporter.export_complaints(
            uow, args.output, date_from=date_from, date_to=date_to, force=args.force
        )
    return ctx.emit(
        f"Exported {count:,} complaint(s) to {args.output}.",
        {"complaints": count, "output": str(args.output)},
    )


def _export_callbacks(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ceo_desk.core.safety import calendar

    with ctx.database().reading() as uow:
        count = calendar.export_callbacks(uow, args.output, force=args.force)
    return ctx.emit(
        f"Wrote {count} scheduled callback(s) to {args.output}.",
        {"callbacks": count, "output": str(args.output)},
    )
