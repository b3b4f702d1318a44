"""PostgreSQL office: the database refuses a resolution outside the CEO role, any emptying of
the audit trail, and a "who" on an event other than the login that wrote it

The group roles, per-column grants and row-level security are (re)applied after every
migration by `store.office.secure`; existing rows are untouched. Nothing changes on SQLite.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

from ceo_desk.store import office

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    office.install_triggers(op.get_bind())


def downgrade() -> None:
    office.remove_triggers(op.get_bind())
