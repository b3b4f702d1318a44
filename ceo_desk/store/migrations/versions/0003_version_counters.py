"""version counters on customers, staff, units and categories

A save made from a copy read before someone else's save is refused as a conflict, as it
already is for complaints, instead of silently overwriting the other person's change.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("customer", "staff", "unit", "category")


def upgrade() -> None:
    for table in TABLES:
        # ADD COLUMN with a constant default: SQLite does it in place (no table rebuild).
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
