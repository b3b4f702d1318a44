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


OWNER_ROLE = "ceo_desk_owner"
USER_ROLE = "ceo_desk_user"


def hand_to_owner_role(conn: Connection) -> None:
    """PostgreSQL: give every table to a role nobody logs in as; people get `ceo_desk_user`.

    Only an owner can drop or disable a trigger or TRUNCATE a table, so the audit trail's
    protection then holds against the people using the app: they may add events, never change
    or remove them. Needs a role allowed to create roles (an administrator opening the log
    first); otherwise the tables stay with the user who created them, as before.
    """
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(
        f"""
        DO $$
        DECLARE item record;
        BEGIN
          IF NOT EXISTS (
            SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)
          ) THEN
            RAISE NOTICE 'CEO Desk: not allowed to create roles; tables keep their owner';
            RETURN;
          END IF;
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
            CREATE ROLE {OWNER_ROLE} NOLOGIN;
          END IF;
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{USER_ROLE}') THEN
            CREATE ROLE {USER_ROLE} NOLOGIN;
          END IF;
          FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
            EXECUTE format('ALTER TABLE %%I OWNER TO {OWNER_ROLE}', item.tablename);
          END LOOP;
          FOR item IN SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() LOOP
            EXECUTE format('ALTER SEQUENCE %%I OWNER TO {OWNER_ROLE}', item.sequencename);
          END LOOP;
          ALTER FUNCTION ceo_desk_refuse_event_change() OWNER TO {OWNER_ROLE};
          EXECUTE format('GRANT USAGE ON SCHEMA %%I TO {USER_ROLE}', current_schema());
          EXECUTE format(
            'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %%I TO {USER_ROLE}',
            current_schema()
          );
          -- `check` builds the expected schema in a scratch schema it rolls back.
          EXECUTE format('GRANT CREATE ON DATABASE %%I TO {USER_ROLE}', current_database());
          REVOKE UPDATE, DELETE ON event FROM {USER_ROLE};
          REVOKE DELETE ON event_change FROM {USER_ROLE};
          EXECUTE format(
            'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %%I TO {USER_ROLE}', current_schema()
          );
          EXECUTE format(
            'ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE} IN SCHEMA %%I '
            'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {USER_ROLE}',
            current_schema()
          );
          EXECUTE format(
            'ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE} IN SCHEMA %%I '
            'GRANT USAGE, SELECT ON SEQUENCES TO {USER_ROLE}',
            current_schema()
          );
        END $$;
        """
    )
