"""paused clocks

A complaint's clock can stand still while the office waits for the customer or a third party;
each pause is kept, with who paused and resumed it and why. A new table: existing logs gain it
empty, in place.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

import ceo_desk.store.models

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clock_pause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("paused_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.Column("paused_by", sa.String(length=120), nullable=False),
        sa.Column("resumed_at", ceo_desk.store.models.UtcDateTime(), nullable=True),
        sa.Column("resumed_by", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_clock_pause_complaint_id_complaint")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_pause")),
    )
    with op.batch_alter_table("clock_pause", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clock_pause_complaint_id"), ["complaint_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("clock_pause", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clock_pause_complaint_id"))
    op.drop_table("clock_pause")
