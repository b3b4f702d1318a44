"""The tables of the complaint log.

Complaint carries a few denormalised columns (status, current delegate, next due dates) so that the
lists people look at all day ("overdue", "due today", "awaiting callback") are single indexed
queries. Services keep them in step with the detail rows in the same transaction.
"""

# No `from __future__ import annotations` here: given real annotations, SQLAlchemy takes each
# column's type without parsing a string, a fifth of what importing this module costs every
# command and the app's start. A class defined further down is named in quotes.

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from ceo_desk.enums import (
    Channel,
    FiledHow,
    FollowUpOutcome,
    Loyalty,
    MessageKind,
    MoreTimeDecision,
    OutboxState,
    Outcome,
    PromiseOutcome,
    Role,
    Severity,
    Status,
    UnitKind,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The severity's rank as SQL, for sorting by severity through an index on this expression.
SEVERITY_RANK = (
    "(CASE severity "
    + " ".join(f"WHEN '{s.value}' THEN {s.rank}" for s in Severity)
    + " ELSE 0 END)"
)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, hands back aware UTC: one meaning on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[Any], datetime | None]:
        # One call per value, where the decorated DateTime makes three: lists and reports read
        # thousands of moments. The text SQLite hands back is parsed here, as DateTime would.
        return stored_moment


def stored_moment(value: Any) -> datetime | None:
    """A moment as the database hands it back (naive UTC, or SQLite's text of it, also from an
    aggregate such as max()) as an aware datetime in UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


E = TypeVar("E", bound=StrEnum)


class EnumText(TypeDecorator[E]):
    """A closed vocabulary stored as its plain text value in a VARCHAR (the schema and the
    stored values stay exactly as they were), handed back as the enum member.

    Accepts the member or its text when writing, so a query may compare with either; a text
    outside the vocabulary is refused before it reaches the database.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum(value).value

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], E | None]:
        # A dictionary look-up per value, in one call (the decorated type and the enum's own
        # call make three); a text outside the vocabulary still raises the enum's ValueError.
        enum = self.enum
        by_value: dict[Any, E] = {member.value: member for member in enum}

        def member(value: Any) -> E | None:
            if value is None:
                return None
            found = by_value.get(value)
            return found if found is not None else enum(value)

        return member


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Setting(Base):
    """Office-wide settings as JSON values, one row per key."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)


class ReferenceCounter(Base):
    """The last number handed out per year; references are never reused."""

    __tablename__ = "reference_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (Index("ix_category_name_key", func.lower(text("name"))),)


class Unit(Base):
    """A department or an external partner (reseller, contractor, agency)."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[UnitKind] = mapped_column(EnumText(UnitKind, 16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Who a report overdue too long is escalated to (see `core.reminders`); may be in any unit.
    head_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", use_alter=True))

    staff: Mapped[list["Staff"]] = relationship(back_populates="unit", foreign_keys="Staff.unit_id")
    head: Mapped["Staff | None"] = relationship(foreign_keys=[head_staff_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (CheckConstraint("kind in ('department', 'partner')", name="kind"),)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    unit: Mapped[Unit] = relationship(back_populates="staff", foreign_keys=[unit_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (Index("ix_staff_name_key", func.lower(text("name"))),)


class Customer(Base):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)  # E.164
    email: Mapped[str | None] = mapped_column(String(254), index=True)  # normalised
    organisation: Mapped[str | None] = mapped_column(String(200))
    account_ref: Mapped[str | None] = mapped_column(String(80))
    # A customer who needs extra care (illness, bereavement, age): their complaints rank higher.
    vulnerable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (Index("ix_customer_name_key", func.lower(text("name"))),)


class Complaint(Base):
    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[Status] = mapped_column(EnumText(Status, 24))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    channel: Mapped[Channel] = mapped_column(EnumText(Channel, 16))
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text, default="")
    customer_wants: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[Severity] = mapped_column(EnumText(Severity, 16))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    ceo_spoke: Mapped[bool] = mapped_column(Boolean, default=False)
    ceo_promised: Mapped[str] = mapped_column(Text, default="")
    prior_contacts: Mapped[int] = mapped_column(Integer, default=0)
    # Reputational flags: who else is watching (core/risk.py ranks by them).
    flag_mp: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    flag_journalist: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    flag_regulator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    flag_social_media: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    caused_by_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))

    current_delegate_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    report_due_on: Mapped[date | None] = mapped_column(Date)
    callback_due_on: Mapped[date | None] = mapped_column(Date)
    callback_due_time: Mapped[time | None] = mapped_column(Time)  # "later today": local time
    unanswered_attempts: Mapped[int] = mapped_column(Integer, default=0)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    # Set by an import: the channel as the file wrote it, and whether the file gave the closing
    # date of a complaint that arrived closed (None for complaints logged here).
    channel_as_given: Mapped[str | None] = mapped_column(String(80))
    closed_at_from_file: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The newest filed report, kept by the service that files one (no foreign key: report
    # already points here, and a cycle would order every bulk insert).
    latest_report_id: Mapped[int | None] = mapped_column(Integer)

    customer: Mapped[Customer] = relationship(foreign_keys=[customer_id])
    category: Mapped[Category | None] = relationship()
    caused_by_unit: Mapped[Unit | None] = relationship(foreign_keys=[caused_by_unit_id])
    current_delegate: Mapped[Staff | None] = relationship(foreign_keys=[current_delegate_id])
    delegations: Mapped[list["Delegation"]] = relationship(
        back_populates="complaint", order_by="Delegation.id"
    )
    reports: Mapped[list["Report"]] = relationship(back_populates="complaint", order_by="Report.id")
    callbacks: Mapped[list["Callback"]] = relationship(
        back_populates="complaint", order_by="Callback.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # Every filter and sort of the list walks one of these in the list's order (newest
        # received first within equal keys), so no query sorts the whole log.
        Index("ix_complaint_status_report_due", "status", "report_due_on", "received_at"),
        Index("ix_complaint_status_callback_due", "status", "callback_due_on", "received_at"),
        Index("ix_complaint_status_received", "status", "received_at"),
        Index("ix_complaint_severity_received", "severity", "received_at"),
        Index("ix_complaint_category_received", "category_id", "received_at"),
        Index("ix_complaint_unit_received", "caused_by_unit_id", "received_at"),
        Index("ix_complaint_delegate_received", "current_delegate_id", "received_at"),
        Index("ix_complaint_customer_received", "customer_id", "received_at"),
        Index("ix_complaint_severity_rank", text(SEVERITY_RANK), "received_at"),
        Index("ix_complaint_summary_key", func.lower(text("summary")), "received_at"),
        CheckConstraint(
            "status in ('new', 'delegated', 'awaiting_callback', 'resolved', 'unreachable',"
            " 'withdrawn')",
            name="status",
        ),
        CheckConstraint("severity in ('low', 'normal', 'high', 'critical')", name="severity"),
        CheckConstraint("prior_contacts >= 0", name="prior_contacts"),
    )


class Delegation(Base):
    """One hand-off of a complaint to a staff member; the whole chain is kept."""

    __tablename__ = "delegation"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    delegated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delegated_by: Mapped[str] = mapped_column(String(120))
    instructions: Mapped[str] = mapped_column(Text, default="")
    report_due_on: Mapped[date] = mapped_column(Date)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # with its outcome

    complaint: Mapped[Complaint] = relationship(back_populates="delegations")
    staff: Mapped[Staff] = relationship()


class Report(Base):
    """The delegate's written report of what was said and done."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id"))
    said: Mapped[str] = mapped_column(Text)
    done: Mapped[str] = mapped_column(Text)
    accommodation: Mapped[str] = mapped_column(Text, default="")
    cost_minor: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    root_cause: Mapped[str] = mapped_column(Text, default="")
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    filed_by_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    # Provenance: the identity that filed it (None for reports from before identities were
    # recorded), how it came in, and for a form whose form it was ("Dana Lee's form of ...").
    filed_by: Mapped[str | None] = mapped_column(String(120))
    filed_how: Mapped[FiledHow] = mapped_column(
        EnumText(FiledHow, 16), default=FiledHow.TYPED, server_default=FiledHow.TYPED.value
    )
    form_source: Mapped[str | None] = mapped_column(Text)
    on_time: Mapped[bool] = mapped_column(Boolean)
    flagged_terms: Mapped[str] = mapped_column(Text, default="")  # comma-separated
    sent_back_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_back_comment: Mapped[str | None] = mapped_column(Text)

    complaint: Mapped[Complaint] = relationship(back_populates="reports")
    filed_by_staff: Mapped[Staff] = relationship()

    __table_args__ = (CheckConstraint("cost_minor >= 0", name="cost"),)


class MoreTimeRequest(Base):
    """A delegate's request for a later report due date, and the assistant's answer to it."""

    __tablename__ = "more_time_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text)
    due_on_before: Mapped[date] = mapped_column(Date)
    proposed_due_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[MoreTimeDecision | None] = mapped_column(EnumText(MoreTimeDecision, 16))
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decline_reason: Mapped[str | None] = mapped_column(Text)

    complaint: Mapped[Complaint] = relationship()
    staff: Mapped[Staff] = relationship()


class Callback(Base):
    """One attempt by the CEO to confirm with the customer."""

    __tablename__ = "callback"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"))
    scheduled_for: Mapped[date] = mapped_column(Date)
    scheduled_time: Mapped[time | None] = mapped_column(Time)  # an attempt "later today"
    made_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    outcome: Mapped[Outcome] = mapped_column(EnumText(Outcome, 16))
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    customer_words: Mapped[str] = mapped_column(Text, default="")
    loyalty: Mapped[Loyalty | None] = mapped_column(EnumText(Loyalty, 16))
    notes: Mapped[str] = mapped_column(Text, default="")
    made_by: Mapped[str] = mapped_column(String(120))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # recorded by mistake

    complaint: Mapped[Complaint] = relationship(back_populates="callbacks")

    __table_args__ = (
        CheckConstraint(
            "outcome in ('satisfied', 'not_satisfied', 'no_answer', 'voicemail')", name="outcome"
        ),
        CheckConstraint(
            "satisfaction is null or (satisfaction between 1 and 5)", name="satisfaction"
        ),
        CheckConstraint(
            "loyalty is null or loyalty in ('staying', 'at_risk', 'leaving')", name="loyalty"
        ),
    )


class Event(Base):
    """One change, written in the same transaction as the change; never updated or deleted.

    `hash` chains each event to the one before. Before/after values live in EventChange so that
    erasing a customer can redact them while the chain, which covers their digest, stays verifiable.
    """

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    os_user: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    entity: Mapped[str] = mapped_column(String(24))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    change_digest: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ClockPause(Base):
    """A stretch of time the complaint's clock stood still, waiting for the customer or a third
    party: left out of its due dates, its final-response deadline and every business-day
    measure. Open while `resumed_at` is None; at most one is open per complaint."""

    __tablename__ = "clock_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    paused_at: Mapped[datetime] = mapped_column(UtcDateTime)
    paused_by: Mapped[str] = mapped_column(String(120))
    resumed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resumed_by: Mapped[str | None] = mapped_column(String(120))


class RoleGrant(Base):
    """A role held by an identity (an operating-system account, or a PostgreSQL login).

    A delegate's grant names the staff member whose work they see and file."""

    __tablename__ = "role_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    identity: Mapped[str] = mapped_column(Text)
    role: Mapped[Role] = mapped_column(EnumText(Role, 16))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    granted_by: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("identity", "role", name="uq_role_grant_identity_role"),
        CheckConstraint("role in ('owner', 'ceo', 'assistant', 'delegate')", name="role"),
        CheckConstraint("role <> 'delegate' or staff_id is not null", name="delegate_staff"),
    )


class ReportedCallback(Base):
    """The CEO's satisfied callback as the assistant recorded it on the CEO's word (the CEO rang
    from a mobile). It resolves nothing until the CEO countersigns it; the countersignature
    then records the callback itself. Set aside when the complaint moves on another way."""

    __tablename__ = "reported_callback"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"))
    made_at: Mapped[datetime] = mapped_column(UtcDateTime)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    customer_words: Mapped[str] = mapped_column(Text, default="")
    loyalty: Mapped[Loyalty | None] = mapped_column(EnumText(Loyalty, 16))
    notes: Mapped[str] = mapped_column(Text, default="")
    reported_by: Mapped[str] = mapped_column(String(120))
    countersigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    countersigned_by: Mapped[str | None] = mapped_column(String(120))
    callback_id: Mapped[int | None] = mapped_column(ForeignKey("callback.id"))
    set_aside_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        CheckConstraint(
            "satisfaction is null or (satisfaction between 1 and 5)", name="satisfaction"
        ),
    )


class Promise(Base):
    """One thing the CEO promised the customer, by a day; settled kept or broken at a callback.

    Its index of the promises not yet settled (migration 0018) is partial, which SQLAlchemy can
    only declare with each dialect's own options: declared here they would load the modules of
    both dialects whenever the models are imported, so only the migration makes it. The same
    holds for the follow-up calls' index."""

    __tablename__ = "promise"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    made_at: Mapped[datetime] = mapped_column(UtcDateTime)
    made_by: Mapped[str] = mapped_column(String(120))
    outcome: Mapped[PromiseOutcome | None] = mapped_column(EnumText(PromiseOutcome, 8))
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    settled_by: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (
        CheckConstraint("outcome is null or outcome in ('kept', 'broken')", name="outcome"),
    )


class FollowUp(Base):
    """ "Did it stick?": a call some weeks after a complaint was resolved, one per closing."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the resolution it checks
    due_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[FollowUpOutcome | None] = mapped_column(EnumText(FollowUpOutcome, 12))
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    settled_by: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (
        CheckConstraint("outcome is null or outcome in ('stuck', 'came_back')", name="outcome"),
    )


class EventChange(Base):
    """The before and after values of one event, as JSON."""

    __tablename__ = "event_change"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), primary_key=True)
    before_json: Mapped[str] = mapped_column(Text, default="{}")
    after_json: Mapped[str] = mapped_column(Text, default="{}")
    redacted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AttachmentBlob(Base):
    """The bytes of one attached file, kept once however many complaints attach it."""

    __tablename__ = "attachment_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column("bytes", LargeBinary)

    __table_args__ = (CheckConstraint("size >= 0", name="size"),)


class Attachment(Base):
    """A file that came with a complaint (an email, a letter, a photo), or with its report."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"))
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(127))
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blob.sha256"), index=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    added_by: Mapped[str] = mapped_column(String(120))

    blob: Mapped[AttachmentBlob] = relationship()

    __table_args__ = (UniqueConstraint("complaint_id", "name"),)


class OutboxMessage(Base):
    """An email to send, written in the same transaction as the action that causes it.

    The sender (`core/mail/sender.py`) claims a queued row before talking to the mail server
    (`attempts` moves on, `next_attempt_at` holds others off), so no row is sent twice; a
    `dedupe_key` is queued at most once (each reminder once). Recipients are comma-separated.
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    kind: Mapped[MessageKind] = mapped_column(EnumText(MessageKind, 32))
    recipients: Mapped[str] = mapped_column(Text)
    cc: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    queued_by: Mapped[str] = mapped_column(String(120))
    state: Mapped[OutboxState] = mapped_column(EnumText(OutboxState, 32), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    server_reply: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(
            "state in ('queued', 'sent', 'failed', 'draft', 'handed_to_mail_program', 'cancelled')",
            name="state",
        ),
        CheckConstraint("attempts >= 0", name="attempts"),
    )


__all__ = [
    "Attachment",
    "AttachmentBlob",
    "Base",
    "Callback",
    "Category",
    "ClockPause",
    "Complaint",
    "Customer",
    "Delegation",
    "Event",
    "EventChange",
    "FollowUp",
    "MoreTimeRequest",
    "OutboxMessage",
    "Promise",
    "ReferenceCounter",
    "Report",
    "ReportedCallback",
    "RoleGrant",
    "Setting",
    "Staff",
    "UniqueConstraint",
    "Unit",
]
