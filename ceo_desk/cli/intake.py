"""`ceo-desk log --from-email FILE` and `--attach FILE`: a complaint taken from what arrived.

What the file gave is printed (on stderr, so the reference stays alone on stdout) for the person
to check; flags typed on the command line win over it; the complaint is logged only when the
required fields are there, and the files are attached in the same transaction, so a refused
file leaves nothing logged.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ceo_desk.cli.context import CommandContext
from ceo_desk.core import fields
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork

# Files and what they propose load only when a command is given one: `log` without them, and
# every other command of the group, start without the attachments and the intake readers.
if TYPE_CHECKING:
    from ceo_desk.core.intake.proposal import IncomingFile, Intake


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from-email",
        metavar="FILE",
        type=Path,
        help="fill the complaint from an email (.eml, .msg) or a letter (PDF or a picture), "
        "and keep the file with it; flags given here win over what the file says",
    )
    parser.add_argument(
        "--attach",
        metavar="FILE",
        type=Path,
        action="append",
        default=[],
        help="keep a file with the new complaint (may be given more than once)",
    )


def read(ctx: CommandContext, path: Path) -> Intake:
    from ceo_desk.core import attachments
    from ceo_desk.core.intake import reader
    from ceo_desk.core.services.office import load_settings

    with ctx.database().reading() as uow:
        limit = attachments.limit_bytes(uow)
        region = load_settings(uow).phone_region
    return reader.read_path(path, limit, region)


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    label = getattr(value, "label", None)
    return str(label if isinstance(label, str) else value)


def report_taken(intake: Intake) -> None:
    """What the file gave, for the person to check."""
    from ceo_desk.core import attachments

    print(f"Taken from {intake.source} (check it):", file=sys.stderr)
    for key, value in intake.call_values().items():
        label = fields.field(key).label
        text = _shown(value)
        if key == "details":
            lines = text.count("\n") + 1
            text = f"{lines} line{'s' if lines != 1 else ''}, {len(text):,} characters"
        print(f"  {label}: {text}", file=sys.stderr)
    kept = ", ".join(f"{f.name} ({attachments.size_text(len(f.data))})" for f in intake.files)
    print(f"  Files kept with it: {kept}", file=sys.stderr)
    for note in intake.notes:
        print(f"  Note: {note}", file=sys.stderr)


def merged(given: dict[str, Any], intake: Intake | None) -> dict[str, Any]:
    """The flags typed, over what the file proposed, over the declared defaults."""
    proposed = intake.call_values() if intake is not None else {}
    values: dict[str, Any] = {}
    for declared in fields.LOGGED:
        value = given.get(declared.key)
        if value is None:
            value = proposed.get(declared.key, declared.default)
        values[declared.key] = value
    missing = [
        declared.flag
        for declared in fields.LOGGED
        if declared.required and not str(values[declared.key] or "").strip()
    ]
    if missing:
        source = f" ({intake.source} does not give it)" if intake is not None else ""
        raise ValidationError(
            f"Give {' and '.join(str(m) for m in missing)}{source}; nothing was logged."
            + ("" if intake else " Or take them from an email or letter with --from-email FILE."),
            field="customer_name",
        )
    return values


def files_to_attach(
    ctx: CommandContext, intake: Intake | None, paths: list[Path]
) -> list[IncomingFile]:
    """The email or letter itself and what it carried, then each --attach file, read now so a
    file that cannot be read stops the command before anything is logged."""
    found = list(intake.files) if intake is not None else []
    if paths:
        from ceo_desk.core import attachments
        from ceo_desk.core.intake.proposal import IncomingFile

        with ctx.database().reading() as uow:
            limit = attachments.limit_bytes(uow)
        found.extend(IncomingFile(p.name, attachments.read_file(p, limit)) for p in paths)
    return found


def attach_all(uow: UnitOfWork, reference: str, files: list[IncomingFile]) -> list[str]:
    """Attach each file to the new complaint; returns the lines to print."""
    if not files:
        return []
    from ceo_desk.core import attachments

    made = attachments.attach_incoming(uow, reference, files)
    return [f"Attached {m.info.name} ({m.info.size_text})." for m in made]
