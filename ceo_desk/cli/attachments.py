"""Sub-commands for the files kept with a complaint: attach one, list them, save one out."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ceo_desk.cli.context import CommandContext, common_options
from ceo_desk.core import attachments
from ceo_desk.core.safety import output
from ceo_desk.store.db import UnitOfWork


def register(commands: Any) -> None:
    common = common_options()
    p = commands.add_parser(
        "attach",
        parents=[common],
        help="keep a file (an email, a letter, a photo) with a complaint",
    )
    p.add_argument("reference", help="the complaint, such as C-2026-0042")
    p.add_argument("file", type=Path, help="the file to keep with it")
    p.add_argument("--name", help="the name to list it under (default: the file's own name)")
    p.set_defaults(handler=_attach)

    p = commands.add_parser("attachments", parents=[common], help="list a complaint's files")
    p.add_argument("reference", help="the complaint, such as C-2026-0042")
    p.set_defaults(handler=_list)

    group = commands.add_parser("attachment", help="one of a complaint's files")
    actions = group.add_subparsers(dest="attachment_command", metavar="ACTION", required=True)
    p = actions.add_parser("get", parents=[common], help="save a complaint's file to disk")
    p.add_argument("reference", help="the complaint, such as C-2026-0042")
    p.add_argument("name", help="the attachment's name, as `ceo-desk attachments` lists it")
    p.add_argument("-o", "--output", required=True, type=Path, help="where to save it")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(handler=_get)


def info_json(info: attachments.AttachmentInfo) -> dict[str, Any]:
    return {
        "reference": info.reference,
        "name": info.name,
        "media_type": info.media_type,
        "size": info.size,
        "sha256": info.sha256,
        "added_at": info.added_at,
        "added_by": info.added_by,
        "report_id": info.report_id,
    }


def attach_file(ctx: CommandContext, reference: str, path: Path, name: str | None = None) -> str:
    """Attach the file at `path`; returns the line to print (also used by `log --attach`)."""
    with ctx.database().reading() as uow:
        limit = attachments.limit_bytes(uow)
    data = attachments.read_file(path, limit)

    def attach(uow: UnitOfWork) -> attachments.Attached:
        return attachments.attach(uow, reference, name or path.name, data)

    made = ctx.write(attach)
    info = made.info
    if made.already_attached:
        return f"{info.name} was already attached to {info.reference}; nothing was added."
    return f"Attached {info.name} ({info.size_text}) to {info.reference}."


def _attach(args: argparse.Namespace, ctx: CommandContext) -> int:
    line = attach_file(ctx, args.reference, args.file, args.name)
    with ctx.database().reading() as uow:
        listed = attachments.list_for(uow, args.reference)
    return ctx.emit(line, [info_json(i) for i in listed])


def _list(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.database().reading() as uow:
        listed = attachments.list_for(uow, args.reference)
    reference = args.reference.strip().upper()
    if not listed:
        text = f"{reference} has no attachments. Add one with `ceo-desk attach {reference} FILE`."
        return ctx.emit(text, [])
    width = max(len(i.name) for i in listed)
    text = "\n".join(
        f"{i.name:<{width}}  {i.size_text:>9}  {i.media_type:<28} "
        f"{i.added_at.astimezone().strftime('%Y-%m-%d %H:%M')}  {i.added_by}"
        for i in listed
    )
    return ctx.emit(text, [info_json(i) for i in listed])


def _get(args: argparse.Namespace, ctx: CommandContext) -> int:
    with ctx.database().reading() as uow:
        found = attachments.find(uow, args.reference, args.name)
        output.check_target(args.output, output.Kind.FILE, force=args.force, log=uow.sqlite_path)
        data = attachments.content(uow, found.sha256)
        log_path = uow.sqlite_path
    written = output.write_bytes(
        args.output, output.Kind.FILE, data, force=args.force, log=log_path
    )
    return ctx.emit(
        f"Saved {found.name} ({found.size_text}) to {written}.",
        info_json(found) | {"path": str(written)},
    )
