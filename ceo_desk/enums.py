"""The closed vocabularies of the log. Values are what the database and the CLI store and accept."""

from enum import StrEnum
from typing import TypeVar

from ceo_desk.errors import ValidationError


class Status(StrEnum):
    NEW = "new"
    DELEGATED = "delegated"
    AWAITING_CALLBACK = "awaiting_callback"
    RESOLVED = "resolved"
    UNREACHABLE = "unreachable"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


OPEN_STATUSES = frozenset({Status.NEW, Status.DELEGATED, Status.AWAITING_CALLBACK})
CLOSED_STATUSES = frozenset(set(Status) - OPEN_STATUSES)


class Channel(StrEnum):
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    IN_PERSON = "in_person"
    SOCIAL_MEDIA = "social_media"
    WEB_FORM = "web_form"
    REFERRAL = "referral"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def from_text(cls, text: str) -> "Channel":
        """The channel a person's word for it names ("Web", "Postal mail", "Customer Care
        Call"); anything else (a fax, a kiosk) is OTHER, and the importer keeps the text."""
        folded = " ".join(text.strip().lower().replace("e-mail", "email").split())
        words = set(folded.replace("-", " ").replace("_", " ").split())
        for member in cls:
            if folded.replace("-", "_").replace(" ", "_") == member.value:
                return member
        for member, hints in _CHANNEL_WORDS:
            if words & hints:
                return member
        return cls.OTHER


# Words that name a channel in other systems' exports, checked in this order.
_CHANNEL_WORDS: tuple[tuple[Channel, frozenset[str]], ...] = (
    (Channel.REFERRAL, frozenset({"referral", "referred"})),
    (Channel.SOCIAL_MEDIA, frozenset({"social", "twitter", "facebook", "instagram"})),
    (Channel.EMAIL, frozenset({"email"})),
    (Channel.WEB_FORM, frozenset({"web", "website", "internet", "online", "form", "portal"})),
    (Channel.LETTER, frozenset({"letter", "postal", "post", "mail"})),
    (Channel.PHONE, frozenset({"phone", "call", "calls", "telephone"})),
    (Channel.IN_PERSON, frozenset({"person", "walk", "visit", "counter", "branch"})),
)


class Severity(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Outcome(StrEnum):
    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_unanswered(self) -> bool:
        return self in (Outcome.NO_ANSWER, Outcome.VOICEMAIL)


class Loyalty(StrEnum):
    STAYING = "staying"
    AT_RISK = "at_risk"
    LEAVING = "leaving"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class PromiseOutcome(StrEnum):
    """What became of a promise the CEO made, ticked at the callback."""

    KEPT = "kept"
    BROKEN = "broken"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class FollowUpOutcome(StrEnum):
    """The answer to "did it stick?", some weeks after a complaint was resolved."""

    STUCK = "stuck"
    CAME_BACK = "came_back"

    @property
    def label(self) -> str:
        return "It stuck" if self is FollowUpOutcome.STUCK else "It came back"


class ReputationFlag(StrEnum):
    """Who else is watching a complaint; each is a column `flag_<value>` on the complaint."""

    MP = "mp"
    JOURNALIST = "journalist"
    REGULATOR = "regulator"
    SOCIAL_MEDIA = "social_media"

    @property
    def label(self) -> str:
        return {"mp": "MP", "social_media": "Social media"}.get(self.value, self.value.capitalize())

    @property
    def attribute(self) -> str:
        return f"flag_{self.value}"


class FiledHow(StrEnum):
    """How a delegate's report reached the log: its provenance, shown wherever it is read."""

    IN_PERSON = "in_person"  # the delegate filed it themself, signed in as themself
    FORM = "form"  # transcribed from the delegate's returned report form
    TYPED = "typed"  # typed in by an assistant for the delegate

    @property
    def label(self) -> str:
        return {
            FiledHow.IN_PERSON: "in person",
            FiledHow.FORM: "from the form",
            FiledHow.TYPED: "typed by the assistant",
        }[self]


class MoreTimeDecision(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class UnitKind(StrEnum):
    DEPARTMENT = "department"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Role(StrEnum):
    """What a person may do in the log is granted as roles (see `core.permissions`); SYSTEM is
    only for what CEO Desk does by itself, such as reminders, and is never granted."""

    OWNER = "owner"
    CEO = "ceo"
    ASSISTANT = "assistant"
    DELEGATE = "delegate"
    SYSTEM = "system"

    @property
    def label(self) -> str:
        return "CEO" if self is Role.CEO else self.value.capitalize()

    @property
    def grantable(self) -> bool:
        return self is not Role.SYSTEM


GRANTABLE_ROLES = tuple(role for role in Role if role.grantable)


class MessageKind(StrEnum):
    """The emails CEO Desk sends, each from a template the office can edit."""

    DELEGATION_NOTICE = "delegation_notice"
    REPORT_DUE_TOMORROW = "report_due_tomorrow"
    REPORT_OVERDUE = "report_overdue"
    ESCALATION = "escalation"
    SENT_BACK = "sent_back"
    FINAL_DEADLINE_NEAR = "final_deadline_near"
    CHASE = "chase"
    HAND_OFF_WITHDRAWN = "hand_off_withdrawn"

    @property
    def label(self) -> str:
        return {
            MessageKind.DELEGATION_NOTICE: "Delegation notice",
            MessageKind.REPORT_DUE_TOMORROW: "Report due tomorrow",
            MessageKind.REPORT_OVERDUE: "Report overdue",
            MessageKind.ESCALATION: "Escalation to the unit's head",
            MessageKind.SENT_BACK: "Report sent back",
            MessageKind.FINAL_DEADLINE_NEAR: "Final-response deadline near",
            MessageKind.CHASE: "Chase",
            MessageKind.HAND_OFF_WITHDRAWN: "Hand-off withdrawn",
        }[self]

    @property
    def chases_a_report(self) -> bool:
        """A reminder about a report (Chase's "last chased" counts these)."""
        return self in (
            MessageKind.CHASE,
            MessageKind.REPORT_DUE_TOMORROW,
            MessageKind.REPORT_OVERDUE,
            MessageKind.ESCALATION,
        )


class OutboxState(StrEnum):
    """Where a message in the outbox is: waiting for the mail server (queued), accepted by it
    (sent), refused by it for good (failed), waiting for a person to open it in their mail
    program (draft: no mail server set up, or no address), or opened there (handed over); or
    never to be sent, the action that wrote it having been withdrawn (cancelled)."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    DRAFT = "draft"
    HANDED_TO_MAIL_PROGRAM = "handed_to_mail_program"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            OutboxState.QUEUED: "Waiting to send",
            OutboxState.SENT: "Sent",
            OutboxState.FAILED: "Refused by the mail server",
            OutboxState.DRAFT: "To open in the mail program",
            OutboxState.HANDED_TO_MAIL_PROGRAM: "Opened in the mail program",
            OutboxState.CANCELLED: "Cancelled, not sent",
        }[self]


E = TypeVar("E", bound=StrEnum)


def parse_choice(enum: type[E], text: str, *, field: str) -> E:
    """Accept a value the way a person types it: any case, hyphens or spaces for underscores."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return enum(key)
    except ValueError:
        allowed = ", ".join(v.value.replace("_", "-") for v in enum)
        raise ValidationError(
            f"{field.replace('_', ' ').capitalize()} '{text}' is not one of: {allowed}.",
            field=field,
        ) from None
