"""Every sort and every filter of the complaint list reads an index in the list's order.

The database is asked how it would run each query of the list (SQLite's EXPLAIN QUERY PLAN,
PostgreSQL's EXPLAIN) on a generated log; a plan that sorts the rows it found instead of reading
them in order fails, since on a large log that sort is what a person waits for. PostgreSQL is
asked with sorting priced out (enable_sort off), so a Sort it still plans has no index to use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Select, select, text

from ceo_desk.core import demo, list_order, queries
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.queries import ComplaintFilter, SortKey
from ceo_desk.enums import Severity, Status
from ceo_desk.store.db import Database, UnitOfWork
from ceo_desk.store.models import Category, Customer, Staff, Unit
from tests.sent_statements import sent_statements

LIMIT = 200  # the first page; the whole list is read the same way without it


@pytest.fixture
def generated(db: Database) -> Iterator[Database]:
    with db.transaction() as uow:
        demo.generate(uow, complaints=1500, months=12, seed=3)
    yield db


def _filters(uow: UnitOfWork) -> dict[str, ComplaintFilter]:
    first: dict[Any, int] = {}
    for model in (Category, Unit, Staff, Customer):
        found = uow.session.scalar(select(model.id).order_by(model.id).limit(1))
        assert found is not None, f"the generated log has a {model.__tablename__}"
        first[model] = found
    today = SYSTEM_CLOCK.today()
    return {
        "resolved": ComplaintFilter(statuses=frozenset({Status.RESOLVED})),
        "awaiting": ComplaintFilter(statuses=frozenset({Status.AWAITING_CALLBACK})),
        "open": ComplaintFilter(open_only=True),
        "critical": ComplaintFilter(severities=frozenset({Severity.CRITICAL})),
        "category": ComplaintFilter(category_ids=frozenset({first[Category]})),
        "caused by": ComplaintFilter(unit_ids=frozenset({first[Unit]})),
        "delegate": ComplaintFilter(staff_ids=frozenset({first[Staff]})),
        "customer": ComplaintFilter(customer_id=first[Customer]),
        "overdue": ComplaintFilter(overdue=True),
        "due today": ComplaintFilter(due_today=True),
        "received from": ComplaintFilter(received_from=today - timedelta(days=30)),
        "received until": ComplaintFilter(received_to=today - timedelta(days=30)),
    }


def _cases(uow: UnitOfWork) -> Iterator[tuple[str, ComplaintFilter, SortKey, bool]]:
    for key in SortKey:
        for descending in (False, True):
            yield f"sort by {key.value}", ComplaintFilter(), key, descending
    for name, flt in _filters(uow).items():
        yield f"filter {name}", flt, SortKey.RECEIVED, True


def _sql(uow: UnitOfWork, query: Select[Any]) -> str:
    dialect = uow.session.get_bind().dialect
    return str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _sqlite_sorts(uow: UnitOfWork, sql: str) -> list[str]:
    plan = [str(row[3]) for row in uow.session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    return [step for step in plan if "TEMP B-TREE FOR ORDER BY" in step]


def _postgres_sorts(uow: UnitOfWork, sql: str) -> list[str]:
    uow.session.execute(text("SET LOCAL enable_sort = off"))
    [plan] = uow.session.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
    found: list[str] = []

    def walk(node: dict[str, Any], under_sort: bool) -> None:
        kind = node["Node Type"]
        sorting = under_sort or kind == "Sort"
        if sorting and kind == "Seq Scan":
            found.append(f"Sort over Seq Scan on {node.get('Relation Name')}")
        for child in node.get("Plans", []):
            walk(child, sorting)

    walk(plan["Plan"] if isinstance(plan, dict) else json.loads(plan)["Plan"], False)
    return found


def test_no_sort_or_filter_sorts_the_whole_log(generated: Database) -> None:
    failures = []
    checked = 0
    with generated.reading() as uow:
        if uow.dialect != "sqlite":
            # As autovacuum would have; SQLite's planner runs without statistics, as the app's.
            uow.session.execute(text("ANALYZE"))
        for name, flt, key, descending in _cases(uow):
            today = SYSTEM_CLOCK.today()
            where, parts = queries._list_where(uow, flt, today, key, first_page=False)
            for query in list_order.queries(where, key, descending, parts):
                for limited in (query.limit(LIMIT), query):
                    sql = _sql(uow, limited)
                    sorts = (
                        _sqlite_sorts(uow, sql)
                        if uow.dialect == "sqlite"
                        else _postgres_sorts(uow, sql)
                    )
                    checked += 1
                    if sorts:
                        order = "descending" if descending else "ascending"
                        failures.append(f"{name} ({order}): {sorts} in {sql}")
    assert checked >= 2 * (len(SortKey) * 2 + 12)
    assert failures == []


def test_a_first_page_is_never_walked_by_parallel_workers(generated: Database) -> None:
    """PostgreSQL would split the walk of a first page among workers that start slowly and
    walk past the page; the list's first-page read turns them off for its transaction. Here
    parallel plans are made free, so the planner takes one wherever it may."""
    if generated.engine.dialect.name != "postgresql":
        return  # SQLite has no parallel plans
    with generated.reading() as uow:
        uow.session.execute(text("ANALYZE"))
        for setting in ("parallel_setup_cost", "parallel_tuple_cost"):
            uow.session.execute(text(f"SET LOCAL {setting} = 0"))
        uow.session.execute(text("SET LOCAL min_parallel_index_scan_size = 0"))
        uow.session.execute(text("SET LOCAL min_parallel_table_scan_size = 0"))
        with sent_statements(generated) as sent:
            for text_typed in ("", "refund", "quinn"):
                flt = ComplaintFilter(text=text_typed)
                queries.complaint_ids(uow, flt, limit=LIMIT)
        cursor = uow.session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
        plans = []
        for statement, parameters in sent:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
            plans.append(json.dumps(cursor.fetchone()[0]))
    assert plans
    assert [p for p in plans if '"Gather' in p] == []
