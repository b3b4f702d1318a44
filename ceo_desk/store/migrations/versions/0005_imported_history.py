"""what an imported complaint's file said: its channel as written, whether it gave a closing date

An import keeps a channel it cannot name exactly (Fax, Kiosk) as the file wrote it, beside the
nearest channel; and a complaint that arrived closed counts in the regulator's time buckets only
when the file gave the date it was closed.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns with no default: SQLite adds them in place (no table rebuild).
    op.add_column("complaint", sa.Column("channel_as_given", sa.String(length=80), nullable=True))
    op.add_column("complaint", sa.Column("closed_at_from_file", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.drop_column("closed_at_from_file")
        batch_op.drop_column("channel_as_given")
