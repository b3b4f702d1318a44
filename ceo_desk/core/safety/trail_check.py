"""The audit trail checked against what the log cannot rewrite, and the records against the trail.

One pass over the events feeds every check: the chain's own links; the heads recorded outside the
log (the anchor file, each managed backup's own newest event, a seal printed on a board pack);
and a replay of each complaint's events, which the complaint's status, counters, callbacks and
reports must agree with. The triggers that refuse changes to events must be in place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select, text

from ceo_desk import paths
from ceo_desk.core import audit, transitions
from ceo_desk.core.safety import anchor
from ceo_desk.store import backup
from ceo_desk.store.db import Database, UnitOfWork
from ceo_desk.store.models import Callback, Complaint, Event, EventChange, Report


@dataclass(frozen=True)
class TrailFinding:
    check: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class TrailReport:
    findings: list[TrailFinding]
    events_checked: int
    first_broken_event_id: int | None


# ---------------------------------------------------------------- what each event does


@dataclass
class _Replayed:
    """One complaint as its events tell it."""

    status: str | None = None
    unanswered: int = 0
    reopened: int = 0
    reports: int = 0
    callbacks: Counter[str] = field(default_factory=Counter)
    last_callback: str | None = None  # the callback event a withdrawal would take back


def _imported_status(change: EventChange | None) -> str | None:
    import json

    if change is None or change.redacted_at is not None:
        return None  # erased customer: the imported values are gone, the status stays unknown
    try:
        value = json.loads(change.after_json).get("status")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _replay(state: _Replayed, event: Event, change: EventChange | None) -> None:
    action = event.action
    if action == "imported":
        state.status = _imported_status(change)
    elif action in transitions.STATUS_AFTER_EVENT:
        state.status = transitions.STATUS_AFTER_EVENT[action].value
    if action == "report_filed":
        state.reports += 1
        state.unanswered = 0
    if action in transitions.UNANSWERED_EVENTS:
        state.unanswered += 1
    if action in transitions.REOPENING_EVENTS:
        state.reopened += 1
    if action in transitions.CALLBACK_OF_EVENT:
        state.callbacks[transitions.CALLBACK_OF_EVENT[action].value] += 1
        state.last_callback = action
    elif action == transitions.OUTCOME_WITHDRAWN and state.last_callback is not None:
        taken_back, state.last_callback = state.last_callback, None
        state.callbacks[transitions.CALLBACK_OF_EVENT[taken_back].value] -= 1
        state.unanswered -= taken_back in transitions.UNANSWERED_EVENTS
        state.reopened -= taken_back in transitions.REOPENING_EVENTS
        state.callbacks = +state.callbacks  # drop the outcomes counted down to nothing
    else:
        state.last_callback = None


def _records_finding(uow: UnitOfWork, replayed: dict[int, _Replayed]) -> TrailFinding:
    session = uow.session
    callbacks: dict[int, Counter[str]] = {}
    for complaint_id, outcome, count in session.execute(
        select(Callback.complaint_id, Callback.outcome, func.count())
        .where(Callback.withdrawn_at.is_(None))
        .group_by(Callback.complaint_id, Callback.outcome)
    ):
        callbacks.setdefault(complaint_id, Counter())[outcome] = count
    reports = dict(
        session.execute(
            select(Report.complaint_id, func.count()).group_by(Report.complaint_id)
        ).all()
    )
    problems: list[str] = []
    rows = session.execute(
        select(
            Complaint.id,
            Complaint.reference,
            Complaint.status,
            Complaint.unanswered_attempts,
            Complaint.reopen_count,
        ).order_by(Complaint.id)
    )
    for complaint_id, reference, status, unanswered, reopened in rows:
        told = replayed.get(complaint_id)
        if told is None:
            problems.append(f"{reference} has no events at all")
            continue
        wrong = []
        if told.status is not None and status != told.status:
            wrong.append(f"its status is {status} but its events leave it {told.status}")
        if unanswered != told.unanswered:
            wrong.append(
                f"it counts {unanswered} unanswered callback(s) but its events record "
                f"{told.unanswered}"
            )
        if reopened != told.reopened:
            wrong.append(f"it was reopened {reopened} time(s) but its events say {told.reopened}")
        held = callbacks.get(complaint_id, Counter())
        if held != told.callbacks:
            wrong.append(
                f"it holds {sum(held.values())} callback(s) ({_outcomes(held)}) but its events "
                f"record {sum(told.callbacks.values())} ({_outcomes(told.callbacks)})"
            )
        if reports.get(complaint_id, 0) != told.reports:
            wrong.append(
                f"it holds {reports.get(complaint_id, 0)} report(s) but its events record "
                f"{told.reports}"
            )
        if wrong:
            problems.append(f"{reference}: " + "; ".join(wrong))
    if not problems:
        return TrailFinding(
            "records_match_trail", True, "every complaint is what its events say it is"
        )
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return TrailFinding(
        "records_match_trail",
        False,
        f"{len(problems)} complaint(s) were changed without an event: "
        + ". ".join(problems[:3])
        + more
        + ". Restore the newest backup that passes this check.",
    )


def _outcomes(counts: Counter[str]) -> str:
    return ", ".join(f"{n} {o.replace('_', ' ')}" for o, n in sorted(counts.items())) or "none"


# ---------------------------------------------------------------- heads held outside the log


def _backup_claims(db: Database) -> list[anchor.Claim]:
    """Each managed backup's own newest event: a copy of the chain the log must still contain."""
    path = db.sqlite_path
    if path is None:
        return []
    claims = []
    for item in backup.list_backups(paths.backups_dir(path)):
        head = anchor.file_head(item.path)
        if head is not None and head.events:
            claims.append(anchor.Claim(head, item.taken_at, f"the backup {item.path.name}"))
    return claims


def _still_valid(claim: anchor.Claim, restores: list[anchor.Claim]) -> bool:
    """A head recorded before a restore to a shorter chain belongs to the chain left behind."""
    return not any(r.at > claim.at and r.head.events < claim.head.events for r in restores)


@dataclass
class _ClaimCheck:
    """Matches the live chain, event by event, against heads recorded elsewhere."""

    claims: dict[int, list[anchor.Claim]]
    seal: audit.Seal | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)
    confirmed: list[anchor.Claim] = field(default_factory=list)
    seal_matched: bool = False
    seal_problem: str | None = None

    def step(self, position: int, event: Event, previous_id: int) -> None:
        for missing_id in [i for i in self.claims if previous_id < i < event.id]:
            for claim in self.claims.pop(missing_id):
                self.problems.append(
                    (missing_id, f"event {missing_id} recorded in {claim.source} was removed")
                )
        for claim in self.claims.pop(event.id, []):
            if claim.head.hash == event.hash and claim.head.events == position:
                self.confirmed.append(claim)
            else:
                self.problems.append((event.id, _differs(event.id, claim)))
        if self.seal is not None and position == self.seal.events:
            self.seal_matched = event.hash.startswith(self.seal.hash_prefix)
            if not self.seal_matched:
                self.seal_problem = (
                    f"event {event.id} (number {position:,}) is not the one the seal was printed "
                    "for: the trail was rewritten at or before it"
                )

    def finish(self, events: int, last_id: int) -> None:
        for claim_id, claims in sorted(self.claims.items()):
            for claim in claims:
                self.problems.append(
                    (
                        claim_id,
                        f"{claim.source} recorded {claim.head.events:,} events up to event "
                        f"{claim_id}; the log has {events:,} up to event {last_id}: the newest "
                        "events were removed",
                    )
                )
        if self.seal is not None and self.seal.events > events:
            self.seal_problem = (
                f"the seal records {self.seal.events:,} events; the log has {events:,}: the "
                "newest events were removed (or an older backup was restored since)"
            )


def _differs(event_id: int, claim: anchor.Claim) -> str:
    return (
        f"event {event_id} is not the event recorded in {claim.source}: it (or one just before "
        "it) was changed or removed and the chain re-hashed"
    )


# ---------------------------------------------------------------- protection


def _protection_finding(uow: UnitOfWork) -> TrailFinding:
    if uow.dialect == "sqlite":
        names = set(
            uow.session.scalars(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event'")
            )
        )
        missing = sorted({"event_no_update", "event_no_delete"} - names)
    else:
        enabled = set(
            uow.session.scalars(
                text(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'event'::regclass "
                    "AND NOT tgisinternal AND tgenabled <> 'D'"
                )
            )
        )
        missing = sorted({"event_immutable"} - enabled)
    if missing:
        return TrailFinding(
            "audit_protection",
            False,
            f"the triggers that refuse changes to events are missing or disabled "
            f"({', '.join(missing)}): someone removed them. Restore the newest backup that "
            "passes this check.",
        )
    return TrailFinding(
        "audit_protection", True, "events are protected against change and deletion"
    )


# ---------------------------------------------------------------- the whole check


def check_trail(db: Database, *, seal_text: str | None = None) -> TrailReport:
    """Every check of the trail, in one pass over the events."""
    seal = audit.parse_seal(seal_text) if seal_text is not None else None
    recorded = anchor.read_anchor(db.url)
    claims = [
        c
        for c in [*recorded.heads, *_backup_claims(db)]
        if c.head.events and _still_valid(c, recorded.restores)
    ]
    by_id: dict[int, list[anchor.Claim]] = {}
    for claim in claims:
        by_id.setdefault(claim.head.last_id, []).append(claim)
    walker = audit.ChainWalker()
    matcher = _ClaimCheck(by_id, seal)
    replayed: dict[int, _Replayed] = {}
    position = 0
    previous_id = 0
    with db.reading() as uow:
        for event, change in audit.iter_events(uow):
            position += 1
            walker.step(event, change)
            matcher.step(position, event, previous_id)
            if event.entity == "complaint" and event.complaint_id is not None:
                _replay(replayed.setdefault(event.complaint_id, _Replayed()), event, change)
            previous_id = event.id
        matcher.finish(position, previous_id)
        protection = _protection_finding(uow)
        records = _records_finding(uow, replayed)
    verdict = walker.result()
    findings = [_chain_finding(verdict), _anchor_finding(recorded, matcher, len(claims))]
    if seal_text is not None:
        findings.append(_seal_finding(seal_text, seal, matcher))
    findings += [protection, records]
    broken = [i for i in (verdict.first_broken_event_id, *(p[0] for p in matcher.problems)) if i]
    return TrailReport(findings, verdict.events_checked, min(broken) if broken else None)


def _chain_finding(verdict: audit.ChainVerdict) -> TrailFinding:
    if verdict.ok:
        return TrailFinding(
            "audit_chain", True, f"{verdict.events_checked:,} events, chain unbroken"
        )
    return TrailFinding(
        "audit_chain",
        False,
        f"the chain is broken at event {verdict.first_broken_event_id}: {verdict.problem}",
    )


def _anchor_finding(recorded: anchor.AnchorFile, matcher: _ClaimCheck, claims: int) -> TrailFinding:
    if matcher.problems:
        matcher.problems.sort()
        first = matcher.problems[0][1]
        more = len(matcher.problems) - 1
        return TrailFinding(
            "audit_anchor",
            False,
            f"{first}" + (f" ({more} more disagreement(s))" if more else "") + ". The trail was "
            "rewritten; restore the newest backup that passes this check.",
        )
    if recorded.unreadable_lines:
        return TrailFinding(
            "audit_anchor",
            False,
            f"the anchor file {recorded.path} was edited: line(s) "
            f"{', '.join(map(str, recorded.unreadable_lines[:5]))} cannot be read",
        )
    if not claims:
        return TrailFinding(
            "audit_anchor", True, "no head recorded outside the log yet (no events, no backups)"
        )
    since = min((c.at for c in matcher.confirmed), default=datetime.now(UTC))
    return TrailFinding(
        "audit_anchor",
        True,
        f"the trail agrees with {claims:,} head(s) recorded outside the log since "
        f"{since:%Y-%m-%d} (anchor file and backups)",
    )


def _seal_finding(seal_text: str, seal: audit.Seal | None, matcher: _ClaimCheck) -> TrailFinding:
    if seal is None:
        return TrailFinding(
            "audit_seal",
            False,
            f"'{seal_text}' is not an audit seal; type it as printed on the board pack, for "
            "example: Audit seal: 18,204 events \u00b7 3F9A-1B2C-7D4E-0A5F-9C81",
        )
    if matcher.seal_problem is not None or not matcher.seal_matched:
        return TrailFinding("audit_seal", False, matcher.seal_problem or "the seal does not match")
    return TrailFinding(
        "audit_seal",
        True,
        f"the trail still holds the {seal.events:,} events the seal was printed for",
    )
