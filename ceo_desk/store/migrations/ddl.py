"""Dialect-specific schema that the ORM metadata cannot express: text search and audit triggers."""

from __future__ import annotations

from sqlalchemy.engine import Connection

SEARCH_TABLE = "complaint_search"


def create_search_index(conn: Connection) -> None:
    """One search row per complaint: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL.

    The FTS5 prefix indexes (1 to 3 characters) keep results-while-typing fast on the first
    letters, which match most of a large log.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
        )
    else:
        conn.exec_driver_sql(
            f"CREATE TABLE {SEARCH_TABLE} ("
            " complaint_id INTEGER PRIMARY KEY REFERENCES complaint(id),"
            " body TEXT NOT NULL,"
            " document tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED)"
        )
        conn.exec_driver_sql(
            f"CREATE INDEX ix_{SEARCH_TABLE}_document ON {SEARCH_TABLE} USING gin (document)"
        )


def drop_search_index(conn: Connection) -> None:
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")


_IMMUTABLE_MESSAGE = "audit events cannot be changed or deleted"


def protect_audit_trail(conn: Connection) -> None:
    """Refuse UPDATE and DELETE on events at the database level, whoever connects."""
    if conn.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER event_no_{verb.lower()} BEFORE {verb} ON event "
                f"BEGIN SELECT RAISE(ABORT, '{_IMMUTABLE_MESSAGE}'); END"
            )
        return
    conn.exec_driver_sql(
        "CREATE FUNCTION ceo_desk_refuse_event_change() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{_IMMUTABLE_MESSAGE}'; END $$ LANGUAGE plpgsql"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER event_immutable BEFORE UPDATE OR DELETE ON event "
        "FOR EACH ROW EXECUTE FUNCTION ceo_desk_refuse_event_change()"
    )


def unprotect_audit_trail(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS event_no_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS event_no_delete")
        return
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS event_immutable ON event")
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS ceo_desk_refuse_event_change()")


def hand_to_owner_role(conn: Connection) -> None:
    """PostgreSQL: every table to a role nobody logs in as, each group only what it needs
    (see `store.office`, the home of the office's SQL and role names)."""
    from ceo_desk.store import office

    office.secure(conn)
