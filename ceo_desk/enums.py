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
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


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


class UnitKind(StrEnum):
    DEPARTMENT = "department"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Role(StrEnum):
    ASSISTANT = "assistant"
    CEO = "ceo"
    SYSTEM = "system"

    @property
    def label(self) -> str:
        return "CEO" if self is Role.CEO else self.value.capitalize()


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
