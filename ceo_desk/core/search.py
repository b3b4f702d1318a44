"""Full-text search over a complaint and everything said about it.

One search row per complaint holds the text of the complaint, its customer, reports and callback
notes; services refresh it in the same transaction as the change. SQLite uses FTS5, PostgreSQL a
GIN-indexed tsvector; both match every typed word as a prefix, so results follow each keystroke.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import ColumnElement, Integer, column, func, literal_column, select, text
from sqlalchemy.orm import selectinload

from ceo_desk.core import validation
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Delegation

_WORD = re.compile(r"[^\W_]+")  # letters and digits; punctuation and _ separate words
MAX_TERMS = 12
# Above this many matches a search is "broad" and is planned differently (see below).
BROAD_MATCHES = 2000
# Letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "þ": "th",
        "ð": "d",
    }
)


def fold(value: str) -> str:
    """Lower-case without accents, so 'Lukasz' finds 'Łukasz' and 'Zoe' finds 'Zoë'."""
    if value.isascii():
        return value.lower()  # nothing to decompose (an import folds 100,000 of these)
    decomposed = unicodedata.normalize("NFKD", value.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


_NOT_A_WORD = re.compile(r"[\W_]+")


def searchable(text: str) -> str:
    """Folded, with punctuation turned into spaces: both text indexes then see the same words
    ("C-2026-0042" is c, 2026, 0042; "+1 212-555-4179" is 1, 212, 555, 4179), as `terms` does."""
    return _NOT_A_WORD.sub(" ", fold(text)).strip()


def search_body(complaint: Complaint) -> str:
    customer = complaint.customer
    parts = [
        complaint.reference,
        complaint.summary,
        complaint.details,
        complaint.customer_wants,
        complaint.ceo_promised,
        customer.name,
        *validation.phone_search_forms(customer.phone),
        customer.email or "",
        customer.organisation or "",
        customer.account_ref or "",
    ]
    parts += [delegation.staff.name for delegation in complaint.delegations]
    for report in complaint.reports:
        parts += [report.said, report.done, report.accommodation, report.root_cause]
        parts.append(report.sent_back_comment or "")
    for callback in complaint.callbacks:
        parts += [callback.customer_words, callback.notes]
    if complaint.withdrawn_reason:
        parts.append(complaint.withdrawn_reason)
    return searchable("\n".join(p for p in parts if p))


def refresh(uow: UnitOfWork, complaint_id: int) -> None:
    """Rewrite the search row of one complaint from its current state."""
    complaint = uow.session.execute(
        select(Complaint)
        .options(
            selectinload(Complaint.reports),
            selectinload(Complaint.callbacks),
            selectinload(Complaint.delegations).selectinload(Delegation.staff),
        )
        .where(Complaint.id == complaint_id)
    ).scalar_one()
    write_row(uow, complaint_id, search_body(complaint))


def write_row(uow: UnitOfWork, complaint_id: int, body: str) -> None:
    params = {"id": complaint_id, "body": body}
    if uow.dialect == "sqlite":
        uow.session.execute(text("DELETE FROM complaint_search WHERE rowid = :id"), params)
        uow.session.execute(
            text("INSERT INTO complaint_search (rowid, body) VALUES (:id, :body)"), params
        )
    else:
        uow.session.execute(
            text(
                "INSERT INTO complaint_search (complaint_id, body) VALUES (:id, :body) "
                "ON CONFLICT (complaint_id) DO UPDATE SET body = excluded.body"
            ),
            params,
        )


def _fts_query(words: list[str]) -> str:
    """Every word as a quoted prefix: FTS5 syntax characters in what was typed stay literal."""
    return " AND ".join(f'"{w}"*' for w in words)


def _ts_query(words: list[str]) -> str:
    return " & ".join(f"{w}:*" for w in words)


def count_matches(uow: UnitOfWork, query: str) -> int:
    """How many complaints hold every typed word, counted in the text index alone."""
    words = terms(query)
    if not words:
        return int(uow.session.scalar(select(func.count()).select_from(Complaint)) or 0)
    if uow.dialect == "sqlite":
        sql = "SELECT count(*) FROM complaint_search WHERE complaint_search MATCH :q"
        value = _fts_query(words)
    else:
        sql = "SELECT count(*) FROM complaint_search WHERE document @@ to_tsquery('simple', :q)"
        value = _ts_query(words)
    return int(uow.session.execute(text(sql), {"q": value}).scalar() or 0)


def _is_broad(uow: UnitOfWork, fts_query: str) -> bool:
    capped = uow.session.execute(
        text(
            "SELECT count(*) FROM (SELECT rowid FROM complaint_search "
            "WHERE complaint_search MATCH :fts LIMIT :cap)"
        ),
        {"fts": fts_query, "cap": BROAD_MATCHES + 1},
    ).scalar()
    return int(capped or 0) > BROAD_MATCHES


def terms(query: str) -> list[str]:
    return _WORD.findall(fold(query))[:MAX_TERMS]


def matching_ids_clause(uow: UnitOfWork, query: str) -> ColumnElement[bool] | None:
    """A WHERE clause keeping complaints whose text holds every typed word (as a prefix)."""
    words = terms(query)
    if not words:
        return None
    if uow.dialect == "sqlite":
        fts_query = _fts_query(words)
        matches = (
            text("SELECT rowid FROM complaint_search WHERE complaint_search MATCH :fts")
            .bindparams(fts=fts_query)
            .columns(column("rowid", Integer))
        )
        if _is_broad(uow, fts_query):
            # Many matches (a first letter typed): walk the list in its sort order and probe the
            # match set, so the first page is found after a few hundred rows instead of sorting
            # every match. SQLite's unary + keeps the planner from driving the query by id.
            return literal_column("+complaint.id", Integer).in_(matches)
        return Complaint.id.in_(matches)
    ts_query = _ts_query(words)
    return Complaint.id.in_(
        text(
            "SELECT complaint_id FROM complaint_search WHERE document @@ to_tsquery('simple', :tsq)"
        )
        .bindparams(tsq=ts_query)
        .columns(column("complaint_id", Integer))
    )
