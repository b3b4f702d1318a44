"""An office database as the previous version of CEO Desk left it (its last schema, 0008): every
table owned by ceo_desk_owner and granted whole to ceo_desk_user, whose members are the office's
people."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from ceo_desk.store import schema_shape
from ceo_desk.store.migrations import ddl

# The previous version's last schema revision.
PREVIOUS_HEAD = "0008"
# What the previous version's migration 0002 ran, word for word.
PREVIOUS_OWNER_SQL = """
DO $$
DECLARE item record;
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)
  ) THEN
    RAISE NOTICE 'CEO Desk: not allowed to create roles; tables keep their owner';
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ceo_desk_owner') THEN
    CREATE ROLE ceo_desk_owner NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ceo_desk_user') THEN
    CREATE ROLE ceo_desk_user NOLOGIN;
  END IF;
  FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('ALTER TABLE %I OWNER TO ceo_desk_owner', item.tablename);
  END LOOP;
  FOR item IN SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() LOOP
    EXECUTE format('ALTER SEQUENCE %I OWNER TO ceo_desk_owner', item.sequencename);
  END LOOP;
  ALTER FUNCTION ceo_desk_refuse_event_change() OWNER TO ceo_desk_owner;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO ceo_desk_user', current_schema());
  EXECUTE format(
    'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO ceo_desk_user',
    current_schema()
  );
  -- `check` builds the expected schema in a scratch schema it rolls back.
  EXECUTE format('GRANT CREATE ON DATABASE %I TO ceo_desk_user', current_database());
  REVOKE UPDATE, DELETE ON event FROM ceo_desk_user;
  REVOKE DELETE ON event_change FROM ceo_desk_user;
  EXECUTE format(
    'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO ceo_desk_user', current_schema()
  );
  EXECUTE format(
    'ALTER DEFAULT PRIVILEGES FOR ROLE ceo_desk_owner IN SCHEMA %I '
    'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ceo_desk_user',
    current_schema()
  );
  EXECUTE format(
    'ALTER DEFAULT PRIVILEGES FOR ROLE ceo_desk_owner IN SCHEMA %I '
    'GRANT USAGE, SELECT ON SEQUENCES TO ceo_desk_user',
    current_schema()
  );
END $$;
"""

ROWS_SQL = """
INSERT INTO customer (name, version) VALUES ('Ann Smith', 1);
INSERT INTO complaint (reference, version, status, received_at, channel, summary, details,
  customer_wants, severity, ceo_spoke, ceo_promised, prior_contacts, customer_id,
  unanswered_attempts, reopen_count, created_at, updated_at)
  SELECT 'C-2026-0001', 1, 'awaiting_callback', now(), 'phone', 'Charged twice', '', '',
  'normal', false, '', 0, id, 0, 0, now(), now() FROM customer;
INSERT INTO event (at, os_user, role, complaint_id, entity, entity_id, action, description,
  change_digest, prev_hash, hash)
  SELECT now(), 'lee', 'assistant', id, 'complaint', id, 'logged', 'Logged', '', '', 'h1'
  FROM complaint;
"""


def _previous_hand_to_owner_role(conn: Connection) -> None:
    conn.exec_driver_sql(PREVIOUS_OWNER_SQL.replace("%", "%%"))


def build(url: str) -> None:
    """The previous version's office at `url` (an empty database), holding one complaint: its
    migrations, with the previous version's hand-over to the owner role wherever they call it."""
    engine = create_engine(url)
    current = ddl.hand_to_owner_role
    ddl.hand_to_owner_role = _previous_hand_to_owner_role
    try:
        with engine.begin() as conn:
            schema_shape.upgrade(conn, PREVIOUS_HEAD)
    finally:
        ddl.hand_to_owner_role = current
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(ROWS_SQL)
    finally:
        engine.dispose()
