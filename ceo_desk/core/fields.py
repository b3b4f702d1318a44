"""The complaint's fields, declared once.

Each field says what it is called on screen, what it holds and its limits, whether a person may
edit it on an open complaint, and its names in export/import files, in `--json` output and on the
`ceo-desk log` command line. The Log-a-call form, the complaint window, the command line, the
import, the export and the edit service are built from this list, so a field means the same thing
and carries the same label wherever it appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from ceo_desk.core import validation
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.enums import Channel, ReputationFlag, Severity, parse_choice
from ceo_desk.errors import NotFoundError, ValidationError
from ceo_desk.store.models import Category, Customer, Unit


class Kind(StrEnum):
    """What a field holds, which decides how it is typed and checked."""

    LINE = "line"  # one line of text
    TEXT = "text"  # free text, several lines
    CHOICE = "choice"  # one of an enum's values
    FLAG = "flag"  # yes or no
    COUNT = "count"  # a whole number within bounds
    MOMENT = "moment"  # a date and time
    DAY = "day"  # a calendar day
    CATEGORY = "category"  # one of the office's categories
    UNIT = "unit"  # a department or partner from the directory
    STAFF = "staff"  # a staff member from the directory
    REFERENCE = "reference"
    STATUS = "status"
    PROMISES = "promises"  # the CEO's promises, one a line (core/promise_text.py)
    DERIVED = "derived"  # figures drawn from the history: exported, never typed or imported


@dataclass(frozen=True)
class Field:
    """One field of a complaint (or of its customer, as given with the call).

    Attributes:
        key: the name in code, in import mappings and in error messages (`ValidationError.field`).
        label: what every screen calls it.
        help: one sentence saying what belongs in it (CLI help, import wizard, tooltips).
        csv: its column in exported and imported files; None when files do not carry it.
        json: its key in `ceo-desk show --json`; None when not shown there.
        flag: its `ceo-desk log` option; None when the command does not take it.
        attribute: the complaint column an edit changes; None when it cannot be edited.
        importable: the import reads it back from its column.
    """

    key: str
    label: str
    help: str
    kind: Kind
    csv: str | None = None
    json: str | None = None
    flag: str | None = None
    attribute: str | None = None
    importable: bool = False
    required: bool = False
    max_length: int = 0  # 0: by kind (a short line or free text)
    minimum: int = 0
    maximum: int = 0
    choices: type[StrEnum] | None = None
    default: str | None = None
    placeholder: str = ""
    # A line of text keeps its spacing as typed (the summary) instead of having runs of spaces
    # folded (names and references).
    keeps_spacing: bool = False

    @property
    def editable(self) -> bool:
        return self.attribute is not None

    @property
    def length_limit(self) -> int:
        if self.max_length:
            return self.max_length
        return validation.MAX_SHORT_TEXT if self.kind is Kind.LINE else validation.MAX_LONG_TEXT

    def clean(self, value: Any) -> Any:
        """The value as typed, checked and normalised, or a ValidationError naming this field.

        Fields that name a row (category, unit, staff) are resolved by the services, which hold
        the unit of work; here they only come back trimmed."""
        if self.kind is Kind.LINE and not self.keeps_spacing:
            return validation.short_text(
                value,
                self.key,
                required=self.required,
                max_length=self.length_limit,
                label=self.label,
            )
        if self.kind in (Kind.LINE, Kind.TEXT):
            return validation.text(
                value,
                self.key,
                required=self.required,
                max_length=self.length_limit,
                label=self.label,
            )
        if self.kind is Kind.COUNT:
            return validation.whole_number(
                value, self.key, minimum=self.minimum, maximum=self.maximum, label=self.label
            )
        if self.kind is Kind.FLAG:
            return validation.yes_no(value, self.key, label=self.label)
        if self.kind is Kind.CHOICE:
            assert self.choices is not None
            if isinstance(value, self.choices):
                return value
            if value is None and self.default is not None:
                return self.choices(self.default)
            typed = validation.text(value, self.key, label=self.label)
            return parse_choice(self.choices, typed, field=self.key)
        raise AssertionError(f"{self.key} is checked by the service that resolves it")


def _width(column: Any) -> int:
    length = column.type.length
    assert isinstance(length, int)
    return length


FIELDS: tuple[Field, ...] = (
    Field(
        "reference",
        "Reference",
        "the complaint's reference (kept as it is on import)",
        Kind.REFERENCE,
        csv="reference",
        json="reference",
        importable=True,
    ),
    Field(
        "status",
        "Status",
        "new, delegated, resolved, unreachable or withdrawn (default: new)",
        Kind.STATUS,
        csv="status",
        json="status",
        importable=True,
    ),
    Field(
        "received_at",
        "Received",
        "when the complaint reached the CEO (default on logging: now)",
        Kind.MOMENT,
        csv="received_at",
        json="received_at",
        flag="--received",
        attribute="received_at",
        importable=True,
    ),
    Field(
        "channel",
        "Channel",
        "how it arrived: phone, letter, email, in person, social media, web form, referral, other",
        Kind.CHOICE,
        csv="channel",
        json="channel",
        flag="--channel",
        attribute="channel",
        importable=True,
        choices=Channel,
        default=Channel.PHONE.value,
    ),
    Field(
        "severity",
        "Severity",
        "low, normal, high or critical (default: normal)",
        Kind.CHOICE,
        csv="severity",
        json="severity",
        flag="--severity",
        attribute="severity",
        importable=True,
        choices=Severity,
        default=Severity.NORMAL.value,
    ),
    Field(
        "category",
        "Category",
        "what the complaint is about: one of the office's categories",
        Kind.CATEGORY,
        csv="category",
        json="category",
        flag="--category",
        attribute="category_id",
        importable=True,
    ),
    Field(
        "customer_name",
        "Customer name",
        "the customer's name",
        Kind.LINE,
        csv="customer_name",
        json="customer_name",
        flag="--customer",
        importable=True,
        required=True,
        max_length=_width(Customer.__table__.c.name),
        placeholder="First and last name",
    ),
    Field(
        "phone",
        "Phone",
        "the customer's phone number (a phone or an email is needed for the callback)",
        Kind.LINE,
        csv="customer_phone",
        json="customer_phone",
        flag="--phone",
        importable=True,
        placeholder="Phone (or email below)",
    ),
    Field(
        "email",
        "Email",
        "the customer's email address",
        Kind.LINE,
        csv="customer_email",
        json="customer_email",
        flag="--email",
        importable=True,
        placeholder="name@example.com",
    ),
    Field(
        "organisation",
        "Organisation",
        "the customer's organisation",
        Kind.LINE,
        csv="organisation",
        json="customer_organisation",
        flag="--organisation",
        importable=True,
        max_length=_width(Customer.__table__.c.organisation),
    ),
    Field(
        "account_ref",
        "Account ref",
        "the customer's account reference",
        Kind.LINE,
        csv="account_ref",
        json="customer_account_ref",
        flag="--account",
        importable=True,
        max_length=_width(Customer.__table__.c.account_ref),
    ),
    Field(
        "summary",
        "Summary",
        "one line: what went wrong",
        Kind.LINE,
        csv="summary",
        json="summary",
        flag="--summary",
        attribute="summary",
        importable=True,
        required=True,
        max_length=500,
        placeholder="The complaint in one line",
        keeps_spacing=True,
    ),
    Field(
        "details",
        "Details",
        "what happened, in the customer's words",
        Kind.TEXT,
        csv="details",
        json="details",
        flag="--details",
        attribute="details",
        importable=True,
        placeholder="What happened, in the caller's words",
    ),
    Field(
        "customer_wants",
        "Customer wants",
        "what would put it right for the customer",
        Kind.TEXT,
        csv="customer_wants",
        json="customer_wants",
        flag="--wants",
        attribute="customer_wants",
        importable=True,
        placeholder="What would put it right for them",
    ),
    Field(
        "ceo_spoke",
        "The CEO spoke to the customer personally",
        "whether the CEO spoke to the customer personally (yes or no)",
        Kind.FLAG,
        csv="ceo_spoke",
        json="ceo_spoke",
        flag="--ceo-spoke",
        attribute="ceo_spoke",
        importable=True,
    ),
    Field(
        "vulnerable",
        "Vulnerable customer",
        "the customer needs extra care (illness, bereavement, age, money trouble): their "
        "complaints come first on Today",
        Kind.FLAG,
        csv="customer_vulnerable",
        json="customer_vulnerable",
        flag="--vulnerable",
        importable=True,
    ),
    # The CEO's own words from the call, kept as they were typed. Each promise with its due day
    # is a row of the promise ledger (core/services/promises.py), not this note.
    Field(
        "ceo_promised",
        "CEO's words",
        "what the CEO said to the customer, as a note (each promise and its due day goes in "
        "--promised and --promise-due)",
        Kind.TEXT,
        csv="ceo_promised",
        json="ceo_promised",
        flag="--ceo-words",
        attribute="ceo_promised",
        importable=True,
        placeholder="What the CEO said, in a few words",
    ),
    # The promise ledger's rows in files; `show --json` and a customer's export list them whole.
    Field(
        "promises",
        "Promises",
        "the CEO's promises, one a line: the day due, kept or broken once ticked, a colon and "
        "what was promised (2026-03-06 kept: Refund the double charge)",
        Kind.PROMISES,
        csv="promises",
        importable=True,
    ),
    *(
        Field(
            flag.attribute,
            label,
            help_text,
            Kind.FLAG,
            csv=flag.attribute,
            json=flag.attribute,
            flag=f"--{flag.value.replace('_', '-')}",
            attribute=flag.attribute,
            importable=True,
        )
        for flag, label, help_text in (
            (ReputationFlag.MP, "MP involved", "a member of parliament has taken it up"),
            (
                ReputationFlag.JOURNALIST,
                "Journalist involved",
                "a journalist has asked about it or is writing about it",
            ),
            (
                ReputationFlag.REGULATOR,
                "Regulator involved",
                "the customer has gone, or says they will go, to the regulator or ombudsman",
            ),
            (
                ReputationFlag.SOCIAL_MEDIA,
                "On social media",
                "the customer has posted about it publicly",
            ),
        )
    ),
    Field(
        "prior_contacts",
        "People dealt with before",
        "how many people the customer had dealt with before reaching the CEO",
        Kind.COUNT,
        csv="prior_contacts",
        json="prior_contacts",
        flag="--prior-contacts",
        attribute="prior_contacts",
        importable=True,
        maximum=1000,
    ),
    Field(
        "caused_by_unit",
        "Caused by",
        "the department or partner at the root of it",
        Kind.UNIT,
        csv="caused_by",
        json="caused_by_unit",
        flag="--caused-by",
        attribute="caused_by_unit_id",
        importable=True,
    ),
    Field(
        "delegate",
        "Delegate",
        "for a delegated complaint: the staff member handling it (name, email or id)",
        Kind.STAFF,
        csv="current_delegate",
        json="current_delegate",
        importable=True,
    ),
    Field(
        "report_due_on",
        "Report due",
        "for a delegated complaint: when the delegate's report is due",
        Kind.DAY,
        csv="report_due_on",
        json="report_due_on",
        importable=True,
    ),
    Field(
        "callback_due_on",
        "Callback due",
        "when the CEO's confirmation call is due",
        Kind.DAY,
        csv="callback_due_on",
        json="callback_due_on",
    ),
    Field(
        "callback_due_time",
        "Callback time",
        "the time of day the callback is due, when it was set for later the same day",
        Kind.DERIVED,
        json="callback_due_time",
    ),
    Field("reports", "Reports", "how many reports were filed", Kind.DERIVED, csv="reports"),
    Field("cost", "Cost", "what the accommodations cost, by currency", Kind.DERIVED, csv="cost"),
    Field(
        "reopen_count",
        "Reopened",
        "how often the complaint was reopened",
        Kind.DERIVED,
        csv="reopen_count",
        json="reopen_count",
    ),
    Field(
        "last_callback_outcome",
        "Last callback",
        "the outcome of the latest callback",
        Kind.DERIVED,
        csv="last_callback_outcome",
    ),
    Field(
        "last_satisfaction",
        "Last satisfaction",
        "the customer's latest satisfaction score, 1 to 5",
        Kind.DERIVED,
        csv="last_satisfaction",
    ),
    Field(
        "loyalty",
        "Loyalty",
        "the customer's loyalty at the latest call",
        Kind.DERIVED,
        csv="loyalty",
    ),
    Field(
        "closed_at",
        "Closed",
        "when a closed complaint was closed (default on import: when received)",
        Kind.MOMENT,
        csv="closed_at",
        json="closed_at",
        importable=True,
    ),
    Field(
        "withdrawn_reason",
        "Reason for withdrawing",
        "for a withdrawn complaint: why",
        Kind.TEXT,
        csv="withdrawn_reason",
        json="withdrawn_reason",
        importable=True,
    ),
)

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
BY_ATTRIBUTE: dict[str, Field] = {f.attribute: f for f in FIELDS if f.attribute}
# The columns of an exported file, in order; the import reads the importable ones back.
EXPORTED: tuple[Field, ...] = tuple(f for f in FIELDS if f.csv)
IMPORTABLE: tuple[Field, ...] = tuple(f for f in FIELDS if f.importable)
# What `ceo-desk show --json`, `ceo-desk list --json` and a customer's export call each field.
JSON_VISIBLE: tuple[Field, ...] = tuple(f for f in FIELDS if f.json)
# What `ceo-desk log` takes on its command line.
LOGGED: tuple[Field, ...] = tuple(f for f in FIELDS if f.flag)
# The complaint's reputational flags, as fields (each `flag_<value>` of ReputationFlag).
REPUTATION_FIELDS: tuple[Field, ...] = tuple(BY_KEY[flag.attribute] for flag in ReputationFlag)
# The complaint columns a person may edit while it is open (also its snapshot for the trail).
EDITABLE_FIELDS: tuple[str, ...] = tuple(f.attribute for f in FIELDS if f.attribute)


# ---------------------------------------------------------------- importing files

# A row of an imported file needs only these; history often has no name, phone or email.
IMPORT_REQUIRED: tuple[str, ...] = ("received_at", "summary")
# What an imported customer is called when the file names nobody.
NO_NAME = "Name not on file"
# How a customer without a phone or an email is described (imported history).
NO_CONTACT = "no contact on file"
MAX_IMPORT_FILE_BYTES = 200 * 1024 * 1024
# One cell of an imported file; free-text fields take it whole (a long narrative stays whole).
MAX_IMPORT_CELL_CHARS = 1024 * 1024
# Header words other systems use for each field, folded (lower case, runs of other characters as
# one "_"); a mapping is proposed from them when none is given.
IMPORT_ALIASES: dict[str, tuple[str, ...]] = {
    "reference": (
        "ref",
        "complaint",
        "complaint_id",
        "complaint_reference",
        "ticket",
        "ticket_no",
        "ticket_number",
        "case",
        "case_id",
        "case_number",
        "id",
    ),
    "status": (
        "state_of_complaint",
        "company_response_to_consumer",
        "complaint_status",
        "resolution",
        "outcome",
    ),
    "received_at": (
        "received",
        "date",
        "date_received",
        "received_date",
        "time",
        "time_received",
        "created",
        "created_at",
        "opened",
        "date_opened",
        "logged",
    ),
    "closed_at": (
        "closed",
        "date_closed",
        "closed_date",
        "resolved_on",
        "resolved_at",
        "date_resolved",
    ),
    "channel": ("submitted_via", "received_via", "via", "source", "medium", "contact_method"),
    "severity": ("priority", "urgency"),
    "category": ("product", "type", "complaint_type", "topic", "subject_area", "area"),
    "customer_name": (
        "customer",
        "name",
        "consumer",
        "consumer_name",
        "complainant",
        "client",
        "full_name",
        "caller",
    ),
    "phone": ("telephone", "phone_number", "tel", "mobile", "customer_phone"),
    "email": ("e_mail", "email_address", "customer_email", "mail"),
    "organisation": ("company_name", "organization", "org", "business"),
    "account_ref": ("account", "account_number", "account_no", "customer_number"),
    "summary": (
        "issue",
        "sub_issue",
        "subject",
        "customer_complaint",
        "complaint_summary",
        "title",
        "description_short",
        "problem",
    ),
    "details": (
        "narrative",
        "consumer_complaint_narrative",
        "description",
        "notes",
        "comments",
        "complaint_text",
        "body",
    ),
    "customer_wants": ("wants", "desired_outcome", "remedy_requested"),
    "ceo_promised": ("promised",),
    "prior_contacts": ("previous_contacts",),
    "caused_by_unit": ("caused_by", "department", "team", "responsible_unit"),
    "delegate": ("delegated_to", "assigned_to", "owner", "handler"),
    "report_due_on": ("report_due", "due", "due_date"),
    "withdrawn_reason": ("reason", "withdrawal_reason"),
}


def import_limit(key: str) -> int:
    """The most characters an imported value of this field may hold."""
    declared = BY_KEY[key]
    return MAX_IMPORT_CELL_CHARS if declared.kind is Kind.TEXT else declared.length_limit


def field(key: str) -> Field:
    return BY_KEY[key]


def label(key: str) -> str:
    return BY_KEY[key].label


def json_name(key: str) -> str:
    """The field's key in JSON output; only fields that JSON shows have one."""
    name = BY_KEY[key].json
    assert name is not None, f"{key} is not shown in JSON"
    return name


def attribute_for_error(error_field: str | None) -> str | None:
    """The edited column a refusal is about: services name `category`, the column is
    `category_id`."""
    if not error_field:
        return None
    if error_field in BY_ATTRIBUTE:
        return error_field
    declared = BY_KEY.get(error_field)
    if declared is None and error_field == "unit":
        declared = BY_KEY["caused_by_unit"]
    return declared.attribute if declared else None


# ---------------------------------------------------------------- checking typed values


# A received time this far ahead of the clock is a typing mistake, not clock drift.
CLOCK_SKEW = timedelta(minutes=10)


def received_at(
    value: Any, *, now: datetime | None = None, default: datetime | None = None
) -> datetime:
    """When the call came in: a date and time not in the future; `default` when left empty."""
    name = BY_KEY["received_at"].label
    if value is not None and not isinstance(value, datetime | str):
        raise ValidationError(
            f"{name} must be a date and time such as 2026-03-14T09:30.", field="received_at"
        )
    moment = validation.moment(value, "received_at") or default
    if moment is None:
        raise ValidationError(f"{name} is required.", field="received_at")
    if moment > SYSTEM_CLOCK.moment(now) + CLOCK_SKEW:
        raise ValidationError(f"{name} is in the future; check the date.", field="received_at")
    return moment


def _existing_id(uow: Any, model: Any, value: Any, key: str) -> int | None:
    """An id chosen from a list, or None for "not set"; anything else is refused clearly."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    name = BY_KEY[key].label.lower()
    try:
        if isinstance(value, bool | float):
            raise ValueError(value)
        chosen = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"Choose the {name} from the list.", field=key) from None
    if not 0 < chosen < 2**63 or uow.session.get(model, chosen) is None:
        raise NotFoundError(f"The chosen {name} no longer exists.", field=key)
    return chosen


def clean_edit(uow: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """New values for editable columns, checked; refused when a column cannot be edited."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    cleaned: dict[str, Any] = {}
    for attribute, value in changes.items():
        declared = BY_ATTRIBUTE[attribute]
        if declared.kind is Kind.CATEGORY:
            cleaned[attribute] = _existing_id(uow, Category, value, declared.key)
        elif declared.kind is Kind.UNIT:
            cleaned[attribute] = _existing_id(uow, Unit, value, declared.key)
        elif declared.kind is Kind.MOMENT:
            cleaned[attribute] = received_at(value)
        else:
            cleaned[attribute] = declared.clean(value)
    return cleaned
