"""The clock: which local day a moment falls on, and when a local day starts.

Due dates and periods are calendar days on this computer's clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache


def local_day(moment: datetime) -> date:
    """The calendar day of a moment on this computer's clock (the day due dates are kept in)."""
    # Reports convert thousands of moments: the zone's offset is looked up once per hour.
    seconds = moment.timestamp()
    offset = _steady_offset(int(seconds // 3600))
    if offset is None:  # the clocks change within this hour
        return moment.astimezone().date()
    return date.fromordinal(_EPOCH_ORDINAL + int((seconds + offset) // 86400))


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@lru_cache(maxsize=16384)
def _steady_offset(hour: int) -> float | None:
    """The local UTC offset in seconds throughout this hour since the epoch, if it is steady."""
    start = datetime.fromtimestamp(hour * 3600, UTC).astimezone().utcoffset()
    end = datetime.fromtimestamp(hour * 3600 + 3599, UTC).astimezone().utcoffset()
    if start is None or start != end:
        return None
    return start.total_seconds()


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`, in UTC."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)
