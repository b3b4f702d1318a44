"""A backup's rows poured into a fresh log that the app's own migrations built.

The file a person hands to restore is treated as data only: its triggers, views, indexes and
extra tables are never carried over, a column it lacks gets the fresh schema's default (or the
restore is refused when every row needs one), and the counts and references are checked.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine

from ceo_desk.errors import StorageError
from ceo_desk.store import schema_shape

# The search index is a virtual table whose own storage tables SQLite manages.
_NOT_COPIED = frozenset({"alembic_version"})


@dataclass(frozen=True)
class Rebuilt:
    rows: dict[str, int]
    ignored_tables: list[str] = field(default_factory=list)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(conn: sqlite3.Connection, schema: str) -> dict[str, str]:
    """name -> sql of the ordinary and virtual tables in `schema` (main or src)."""
    rows = conn.execute(
        f"SELECT name, sql FROM {schema}.sqlite_master "
        "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {str(name): str(sql or "") for name, sql in rows}


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[tuple[str, bool, bool]]:
    """(name, needs a value, has a default or is the key) per column."""
    rows = conn.execute(f"PRAGMA {schema}.table_info({_quote(table)})").fetchall()
    return [(str(r[1]), bool(r[3]), r[4] is not None or bool(r[5])) for r in rows]


def _count(conn: sqlite3.Connection, schema: str, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {schema}.{_quote(table)}").fetchone()[0])


def build_fresh(staged: Path, revision: str) -> None:
    """A new, private log at `staged` with the schema the app's migrations give at `revision`."""
    fd = os.open(staged, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    engine = create_engine(f"sqlite:///{staged}")
    try:
        with engine.begin() as conn:
            schema_shape.upgrade(conn, revision)
    finally:
        engine.dispose()


def copy_rows(candidate: Path, staged: Path) -> Rebuilt:
    """Copy every row of the candidate's tables that the fresh log at `staged` has, column by
    column, then prove the counts equal and every reference sound. Raises StorageError."""
    conn = sqlite3.connect(f"file:{staged}", uri=True, timeout=30, isolation_level=None)
    try:
        # Nothing in the candidate may run code while it is read: its views and triggers are
        # not trusted, and the fresh log's references are checked once everything is in.
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("ATTACH DATABASE ? AS src", (f"file:{candidate}?mode=ro",))
        fresh = _tables(conn, "main")
        theirs = _tables(conn, "src")
        virtual = [n for n, sql in fresh.items() if sql.upper().startswith("CREATE VIRTUAL")]
        managed = {n for n in fresh for v in virtual if n.startswith(v + "_")}
        copied: dict[str, int] = {}
        conn.execute("BEGIN")
        for table in fresh:
            if table in _NOT_COPIED or table in managed or table not in theirs:
                continue
            if theirs[table].upper().startswith("CREATE VIRTUAL") != (table in virtual):
                continue
            wanted = _columns(conn, "main", table)
            present = {name for name, _needed, _default in _columns(conn, "src", table)}
            if table in virtual:
                names = ["rowid", *[n for n, _needed, _default in wanted if n in present]]
            else:
                names = [n for n, _needed, _default in wanted if n in present]
                lacking = [n for n, needed, default in wanted if needed and not default]
                lacking = [n for n in lacking if n not in present]
                if lacking and _count(conn, "src", table):
                    raise StorageError(
                        f"{candidate} lacks the column {table}.{lacking[0]}, which every "
                        f"{table} row needs: it is not a complete CEO Desk backup. Nothing was "
                        "restored."
                    )
            listed = ", ".join(_quote(n) for n in names)
            conn.execute(
                f"INSERT INTO main.{_quote(table)} ({listed}) "
                f"SELECT {listed} FROM src.{_quote(table)}"
            )
            copied[table] = _count(conn, "main", table)
            if copied[table] != _count(conn, "src", table):
                raise StorageError(
                    f"Only {copied[table]:,} of the {_count(conn, 'src', table):,} rows of "
                    f"{table} in {candidate} could be copied. Nothing was restored."
                )
        broken = conn.execute("PRAGMA main.foreign_key_check").fetchall()
        if broken:
            table, row, parent = broken[0][0], broken[0][1], broken[0][2]
            raise StorageError(
                f"{candidate} holds {len(broken)} row(s) pointing at rows that do not exist "
                f"(first: {table} row {row} -> {parent}). Nothing was restored."
            )
        conn.execute("COMMIT")
        ignored = sorted(
            n for n in theirs if n not in fresh and not any(n.startswith(v + "_") for v in virtual)
        )
        conn.execute("DETACH DATABASE src")
        return Rebuilt(copied, ignored)
    except sqlite3.Error as exc:
        raise StorageError(
            f"The rows of {candidate} could not be copied into a fresh log ({exc}). Nothing was "
            "restored."
        ) from exc
    finally:
        conn.close()


def upgrade_to_head(staged: Path) -> None:
    engine = create_engine(f"sqlite:///{staged}")
    try:
        with engine.begin() as conn:
            schema_shape.upgrade(conn, "head")
    finally:
        engine.dispose()
