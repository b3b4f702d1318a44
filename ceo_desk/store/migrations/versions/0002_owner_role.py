"""PostgreSQL: the tables belong to an owner role the people using the app are not

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:30:00
"""

from alembic import op

from ceo_desk.store.migrations import ddl

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    ddl.hand_to_owner_role(op.get_bind())


def downgrade() -> None:
    """Ownership stays where it is: handing the tables back to one user would weaken them."""
