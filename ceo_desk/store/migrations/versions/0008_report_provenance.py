"""report provenance and more-time requests

Each report records who filed it and how (in person, from the returned form, typed by an
assistant), and a delegate may ask for a later report due date. Reports filed before this were
all typed in by the office, so they read as "typed"; who typed them stays in the history.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

import ceo_desk.store.models

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN (nullable, or with a constant default): SQLite does it in place, no rebuild.
    op.add_column("report", sa.Column("filed_by", sa.String(length=120), nullable=True))
    op.add_column(
        "report",
        sa.Column("filed_how", sa.String(length=16), nullable=False, server_default="typed"),
    )
    op.add_column("report", sa.Column("form_source", sa.Text(), nullable=True))
    op.create_table(
        "more_time_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("requested_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("due_on_before", sa.Date(), nullable=False),
        sa.Column("proposed_due_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", ceo_desk.store.models.UtcDateTime(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_more_time_request_complaint_id_complaint"),
        ),
        sa.ForeignKeyConstraint(
            ["delegation_id"],
            ["delegation.id"],
            name=op.f("fk_more_time_request_delegation_id_delegation"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_more_time_request_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_more_time_request")),
    )
    with op.batch_alter_table("more_time_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_more_time_request_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_more_time_request_staff_id"), ["staff_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("more_time_request")
    with op.batch_alter_table("report") as batch_op:
        batch_op.drop_column("form_source")
        batch_op.drop_column("filed_how")
        batch_op.drop_column("filed_by")
