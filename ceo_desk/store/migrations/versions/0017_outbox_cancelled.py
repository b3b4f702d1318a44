"""an outbox message can be cancelled

A message whose action was withdrawn before it was sent (the hand-off of a "not satisfied"
callback taken back) is kept, marked cancelled, and never sent. Only the state's check
constraint changes: PostgreSQL alters it in place; SQLite, which cannot alter a constraint,
gets the table copied with every row.

Revision ID: 0017
Revises: 0016
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_STATES_BEFORE = "'queued', 'sent', 'failed', 'draft', 'handed_to_mail_program'"
_STATES_AFTER = _STATES_BEFORE + ", 'cancelled'"
_COLUMNS = (
    "id, complaint_id, kind, recipients, cc, subject, body, dedupe_key, queued_at, queued_by, "
    "state, attempts, next_attempt_at, sent_at, server_reply, last_error"
)


def _sqlite_table(name: str, states: str) -> str:
    # Written out rather than copied by Alembic's batch mode, whose order of the constraints
    # varies from run to run: Check the log compares this text with a freshly migrated log's.
    return f"""CREATE TABLE {name} (
    id INTEGER NOT NULL,
    complaint_id INTEGER,
    kind VARCHAR(32) NOT NULL,
    recipients TEXT NOT NULL,
    cc TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    dedupe_key VARCHAR(200),
    queued_at DATETIME NOT NULL,
    queued_by VARCHAR(120) NOT NULL,
    state VARCHAR(32) NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at DATETIME,
    sent_at DATETIME,
    server_reply TEXT,
    last_error TEXT,
    CONSTRAINT pk_outbox_message PRIMARY KEY (id),
    CONSTRAINT fk_outbox_message_complaint_id_complaint FOREIGN KEY(complaint_id)
        REFERENCES complaint (id),
    CONSTRAINT uq_outbox_message_dedupe_key UNIQUE (dedupe_key),
    CONSTRAINT ck_outbox_message_attempts CHECK (attempts >= 0),
    CONSTRAINT ck_outbox_message_state CHECK (state in ({states}))
)"""


def _state_check(states: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_outbox_message_state"), "outbox_message", type_="check")
        op.create_check_constraint(
            op.f("ck_outbox_message_state"), "outbox_message", f"state in ({states})"
        )
        return
    op.execute(_sqlite_table("outbox_message_copy", states))
    op.execute(
        f"INSERT INTO outbox_message_copy ({_COLUMNS}) SELECT {_COLUMNS} FROM outbox_message"
    )
    op.execute("DROP TABLE outbox_message")
    op.execute("ALTER TABLE outbox_message_copy RENAME TO outbox_message")
    op.execute("CREATE INDEX ix_outbox_message_complaint_id ON outbox_message (complaint_id)")
    op.execute("CREATE INDEX ix_outbox_message_state ON outbox_message (state)")


def upgrade() -> None:
    _state_check(_STATES_AFTER)


def downgrade() -> None:
    # A cancelled message was never sent: it goes back as a refused one, kept with its words.
    op.execute("UPDATE outbox_message SET state = 'failed' WHERE state = 'cancelled'")
    _state_check(_STATES_BEFORE)
