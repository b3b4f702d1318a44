"""withdrawn outcomes and callbacks at a time of day

A callback outcome recorded by mistake can be withdrawn for a few minutes: its callback row (and
the hand-off a not-satisfied call made) is kept and marked withdrawn, never deleted. A callback
can be due at a time of day ("later today"), not only on a day.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns without a default: added in place on SQLite and PostgreSQL alike.
    op.add_column("callback", sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
    op.add_column("delegation", sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
    op.add_column("complaint", sa.Column("callback_due_time", sa.Time(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.drop_column("callback_due_time")
    with op.batch_alter_table("delegation") as batch_op:
        batch_op.drop_column("withdrawn_at")
    with op.batch_alter_table("callback") as batch_op:
        batch_op.drop_column("withdrawn_at")
