"""Turning what people type into clean values, or a ValidationError that says what to fix."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import String

from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.errors import ValidationError
from ceo_desk.store.models import Category, Customer, Staff, Unit

MAX_SHORT_TEXT = 200
# Dates outside these years are typing mistakes; they would also break the C-YYYY-NNNN references.
EARLIEST_YEAR = 1990
LATEST_YEAR = 2199
MAX_LONG_TEXT = 20_000
# ISO 4217 currencies whose minor unit is not the hundredth.
_MINOR_UNIT_DIGITS = {
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "CLP": 0,
    "VND": 0,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2060\ufeff]")
_AMOUNT = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?")


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()


def text(
    value: str | None,
    field: str,
    *,
    required: bool = False,
    max_length: int = MAX_LONG_TEXT,
    label: str | None = None,
) -> str:
    """Trim, drop control characters, enforce presence and length. `label` names the field in
    messages (default: made from `field`)."""
    name = label or _label(field)
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{name} must be text.", field=field)
    cleaned = _CONTROL_CHARS.sub("", value or "").strip()
    if required and not cleaned:
        raise ValidationError(f"{name} is required.", field=field)
    if len(cleaned) > max_length:
        raise ValidationError(
            f"{name} is {len(cleaned):,} characters long; shorten it to at most {max_length:,}.",
            field=field,
        )
    return cleaned


def _width(column_type: object) -> int:
    assert isinstance(column_type, String) and column_type.length is not None
    return column_type.length


# Short fields whose column is narrower than MAX_SHORT_TEXT, read from the columns themselves:
# PostgreSQL enforces the width, so the same limit is checked here on every backend.
SHORT_FIELD_LIMITS: dict[str, int] = {
    field: _width(column.type)
    for field, column in (
        ("unit", Unit.__table__.c.name),
        ("name", Staff.__table__.c.name),
        ("category", Category.__table__.c.name),
        ("account_ref", Customer.__table__.c.account_ref),
    )
}


def short_text(
    value: str | None,
    field: str,
    *,
    required: bool = False,
    max_length: int | None = None,
    label: str | None = None,
) -> str:
    limit = max_length or SHORT_FIELD_LIMITS.get(field, MAX_SHORT_TEXT)
    cleaned = text(value, field, required=required, max_length=limit, label=label)
    return " ".join(cleaned.split())


def phone(value: str | None, region: str, field: str = "phone") -> str | None:
    """A phone number in E.164, read with the office's default region; None when left empty."""
    raw = (value or "").strip()
    if not raw:
        return None
    import phonenumbers  # loaded on first use: no start-up needs it, nor a call without a phone

    home = region.upper()
    try:
        parsed = phonenumbers.parse(raw, home or None)
    except phonenumbers.NumberParseException:
        parsed = None
    refused = parsed is None or not phonenumbers.is_possible_number(parsed)
    if not raw.startswith("+") and (
        parsed is None or refused or not phonenumbers.is_valid_number(parsed)
    ):
        likely = likely_country(raw, home)
        if likely is not None:
            number, country = likely
            raise ValidationError(
                f"This is not a valid {home} number. Did you mean {number}? ({country}) Type it "
                "with its country code, starting with +.",
                field=field,
            )
    if parsed is None or refused:
        raise ValidationError(
            f"'{raw}' is not a phone number CEO Desk can read. Type it with its area code, or in "
            f"international form starting with + (default country: {home}).",
            field=field,
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# Where a number typed without its country code most often comes from, when the office's region
# refuses it: the regions tried, in the order they are suggested.
LIKELY_REGIONS = (
    "US", "GB", "CA", "AU", "IE", "NZ", "IN", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT",
    "SE", "NO", "DK", "FI", "PL", "PT", "BR", "MX", "ZA", "SG", "HK", "JP", "CN", "AE",
)  # fmt: skip


def likely_country(raw: str, refused_by: str) -> tuple[str, str] | None:
    """Where a number the default region refuses is most likely from: ("+1 202-555-0101", "US").

    Read as international (the + forgotten, or 00 typed for it) first, then as a national
    number of the regions calls most often come from."""
    import phonenumbers

    digits = re.sub(r"[^\d]", "", raw)
    if not digits:
        return None
    readings: list[tuple[str, str | None]] = [("+" + digits.removeprefix("00"), None)]
    readings += [(raw, region) for region in LIKELY_REGIONS if region != refused_by]
    for text, region in readings:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return (
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
                phonenumbers.region_code_for_number(number) or "",
            )
    return None


def phone_for_display(e164: str | None) -> str:
    if not e164:
        return ""
    import phonenumbers  # loaded on first use: no start-up needs it, nor a customer without one

    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_forms(e164: str | None) -> list[str]:
    """The ways a person types a number when looking for it: +12125554179, 2125554179,
    +1 212-555-4179."""
    if not e164:
        return []
    import phonenumbers  # loaded on first use: no start-up needs it

    forms = [e164, e164.lstrip("+")]
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return forms
    forms.append(phonenumbers.national_significant_number(parsed))
    forms.append(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    return forms


def email(value: str | None, field: str = "email") -> str | None:
    """A syntactically valid address, normalised; None when left empty. No network look-up."""
    raw = (value or "").strip()
    if not raw:
        return None
    import email_validator  # loaded on first use (its import compiles large patterns)

    if _is_plain_address(raw, email_validator.SPECIAL_USE_DOMAIN_NAMES):
        return raw.lower()
    try:
        result = email_validator.validate_email(raw, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise ValidationError(f"'{raw}' is not a valid email address: {exc}", field=field) from None
    odd = sorted(set(result.local_part) & _URL_SIGNS_IN_ADDRESSES)
    if odd:
        # RFC 5322 allows these, but no mailbox people give out uses them, and in a link they
        # add headers: `victim?bcc=someone@example.org`.
        raise ValidationError(
            f"'{raw}' is not an email address people use: it contains {' '.join(odd)} before "
            "the @. Check it with the customer.",
            field=field,
        )
    return result.normalized.lower()


_URL_SIGNS_IN_ADDRESSES = frozenset("?&#%=/!*$^`{}|~")

# The addresses nearly everyone has: letters, digits, dots, _ + - before the @, plain ASCII labels
# after it, a top-level domain of letters. email_validator accepts every one of them and
# normalises it to the same lower-case text (tests/unit/test_plain_addresses.py checks both), at
# a fraction of the cost: an import of 100,000 rows reads tens of thousands. Anything else, or
# anything longer than the limits, goes to email_validator.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def _is_plain_address(raw: str, special_use: list[str]) -> bool:
    if len(raw) > 254 or "--" in raw or not _PLAIN_ADDRESS.fullmatch(raw):
        return False
    local, domain = raw.lower().rsplit("@", 1)
    if len(local) > 64 or len(domain) > 253:
        return False
    return not any(domain == name or domain.endswith("." + name) for name in special_use)


def currency(value: str | None, field: str = "currency") -> str:
    code = (value or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValidationError(
            f"Currency '{value}' must be a three-letter ISO code such as USD, EUR or GBP.",
            field=field,
        )
    return code


def minor_unit_digits(currency_code: str) -> int:
    return _MINOR_UNIT_DIGITS.get(currency_code.upper(), 2)


def money(
    value: str | int | float | Decimal | None, currency_code: str, field: str = "cost"
) -> int:
    """An amount typed as `1,234.50` into integer minor units (cents); empty means 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    raw = str(value).strip().replace(" ", "").lstrip("$€£¥")
    # Commas only as thousands separators: "1,234.50" yes, "1,2,3" no.
    if not _AMOUNT.fullmatch(raw):
        raise ValidationError(
            f"Cost '{value}' is not an amount; type it like 250 or 1,234.50.", field=field
        )
    try:
        amount = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        raise ValidationError(
            f"Cost '{value}' is not an amount; type it like 250 or 1,234.50.", field=field
        ) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"Cost '{value}' must be zero or more.", field=field)
    digits = minor_unit_digits(currency_code)
    scaled = amount * (Decimal(10) ** digits)
    if scaled != scaled.to_integral_value():
        raise ValidationError(
            f"Cost '{value}' has more decimal places than {currency_code} allows ({digits}).",
            field=field,
        )
    if scaled > 10**13:
        raise ValidationError(
            f"Cost '{value}' is implausibly large; check the amount.", field=field
        )
    return int(scaled)


def format_money(minor: int, currency_code: str) -> str:
    digits = minor_unit_digits(currency_code)
    amount = Decimal(minor) / (Decimal(10) ** digits)
    return f"{currency_code} {amount:,.{digits}f}"


def day(value: str | date | None, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raw = value.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            f"{_label(field)} '{raw}' is not a date; use YYYY-MM-DD, for example 2026-03-14.",
            field=field,
        ) from None


_TYPED_DAYS = {"today": 0, "yesterday": -1}
_TYPED_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_TYPED_DAY_FORMATS = ("%d %b %Y", "%d %B %Y", "%d %b", "%d %B", "%a %d %b %Y", "%A %d %B %Y")


def typed_moment(text: str) -> datetime | None:
    """A local date and time as a person types it on a call: "09:30" (today), "yesterday 16:00",
    "14 Mar 2026 09:30", "Sat 14 Mar 09:30" (this year); None when it reads as none of them."""
    words = text.strip().replace(",", " ").split()
    if not words:
        return None
    clock = _TYPED_TIME.match(words[-1])
    if clock is None:
        return None
    hour, minute = int(clock.group(1)), int(clock.group(2))
    if hour > 23 or minute > 59:
        return None
    now = SYSTEM_CLOCK.local(SYSTEM_CLOCK.now())
    day_text = " ".join(words[:-1]).lower()
    if not day_text or day_text in _TYPED_DAYS:
        day = now.date() + timedelta(days=_TYPED_DAYS.get(day_text, 0))
    else:
        for pattern in _TYPED_DAY_FORMATS:
            try:
                read = datetime.strptime(day_text.title(), pattern)
            except ValueError:
                continue
            day = read.date() if "%Y" in pattern else read.date().replace(year=now.year)
            break
        else:
            return None
    return datetime(day.year, day.month, day.day, hour, minute).astimezone()


def moment(value: str | datetime | None, field: str) -> datetime | None:
    """An ISO date-time; without a zone it is taken as this computer's local time."""
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        raw = value.strip()
        if not raw:
            return None
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            loose = typed_moment(raw)
            if loose is None:
                raise ValidationError(
                    f"{_label(field)} '{raw}' is not a date and time; type it as 09:30, "
                    "yesterday 16:00, 14 Mar 2026 09:30 or 2026-03-14T09:30.",
                    field=field,
                ) from None
            parsed = loose
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise ValidationError(
            f"{_label(field)} {parsed:%Y-%m-%d} is outside {EARLIEST_YEAR} to {LATEST_YEAR}; "
            "check the year.",
            field=field,
        )
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()
    return parsed.astimezone(UTC)


def whole_number(
    value: str | int | None,
    field: str,
    *,
    minimum: int = 0,
    maximum: int = 1000,
    label: str | None = None,
) -> int:
    name = label or _label(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return minimum
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"{name} '{value}' must be a whole number.", field=field) from None
    if not minimum <= number <= maximum:
        raise ValidationError(
            f"{name} must be between {minimum} and {maximum}; got {number}.", field=field
        )
    return number


def yes_no(value: object, field: str, *, label: str | None = None) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{label or _label(field)} must be yes or no.", field=field)
    return value


def satisfaction(value: str | int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return whole_number(value, "satisfaction", minimum=1, maximum=5)
