"""indexes of the promises and follow-up calls still waiting

Today lists the promises not yet ticked and the "did it stick?" calls not yet made, by due
day. Every one settled stays in its table, so an index on the due day alone grows with every
complaint closed and Today walked all of it; these hold only the rows still waiting (partial
indexes, on SQLite and PostgreSQL alike) and replace the due-day indexes.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# (table, the due-day index replaced, the index of the rows still waiting)
_TABLES = (
    ("promise", "ix_promise_due_on", "ix_promise_waiting"),
    ("follow_up", "ix_follow_up_due_on", "ix_follow_up_waiting"),
)
_WAITING = sa.text("outcome IS NULL")


def upgrade() -> None:
    for table, due_day, waiting in _TABLES:
        op.drop_index(due_day, table_name=table)
        op.create_index(
            waiting, table, ["due_on"], sqlite_where=_WAITING, postgresql_where=_WAITING
        )


def downgrade() -> None:
    for table, due_day, waiting in _TABLES:
        op.drop_index(waiting, table_name=table)
        op.create_index(due_day, table, ["due_on"])
