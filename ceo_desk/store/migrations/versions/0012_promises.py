"""promises, did-it-stick follow-ups, the vulnerable customer and reputational flags

The CEO's promises become a ledger (what, by when, kept or broken) beside the free-text note the
complaint already had, which stays as it was. A resolved complaint can get a follow-up call some
weeks later. Customers carry a "vulnerable" flag, complaints four reputational flags.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FLAGS = ("flag_mp", "flag_journalist", "flag_regulator", "flag_social_media")


def upgrade() -> None:
    # A NOT NULL column with a constant default is added in place on SQLite and PostgreSQL;
    # every existing row reads it as false.
    op.add_column(
        "customer",
        sa.Column("vulnerable", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    for name in FLAGS:
        op.add_column(
            "complaint",
            sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()),
        )
    op.create_table(
        "promise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("made_by", sa.String(length=120), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=True),
        sa.Column("settled_at", sa.DateTime(), nullable=True),
        sa.Column("settled_by", sa.String(length=120), nullable=True),
        sa.CheckConstraint(
            "outcome is null or outcome in ('kept', 'broken')", name=op.f("ck_promise_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_promise_complaint_id_complaint")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promise")),
    )
    op.create_index(op.f("ix_promise_complaint_id"), "promise", ["complaint_id"])
    op.create_index(op.f("ix_promise_due_on"), "promise", ["due_on"])
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("settled_at", sa.DateTime(), nullable=True),
        sa.Column("settled_by", sa.String(length=120), nullable=True),
        sa.CheckConstraint(
            "outcome is null or outcome in ('stuck', 'came_back')",
            name=op.f("ck_follow_up_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_follow_up_complaint_id_complaint")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    op.create_index(op.f("ix_follow_up_complaint_id"), "follow_up", ["complaint_id"])
    op.create_index(op.f("ix_follow_up_due_on"), "follow_up", ["due_on"])


def downgrade() -> None:
    op.drop_table("follow_up")
    op.drop_table("promise")
    with op.batch_alter_table("complaint") as batch_op:
        for name in FLAGS:
            batch_op.drop_column(name)
    with op.batch_alter_table("customer") as batch_op:
        batch_op.drop_column("vulnerable")
