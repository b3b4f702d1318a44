"""The clock: the moment now, which local day a moment falls on, and when a local day starts.

Due dates and periods are calendar days on this computer's clock. Services, statistics and
screens ask a `Clock` for them: `SYSTEM_CLOCK` reads this computer's clock and time zone; a
`FixedClock` stands still at one moment, in a zone of its choosing, for tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from functools import lru_cache


class Clock:
    """This computer's clock: now in UTC, and calendar days in its local zone (or `zone`)."""

    def __init__(self, zone: tzinfo | None = None) -> None:
        self.zone = zone

    def now(self) -> datetime:
        return datetime.now(UTC)

    def moment(self, given: datetime | None = None) -> datetime:
        """`given` in UTC (a naive time is read as local), or now when none is given."""
        return (given or self.now()).astimezone(UTC)

    def today(self) -> date:
        return self.local_day(self.now())

    def local_day(self, moment: datetime) -> date:
        """The calendar day of a moment in this clock's zone (the day due dates are kept in)."""
        # Reports convert thousands of moments: the zone's offset is looked up once per hour.
        seconds = moment.timestamp()
        offset = _steady_offset(self.zone, int(seconds // 3600))
        if offset is None:  # the clocks change within this hour
            return moment.astimezone(self.zone).date()
        return date.fromordinal(_EPOCH_ORDINAL + int((seconds + offset) // 86400))

    def local(self, moment: datetime) -> datetime:
        """The moment as a wall-clock time in this clock's zone."""
        return moment.astimezone(self.zone)

    def day_start(self, day: date) -> datetime:
        """Midnight at the start of `day` in this clock's zone, in UTC."""
        if self.zone is None:
            return datetime.combine(day, time.min).astimezone().astimezone(UTC)
        return datetime.combine(day, time.min, self.zone).astimezone(UTC)


class FixedClock(Clock):
    """A clock that always says it is `now`; days are kept in `zone` (default: this computer's)."""

    def __init__(self, now: datetime, zone: tzinfo | None = None) -> None:
        super().__init__(zone)
        self._now = now.astimezone(UTC)

    def now(self) -> datetime:
        return self._now


SYSTEM_CLOCK = Clock()

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@lru_cache(maxsize=16384)
def _steady_offset(zone: tzinfo | None, hour: int) -> float | None:
    """The UTC offset in seconds of `zone` (None: local) throughout this hour, if it is steady."""
    start = datetime.fromtimestamp(hour * 3600, UTC).astimezone(zone).utcoffset()
    end = datetime.fromtimestamp(hour * 3600 + 3599, UTC).astimezone(zone).utcoffset()
    if start is None or start != end:
        return None
    return start.total_seconds()
