"""people and permissions: roles granted to identities, satisfied callbacks awaiting the CEO

Existing rows are untouched: the events keep the role labels they were written with. The
first grants (owner, CEO and assistant, to the account owning the file on SQLite or the login
on PostgreSQL) are made when the log is next opened, by `core.services.people`.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

import ceo_desk.store.models
from ceo_desk.store.migrations import ddl

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "role_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("granted_by", sa.Text(), nullable=False),
        sa.Column("granted_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "role in ('owner', 'ceo', 'assistant', 'delegate')", name=op.f("ck_role_grant_role")
        ),
        sa.CheckConstraint(
            "role <> 'delegate' or staff_id is not null",
            name=op.f("ck_role_grant_delegate_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_role_grant_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grant")),
        sa.UniqueConstraint("identity", "role", name=op.f("uq_role_grant_identity_role")),
    )
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_grant_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "reported_callback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("made_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("customer_words", sa.Text(), nullable=False),
        sa.Column("loyalty", sa.String(length=16), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.String(length=120), nullable=False),
        sa.Column("countersigned_at", ceo_desk.store.models.UtcDateTime(), nullable=True),
        sa.Column("countersigned_by", sa.String(length=120), nullable=True),
        sa.Column("callback_id", sa.Integer(), nullable=True),
        sa.Column("set_aside_at", ceo_desk.store.models.UtcDateTime(), nullable=True),
        sa.CheckConstraint(
            "satisfaction is null or (satisfaction between 1 and 5)",
            name=op.f("ck_reported_callback_satisfaction"),
        ),
        sa.ForeignKeyConstraint(
            ["callback_id"], ["callback.id"], name=op.f("fk_reported_callback_callback_id_callback")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_reported_callback_complaint_id_complaint"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_reported_callback_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_callback")),
    )
    with op.batch_alter_table("reported_callback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reported_callback_complaint_id"), ["complaint_id"], unique=False
        )
    # PostgreSQL: the new tables go to the owner role like the others (nothing on SQLite).
    ddl.hand_to_owner_role(op.get_bind())


def downgrade() -> None:
    op.drop_table("reported_callback")
    op.drop_table("role_grant")
