"""Files kept with a complaint (an email, a letter, a photo) or with one of its reports.

The bytes live in the log itself, addressed by their SHA-256: the same file attached twice, to one
complaint or to several, is stored once, and it is deleted when the last complaint holding it is
erased. The file's name is a person's words (it may name the customer), so it goes in the audit
event's before/after values, which erasing redacts, never in the frozen description.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from ceo_desk.core import audit, permissions
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.complaint_lookup import acting, load
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Attachment, AttachmentBlob, Complaint, Report

# Only a type here: reading the files that arrived is not needed to list or show attachments.
if TYPE_CHECKING:
    from ceo_desk.core.intake.proposal import IncomingFile

MAX_NAME_LENGTH = 255
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass(frozen=True)
class AttachmentInfo:
    """One attachment as listed: what a person sees beside the complaint."""

    id: int
    reference: str
    name: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str
    report_id: int | None = None

    @property
    def size_text(self) -> str:
        return size_text(self.size)


@dataclass(frozen=True)
class Attached:
    """The result of `attach`: the attachment, and whether it was already there."""

    info: AttachmentInfo
    already_attached: bool
    bytes_stored: bool  # False when the same bytes were already in the log


def size_text(size: int) -> str:
    """A size as people read it: "812 bytes", "14 KB", "3.2 MB"."""
    if size < 1024:
        return f"{size} byte{'' if size == 1 else 's'}"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def limit_bytes(uow: UnitOfWork) -> int:
    """The largest file that may be attached, from the office settings."""
    from ceo_desk.core.services.office import load_settings

    return load_settings(uow).attachment_max_mb * 1024 * 1024


def check_size(name: str, size: int, limit: int) -> None:
    """Refuse a file above the limit, saying how large it is and what to do."""
    if size > limit:
        raise ValidationError(
            f"{name} is {size_text(size)}; files up to {limit // 1024 // 1024} MB can be "
            "attached. Attach a smaller copy (a scan at a lower resolution, the PDF without "
            "images), or raise 'Largest attachment' in Settings -> Office.",
            field="attachment",
        )


def read_file(path: Path, limit: int) -> bytes:
    """The bytes of a file a person gave to attach, refused above `limit` before it is read."""
    from ceo_desk.core.safety.input_file import read_regular

    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_regular names what is wrong with the path
    check_size(path.name, size, limit)
    return read_regular(path, limit, what="attachment", field="attachment")


def clean_name(name: str) -> str:
    """The file's own name (no folders), printable, at most 255 characters."""
    base = PurePath(str(name or "").replace("\\", "/")).name
    cleaned = " ".join(_UNSAFE_IN_NAME.sub("", base).split())
    if not cleaned or cleaned in (".", ".."):
        raise ValidationError(
            "Give the attachment a file name, such as letter.pdf.", field="attachment"
        )
    if len(cleaned) > MAX_NAME_LENGTH:
        stem, dot, suffix = cleaned.rpartition(".")
        if dot and len(suffix) < 16:
            cleaned = stem[: MAX_NAME_LENGTH - len(suffix) - 1] + "." + suffix
        else:
            cleaned = cleaned[:MAX_NAME_LENGTH]
    return cleaned


def media_type_of(name: str) -> str:
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    if guessed:
        return guessed
    if name.lower().endswith(".msg"):
        return "application/vnd.ms-outlook"
    return "application/octet-stream"


def _complaint(uow: UnitOfWork, reference: str) -> Complaint:
    return load(uow, reference, for_update=False)


def _free_name(taken: set[str], name: str) -> str:
    """`name`, or "name (2).ext" and so on when the complaint already has a different file
    of that name."""
    if name not in taken:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    number = 2
    while True:
        candidate = f"{stem} ({number}){'.' + suffix if suffix else ''}"
        if candidate not in taken:
            return candidate
        number += 1


def _info(attachment: Attachment, reference: str, size: int) -> AttachmentInfo:
    return AttachmentInfo(
        attachment.id,
        reference,
        attachment.name,
        attachment.media_type,
        size,
        attachment.sha256,
        attachment.added_at,
        attachment.added_by,
        attachment.report_id,
    )


def attach(
    uow: UnitOfWork,
    ref: str,
    name: str,
    data: bytes,
    report_id: int | None = None,
    *,
    media_type: str | None = None,
    now: datetime | None = None,
) -> Attached:
    """Keep a file with the complaint (and, when given, with one of its reports).

    The same bytes under the same name are not attached twice; the same bytes anywhere in the
    log are stored once. Raises ValidationError above the size limit or without a name.
    """
    moment = SYSTEM_CLOCK.moment(now)
    complaint = _complaint(uow, ref)
    if complaint.customer.erased_at is not None:
        raise ValidationError(
            f"{complaint.reference} belongs to an erased customer; nothing about them can be "
            "kept any more, so the file was not attached.",
            field="attachment",
        )
    cleaned = clean_name(name)
    check_size(cleaned, len(data), limit_bytes(uow))
    if report_id is None:
        permissions.require(uow, permissions.Action.EDIT_COMPLAINT)
    else:
        report = uow.session.get(Report, report_id)
        if report is None or report.complaint_id != complaint.id:
            raise NotFoundError(
                f"{complaint.reference} has no report #{report_id}.", field="report"
            )
        # A file kept with a report is part of filing it: open to the delegate who filed it.
        permissions.require(
            uow, permissions.Action.FILE_REPORT, assigned_to=report.filed_by_staff_id
        )
    sha256 = hashlib.sha256(data).hexdigest()
    existing = list(
        uow.session.scalars(select(Attachment).where(Attachment.complaint_id == complaint.id))
    )
    for attachment in existing:
        if attachment.sha256 == sha256 and attachment.name == cleaned:
            return Attached(_info(attachment, complaint.reference, len(data)), True, False)
    blob = uow.session.get(AttachmentBlob, sha256)
    stored = blob is None
    if blob is None:
        uow.session.add(AttachmentBlob(sha256=sha256, size=len(data), data=data))
    attachment = Attachment(
        complaint_id=complaint.id,
        report_id=report_id,
        name=_free_name({a.name for a in existing}, cleaned),
        media_type=(media_type or media_type_of(cleaned))[:127],
        sha256=sha256,
        added_at=moment,
        added_by=acting(uow),
    )
    uow.session.add(attachment)
    uow.session.flush()
    audit.record(
        uow,
        "attachment_added",
        entity="attachment",
        entity_id=attachment.id,
        complaint_id=complaint.id,
        description=f"{complaint.reference}: a file of {size_text(len(data))} attached"
        + (" to a report" if report_id is not None else ""),
        after={"name": attachment.name, "sha256": sha256, "size": len(data)},
        now=moment,
    )
    return Attached(_info(attachment, complaint.reference, len(data)), False, stored)


def attach_incoming(
    uow: UnitOfWork, ref: str, files: Iterable[IncomingFile], report_id: int | None = None
) -> list[Attached]:
    """Attach each file that came with an email or letter (or was dropped beside it)."""
    return [
        attach(uow, ref, f.name, f.data, report_id, media_type=f.media_type or None) for f in files
    ]


def _listed(uow: UnitOfWork, complaint_ids: Iterable[int]) -> list[tuple[Attachment, str, int]]:
    ids = list(complaint_ids)
    if not ids:
        return []
    rows = uow.session.execute(
        select(Attachment, Complaint.reference, AttachmentBlob.size)
        .join(Complaint, Complaint.id == Attachment.complaint_id)
        .join(AttachmentBlob, AttachmentBlob.sha256 == Attachment.sha256)
        .where(Attachment.complaint_id.in_(ids))
        .order_by(Attachment.complaint_id, Attachment.id)
    ).all()
    return [(attachment, str(reference), int(size)) for attachment, reference, size in rows]


def list_for(uow: UnitOfWork, ref: str) -> list[AttachmentInfo]:
    """The complaint's attachments, oldest first."""
    complaint = _complaint(uow, ref)
    return [_info(a, reference, size) for a, reference, size in _listed(uow, [complaint.id])]


def list_for_complaints(uow: UnitOfWork, complaint_ids: Iterable[int]) -> list[AttachmentInfo]:
    """The attachments of several complaints at once (a brief, a customer's export)."""
    return [_info(a, reference, size) for a, reference, size in _listed(uow, complaint_ids)]


def find(uow: UnitOfWork, ref: str, name: str) -> AttachmentInfo:
    """The complaint's attachment called `name` (exactly, else ignoring case)."""
    listed = list_for(uow, ref)
    for match in (
        [a for a in listed if a.name == name],
        [a for a in listed if a.name.casefold() == name.strip().casefold()],
    ):
        if len(match) == 1:
            return match[0]
    reference = ref.strip().upper()
    if not listed:
        raise NotFoundError(f"{reference} has no attachments.", field="attachment")
    names = ", ".join(a.name for a in listed)
    raise NotFoundError(
        f"{reference} has no attachment called '{name}'. Its attachments: {names}.",
        field="attachment",
    )


def content(uow: UnitOfWork, sha256: str) -> bytes:
    """The bytes of an attachment."""
    data = uow.session.scalar(select(AttachmentBlob.data).where(AttachmentBlob.sha256 == sha256))
    if data is None:
        raise NotFoundError("That attachment's file is no longer in the log.", field="attachment")
    return bytes(data)


def remove_for_complaints(uow: UnitOfWork, complaint_ids: Iterable[int]) -> int:
    """Delete the complaints' attachments, and the bytes no other complaint still uses.

    Used when a customer is erased; returns how many attachments went. Does not commit.
    """
    ids = list(complaint_ids)
    if not ids:
        return 0
    hashes = set(
        uow.session.scalars(select(Attachment.sha256).where(Attachment.complaint_id.in_(ids)))
    )
    removed = uow.session.execute(delete(Attachment).where(Attachment.complaint_id.in_(ids)))
    for sha256 in hashes:
        still_used = uow.session.scalar(
            select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha256)
        )
        if not still_used:
            uow.session.execute(delete(AttachmentBlob).where(AttachmentBlob.sha256 == sha256))
    uow.session.flush()
    return int(getattr(removed, "rowcount", 0) or 0)
