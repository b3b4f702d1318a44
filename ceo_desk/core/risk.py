"""How much is at stake on a complaint, and why: the one place that weighs severity, a
vulnerable customer, who else is watching, a promise falling due and the days the customer has
waited. Today orders its calls by it and shows the reasons; `ceo-desk today` prints the same."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ceo_desk.core import queries
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import promises
from ceo_desk.enums import ReputationFlag, Severity
from ceo_desk.store.db import UnitOfWork

SEVERITY_WEIGHT = {Severity.CRITICAL: 40, Severity.HIGH: 25, Severity.NORMAL: 10, Severity.LOW: 0}
VULNERABLE_WEIGHT = 30
FLAG_WEIGHT = {
    ReputationFlag.REGULATOR: 25,
    ReputationFlag.MP: 25,
    ReputationFlag.JOURNALIST: 25,
    ReputationFlag.SOCIAL_MEDIA: 15,
}
PROMISE_OVERDUE_WEIGHT = 30
PROMISE_TODAY_WEIGHT = 25
PROMISE_SOON_WEIGHT = 15
# A day waited counts one point, up to a month: after that the waiting is no longer what
# separates one call from the next.
MAX_WAITING_WEIGHT = 30


@dataclass(frozen=True)
class Reason:
    text: str
    weight: int


@dataclass(frozen=True)
class Risk:
    score: int
    reasons: tuple[Reason, ...]  # the heaviest first

    @property
    def text(self) -> str:
        """ "Critical · vulnerable customer · MP · promise overdue · 12 days waiting"."""
        return " · ".join(r.text for r in self.reasons)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def assess(
    *,
    severity: Severity,
    vulnerable: bool,
    flags: Iterable[ReputationFlag],
    promise_due_on: date | None,
    promise_warning_until: date | None,
    waiting_since: date,
    today: date,
) -> Risk:
    """The score and its reasons. `promise_due_on` is the earliest promise not yet ticked;
    it counts once overdue, due today, or due by `promise_warning_until`."""
    reasons = [Reason(severity.label, SEVERITY_WEIGHT[severity])]
    if vulnerable:
        reasons.append(Reason("vulnerable customer", VULNERABLE_WEIGHT))
    for flag in sorted(set(flags), key=lambda f: (-FLAG_WEIGHT[f], f.value)):
        reasons.append(Reason(flag.label, FLAG_WEIGHT[flag]))
    if promise_due_on is not None:
        if promise_due_on < today:
            late = (today - promise_due_on).days
            reasons.append(Reason(f"promise overdue {_days(late)}", PROMISE_OVERDUE_WEIGHT))
        elif promise_due_on == today:
            reasons.append(Reason("promise due today", PROMISE_TODAY_WEIGHT))
        elif promise_warning_until is not None and promise_due_on <= promise_warning_until:
            reasons.append(
                Reason(f"promise due {promises.short_day(promise_due_on)}", PROMISE_SOON_WEIGHT)
            )
    waited = max(0, (today - waiting_since).days)
    if waited:
        reasons.append(Reason(f"{_days(waited)} waiting", min(waited, MAX_WAITING_WEIGHT)))
    ordered = (reasons[0], *sorted(reasons[1:], key=lambda r: -r.weight))
    return Risk(sum(r.weight for r in reasons), ordered)


@dataclass(frozen=True)
class RankedCallback:
    """A Today row with its risk."""

    row: queries.CallbackDue
    risk: Risk


def callbacks_by_risk(uow: UnitOfWork, *, today: date) -> list[RankedCallback]:
    """The callbacks due as of today, the most at stake first (then the longest waiting)."""
    rows = queries.callbacks_due(uow, today=today)
    due = promises.earliest_open_due(uow, (r.id for r in rows))
    until = promises.warning_until(uow, today)
    ranked = [
        RankedCallback(
            r,
            assess(
                severity=r.severity,
                vulnerable=r.vulnerable,
                flags=r.flags,
                promise_due_on=due.get(r.id),
                promise_warning_until=until,
                waiting_since=SYSTEM_CLOCK.local_day(r.received_at) if r.received_at else today,
                today=today,
            ),
        )
        for r in rows
    ]
    # Stable: equal scores keep the query's order (due first, then received).
    ranked.sort(key=lambda item: -item.risk.score)
    return ranked
