"""The order of the complaint list, read through indexes: never a sort of the whole log.

Each sort key is a plan of parts, each one query that an index hands over already in order
(newest received first within equal keys, the id breaking the last ties). A part that is a merge
reads two such queries and interleaves them (the due date: a delegated complaint's report due
date and an awaiting one's callback date live in two indexed columns). A key that may be empty
(no category, nobody delegated, nothing due) is its own part, after the others ascending and
before them descending, so that descending is exactly ascending reversed.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeAlias

from sqlalchemy import Select, func, literal_column, select, text
from sqlalchemy.orm import Session, aliased

from ceo_desk.enums import Status
from ceo_desk.store.models import SEVERITY_RANK, Category, Complaint, Customer, Staff


class SortKey(StrEnum):
    RECEIVED = "received_at"
    REFERENCE = "reference"
    STATUS = "status"
    SEVERITY = "severity"
    CUSTOMER = "customer"
    SUMMARY = "summary"
    CATEGORY = "category"
    DELEGATE = "delegate"
    DUE = "due"


Delegate = aliased(Staff)
Query: TypeAlias = "Select[*tuple[Any, ...]]"

# The part of the list whose due date lives in each column.
_DUE_COLUMNS = (
    (Status.DELEGATED, Complaint.report_due_on),
    (Status.AWAITING_CALLBACK, Complaint.callback_due_on),
)


@dataclass(frozen=True)
class _Merge:
    """Queries of (id, key..., received_at), each ordered by (key..., received_at, id), read and
    interleaved in that order."""

    queries: tuple[Query, ...]
    descending: bool


Part: TypeAlias = "Query | _Merge"


def _ordered(query: Query, descending: bool, *keys: Any) -> Query:
    columns = (*keys, Complaint.received_at, Complaint.id)
    return query.order_by(*(c.desc() if descending else c.asc() for c in columns))


def plan(
    where: Sequence[Any],
    sort: SortKey,
    descending: bool,
    parts: Sequence[Sequence[Any]] = (),
) -> list[Part]:
    """The queries that, read one after another, give the ids in the list's order.

    `parts` (the received order only): disjoint sets of conditions, each one status's, whose
    matches together are the list's; each is read through that status's own index and the
    parts are merged, instead of walking the whole log in the received order checking each row.
    """
    ids = select(Complaint.id).where(*where)
    if parts:
        assert sort is SortKey.RECEIVED, "only the received order is read in parts"
        if len(parts) == 1:
            return [_ordered(ids.where(*parts[0]), descending)]
        each = select(Complaint.id, Complaint.received_at).where(*where)
        return [
            _Merge(tuple(_ordered(each.where(*part), descending) for part in parts), descending)
        ]
    if sort is SortKey.RECEIVED:
        return [_ordered(ids, descending)]
    if sort is SortKey.REFERENCE:
        return [ids.order_by(Complaint.id.desc() if descending else Complaint.id.asc())]
    if sort is SortKey.STATUS:
        return [_ordered(ids, descending, Complaint.status)]
    if sort is SortKey.SEVERITY:
        return [_ordered(ids, descending, literal_column(SEVERITY_RANK))]
    if sort is SortKey.SUMMARY:
        return [_ordered(ids, descending, func.lower(Complaint.summary))]
    if sort is SortKey.CUSTOMER:
        joined = ids.select_from(Customer).join(Complaint, Complaint.customer_id == Customer.id)
        return [_ordered(joined, descending, func.lower(Customer.name), Customer.id)]
    if sort in (SortKey.CATEGORY, SortKey.DELEGATE):
        table, column = (
            (Category, Complaint.category_id)
            if sort is SortKey.CATEGORY
            else (Delegate, Complaint.current_delegate_id)
        )
        named = _ordered(
            ids.select_from(table).join(Complaint, column == table.id),
            descending,
            func.lower(table.name),
            table.id,
        )
        empty = _ordered(ids.where(column.is_(None)), descending)
        return [empty, named] if descending else [named, empty]
    assert sort is SortKey.DUE
    due = _Merge(
        tuple(
            _ordered(
                select(Complaint.id, column, Complaint.received_at).where(
                    *where, Complaint.status == status
                ),
                descending,
                column,
            )
            for status, column in _DUE_COLUMNS
        ),
        descending,
    )
    nothing_due = _ordered(
        ids.where(Complaint.status.not_in([status for status, _ in _DUE_COLUMNS])), descending
    )
    return [due, nothing_due]  # nothing due comes last either way, as it always did


def queries(
    where: Sequence[Any],
    sort: SortKey,
    descending: bool,
    parts: Sequence[Sequence[Any]] = (),
) -> Iterator[Query]:
    """Every query of a plan, for looking at how the database runs each."""
    for part in plan(where, sort, descending, parts):
        if isinstance(part, _Merge):
            yield from part.queries
        else:
            yield part


def ordered_ids(
    session: Session,
    where: Sequence[Any],
    sort: SortKey,
    descending: bool,
    *,
    limit: int | None = None,
    parts: Sequence[Sequence[Any]] = (),
) -> list[int]:
    """The ids of the complaints matching `where` (and one of `parts`, when given), in the
    list's order; the first `limit`."""
    if limit is not None and session.get_bind().dialect.name == "postgresql":
        # A first page is a walk of the list's order that stops once the page is full.
        # PostgreSQL may split it among parallel workers, each walking its own share of the
        # index: they take tens of milliseconds to start, and the merge of their shares waits
        # for the slowest (a tenth of a second for a search matching 2% of a 100,000-complaint
        # log, where the walk alone takes 4 ms). For this transaction only.
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    found: list[int] = []
    for part in plan(where, sort, descending, parts):
        wanted = None if limit is None else limit - len(found)
        if wanted is not None and wanted <= 0:
            break
        if isinstance(part, _Merge):
            found += _merged(session, part, wanted)
        elif wanted is None and session.get_bind().dialect.name == "sqlite":
            found += _all_ids(session, part)
        else:
            found += [row[0] for row in _rows(session, part, wanted)]
    return found


def _all_ids(session: Session, query: Query) -> list[int]:
    """Every id of a query, in its order, from one SQLite step.

    Fetching 100,000 rows one by one hands the interpreter lock back and forth 100,000 times,
    and each hand-over waits for the GUI thread painting meanwhile; the ids joined into one
    text by the database are read in one step instead. SQLite concatenates the rows of an
    ordered subquery in the order it hands them over; the subquery's LIMIT keeps its ORDER BY
    from being dropped as "not useful" (SQLite 3.41 omits some).
    """
    inner = query.limit(-1).subquery()
    joined = session.connection().execute(select(func.group_concat(inner.c[0]))).scalar()
    return [int(n) for n in joined.split(",")] if joined else []


def _rows(session: Session, query: Query, limit: int | None) -> list[Any]:
    """The rows as the driver hands them: building a result row object for each of 100,000
    ids costs several times the query itself."""
    result = session.connection().execute(query if limit is None else query.limit(limit))
    try:
        return list(result.cursor.fetchall()) if result.cursor is not None else []
    finally:
        result.close()


def _merged(session: Session, merge: _Merge, limit: int | None) -> list[int]:
    streams = []
    for query in merge.queries:
        # (key..., received, id): the order each query already has, an empty key last. Raw
        # driver values compare in the same order as the typed ones (ISO dates and times).
        streams.append([(row[1] is None, *row[1:], row[0]) for row in _rows(session, query, limit)])
    merged = heapq.merge(*streams, reverse=merge.descending)
    ids = [entry[-1] for entry in merged]
    return ids if limit is None else ids[:limit]
