"""The anchor: the audit chain's head, written outside the log after every commit.

Someone who can write the log can also drop its triggers and re-hash every event after the one
they changed; the chain then verifies again. What they cannot re-hash is a head recorded somewhere
else. After each commit the head (event count, newest id, hash) is appended to a small file:
beside a SQLite log (`<log>.anchor`), and for a PostgreSQL log in the data folder of the computer
that wrote it, keyed by the database URL. The file also lists the ids (never the data) of erased
customers, so a restore of an older backup can erase them again.

Lines are JSON, appended with O_APPEND (one write each, so writers on one computer never
interleave); the file is created 0600.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ceo_desk import paths
from ceo_desk.core import audit
from ceo_desk.errors import CeoDeskError
from ceo_desk.store.db import Database, UnitOfWork, sqlite_path

log = logging.getLogger(__name__)

ANCHOR_SUFFIX = ".anchor"


def anchor_path(url: str) -> Path:
    """Beside a SQLite log; for PostgreSQL, in this computer's data folder keyed by the URL."""
    path = sqlite_path(url)
    if path is not None:
        return path.with_name(path.name + ANCHOR_SUFFIX)
    parsed = make_url(url).set(password=None)
    key = parsed.render_as_string(hide_password=False)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    return paths.data_dir() / "anchors" / f"{digest}{ANCHOR_SUFFIX}"


@dataclass(frozen=True)
class Claim:
    """A chain head recorded outside the log, and where: the log must still agree with it."""

    head: audit.ChainHead
    at: datetime
    source: str


@dataclass
class AnchorFile:
    path: Path
    exists: bool = False
    heads: list[Claim] = field(default_factory=list)
    restores: list[Claim] = field(default_factory=list)
    erased: set[int] = field(default_factory=set)
    unreadable_lines: list[int] = field(default_factory=list)


def _append(path: Path, entry: dict[str, Any]) -> None:
    if path.parent == paths.data_dir() / "anchors":
        paths.ensure_private_dir(path.parent)
    line = (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


# A commit of up to this many events has each one's hash recorded, so that a rewritten event is
# named exactly; bigger commits (the demo, an import) record their head only.
MAX_LINKS = 64


def _head_entry(kind: str, head: audit.ChainHead, links: list[tuple[int, str]]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": kind,
        "at": datetime.now(UTC).isoformat(),
        "events": head.events,
        "last_id": head.last_id,
        "hash": head.hash,
    }
    if links:
        entry["links"] = [[event_id, event_hash] for event_id, event_hash in links]
    return entry


def record_head(
    url: str,
    head: audit.ChainHead,
    *,
    kind: str = "head",
    links: Sequence[tuple[int, str]] = (),
) -> None:
    _append(anchor_path(url), _head_entry(kind, head, list(links)))


def record_erased(url: str, customer_id: int) -> None:
    _append(
        anchor_path(url),
        {"kind": "erased", "at": datetime.now(UTC).isoformat(), "customer": customer_id},
    )


def read_anchor(url: str) -> AnchorFile:
    path = anchor_path(url)
    found = AnchorFile(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return found
    found.exists = True
    lines = raw.split(b"\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            kind = entry["kind"]
            at = datetime.fromisoformat(entry["at"])
            if kind == "erased":
                found.erased.add(int(entry["customer"]))
                continue
            head = audit.ChainHead(int(entry["events"]), int(entry["last_id"]), str(entry["hash"]))
        except (ValueError, KeyError, TypeError):
            # A crash can tear only the last line; any other unreadable line was written by hand.
            if number < len(lines) - 1:
                found.unreadable_lines.append(number)
            continue
        source = f"the anchor file (line {number}, {at:%Y-%m-%d %H:%M} UTC)"
        if kind == "restored":
            found.restores.append(Claim(head, at, source))
            continue
        found.heads.append(Claim(head, at, source))
        found.heads += _link_claims(entry.get("links"), head, at, source)
    return found


def _link_claims(links: object, head: audit.ChainHead, at: datetime, source: str) -> list[Claim]:
    """Each event of a small commit, at its place in the chain (the last one is the head)."""
    if not isinstance(links, list):
        return []
    claims = []
    for offset, link in enumerate(reversed(links[:-1]), start=1):
        with contextlib.suppress(ValueError, TypeError):
            event_id, event_hash = link
            position = audit.ChainHead(head.events - offset, int(event_id), str(event_hash))
            claims.append(Claim(position, at, source))
    return claims


def current_head(db: Database) -> audit.ChainHead:
    with db.reading() as uow:
        return audit.chain_head(uow)


class HeadRecorder:
    """The after-commit hook: appends the head when it moved. Never fails the commit, which
    has already happened; a head that could not be written only makes the anchor lag."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.last: audit.ChainHead | None = None

    def __call__(self, uow: UnitOfWork) -> None:
        try:
            links: list[tuple[int, str]] = []
            with UnitOfWork(uow.engine, uow.actor, read_only=True) as reader:
                head = (
                    audit.chain_head(reader)
                    if self.last is None
                    else audit.chain_head_after(reader, self.last)
                )
                if head == self.last:
                    return
                if self.last is not None and 0 < head.events - self.last.events <= MAX_LINKS:
                    links = audit.links_between(reader, self.last.last_id, head.last_id)
            record_head(self.url, head, links=links)
            self.last = head
        except (OSError, SQLAlchemyError, CeoDeskError) as exc:
            log.warning("The audit anchor %s was not updated: %s", anchor_path(self.url), exc)


def install(db: Database) -> None:
    """Anchor every later commit of `db`; start the anchor file of a log that has none."""
    recorder = HeadRecorder(db.url)
    db.after_commit.append(recorder)
    with contextlib.suppress(OSError, SQLAlchemyError, CeoDeskError):
        recorded = last_recorded_head(db.url)
        if recorded is None:
            head = current_head(db)
        else:
            # Counting only the events after the head last recorded (its hash checked first)
            # spares every opening a count of the whole chain.
            with db.reading() as uow:
                head = audit.chain_head_after(uow, recorded)
        recorder.last = head
        if not anchor_path(db.url).exists():
            record_head(db.url, head, kind="started")


# The last head is read from the end of the anchor file: it grows by a line a commit.
_TAIL_BYTES = 16_384


def last_recorded_head(url: str) -> audit.ChainHead | None:
    """The head the anchor file recorded last (a head, a start or a restore), or None when
    there is none or it cannot be read."""
    try:
        with anchor_path(url).open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read()
    except OSError:
        return None
    lines = tail.split(b"\n")
    if size > _TAIL_BYTES:
        lines = lines[1:]  # the first may be cut
    for line in reversed(lines):
        try:
            entry = json.loads(line)
            if entry["kind"] == "erased":
                continue
            return audit.ChainHead(int(entry["events"]), int(entry["last_id"]), str(entry["hash"]))
        except (ValueError, KeyError, TypeError):
            continue  # an empty line, or one a crash tore
    return None


def file_head(path: Path) -> audit.ChainHead | None:
    """The head of the chain in a SQLite file, read-only; None when it cannot be read."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            count, last_id = conn.execute("SELECT count(*), max(id) FROM event").fetchone()
            if not count:
                return audit.ChainHead(0, 0, audit.GENESIS_HASH)
            (head,) = conn.execute("SELECT hash FROM event WHERE id = ?", (last_id,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return audit.ChainHead(int(count), int(last_id), str(head))


def record_restored(database: Path) -> None:
    """The log now holds an older chain: heads recorded before, beyond it, no longer apply."""
    head = file_head(database)
    if head is not None:
        record_head(paths.sqlite_url(database), head, kind="restored")
