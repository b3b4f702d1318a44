"""Full-text search over a complaint and everything said about it, inside words as well.

One search row per complaint holds the text of the complaint, its customer, reports and callback
notes; services refresh it in the same transaction as the change. A typed word of three letters
or more is found anywhere, inside a word too ("konkwo" finds Okonkwo): SQLite indexes every
three-letter sequence (FTS5's trigram tokenizer), PostgreSQL does the same with pg_trgm. A word of
one or two letters is matched as the start of a word instead, on PostgreSQL through its word
index; SQLite has none for them, so there they narrow the list only beside a longer word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    and_,
    any_,
    bindparam,
    column,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import TextClause

from ceo_desk.core import validation
from ceo_desk.store.db import UnitOfWork
from ceo_desk.store.models import Complaint, Delegation

_WORD = re.compile(r"[^\W_]+")  # letters and digits; punctuation and _ separate words
MAX_TERMS = 12
# Above this many matches a search is "broad": its first page is found by checking rows in the
# list's order (see matching_ids_clause).
BROAD_MATCHES = 10_000
# Up to this many matches, PostgreSQL's first page is read from the matches themselves: reading
# more to tell costs more than walking the list for them (a match in a hundred rows or more).
_PG_FEW_MATCHES = 1_000
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
_ONE_NON_WORD = re.compile(r"[\W_]")


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


# Pages of the SQLite search index merged with each row written. FTS5 adds a small segment per
# write and, left alone, merges a level's segments all at once when it holds 16 of them; on a
# large log that merge takes in the biggest segments too (seconds, within one save). Merging a
# little at every write keeps every level below that, so no save pays for the whole index.
MERGED_PAGES_PER_WRITE = 32


def write_row(uow: UnitOfWork, complaint_id: int, body: str) -> None:
    params = {"id": complaint_id, "body": body}
    if uow.dialect == "sqlite":
        uow.session.execute(text("DELETE FROM complaint_search WHERE rowid = :id"), params)
        uow.session.execute(
            text("INSERT INTO complaint_search (rowid, body) VALUES (:id, :body)"), params
        )
        uow.session.execute(
            text(
                "INSERT INTO complaint_search (complaint_search, rank) "
                f"VALUES ('merge', {MERGED_PAGES_PER_WRITE})"
            )
        )
    else:
        uow.session.execute(
            text(
                "INSERT INTO complaint_search (complaint_id, body) VALUES (:id, :body) "
                "ON CONFLICT (complaint_id) DO UPDATE SET body = excluded.body"
            ),
            params,
        )


def write_new_rows(uow: UnitOfWork, rows: Sequence[tuple[int, str]]) -> None:
    """The search rows of complaints just inserted in bulk (import, demo): on SQLite one
    executemany on the driver, as those complaints have no row yet to replace."""
    if uow.dialect != "sqlite":
        for complaint_id, body in rows:
            write_row(uow, complaint_id, body)
        return
    raw = uow.session.connection().connection.driver_connection
    assert raw is not None
    raw.executemany("INSERT INTO complaint_search (rowid, body) VALUES (?, ?)", rows)


SUBSTRING_LETTERS = 3  # the trigram indexes find a sequence this long or longer anywhere


@dataclass(frozen=True)
class _Words:
    inside: list[str]  # found anywhere, through the trigram index
    starting: list[str]  # too short for it: found at the start of a word


def _split(query: str) -> _Words:
    words = terms(query)
    return _Words(
        [w for w in words if len(w) >= SUBSTRING_LETTERS],
        [w for w in words if len(w) < SUBSTRING_LETTERS],
    )


def _fts_query(words: list[str]) -> str:
    """Every word as a quoted string: FTS5 syntax characters in what was typed stay literal."""
    return " AND ".join(f'"{w}"' for w in words)


def _ts_query(words: list[str]) -> str:
    return " & ".join(f"{w}:*" for w in words)


def _pg_body_where(words: _Words) -> tuple[str, dict[str, str]]:
    parts, params = [], {}
    for n, word in enumerate(words.inside):
        parts.append(f"body LIKE :inside{n}")
        params[f"inside{n}"] = f"%{word}%"
    if words.starting:
        parts.append("document @@ to_tsquery('simple', :tsq)")
        params["tsq"] = _ts_query(words.starting)
    return " AND ".join(parts), params


def counts_in_index(query: str) -> bool:
    """Whether the text index alone can count the matches (no short word beside a long one)."""
    words = _split(query)
    return not (words.starting and words.inside)


def count_matches(uow: UnitOfWork, query: str) -> int:
    """How many complaints hold every typed word, counted in the text index alone."""
    words = _split(query)
    if not words.inside and not words.starting:
        return int(uow.session.scalar(select(func.count()).select_from(Complaint)) or 0)
    if uow.dialect == "sqlite":
        if not words.inside:  # as matching_ids_clause: short words alone narrow nothing
            return int(uow.session.scalar(select(func.count()).select_from(Complaint)) or 0)
        assert not words.starting, "short words are counted through the complaint table"
        sql = "SELECT count(*) FROM complaint_search WHERE complaint_search MATCH :q"
        return int(uow.session.execute(text(sql), {"q": _fts_query(words.inside)}).scalar() or 0)
    where, params = _pg_body_where(words)
    sql = f"SELECT count(*) FROM complaint_search WHERE {where}"
    return int(uow.session.execute(text(sql), params).scalar() or 0)


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


def _word_start(word: str) -> str:
    return f"% {word}%"


def _probe(sql_condition: str, **params: str) -> TextClause:
    """True when this complaint's own search row (looked up by its id) meets the condition."""
    return text(
        "EXISTS (SELECT 1 FROM complaint_search AS s WHERE s.rowid = complaint.id "
        f"AND {sql_condition})"
    ).bindparams(**params)


def matching_ids_clause(
    uow: UnitOfWork, query: str, *, first_page: bool = False
) -> ColumnElement[bool] | None:
    """A WHERE clause keeping complaints whose text holds every typed word.

    `first_page`: only the first rows in the list's order are wanted. When most of the log
    matches, the list is then walked in its own order and each row's text checked, which finds
    a page after a few hundred rows instead of collecting every match first.
    """
    words = _split(query)
    if not words.inside and not words.starting:
        return None
    if uow.dialect != "sqlite":
        where, params = _pg_body_where(words)
        if first_page:
            # The planner walks the list's order checking each complaint's text, which finds a
            # page of a common word at once and takes a fifth of a second over a rare one: a
            # text with few matches has them read first (the trigram index finds them, or the
            # word index those of a word's first letter or two: "il" starts no word of the
            # demo's, and the walk went through the whole log to say so) and the page is
            # those, sorted. Asking costs a few milliseconds when the matches are many.
            few = uow.session.execute(
                text(f"SELECT complaint_id FROM complaint_search WHERE {where} LIMIT :cap"),
                {**params, "cap": _PG_FEW_MATCHES + 1},
            ).scalars()
            found = list(few)
            if len(found) <= _PG_FEW_MATCHES:
                return Complaint.id == any_(bindparam("matched", found, type_=ARRAY(Integer)))
        return Complaint.id.in_(
            text(f"SELECT complaint_id FROM complaint_search WHERE {where}")
            .bindparams(**params)
            .columns(column("complaint_id", Integer))
        )
    if not words.inside:
        # One or two letters alone: SQLite's trigram index cannot look them up, and checking
        # every row for a word that starts so would walk most of the log; they narrow the
        # list from the third letter typed, or beside a longer word.
        return None
    clauses: list[ColumnElement[bool] | TextClause] = []
    if words.inside:
        fts_query = _fts_query(words.inside)
        broad = _is_broad(uow, fts_query)
        matches = (
            text("SELECT rowid FROM complaint_search WHERE complaint_search MATCH :fts")
            .bindparams(fts=fts_query)
            .columns(column("rowid", Integer))
        )
        if broad and first_page:
            for n, word in enumerate(words.inside):
                clauses.append(_probe(f"instr(s.body, :inside{n}) > 0", **{f"inside{n}": word}))
        elif broad:
            # Every match in order: SQLite's unary + keeps the planner walking the list's own
            # index and probing the match set, instead of sorting most of the log.
            clauses.append(literal_column("+complaint.id", Integer).in_(matches))
        else:
            clauses.append(Complaint.id.in_(matches))  # a few: read them, then sort them
    for n, word in enumerate(words.starting):
        # Words are separated by single spaces or new lines in the search text.
        clauses.append(
            _probe(
                f"(' ' || replace(s.body, char(10), ' ')) LIKE :start{n}",
                **{f"start{n}": _word_start(word)},
            )
        )
    return and_(*clauses)


# ---------------------------------------------------------------- why a row matched


@dataclass(frozen=True)
class ShownRow:
    """A list row's id and the columns a person sees, each as (column name, text)."""

    id: int
    columns: tuple[tuple[str, str], ...]


SNIPPET_CHARACTERS = 70


def _found(word: str, folded: str) -> int:
    """Where the word is in folded text (inside a word when long enough), or -1."""
    if len(word) >= SUBSTRING_LETTERS:
        return folded.find(word)
    # " word" found at i in " " + text means the word starts at i in the text itself.
    return (" " + _ONE_NON_WORD.sub(" ", folded)).find(" " + word)


@dataclass(frozen=True)
class Match:
    """Why a row matched: the column that shows the first typed word, or (column None) a
    snippet of the other text that holds it."""

    column: str | None
    text: str

    def describe(self) -> str:
        if self.column is None:
            return f"Found in its text: {self.text}"
        return f"Found in the {self.column}: {self.text}"


def match_reasons(uow: UnitOfWork, query: str, rows: list[ShownRow]) -> dict[int, Match]:
    """Why each row matched: the column that shows the first word, or a snippet of the text
    that holds it (the details, the customer's contact, a report, a callback note)."""
    words = terms(query)
    if not words or not rows:
        return {}
    reasons: dict[int, Match] = {}
    hidden: list[int] = []
    for row in rows:
        shown = next(
            (
                (name, value)
                for name, value in row.columns
                if value and _found(words[0], fold(value)) >= 0
            ),
            None,
        )
        if shown is not None:
            reasons[row.id] = Match(shown[0], shown[1])
        else:
            hidden.append(row.id)
    for complaint_id, body in _bodies(uow, hidden):
        snippet = _snippet(body, words)
        if snippet:
            reasons[complaint_id] = Match(None, snippet)
    return reasons


def _bodies(uow: UnitOfWork, ids: list[int]) -> list[tuple[int, str]]:
    if not ids:
        return []
    key = "rowid" if uow.dialect == "sqlite" else "complaint_id"
    rows = uow.session.execute(
        text(f"SELECT {key}, body FROM complaint_search WHERE {key} IN :ids").bindparams(
            bindparam("ids", expanding=True)
        ),
        {"ids": ids},
    )
    return [(int(row[0]), str(row[1])) for row in rows]


def _snippet(body: str, words: list[str]) -> str:
    """About SNIPPET_CHARACTERS of the text around the first typed word found in it."""
    flat = " ".join(body.split())
    at = next((i for i in (_found(w, flat) for w in words) if i >= 0), -1)
    if at < 0:
        return ""
    start = max(0, at - SNIPPET_CHARACTERS // 3)
    if start:  # begin at a whole word
        space = flat.find(" ", start, at)
        start = space + 1 if space >= 0 else at
    end = min(len(flat), start + SNIPPET_CHARACTERS)
    return f"{'…' if start else ''}{flat[start:end].strip()}{'…' if end < len(flat) else ''}"
