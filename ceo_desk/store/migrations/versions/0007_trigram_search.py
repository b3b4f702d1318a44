"""search inside words: the text index rebuilt on three-letter sequences

SQLite: the FTS5 table is rebuilt with the trigram tokenizer from the rows it already holds.
PostgreSQL: a pg_trgm index on the search text, when the login may create the extension;
otherwise search still finds text inside words, by reading every search row, and the log says so.

Revision ID: 0007
Revises: 0006
"""

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_log = logging.getLogger("ceo_desk.store.migrations")
_TRIGRAM_INDEX = "ix_complaint_search_body_trigram"


def _rebuild_sqlite(tokenize: str) -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE complaint_search_new USING fts5(body, tokenize = '{tokenize}')"
    )
    op.execute(
        "INSERT INTO complaint_search_new (rowid, body) SELECT rowid, body FROM complaint_search"
    )
    op.execute("DROP TABLE complaint_search")
    op.execute("ALTER TABLE complaint_search_new RENAME TO complaint_search")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _rebuild_sqlite("trigram")
        return
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as exc:
        _log.warning(
            "pg_trgm could not be created (%s): search inside words on PostgreSQL reads every "
            "search row, which is slower on a large log",
            str(exc.orig).strip().splitlines()[0] if exc.orig else exc,
        )
        return
    schema = conn.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    ).scalar_one()
    # The operator class named with its schema: `check` runs this with another search_path.
    op.execute(
        f'CREATE INDEX {_TRIGRAM_INDEX} ON complaint_search USING gin (body "{schema}".gin_trgm_ops)'
    )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _rebuild_sqlite("unicode61 remove_diacritics 2', prefix = '1 2 3")
        return
    op.execute(f"DROP INDEX IF EXISTS {_TRIGRAM_INDEX}")
