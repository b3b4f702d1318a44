"""Reading the dates other systems write: ISO, numeric day/month orders, textual months.

ISO dates and any date written year first are always year-month-day. A numeric date written
day and month first (14/03/2026, 03-04-15) needs the file's order; when it would read
differently day-first and month-first and no order was given, it is refused with both readings,
never guessed. Two-digit years below 70 are 20xx, the rest 19xx.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Literal

from ceo_desk.errors import ValidationError

DateOrder = Literal["dmy", "mdy"]
DATE_ORDERS: dict[str, str] = {
    "dmy": "day first (14/03/2026)",
    "mdy": "month first (03/14/2026)",
}
# Names saved mappings may still use.
_FORMER_ORDERS = {"day-first": "dmy", "month-first": "mdy"}

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_SEP = r"[/.\-]"
_TIME = (
    r"(?:[ T]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
)
_YEAR_FIRST = re.compile(rf"^(?P<y>\d{{4}}){_SEP}(?P<a>\d{{1,2}}){_SEP}(?P<b>\d{{1,2}}){_TIME}$")
_NUMERIC = re.compile(
    rf"^(?P<a>\d{{1,2}}){_SEP}(?P<b>\d{{1,2}}){_SEP}(?P<y>\d{{2}}|\d{{4}}){_TIME}$"
)
_DAY_MONTH_NAME = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[ /.\-]*(?P<mon>[A-Za-z]{{3,9}})\.?,?[ /.\-]*"
    rf"(?P<y>\d{{4}}|\d{{2}}){_TIME}$"
)
_MONTH_NAME_DAY = re.compile(
    rf"^(?P<mon>[A-Za-z]{{3,9}})\.?[ /.\-]*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?[ /.\-]*"
    rf"(?P<y>\d{{4}}|\d{{2}}){_TIME}$"
)


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_order(text: str | None, where: str = "the mapping") -> DateOrder | None:
    """A date order as written in a mapping or on the command line ("dmy" or "mdy")."""
    if text is None or not str(text).strip():
        return None
    value = str(text).strip().lower()
    value = _FORMER_ORDERS.get(value, value)
    if value == "dmy":
        return "dmy"
    if value == "mdy":
        return "mdy"
    raise ValidationError(
        f'In {where}, the date order "{text}" is not one of: dmy (day first), mdy (month first).',
        field="date_order",
    )


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _clock(match: re.Match[str]) -> tuple[int, int, int] | None:
    if match.group("h") is None:
        return (0, 0, 0)
    hour, minute = int(match.group("h")), int(match.group("mi"))
    second = int(match.group("s") or 0)
    ampm = (match.group("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return (hour, minute, second)


def _moment(year: int, month: int, day: int, clock: tuple[int, int, int] | None) -> datetime | None:
    if clock is None:
        return None
    try:
        return datetime(year, month, day, *clock)
    except ValueError:
        return None


def readings(text: str) -> dict[str, datetime]:
    """Every reading of a date: {"any": ...} when the order does not matter, else one entry per
    order under which the text is a real date ("dmy", "mdy"); empty when it is no date at all."""
    value = " ".join(text.split())
    if not value:
        return {}
    if _ISO.match(value):
        try:
            return {"any": datetime.fromisoformat(value)}
        except ValueError:
            pass
    match = _YEAR_FIRST.match(value)
    if match:
        found = _moment(int(match["y"]), int(match["a"]), int(match["b"]), _clock(match))
        return {"any": found} if found else {}
    for pattern in (_DAY_MONTH_NAME, _MONTH_NAME_DAY):
        match = pattern.match(value)
        if match:
            month = _MONTHS.get(match["mon"].lower())
            found = (
                _moment(_year(match["y"]), month, int(match["d"]), _clock(match)) if month else None
            )
            return {"any": found} if found else {}
    match = _NUMERIC.match(value)
    if match:
        year, first, second = _year(match["y"]), int(match["a"]), int(match["b"])
        clock = _clock(match)
        day_first = _moment(year, second, first, clock)
        month_first = _moment(year, first, second, clock)
        if day_first is not None and day_first == month_first:
            return {"any": day_first}
        both = {"dmy": day_first, "mdy": month_first}
        return {order: moment for order, moment in both.items() if moment is not None}
    return {}


def order_evidence(text: str) -> DateOrder | None:
    """The order a date can only be read in (20-05-15 is day first), or None."""
    found = readings(text)
    if set(found) == {"dmy"}:
        return "dmy"
    if set(found) == {"mdy"}:
        return "mdy"
    return None


def _spoken(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def read_moment(text: str, order: DateOrder | None, field: str, label: str) -> datetime | None:
    """The moment a cell names, as aware UTC (a time without a zone is the office's local
    time); None for an empty cell. Refused: no date, or a date the order would decide when no
    order was given."""
    if not text.strip():
        return None
    found = readings(text)
    moment = found.get("any") or (found.get(order) if order else None)
    if moment is None and order is None and len(found) == 1:
        moment = next(iter(found.values()))  # only one order makes it a date: 20-05-15
    if moment is None and order is None and len(found) == 2:
        raise ValidationError(
            f"{label} '{text.strip()}' reads as {_spoken(found['dmy'])} day first and "
            f"{_spoken(found['mdy'])} month first; give the file's order with --date-order dmy "
            "or mdy (date_order in the mapping)",
            field=field,
        )
    if moment is None:
        expected = "a date such as 2026-03-14, 14 March 2026 or Mar 14, 2026" + (
            f", or {DATE_ORDERS[order]}" if order else ""
        )
        if found and order:
            other = next(iter(found))
            expected += f"; it would be a date {DATE_ORDERS[other].split(' (')[0]}"
        raise ValidationError(f"{label} '{text.strip()}' is not {expected}", field=field)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC)


def read_day(text: str, order: DateOrder | None, field: str, label: str) -> date | None:
    moment = read_moment(text, order, field, label)
    return moment.astimezone().date() if moment else None
