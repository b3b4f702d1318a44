"""the time of day a callback attempt was scheduled for

An attempt scheduled "later today" is due at a time as well as on a day. The callback row keeps
both, so withdrawing an outcome recorded by mistake puts back the time as well as the day.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column without a default: added in place on SQLite and PostgreSQL alike; the
    # callbacks already recorded were scheduled for a day only, which is what null says.
    op.add_column("callback", sa.Column("scheduled_time", sa.Time(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("callback") as batch_op:
        batch_op.drop_column("scheduled_time")
