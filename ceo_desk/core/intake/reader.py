"""One entry for every file dropped on Log a call or given to `ceo-desk log --from-email`:
recognised by its first bytes (its name's ending only where the content cannot tell)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ceo_desk.core.intake.proposal import IncomingFile, Intake
from ceo_desk.errors import ValidationError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EMAIL_SUFFIXES = (".eml", ".msg")
LETTER_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp")
# The field of the refusal of a file that is neither an email nor a letter: a drop keeps such a
# file as a plain attachment instead.
NOT_RECOGNISED = "intake_kind"
ACCEPTED = "an email (.eml or .msg), a PDF letter or a picture of a letter"


def _looks_like_headers(data: bytes) -> bool:
    head = data[:4096].lstrip().decode("latin-1")
    first = head.split("\n", 1)[0]
    name, colon, _value = first.partition(":")
    return bool(colon) and bool(name) and " " not in name.strip() and len(name) < 80


def read_bytes(data: bytes, name: str, region: str) -> Intake:
    """The proposal from a file's bytes; ValidationError naming what is wrong otherwise."""
    from ceo_desk.core.intake import email, letter

    if not data:
        raise ValidationError(
            f"{name} is empty. Save the email or letter again and try again; nothing was changed.",
            field="intake_file",
        )
    if data.startswith(b"%PDF-"):
        return letter.read_pdf(data, name, region)
    if data.startswith(OLE_MAGIC):
        return email.read_msg(data, name, region)
    if letter.image_type(data):
        return letter.read_image(data, name)
    lower = name.lower()
    if lower.endswith(".msg"):
        return email.read_msg(data, name, region)  # refused there with the .msg wording
    if lower.endswith(".pdf"):
        return letter.read_pdf(data, name, region)
    if lower.endswith(".eml") or _looks_like_headers(data):
        return email.read_eml(data, name, region)
    raise ValidationError(
        f"{name} is not {ACCEPTED}. Save the message or scan the letter in one of those forms "
        "(or attach the file to the complaint as it is); nothing was changed.",
        field=NOT_RECOGNISED,
    )


def read_path(path: Path, limit: int, region: str) -> Intake:
    """The proposal from a file on disk, refused above `limit` bytes (the attachment limit,
    since the file itself is kept with the complaint)."""
    from ceo_desk.core.attachments import read_file

    return read_bytes(read_file(path, limit), path.name, region)


@dataclass(frozen=True)
class Dropped:
    """What a drop of several files gave: the emails and letters read, the other files to keep
    as they are, and a sentence for each file that could not be taken."""

    intakes: tuple[Intake, ...]
    files: tuple[IncomingFile, ...]
    problems: tuple[str, ...]


def read_dropped(paths: list[Path], limit: int, region: str) -> Dropped:
    """Read each dropped file: an email or letter is read, anything else kept as it is."""
    from ceo_desk.core.attachments import read_file

    intakes: list[Intake] = []
    files: list[IncomingFile] = []
    problems: list[str] = []
    for path in paths:
        try:
            intake = read_path(path, limit, region)
        except ValidationError as exc:
            if exc.field != NOT_RECOGNISED:
                problems.append(exc.message)
                continue
            try:
                files.append(IncomingFile(path.name, read_file(path, limit)))
            except ValidationError as unreadable:
                problems.append(unreadable.message)
            continue
        intakes.append(intake)
        files.extend(intake.files)
    return Dropped(tuple(intakes), tuple(files), tuple(problems))
