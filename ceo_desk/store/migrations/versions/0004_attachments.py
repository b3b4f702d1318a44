"""attachments: files kept with a complaint (or its report), their bytes stored once by SHA-256

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import ceo_desk.store.models
from ceo_desk.store.migrations import ddl

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("size >= 0", name=op.f("ck_attachment_blob_size")),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_blob")),
    )
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=127), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("added_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_attachment_complaint_id_complaint")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_attachment_report_id_report")
        ),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["attachment_blob.sha256"],
            name=op.f("fk_attachment_sha256_attachment_blob"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.UniqueConstraint("complaint_id", "name", name=op.f("uq_attachment_complaint_id")),
    )
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_complaint_id"), ["complaint_id"])
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"])
    # PostgreSQL: the new tables join the others under the owner role, with the same grants.
    ddl.hand_to_owner_role(op.get_bind())


def downgrade() -> None:
    op.drop_table("attachment")
    op.drop_table("attachment_blob")
