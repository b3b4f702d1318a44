"""units have a head

A department or partner names the staff member a report overdue too long is escalated to.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_unit_head_staff_id_staff"


def upgrade() -> None:
    # A nullable column is added in place, rows untouched. SQLite cannot add a constraint to a
    # table, but it can add a column that carries one; rebuilding `unit` instead would have to
    # drop a table that staff and complaints refer to.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE unit ADD COLUMN head_staff_id INTEGER "
            f"CONSTRAINT {FOREIGN_KEY} REFERENCES staff (id)"
        )
        return
    op.add_column("unit", sa.Column("head_staff_id", sa.Integer(), nullable=True))
    op.create_foreign_key(FOREIGN_KEY, "unit", "staff", ["head_staff_id"], ["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(FOREIGN_KEY, "unit", type_="foreignkey")
    with op.batch_alter_table("unit") as batch_op:
        batch_op.drop_column("head_staff_id")
