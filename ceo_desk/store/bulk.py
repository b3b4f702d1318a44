"""Writing many rows at once: one home for the import and the demo generator.

SQLAlchemy's executemany does per-row bookkeeping that costs more than SQLite's own insert, so on
SQLite the rows go straight to the driver, each value converted by its column's own type exactly
as SQLAlchemy would convert it. A table's secondary indexes can also be built once after the rows
are in (one sort each) instead of being updated row by row: for a large write into a small table
that is the larger share of the time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from ceo_desk.store.models import UtcDateTime

_CHUNK = 5_000


def tables_of(*models: type[Any]) -> tuple[Table, ...]:
    tables = tuple(model.__table__ for model in models)
    assert all(isinstance(t, Table) for t in tables)
    return tables


def insert_rows(connection: Connection, table: Table, batch: list[dict[str, Any]]) -> None:
    """Insert `batch` (every row with the same keys) into `table`."""
    if not batch:
        return
    if connection.dialect.name != "sqlite" or not _insert_sqlite(connection, table, batch):
        for start in range(0, len(batch), _CHUNK):
            connection.execute(table.insert(), batch[start : start + _CHUNK])


def _insert_sqlite(connection: Connection, table: Table, batch: list[dict[str, Any]]) -> bool:
    """Through the driver, with the columns' plain defaults for keys not given. False (nothing
    written) when a column left out has a default that is not a plain value."""
    given = list(batch[0])
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.key in batch[0] or column.default is None:
            continue
        if not column.default.is_scalar:
            return False
        defaults[column.key] = column.default.arg  # type: ignore[attr-defined]
    dialect = connection.dialect
    columns: list[list[Any]] = []
    for key in given:  # column by column: one tight loop per column, not per value
        convert = table.columns[key].type.dialect_impl(dialect).bind_processor(dialect)
        values = [row[key] for row in batch]
        if convert is None:
            columns.append(values)
        elif isinstance(table.columns[key].type, UtcDateTime):
            columns.append(list(map(_moments(convert, values), values)))
        else:
            columns.append(list(map(_remembered(convert), values)))
    for key, value in defaults.items():
        convert = table.columns[key].type.dialect_impl(dialect).bind_processor(dialect)
        columns.append([value if convert is None else convert(value)] * len(batch))
    keys = given + list(defaults)
    names = ", ".join(table.columns[key].name for key in keys)
    marks = ", ".join("?" for _ in keys)
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.executemany(
        f"INSERT INTO {table.name} ({names}) VALUES ({marks})", zip(*columns, strict=True)
    )
    return True


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
