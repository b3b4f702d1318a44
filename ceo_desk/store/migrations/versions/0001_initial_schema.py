"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 20:23:10.557215
"""

import sqlalchemy as sa
from alembic import op

import ceo_desk.store.models
from ceo_desk.store.migrations import ddl

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category")),
        sa.UniqueConstraint("name", name=op.f("uq_category_name")),
    )
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("account_ref", sa.String(length=80), nullable=True),
        sa.Column("erased_at", ceo_desk.store.models.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_customer_phone"), ["phone"], unique=False)

    op.create_table(
        "reference_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_reference_counter")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind in ('department', 'partner')", name=op.f("ck_unit_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("name", name=op.f("uq_unit_name")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_staff_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("received_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("customer_wants", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("ceo_spoke", sa.Boolean(), nullable=False),
        sa.Column("ceo_promised", sa.Text(), nullable=False),
        sa.Column("prior_contacts", sa.Integer(), nullable=False),
        sa.Column("caused_by_unit_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("current_delegate_id", sa.Integer(), nullable=True),
        sa.Column("report_due_on", sa.Date(), nullable=True),
        sa.Column("callback_due_on", sa.Date(), nullable=True),
        sa.Column("unanswered_attempts", sa.Integer(), nullable=False),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("closed_at", ceo_desk.store.models.UtcDateTime(), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("created_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.Column("updated_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "severity in ('low', 'normal', 'high', 'critical')", name=op.f("ck_complaint_severity")
        ),
        sa.CheckConstraint(
            "status in ('new', 'delegated', 'awaiting_callback', 'resolved', 'unreachable', 'withdrawn')",
            name=op.f("ck_complaint_status"),
        ),
        sa.CheckConstraint("prior_contacts >= 0", name=op.f("ck_complaint_prior_contacts")),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_complaint_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["caused_by_unit_id"], ["unit.id"], name=op.f("fk_complaint_caused_by_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["current_delegate_id"],
            ["staff.id"],
            name=op.f("fk_complaint_current_delegate_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_complaint_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_duplicate_of_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
        sa.UniqueConstraint("reference", name=op.f("uq_complaint_reference")),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_category_id"), ["category_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaint_caused_by_unit_id"), ["caused_by_unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaint_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaint_current_delegate_id"), ["current_delegate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaint_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_received_at"), ["received_at"], unique=False)
        batch_op.create_index(
            "ix_complaint_status_callback_due", ["status", "callback_due_on"], unique=False
        )
        batch_op.create_index(
            "ix_complaint_status_report_due", ["status", "report_due_on"], unique=False
        )

    op.create_table(
        "delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("delegated_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.Column("delegated_by", sa.String(length=120), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("report_due_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_delegation_complaint_id_complaint")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_delegation_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegation")),
    )
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delegation_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_delegation_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.Column("os_user", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(length=24), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("change_digest", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_event_complaint_id_complaint")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.UniqueConstraint("hash", name=op.f("uq_event_hash")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_complaint_id"), ["complaint_id"], unique=False)

    op.create_table(
        "event_change",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("before_json", sa.Text(), nullable=False),
        sa.Column("after_json", sa.Text(), nullable=False),
        sa.Column("redacted_at", ceo_desk.store.models.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_event_change_event_id_event")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_change")),
    )
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("said", sa.Text(), nullable=False),
        sa.Column("done", sa.Text(), nullable=False),
        sa.Column("accommodation", sa.Text(), nullable=False),
        sa.Column("cost_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("root_cause", sa.Text(), nullable=False),
        sa.Column("filed_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.Column("filed_by_staff_id", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("flagged_terms", sa.Text(), nullable=False),
        sa.Column("sent_back_at", ceo_desk.store.models.UtcDateTime(), nullable=True),
        sa.Column("sent_back_comment", sa.Text(), nullable=True),
        sa.CheckConstraint("cost_minor >= 0", name=op.f("ck_report_cost")),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_report_complaint_id_complaint")
        ),
        sa.ForeignKeyConstraint(
            ["delegation_id"], ["delegation.id"], name=op.f("fk_report_delegation_id_delegation")
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_staff_id"], ["staff.id"], name=op.f("fk_report_filed_by_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_complaint_id"), ["complaint_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_filed_at"), ["filed_at"], unique=False)

    op.create_table(
        "callback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", sa.Date(), nullable=False),
        sa.Column("made_at", ceo_desk.store.models.UtcDateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("customer_words", sa.Text(), nullable=False),
        sa.Column("loyalty", sa.String(length=16), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("made_by", sa.String(length=120), nullable=False),
        sa.CheckConstraint(
            "loyalty is null or loyalty in ('staying', 'at_risk', 'leaving')",
            name=op.f("ck_callback_loyalty"),
        ),
        sa.CheckConstraint(
            "outcome in ('satisfied', 'not_satisfied', 'no_answer', 'voicemail')",
            name=op.f("ck_callback_outcome"),
        ),
        sa.CheckConstraint(
            "satisfaction is null or (satisfaction between 1 and 5)",
            name=op.f("ck_callback_satisfaction"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_callback_complaint_id_complaint")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_callback_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback")),
    )
    with op.batch_alter_table("callback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_callback_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_callback_made_at"), ["made_at"], unique=False)

    ddl.create_search_index(op.get_bind())
    ddl.protect_audit_trail(op.get_bind())


def downgrade() -> None:
    ddl.drop_search_index(op.get_bind())
    ddl.unprotect_audit_trail(op.get_bind())
    with op.batch_alter_table("callback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_callback_made_at"))
        batch_op.drop_index(batch_op.f("ix_callback_complaint_id"))

    op.drop_table("callback")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_filed_at"))
        batch_op.drop_index(batch_op.f("ix_report_complaint_id"))

    op.drop_table("report")
    op.drop_table("event_change")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_complaint_id"))

    op.drop_table("event")
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegation_staff_id"))
        batch_op.drop_index(batch_op.f("ix_delegation_complaint_id"))

    op.drop_table("delegation")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_status_report_due")
        batch_op.drop_index("ix_complaint_status_callback_due")
        batch_op.drop_index(batch_op.f("ix_complaint_received_at"))
        batch_op.drop_index(batch_op.f("ix_complaint_customer_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_current_delegate_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_closed_at"))
        batch_op.drop_index(batch_op.f("ix_complaint_caused_by_unit_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_category_id"))

    op.drop_table("complaint")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_unit_id"))

    op.drop_table("staff")
    op.drop_table("unit")
    op.drop_table("setting")
    op.drop_table("reference_counter")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_phone"))
        batch_op.drop_index(batch_op.f("ix_customer_email"))

    op.drop_table("customer")
    op.drop_table("category")
