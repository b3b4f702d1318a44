"""Typed settings, declared once.

Office settings (due-date policy, weekends, holidays, retention, phone region, currency, the CEO's
name) live in the database so the assistant's and the CEO's computers agree. Each is declared in
`OPTIONS` with its type, bounds, default, label and help; the Settings dialog, the
`ceo-desk settings` command and the check before saving are built from that list. The acting role
belongs to one computer and lives in a small JSON file in the configuration directory.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, time
from enum import StrEnum
from typing import Any

from ceo_desk.enums import Severity
from ceo_desk.errors import ValidationError

DEFAULT_REPORT_DUE_DAYS = {
    Severity.CRITICAL: 1,
    Severity.HIGH: 2,
    Severity.NORMAL: 5,
    Severity.LOW: 10,
}

# Business hours (`OfficeSettings.business_day_start` to `business_day_end` on business days) a
# logged complaint may wait to be delegated.
DEFAULT_INTAKE_DUE_HOURS = {
    Severity.CRITICAL: 1,
    Severity.HIGH: 2,
    Severity.NORMAL: 4,
    Severity.LOW: 8,
}
# Settings held per severity: {severity: whole number}.
PER_SEVERITY = {
    "report_due_days": DEFAULT_REPORT_DUE_DAYS,
    "intake_due_hours": DEFAULT_INTAKE_DUE_HOURS,
}


# The locale settings that name a country, most specific first; "en_GB.UTF-8" names GB.
_LOCALE_VARIABLES = ("LC_ALL", "LC_TELEPHONE", "LANG")
_LOCALE_TERRITORY = re.compile(r"^[A-Za-z]{2,3}[_-]([A-Za-z]{2})(?![A-Za-z])")
FALLBACK_PHONE_REGION = "US"


def locale_region() -> str:
    """The country of this computer's locale, for reading phone numbers typed without a country
    code while the office has not set its own phone region; US when the locale names none.

    The first locale variable set decides, as for any program (LC_ALL over LC_TELEPHONE over
    LANG); without any, the locale Python started with (Windows and macOS set no variables)."""
    import locale
    import os

    named = next((os.environ[n] for n in _LOCALE_VARIABLES if os.environ.get(n)), None)
    if named is None:
        named = locale.getlocale()[0] or ""
    match = _LOCALE_TERRITORY.match(named)
    return match.group(1).upper() if match else FALLBACK_PHONE_REGION


@dataclass(frozen=True)
class OfficeSettings:
    """Shared by everyone who opens the same database."""

    report_due_days: dict[Severity, int] = field(
        default_factory=lambda: dict(DEFAULT_REPORT_DUE_DAYS)
    )
    callback_due_days: int = 1
    weekend_days: tuple[int, ...] = (5, 6)  # Monday is 0
    holidays: tuple[date, ...] = ()
    phone_region: str = field(default_factory=locale_region)  # unless the office sets one
    currency: str = "USD"
    ceo_name: str = ""
    company_name: str = ""
    unreachable_after_attempts: int = 3
    escalate_after_days: int = 3
    retention_years: int | None = None
    attachment_max_mb: int = 25
    league_min_cases: int = 5
    follow_up_weeks: int | None = None  # "did it stick?" calls: off unless the office sets it
    promise_warning_days: int = 2
    # The office's mail server; none set: messages wait as drafts for a mail program. The
    # password is kept in each computer's keyring (`ceo_desk.secrets.mail_service`).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""
    mail_from: str = ""
    intake_due_hours: dict[Severity, int] = field(
        default_factory=lambda: dict(DEFAULT_INTAKE_DUE_HOURS)
    )
    final_response_weeks: int = 8  # from receipt, paused time left out
    final_response_warning_weeks: int = 6
    # The office's working day on business days: business hours count between these two.
    business_day_start: time = time(9, 0)
    business_day_end: time = time(17, 0)

    def to_json_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in PER_SEVERITY:
            data[name] = {s.value: n for s, n in getattr(self, name).items()}
        data["weekend_days"] = list(self.weekend_days)
        data["holidays"] = [d.isoformat() for d in self.holidays]
        for name in TIMES_OF_DAY:
            data[name] = getattr(self, name).strftime("%H:%M")
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> OfficeSettings:
        """Build from stored values; unknown keys are ignored, missing ones take the defaults."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name, defaults in PER_SEVERITY.items():
            if name in values:
                merged = dict(defaults)
                merged.update({Severity(k): int(v) for k, v in values[name].items()})
                values[name] = merged
        if "weekend_days" in values:
            values["weekend_days"] = tuple(int(d) for d in values["weekend_days"])
        if "holidays" in values:
            values["holidays"] = tuple(sorted(date.fromisoformat(d) for d in values["holidays"]))
        for name in TIMES_OF_DAY:
            if name in values:
                values[name] = time.fromisoformat(values[name])
        return replace(cls(), **values)


# Settings held as a time of day, stored as "HH:MM".
TIMES_OF_DAY = ("business_day_start", "business_day_end")


# ---------------------------------------------------------------- the declaration


class OptionType(StrEnum):
    COUNT = "count"  # a whole number within bounds
    OPTIONAL_COUNT = "optional_count"  # a whole number within bounds, or none
    WEEKDAYS = "weekdays"  # a set of weekdays, Monday = 0
    DAYS = "days"  # a list of calendar days
    REGION = "region"  # a two-letter country code
    CURRENCY = "currency"  # a three-letter ISO 4217 code
    NAME = "name"  # a person's name, one line
    HOST = "host"  # a server's name or address, or none
    CHOICE = "choice"  # one of `Option.choices`
    EMAIL = "email"  # an email address, or none
    TIME = "time"  # a time of day, to the minute


MAX_NAME_LENGTH = 200
MIN_WORKDAYS = 2
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2060\ufeff]")
_WEEKDAY_NAMES = [name.lower() for name in calendar.day_name]


@dataclass(frozen=True)
class Option:
    """One office setting, as people see it and as the log stores it.

    Attributes:
        key: its name on the command line and in error messages (`ValidationError.field`).
        label: what the Settings dialog calls it.
        help: one sentence: what it changes.
        subject: how a message names it ("Callback due days must be 0 to 20").
        unit: the counted thing, singular and plural ("business day", "business days").
        page: the Settings tab it sits on.
    """

    key: str
    label: str
    help: str
    type: OptionType
    subject: str
    page: str
    minimum: int = 0
    maximum: int = 0
    unit: tuple[str, str] = ("", "")
    none_text: str = ""  # OPTIONAL_COUNT: what "none" means, on screen and on the command line
    choices: tuple[tuple[str, str], ...] = ()  # CHOICE: (value, label) pairs

    @property
    def default(self) -> Any:
        """The value a new log starts with (the `OfficeSettings` field's default)."""
        return self.get(OfficeSettings())

    def get(self, settings: OfficeSettings) -> Any:
        attribute, _, severity = self.key.partition(".")
        value = getattr(settings, attribute)
        return value[Severity(severity)] if severity else value

    def put(self, settings: OfficeSettings, value: Any) -> OfficeSettings:
        """`settings` with this option set to `value` (not checked: see `check`)."""
        attribute, _, severity = self.key.partition(".")
        if severity:
            per_severity = dict(getattr(settings, attribute))
            per_severity[Severity(severity)] = value
            value = per_severity
        return replace(settings, **{attribute: value})

    def counted(self, number: int) -> str:
        return f"{number} {self.unit[0] if number == 1 else self.unit[1]}".strip()

    def bounds(self) -> str:
        text = f"{self.minimum} to {self.maximum}"
        return f"{text}, or {self.none_text}" if self.type is OptionType.OPTIONAL_COUNT else text

    def check(self, value: Any) -> Any:
        """The value normalised, or a ValidationError that says what is allowed."""
        checker: Callable[[Option, Any], Any] = _CHECKS[self.type]
        return checker(self, value)

    def parse(self, text: str) -> Any:
        """A value typed on the command line, checked."""
        return self.check(_PARSERS[self.type](self, text.strip()))

    def show(self, value: Any) -> str:
        """The value as a person reads it (and can type it back)."""
        if self.type is OptionType.COUNT:
            return self.counted(value)
        if self.type is OptionType.OPTIONAL_COUNT:
            return self.none_text if value is None else self.counted(value)
        if self.type is OptionType.WEEKDAYS:
            return ", ".join(calendar.day_name[d] for d in value) or "none"
        if self.type is OptionType.DAYS:
            return ", ".join(d.isoformat() for d in value) or "none"
        if self.type is OptionType.CHOICE:
            return dict(self.choices).get(value, str(value))
        if self.type is OptionType.TIME:
            return f"{value:%H:%M}"
        return str(value) if value else "(not set)"


def _refuse(option: Option, what: str) -> ValidationError:
    return ValidationError(f"{option.subject} {what}", field=option.key)


def _check_count(option: Option, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _refuse(option, f"must be a whole number from {option.bounds()}.")
    if not option.minimum <= value <= option.maximum:
        raise _refuse(option, f"must be {option.bounds()}; got {value}.")
    return value


def _check_optional_count(option: Option, value: Any) -> int | None:
    return None if value is None else _check_count(option, value)


def _check_weekdays(option: Option, value: Any) -> tuple[int, ...]:
    days = tuple(sorted(set(value)))
    if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        raise _refuse(option, "must be weekdays, Monday to Sunday.")
    if len(days) > 7 - MIN_WORKDAYS:
        raise _refuse(option, f"must leave at least {MIN_WORKDAYS} workdays in the week.")
    return days


def _check_days(option: Option, value: Any) -> tuple[date, ...]:
    if any(not isinstance(d, date) for d in value):
        raise _refuse(option, "must be dates such as 2026-12-25.")
    return tuple(sorted(set(value)))


def _check_region(option: Option, value: Any) -> str:
    import phonenumbers

    region = str(value or "").strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(
            f"Phone region '{value}' is not a two-letter country code such as US, GB or DE.",
            field=option.key,
        )
    return region


def _check_currency(option: Option, value: Any) -> str:
    code = str(value or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValidationError(
            f"Currency '{value}' must be a three-letter ISO code such as USD, EUR or GBP.",
            field=option.key,
        )
    return code


def _check_name(option: Option, value: Any) -> str:
    if not isinstance(value, str):
        raise _refuse(option, "must be text.")
    cleaned = " ".join(_CONTROL_CHARS.sub("", value).split())
    if len(cleaned) > MAX_NAME_LENGTH:
        raise _refuse(
            option, f"is {len(cleaned):,} characters long; shorten it to {MAX_NAME_LENGTH}."
        )
    return cleaned


_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]")
_ADDRESS = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+")


def _check_host(option: Option, value: Any) -> str:
    host = str(value or "").strip()
    if host and (len(host) > 253 or not _HOST.fullmatch(host)):
        raise ValidationError(
            f"{option.subject} '{value}' is not a server name such as smtp.example.com.",
            field=option.key,
        )
    return host


def _check_choice(option: Option, value: Any) -> str:
    chosen = str(value or "").strip().lower()
    # The label as shown ("STARTTLS (usually port 587)") is accepted back for its value.
    chosen = {label.lower(): key for key, label in option.choices}.get(chosen, chosen)
    if chosen not in dict(option.choices):
        allowed = ", ".join(key for key, _ in option.choices)
        raise ValidationError(
            f"{option.subject} '{value}' is not one of: {allowed}.", field=option.key
        )
    return chosen


def _check_email(option: Option, value: Any) -> str:
    address = str(value or "").strip()
    if address and (len(address) > 254 or not _ADDRESS.fullmatch(address)):
        raise ValidationError(
            f"{option.subject} '{value}' is not an email address such as office@example.com.",
            field=option.key,
        )
    return address


def _check_time(option: Option, value: Any) -> time:
    if not isinstance(value, time):
        raise _refuse(option, "must be a time of day such as 09:00 or 17:30.")
    return value.replace(second=0, microsecond=0, tzinfo=None)


_CHECKS: dict[OptionType, Callable[[Option, Any], Any]] = {
    OptionType.COUNT: _check_count,
    OptionType.OPTIONAL_COUNT: _check_optional_count,
    OptionType.WEEKDAYS: _check_weekdays,
    OptionType.DAYS: _check_days,
    OptionType.REGION: _check_region,
    OptionType.CURRENCY: _check_currency,
    OptionType.NAME: _check_name,
    OptionType.HOST: _check_host,
    OptionType.CHOICE: _check_choice,
    OptionType.EMAIL: _check_email,
    OptionType.TIME: _check_time,
}


def _parse_count(option: Option, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise _refuse(
            option, f"must be a whole number from {option.bounds()}; got '{text}'."
        ) from None


def _parse_optional_count(option: Option, text: str) -> int | None:
    if text.lower() in ("", "none", option.none_text.lower()):
        return None
    return _parse_count(option, text)


def _parse_weekdays(option: Option, text: str) -> tuple[int, ...]:
    days: list[int] = []
    for word in re.split(r"[,\s]+", text.lower()):
        if not word or word == "none":
            continue
        matches = [i for i, name in enumerate(_WEEKDAY_NAMES) if name.startswith(word)]
        if word.isdigit() and 0 <= int(word) <= 6:
            days.append(int(word))
        elif len(word) >= 2 and len(matches) == 1:
            days.append(matches[0])
        else:
            raise _refuse(
                option,
                f"'{word}' is not a weekday; give days like 'sat,sun' (or 'none').",
            )
    return tuple(days)


def _parse_days(option: Option, text: str) -> tuple[date, ...]:
    days: list[date] = []
    for word in re.split(r"[,\s]+", text):
        if not word or word.lower() == "none":
            continue
        try:
            days.append(date.fromisoformat(word))
        except ValueError:
            raise _refuse(
                option, f"'{word}' is not a date; give days like 2026-12-25,2026-12-26."
            ) from None
    return tuple(days)


_TIME_TYPED = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?")


def _parse_time(option: Option, text: str) -> time:
    typed = _TIME_TYPED.fullmatch(text)
    hour, minute = (int(typed.group(1)), int(typed.group(2) or 0)) if typed else (-1, -1)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _refuse(
            option, f"must be a time of day on the 24-hour clock such as 09:00; got '{text}'."
        )
    return time(hour, minute)


_PARSERS: dict[OptionType, Callable[[Option, str], Any]] = {
    OptionType.COUNT: _parse_count,
    OptionType.OPTIONAL_COUNT: _parse_optional_count,
    OptionType.WEEKDAYS: _parse_weekdays,
    OptionType.DAYS: _parse_days,
    OptionType.REGION: lambda option, text: text,
    OptionType.CURRENCY: lambda option, text: text,
    OptionType.NAME: lambda option, text: text,
    OptionType.HOST: lambda option, text: "" if text.lower() == "none" else text,
    OptionType.CHOICE: lambda option, text: text,
    OptionType.EMAIL: lambda option, text: "" if text.lower() == "none" else text,
    OptionType.TIME: _parse_time,
}

_BUSINESS_DAYS = ("business day", "business days")
# The Settings tabs the options sit on.
DUE_DATES_PAGE, CALENDAR_PAGE, OFFICE_PAGE = "Due dates", "Weekends and holidays", "Office"
EMAIL_PAGE = "Email"
SMTP_SECURITY_CHOICES = (
    ("starttls", "STARTTLS (usually port 587)"),
    ("tls", "TLS from the start (usually port 465)"),
    ("none", "None (only for a server inside the office)"),
)

OPTIONS: tuple[Option, ...] = (
    *(
        Option(
            f"report_due_days.{severity.value}",
            f"Report due, {severity.label.lower()}",
            f"business days a delegate has to report on a {severity.label.lower()} complaint",
            OptionType.COUNT,
            f"Report due days for {severity.label.lower()} severity",
            DUE_DATES_PAGE,
            minimum=1,
            maximum=60,
            unit=_BUSINESS_DAYS,
        )
        for severity in reversed(Severity)
    ),
    *(
        Option(
            f"intake_due_hours.{severity.value}",
            f"Delegate within, {severity.label.lower()}",
            f"business hours a logged {severity.label.lower()} complaint may wait to be "
            "delegated before it counts as overdue",
            OptionType.COUNT,
            f"Intake due hours for {severity.label.lower()} severity",
            DUE_DATES_PAGE,
            minimum=1,
            maximum=80,
            unit=("business hour", "business hours"),
        )
        for severity in reversed(Severity)
    ),
    Option(
        "business_day_start",
        "Business day starts",
        "when the office's working day starts on business days; business hours count from it",
        OptionType.TIME,
        "The business day's start",
        DUE_DATES_PAGE,
    ),
    Option(
        "business_day_end",
        "Business day ends",
        "when the office's working day ends; business hours stop counting then, and a call is "
        "not offered again later than it",
        OptionType.TIME,
        "The business day's end",
        DUE_DATES_PAGE,
    ),
    Option(
        "callback_due_days",
        "CEO's callback due",
        "business days the CEO has to call the customer back once the report is filed",
        OptionType.COUNT,
        "Callback due days",
        DUE_DATES_PAGE,
        minimum=0,
        maximum=20,
        unit=_BUSINESS_DAYS,
    ),
    Option(
        "unreachable_after_attempts",
        "Unreachable after",
        "unanswered callbacks after which a complaint may be closed as unreachable",
        OptionType.COUNT,
        "Unanswered calls before 'unreachable'",
        DUE_DATES_PAGE,
        minimum=1,
        maximum=20,
        unit=("unanswered call", "unanswered calls"),
    ),
    Option(
        "follow_up_weeks",
        "Did it stick?",
        "weeks after a complaint is resolved that Today asks the CEO to call and check the fix "
        "held ('off': no follow-up calls)",
        OptionType.OPTIONAL_COUNT,
        "The follow-up call",
        DUE_DATES_PAGE,
        minimum=1,
        maximum=52,
        unit=("week", "weeks"),
        none_text="off",
    ),
    Option(
        "promise_warning_days",
        "Promise nearly due",
        "business days before a promise's due day that Today shows it",
        OptionType.COUNT,
        "Promise warning days",
        DUE_DATES_PAGE,
        minimum=0,
        maximum=20,
        unit=_BUSINESS_DAYS,
    ),
    Option(
        "escalate_after_days",
        "Escalate to unit head after",
        "business days a report may be overdue before its delegate's unit head is told "
        "(a unit without a head is never escalated)",
        OptionType.COUNT,
        "Escalation days",
        DUE_DATES_PAGE,
        minimum=1,
        maximum=30,
        unit=_BUSINESS_DAYS,
    ),
    Option(
        "final_response_weeks",
        "Final response due",
        "weeks from receipt by which the customer must have the final response (time the "
        "clock is paused is left out)",
        OptionType.COUNT,
        "The final-response deadline",
        DUE_DATES_PAGE,
        minimum=1,
        maximum=52,
        unit=("week", "weeks"),
    ),
    Option(
        "final_response_warning_weeks",
        "Final response warning",
        "weeks from receipt after which a complaint still open is marked as nearing its "
        "final-response deadline",
        OptionType.COUNT,
        "The final-response warning",
        DUE_DATES_PAGE,
        minimum=1,
        maximum=52,
        unit=("week", "weeks"),
    ),
    Option(
        "weekend_days",
        "Weekend days",
        "the days of every week the office is closed; due dates skip them",
        OptionType.WEEKDAYS,
        "Weekend days",
        CALENDAR_PAGE,
    ),
    Option(
        "holidays",
        "Holidays",
        "days the office is closed; due dates skip them like weekends",
        OptionType.DAYS,
        "Holidays",
        CALENDAR_PAGE,
    ),
    Option(
        "retention_years",
        "Keep closed complaints",
        "years a closed complaint keeps the customer's details; older ones are anonymised "
        "when the log is opened, which cannot be undone",
        OptionType.OPTIONAL_COUNT,
        "Retention",
        OFFICE_PAGE,
        minimum=1,
        maximum=100,
        unit=("year", "years"),
        none_text="forever",
    ),
    Option(
        "attachment_max_mb",
        "Largest attachment",
        "the largest file (an email, a letter, a photo) that can be kept with a complaint",
        OptionType.COUNT,
        "The largest attachment",
        OFFICE_PAGE,
        minimum=1,
        maximum=100,
        unit=("MB", "MB"),
    ),
    Option(
        "company_name",
        "The company's name",
        "the name of the company the complaints are about, on the board pack and letters",
        OptionType.NAME,
        "The company's name",
        OFFICE_PAGE,
    ),
    Option(
        "ceo_name",
        "The CEO's name",
        "the name on letters and on the call brief",
        OptionType.NAME,
        "The CEO's name",
        OFFICE_PAGE,
    ),
    Option(
        "phone_region",
        "Phone region",
        "the country of phone numbers typed without +country code (two letters, such as US)",
        OptionType.REGION,
        "Phone region",
        OFFICE_PAGE,
    ),
    Option(
        "currency",
        "Currency",
        "the currency of accommodation costs (three letters, such as USD)",
        OptionType.CURRENCY,
        "Currency",
        OFFICE_PAGE,
    ),
    Option(
        "league_min_cases",
        "League table minimum",
        "cases a department or partner needs in a month before the board pack ranks it or "
        "names it a weakest link",
        OptionType.COUNT,
        "The league table minimum",
        OFFICE_PAGE,
        minimum=1,
        maximum=1000,
        unit=("case", "cases"),
    ),
    Option(
        "smtp_host",
        "Mail server",
        "the office's outgoing mail (SMTP) server; without one, messages wait in the Outbox "
        "to be opened in a mail program",
        OptionType.HOST,
        "The mail server",
        EMAIL_PAGE,
    ),
    Option(
        "smtp_port",
        "Port",
        "the mail server's port (587 for STARTTLS, 465 for TLS)",
        OptionType.COUNT,
        "The mail server's port",
        EMAIL_PAGE,
        minimum=1,
        maximum=65535,
    ),
    Option(
        "smtp_security",
        "Security",
        "how the connection to the mail server is protected",
        OptionType.CHOICE,
        "The mail server's security",
        EMAIL_PAGE,
        choices=SMTP_SECURITY_CHOICES,
    ),
    Option(
        "smtp_user",
        "User name",
        "the name to sign in to the mail server with (empty: no sign-in); the password is kept "
        "in this computer's keyring",
        OptionType.NAME,
        "The mail server's user name",
        EMAIL_PAGE,
    ),
    Option(
        "mail_from",
        "Send as",
        "the address messages come from, such as ceo.office@example.com (empty: the user name)",
        OptionType.EMAIL,
        "The sending address",
        EMAIL_PAGE,
    ),
)
OPTION_BY_KEY: dict[str, Option] = {option.key: option for option in OPTIONS}


def option(key: str) -> Option:
    """The declared option, or a ValidationError that lists the known ones."""
    found = OPTION_BY_KEY.get(key.strip().lower().replace("-", "_"))
    if found is None:
        raise ValidationError(
            f"There is no setting '{key}'. Settings: {', '.join(OPTION_BY_KEY)}.", field="key"
        )
    return found


def validate(settings: OfficeSettings) -> OfficeSettings:
    """Every option checked against its declaration; the values come back normalised."""
    for declared in OPTIONS:
        settings = declared.put(settings, declared.check(declared.get(settings)))
    if settings.final_response_warning_weeks >= settings.final_response_weeks:
        raise ValidationError(
            f"The final-response warning ({settings.final_response_warning_weeks} weeks) must "
            f"come before the deadline ({settings.final_response_weeks} weeks); make it fewer "
            "weeks than the deadline.",
            field="final_response_warning_weeks",
        )
    start, end = settings.business_day_start, settings.business_day_end
    if _minutes(end) - _minutes(start) < MIN_BUSINESS_DAY_MINUTES:
        raise ValidationError(
            f"The business day would start at {start:%H:%M} and end at {end:%H:%M}; its end must "
            "be at least an hour after its start. Make the start earlier or the end later.",
            field="business_day_end",
        )
    return settings


MIN_BUSINESS_DAY_MINUTES = 60


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute
