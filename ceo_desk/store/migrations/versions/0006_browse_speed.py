"""latest report per complaint, and an index for every list sort and filter

The Today list reads each complaint's latest report through `complaint.latest_report_id` instead
of grouping every report; existing rows get it from their reports here. Every column All
complaints sorts or filters by gets an index that hands rows over in the list's order (newest
received first within equal keys), so no query sorts the whole log.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SEVERITY_RANK = (
    "(CASE severity WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2"
    " WHEN 'critical' THEN 3 ELSE 0 END)"
)

# (old single-column index, new index name, its columns): a filter index leads with the
# filtered column and keeps the default order (received) after it.
_REPLACED = (
    ("ix_complaint_category_id", "ix_complaint_category_received", "category_id"),
    ("ix_complaint_caused_by_unit_id", "ix_complaint_unit_received", "caused_by_unit_id"),
    ("ix_complaint_current_delegate_id", "ix_complaint_delegate_received", "current_delegate_id"),
    ("ix_complaint_customer_id", "ix_complaint_customer_received", "customer_id"),
)
_DUE = (
    ("ix_complaint_status_report_due", "report_due_on"),
    ("ix_complaint_status_callback_due", "callback_due_on"),
)
_EXPRESSIONS = (
    ("ix_complaint_severity_rank", "complaint", f"{SEVERITY_RANK}, received_at"),
    ("ix_complaint_summary_key", "complaint", "lower(summary), received_at"),
    ("ix_customer_name_key", "customer", "lower(name)"),
    ("ix_category_name_key", "category", "lower(name)"),
    ("ix_staff_name_key", "staff", "lower(name)"),
)


def upgrade() -> None:
    # No foreign key: report already points at complaint, and a cycle between the two tables
    # would make every bulk insert (demo, import, restore) order-dependent.
    op.add_column("complaint", sa.Column("latest_report_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE complaint SET latest_report_id = "
        "(SELECT max(report.id) FROM report WHERE report.complaint_id = complaint.id)"
    )
    for old, new, column in _REPLACED:
        op.drop_index(old, table_name="complaint")
        op.create_index(new, "complaint", [column, "received_at"])
    for name, column in _DUE:
        op.drop_index(name, table_name="complaint")
        op.create_index(name, "complaint", ["status", column, "received_at"])
    op.create_index("ix_complaint_status_received", "complaint", ["status", "received_at"])
    op.create_index("ix_complaint_severity_received", "complaint", ["severity", "received_at"])
    for name, table, expression in _EXPRESSIONS:
        op.execute(f"CREATE INDEX {name} ON {table} ({expression})")


def downgrade() -> None:
    for name, _table, _expression in _EXPRESSIONS:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_complaint_severity_received", table_name="complaint")
    op.drop_index("ix_complaint_status_received", table_name="complaint")
    for name, column in _DUE:
        op.drop_index(name, table_name="complaint")
        op.create_index(name, "complaint", ["status", column])
    for old, new, column in _REPLACED:
        op.drop_index(new, table_name="complaint")
        op.create_index(old, "complaint", [column])
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.drop_column("latest_report_id")
