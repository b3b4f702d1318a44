"""Writing many rows at once: one home for the import and the demo generator.

SQLAlchemy's executemany does per-row bookkeeping that costs more than SQLite's own insert, so on
SQLite the rows go straight to the driver, each value converted by its column's own type exactly
as SQLAlchemy would convert it. A table's secondary indexes can also be built once after the rows
are in (one sort each) instead of being updated row by row: for a large write into a small table
that is the larger share of the time.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, Table, func, select, text

from ceo_desk.store.migrations.ddl import SEARCH_TABLE
from ceo_desk.store.models import UtcDateTime

_CHUNK = 5_000


def tables_of(*models: type[Any]) -> tuple[Table, ...]:
    tables = tuple(model.__table__ for model in models)
    assert all(isinstance(t, Table) for t in tables)
    return tables


@dataclass(frozen=True)
class Stored:
    """Rows of one table already converted to what SQLite stores, column by column, with the
    statement that inserts them: made wherever the rows are made (a second process may make
    them) and written by `write_stored`."""

    sql: str
    columns: list[list[Any]]


def insert_rows(connection: Connection, table: Table, batch: list[dict[str, Any]]) -> None:
    """Insert `batch` (every row with the same keys) into `table`."""
    if not batch:
        return
    if connection.dialect.name != "sqlite":
        for start in range(0, len(batch), _CHUNK):
            connection.execute(table.insert(), batch[start : start + _CHUNK])
        return
    stored = rows_stored(connection.dialect, table, batch)
    if stored is None:
        connection.execute(table.insert(), batch)
    else:
        write_stored(connection, stored)


def insert_tuples(
    connection: Connection, table: Table, keys: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert `rows`, plain tuples of values in the order of `keys`, into `table`: for writers
    that make hundreds of thousands of rows, with no dictionary per row."""
    if not rows:
        return
    if connection.dialect.name == "sqlite":
        stored = tuples_stored(connection.dialect, table, keys, rows)
        if stored is not None:
            write_stored(connection, stored)
            return
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        connection.execute(table.insert(), [dict(zip(keys, row, strict=True)) for row in chunk])


def rows_stored(dialect: Dialect, table: Table, batch: list[dict[str, Any]]) -> Stored | None:
    """`batch` (a non-empty list of rows with the same keys) as SQLite stores it; None when the
    table has a default that is not a plain value."""
    keys = list(batch[0])
    # Rows to columns in C: each row's values picked at once, then transposed.
    pick = operator.itemgetter(*keys)
    values = map(pick, batch) if len(keys) > 1 else ((pick(row),) for row in batch)
    return _stored(dialect, table, keys, [list(column) for column in zip(*values, strict=True)])


def tuples_stored(
    dialect: Dialect, table: Table, keys: Sequence[str], rows: list[tuple[Any, ...]]
) -> Stored | None:
    """`rows` (a non-empty list of tuples in the order of `keys`) as SQLite stores them."""
    return _stored(dialect, table, list(keys), [list(values) for values in zip(*rows, strict=True)])


def write_stored(connection: Connection, stored: Stored) -> None:
    """Insert rows made by `rows_stored` or `tuples_stored`, through the SQLite driver."""
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.executemany(stored.sql, zip(*stored.columns, strict=True))


def _stored(
    dialect: Dialect, table: Table, given: list[str], columns: list[list[Any]]
) -> Stored | None:
    """The values given column by column, converted by each column's own type exactly as
    SQLAlchemy would convert them, with the columns' plain defaults for keys not given. None when
    a column left out has a default that is not a plain value."""
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.key in given or column.default is None:
            continue
        if not column.default.is_scalar:
            return None
        defaults[column.key] = column.default.arg  # type: ignore[attr-defined]
    count = len(columns[0])
    stored: list[list[Any]] = []
    for key, values in zip(given, columns, strict=True):
        # Column by column: one tight loop per column, not per value.
        convert = table.columns[key].type.dialect_impl(dialect).bind_processor(dialect)
        if convert is None:
            stored.append(values)
        elif isinstance(table.columns[key].type, UtcDateTime):
            stored.append(list(map(_moments(convert, values), values)))
        else:
            stored.append(list(map(_remembered(convert), values)))
    for key, value in defaults.items():
        convert = table.columns[key].type.dialect_impl(dialect).bind_processor(dialect)
        stored.append([value if convert is None else convert(value)] * count)
    keys = given + list(defaults)
    names = ", ".join(table.columns[key].name for key in keys)
    marks = ", ".join("?" for _ in keys)
    return Stored(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", stored)


def _remembered(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, computed once per distinct value (statuses, channels and flags repeat)."""
    memo: dict[Any, Any] = {}

    def converted(value: Any) -> Any:
        if value is None:
            return None
        try:
            return memo[value]
        except KeyError:
            memo[value] = found = convert(value)
            return found

    return converted


def _moment_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is UTC:  # the usual case: one call, the "+00:00" left off
        return value.isoformat(" ", "microseconds")[:26]
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _moments(convert: Callable[[Any], Any], values: list[Any]) -> Callable[[Any], Any]:
    """The column type's own conversion of moments, or the same text made directly when it
    gives the same result for these values (checked on the first and the last)."""
    probes = [v for v in (values[0], values[-1]) if v is not None]
    if probes and all(_moment_text(v) == convert(v) for v in probes):
        return _moment_text
    return convert


def set_indexes_aside(connection: Connection, tables: Iterable[Table], *, coming: int) -> list[str]:
    """Before `coming` rows are written to the first of `tables`: on SQLite, when they are at
    least as many as it holds already, drop the tables' secondary indexes and return their stored
    definitions, for `make_indexes` once the rows are in. Nothing is dropped otherwise (and on
    PostgreSQL). Inside the caller's transaction (SQLite's DDL is transactional), so a rollback
    brings every index back with everything else. Unique constraints keep their indexes and are
    checked row by row."""
    tables = list(tables)
    if connection.dialect.name != "sqlite" or not tables:
        return []
    held = int(connection.scalar(select(func.count()).select_from(tables[0])) or 0)
    if coming < max(held, 1):
        return []
    names = {f"t{i}": table.name for i, table in enumerate(tables)}
    found = connection.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join(':' + key for key in names)}) ORDER BY name"
        ),
        names,
    ).all()
    for name, _sql in found:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def make_indexes(connection: Connection, definitions: list[str]) -> None:
    """Build again the indexes `set_indexes_aside` dropped: one sort each."""
    for sql in definitions:
        connection.exec_driver_sql(sql)


# While building: a page cache that holds the indexes being written (the event hashes' unique
# index takes random inserts), and a buffer of search terms large enough that the trigram index
# is written in a few segments instead of being merged again and again as it grows.
_BUILD_CACHE_KIB = 256 * 1024
_BUILD_SEARCH_BUFFER = 64 * 1024 * 1024
_SEARCH_BUFFER_DEFAULT = 1024 * 1024  # FTS5's own default "hashsize"


@contextmanager
def building(connection: Connection) -> Iterator[None]:
    """Around a write of many rows into a log on SQLite, inside the caller's transaction: a larger
    page cache for this connection and a larger buffer for the search index's terms, both put
    back as they were when the block ends (before the commit, so the log keeps its settings);
    once the rows are in, the search index is merged into one segment out of the way of later
    small writes. Nothing changes on PostgreSQL, and durability never does: the commit syncs as
    always."""
    if connection.dialect.name != "sqlite":
        yield
        return
    cache = int(connection.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
    kept = connection.scalar(text(f"SELECT v FROM {SEARCH_TABLE}_config WHERE k = 'hashsize'"))
    _search_buffer(connection, _BUILD_SEARCH_BUFFER)
    connection.exec_driver_sql(f"PRAGMA cache_size = -{_BUILD_CACHE_KIB}")
    try:
        yield
        _search_index_above_small_writes(connection)
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {cache}")
        _search_buffer(connection, _SEARCH_BUFFER_DEFAULT if kept is None else int(kept))


def _search_index_above_small_writes(connection: Connection) -> None:
    """Merge what the build wrote into one segment on a level above the lowest.

    The large buffer leaves one or a few big segments on FTS5's lowest level, where each later
    small write adds its own; once that level is full FTS5 merges all of it at once, the big
    segments too (on a 100,000-complaint log about 3 s, inside somebody's save). FTS5's
    'optimize' lifts the merged index a level up, but only when there are at least two
    segments: so the buffer is written out first and the newest row written again, which adds
    the second. Each later write then merges a little (`search.write_row`)."""
    table = SEARCH_TABLE
    connection.exec_driver_sql(f"INSERT INTO {table} ({table}, rank) VALUES ('merge', 1)")
    newest = connection.exec_driver_sql(
        f"SELECT rowid, body FROM {table} ORDER BY rowid DESC LIMIT 1"
    ).first()
    if newest is None:
        return
    connection.exec_driver_sql(f"DELETE FROM {table} WHERE rowid = ?", (newest[0],))
    connection.exec_driver_sql(
        f"INSERT INTO {table} (rowid, body) VALUES (?, ?)", (newest[0], newest[1])
    )
    connection.exec_driver_sql(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def _search_buffer(connection: Connection, size: int) -> None:
    connection.exec_driver_sql(
        f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rank) VALUES ('hashsize', {int(size)})"
    )


@contextmanager
def written_once(engine: Engine) -> Iterator[None]:
    """Around the one transaction that fills a new log on SQLite: the rollback journal instead
    of the write-ahead log, so each page is written once rather than twice (into the WAL, then
    copied back at the checkpoint). As safe against a crash: with `synchronous = FULL` the
    rollback journal is as durable as the WAL; it only keeps readers out while it writes, and
    nobody reads a log that is being filled. Put back to WAL afterwards, also when the block
    fails. When another connection has the log open the switch is refused at once and the build
    simply runs in WAL."""
    if engine.dialect.name != "sqlite":
        yield
        return
    switched = _journal_mode(engine, "DELETE") == "delete"
    try:
        yield
    finally:
        if switched:
            _journal_mode(engine, "WAL")


def _journal_mode(engine: Engine, mode: str) -> str:
    """Ask for `mode` on a connection of its own, outside any transaction (SQLite changes the
    journal only there), without waiting for other connections; returns the mode in force."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        waits = driver.execute("PRAGMA busy_timeout").fetchone()[0]
        driver.execute("PRAGMA busy_timeout = 0")
        try:
            found = driver.execute(f"PRAGMA journal_mode = {mode}").fetchone()
        except sqlite3.OperationalError:  # another connection holds the log: keep what it has
            found = driver.execute("PRAGMA journal_mode").fetchone()
        finally:
            driver.execute(f"PRAGMA busy_timeout = {int(waits)}")
    finally:
        raw.close()
    return str(found[0]).lower() if found else ""
