"""What a log's schema looks like (tables, columns, indexes, triggers, views), and what it should
look like at a revision: the app's own migrations run on a scratch database, never a file's word.

`check` compares the two and names every difference; `restore` builds its fresh log the same way.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config

KINDS = ("table", "column", "index", "trigger", "view")
# kind -> name -> a description that differs whenever the object does.
Shape = dict[str, dict[str, str]]


def _config(conn: Connection) -> Config:
    from ceo_desk.store import schema  # Alembic only when a migration or comparison runs

    config = schema._alembic_config()
    config.attributes["connection"] = conn
    return config


def upgrade(conn: Connection, revision: str = "head") -> None:
    """Run the app's migrations on `conn` up to `revision`."""
    from alembic import command

    command.upgrade(_config(conn), revision)


def _normal(sql: str | None) -> str:
    return " ".join((sql or "").split())


def _sqlite_shape(conn: Connection) -> Shape:
    shape: Shape = {kind: {} for kind in KINDS}
    rows = conn.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).all()
    for kind, name, table, sql in rows:
        if kind not in shape:
            continue
        if sql is None:  # an index SQLite makes itself for a UNIQUE or PRIMARY KEY constraint
            shape[kind][name] = f"on {table}"
            continue
        shape[kind][name] = _normal(sql)
        if kind == "table":
            for column in conn.exec_driver_sql(f'PRAGMA table_xinfo("{name}")').all():
                _cid, column_name, column_type, not_null, default, key, hidden = column
                shape["column"][f"{name}.{column_name}"] = (
                    f"{column_type or 'untyped'}{' NOT NULL' if not_null else ''}"
                    f"{f' DEFAULT {default}' if default is not None else ''}"
                    f"{' PRIMARY KEY' if key else ''}{' hidden' if hidden else ''}"
                )
    return shape


def _postgres_shape(conn: Connection, schema: str) -> Shape:
    shape: Shape = {kind: {} for kind in KINDS}
    inspector = inspect(conn)
    for table in inspector.get_table_names(schema=schema):
        shape["table"][table] = ""
        for column in inspector.get_columns(table, schema=schema):
            shape["column"][f"{table}.{column['name']}"] = (
                f"{column['type']}{'' if column['nullable'] else ' NOT NULL'}"
            )
        for index in inspector.get_indexes(table, schema=schema):
            names = ", ".join(str(c) for c in index["column_names"])
            unique = "unique " if index["unique"] else ""
            shape["index"][str(index["name"])] = f"{unique}on {table} ({names})"
    for view in inspector.get_view_names(schema=schema):
        shape["view"][view] = ""
    triggers = conn.execute(
        text(
            "SELECT t.tgname, c.relname, t.tgenabled FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND n.nspname = :schema"
        ),
        {"schema": schema},
    ).all()
    for name, table, enabled in triggers:
        state = "disabled" if enabled == "D" else "enabled"
        shape["trigger"][str(name)] = f"on {table}, {state}"
    return shape


def live_shape(conn: Connection) -> Shape:
    """The schema of the database behind `conn` as it is."""
    if conn.dialect.name == "sqlite":
        return _sqlite_shape(conn)
    schema = str(conn.execute(text("SELECT current_schema()")).scalar())
    return _postgres_shape(conn, schema)


@lru_cache(maxsize=4)
def _expected_sqlite(revision: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    engine = create_engine("sqlite://")  # a scratch database, thrown away at once
    try:
        with engine.begin() as conn:
            upgrade(conn, revision)
            shape = _sqlite_shape(conn)
    finally:
        engine.dispose()
    return tuple((kind, tuple(sorted(names.items()))) for kind, names in shape.items())


def expected_shape(conn: Connection, revision: str) -> Shape:
    """The schema the app's migrations give at `revision`, on the dialect of `conn`.

    PostgreSQL builds it in a scratch schema inside a transaction that is rolled back, so
    nothing is left behind (this needs the right to create a schema)."""
    if conn.dialect.name == "sqlite":
        return {kind: dict(items) for kind, items in _expected_sqlite(revision)}
    scratch = f"ceo_desk_expected_{os.getpid()}"
    transaction = conn.begin_nested() if conn.in_transaction() else conn.begin()
    try:
        conn.exec_driver_sql(f"CREATE SCHEMA {scratch}")
        conn.exec_driver_sql(f"SET LOCAL search_path TO {scratch}")
        upgrade(conn, revision)
        return _postgres_shape(conn, scratch)
    finally:
        transaction.rollback()


def differences(expected: Shape, live: Shape) -> list[str]:
    """Every way `live` differs from `expected`, one sentence each (the columns of a table that
    is missing or extra are not listed again)."""
    found = []
    odd_tables = expected.get("table", {}).keys() ^ live.get("table", {}).keys()
    for kind in KINDS:
        want, have = expected.get(kind, {}), live.get(kind, {})
        if kind == "column":
            want = {k: v for k, v in want.items() if k.split(".", 1)[0] not in odd_tables}
            have = {k: v for k, v in have.items() if k.split(".", 1)[0] not in odd_tables}
        found += [f"{kind} {name} is missing" for name in sorted(want.keys() - have.keys())]
        found += [
            f"{kind} {name} is not part of this version's schema"
            for name in sorted(have.keys() - want.keys())
        ]
        for name in sorted(want.keys() & have.keys()):
            if want[name] == have[name]:
                continue
            if kind == "table":
                found.append(f"table {name} is defined differently (columns or constraints)")
            else:
                found.append(
                    f"{kind} {name} differs (expected: {want[name] or 'present'}; "
                    f"found: {have[name] or 'present'})"
                )
    return found
