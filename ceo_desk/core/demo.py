"""A realistic, reproducible demo history ending today, for newcomers, screenshots and benchmarks.

It writes rows in bulk rather than through the services (100,000 complaints must take well under a
minute) but follows the same lifecycle and writes the same events, hash chain and search rows, so
the result is indistinguishable from a log built by hand: `ceo-desk check` passes on it.
"""

from __future__ import annotations

import bisect
import functools
import gc
import itertools
import random
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import Dialect, Table, func, select

from ceo_desk.core import (
    audit,
    demo_text,
    made_alongside,
    policy,
    search,
    transitions,
    validation,
)
from ceo_desk.core.language import flagged_terms
from ceo_desk.core.services import office, promises
from ceo_desk.enums import (
    Channel,
    Loyalty,
    Outcome,
    PromiseOutcome,
    ReputationFlag,
    Severity,
    UnitKind,
)
from ceo_desk.errors import ValidationError
from ceo_desk.settings import OfficeSettings
from ceo_desk.store import bulk
from ceo_desk.store.db import Database, UnitOfWork
from ceo_desk.store.models import (
    Callback,
    Category,
    Complaint,
    Customer,
    Delegation,
    Event,
    EventChange,
    Promise,
    ReferenceCounter,
    Report,
    Staff,
    Unit,
)

MAX_COMPLAINTS = 1_000_000
# A complaint received this recently may still be waiting for the assistant to delegate it.
_FRESH = timedelta(hours=48)
# Work due in the last few days may still be waiting, so a demo day has lists to work down.
_BACKLOG_DAYS = 4
# How many of the most recent calls are left new (not yet delegated).
_JUST_LOGGED = 2
_BATCH = 5_000
# Every table the generator fills; their indexes are built once the rows are in.
_WRITTEN_TABLES = bulk.tables_of(
    Complaint, Customer, Delegation, Report, Callback, Promise, Event, EventChange
)
_DICT_TABLES = bulk.tables_of(Customer, Complaint, Delegation, Report, Callback, Promise)
_EVENT_TABLE, _CHANGE_TABLE = bulk.tables_of(Event, EventChange)
# Customers the office knows to be vulnerable (bereaved, ill, in hardship).
_VULNERABLE_SHARE = 0.04
# Who else is watching (fields.REPUTATION_FIELDS): about 3% of complaints, these flags in these
# proportions, and a third of those that came in on social media were posted there too.
_FLAGGED_SHARE = 0.03
_FLAG_WEIGHTS = (
    (ReputationFlag.MP, 25),
    (ReputationFlag.JOURNALIST, 15),
    (ReputationFlag.REGULATOR, 30),
    (ReputationFlag.SOCIAL_MEDIA, 30),
)
_FLAG_ATTRIBUTES = tuple(flag.attribute for flag in ReputationFlag)
_SOCIAL_MEDIA_POSTED = 0.35
# Of the calls where the CEO promised something, the share whose promise is in the ledger, and
# of those the share with a second promise.
_LEDGER_SHARE = 0.3
_SECOND_PROMISE_SHARE = 0.15
# How the CEO ticks the promises at a call: kept when the customer is satisfied; when not, the
# promises are often ticked (mostly broken) then, and otherwise left for the next call.
_KEPT_WHEN_SATISFIED = 0.9
_TICKED_WHEN_NOT_SATISFIED = 0.6
_KEPT_WHEN_NOT_SATISFIED = 0.15
_KEPT_WHEN_UNREACHABLE = 0.6
_SEVERITY_WEIGHTS = (
    (Severity.LOW, 15),
    (Severity.NORMAL, 55),
    (Severity.HIGH, 22),
    (Severity.CRITICAL, 8),
)
_CHANNEL_WEIGHTS = (
    (Channel.PHONE, 70),
    (Channel.EMAIL, 12),
    (Channel.LETTER, 6),
    (Channel.IN_PERSON, 5),
    (Channel.SOCIAL_MEDIA, 5),
    (Channel.OTHER, 2),
)


@dataclass(frozen=True)
class DemoSummary:
    complaints: int
    customers: int
    staff: int


@dataclass
class _Rows:
    """Rows waiting to be written, table by table."""

    customers: list[dict[str, Any]] = field(default_factory=list)
    complaints: list[dict[str, Any]] = field(default_factory=list)
    delegations: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    promises: list[dict[str, Any]] = field(default_factory=list)
    # The two largest tables (several rows per complaint) as plain tuples, no dict per row.
    events: list[tuple[Any, ...]] = field(default_factory=list)
    changes: list[tuple[Any, ...]] = field(default_factory=list)
    search: list[tuple[int, str]] = field(default_factory=list)

    def size(self) -> int:
        return len(self.events)

    def by_table(self) -> list[tuple[Table, list[dict[str, Any]]]]:
        """The tables written from dictionaries, each with its rows, in the order they are
        written (a row's table after the tables it refers to)."""
        lists = (
            self.customers,
            self.complaints,
            self.delegations,
            self.reports,
            self.callbacks,
            self.promises,
        )
        return list(zip(_DICT_TABLES, lists, strict=True))


@dataclass(frozen=True)
class _Stored:
    """A batch already converted to what SQLite stores, table by table in the order of writing:
    made where the rows are made, so the writer only inserts."""

    tables: list[bulk.Stored]
    search: list[tuple[int, str]]


class _Ids:
    def __init__(self, uow: UnitOfWork) -> None:
        def start(model: Any) -> int:
            return int(uow.session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0)

        self.complaint = start(Complaint)
        self.delegation = start(Delegation)
        self.report = start(Report)
        self.callback = start(Callback)
        self.event = start(Event)
        self.customer = start(Customer)
        self.promise = start(Promise)


def generate(
    uow: UnitOfWork,
    *,
    complaints: int = 500,
    months: int = 12,
    seed: int = 1,
    today: date | None = None,
    alongside: bool = False,
) -> DemoSummary:
    """Fill an empty log with `complaints` complaints received over the last `months` months.

    `alongside`: the rows are made in a second process while this one writes them
    (`made_alongside`), when this process may fork; the log is the same either way."""
    if not 1 <= complaints <= MAX_COMPLAINTS:
        raise ValidationError(f"Complaints must be 1 to {MAX_COMPLAINTS:,}.", field="complaints")
    if not 1 <= months <= 120:
        raise ValidationError("Months must be 1 to 120.", field="months")
    if uow.session.scalar(select(func.count()).select_from(Complaint)):
        raise ValidationError(
            "This log already holds complaints; demo data only goes into an empty log. "
            "Use --db with a new file (or `ceo-desk --demo` for a throwaway one)."
        )
    generator = _Generator(uow, random.Random(seed), today or datetime.now().date(), months)
    with _collector_paused():
        return generator.run(complaints, alongside=alongside and made_alongside.possible())


def written_once(database: Database) -> AbstractContextManager[None]:
    """Around the transaction that runs `generate` on a new log: each page written once
    (see `bulk.written_once`)."""
    return bulk.written_once(database.engine)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while the rows are made: it would walk the hundreds of
    thousands of rows held for the next batch again and again, and they hold no cycles."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class _Generator:
    def __init__(self, uow: UnitOfWork, rng: random.Random, today: date, months: int) -> None:
        self.uow = uow
        self.rng = rng
        self.today = today
        self.now = datetime.now(UTC)
        if today != datetime.now().date():
            self.now = _local(today, time(17, 30))
        self.start = today - timedelta(days=int(months * 30.44))
        self.settings: OfficeSettings = office.load_settings(uow)
        self.ids = _Ids(uow)
        self.rows = _Rows()
        self.prev_hash = (
            uow.session.scalar(select(Event.hash).order_by(Event.id.desc()).limit(1))
            or audit.GENESIS_HASH
        )
        self.actor = uow.actor
        self.os_user = uow.actor.os_user
        self.counters: dict[int, int] = {}
        self.keep_new = False
        self.customer_info: dict[int, tuple[str, str | None, str | None, str | None, str]] = {}
        self.customer_search: dict[int, list[str]] = {}
        self.phone_templates: dict[str, list[str]] = {}
        self.local_moments: dict[tuple[date, time], datetime] = {}
        self.day_offsets: dict[date, timedelta | None] = {}
        self.later_days: dict[tuple[date, int], date] = {}
        self.days_between: dict[tuple[date, date], int] = {}

    # ------------------------------------------------------------ setup

    def _directory(self) -> list[tuple[int, str, int]]:
        """Units and staff; returns (staff id, staff name, unit id)."""
        session = self.uow.session
        unit_ids: list[int] = []
        for names, kind in (
            (demo_text.DEPARTMENTS, UnitKind.DEPARTMENT),
            (demo_text.PARTNERS, UnitKind.PARTNER),
        ):
            for name in names:
                unit = session.scalar(select(Unit).where(Unit.name == name))
                if unit is None:
                    unit = Unit(name=name, kind=kind, active=True)
                    session.add(unit)
                    session.flush()
                unit_ids.append(unit.id)
        staff: list[tuple[int, str, int]] = []
        for index, name in enumerate(demo_text.STAFF_NAMES):
            unit_id = unit_ids[index % len(unit_ids)]
            email = _ascii_handle(name) + "@example.com"
            member = Staff(
                name=name,
                unit_id=unit_id,
                email=email,
                phone=f"+1202555{1000 + index:04d}",
                active=index != 7,
            )
            session.add(member)
            session.flush()
            staff.append((member.id, name, unit_id))
        self.unit_ids = unit_ids
        return [s for i, s in enumerate(staff) if i != 7]  # one deactivated, still referenced

    def _customers(self, count: int) -> list[int]:
        ids = []
        rng = self.rng
        for _ in range(count):
            self.ids.customer += 1
            cid = self.ids.customer
            name = f"{rng.choice(demo_text.FIRST_NAMES)} {rng.choice(demo_text.LAST_NAMES)}"
            phone = f"+1{rng.choice(_AREA_CODES)}555{rng.randrange(10000):04d}"
            email = f"{_ascii_handle(name)}.{cid}@example.{rng.choice(('com', 'org', 'net'))}"
            has_phone = rng.random() < 0.9
            organisation = rng.choice(demo_text.ORGANISATIONS) or None
            self.rows.customers.append(
                {
                    "id": cid,
                    "name": name,
                    "phone": phone if has_phone else None,
                    "email": email if (not has_phone or rng.random() < 0.5) else None,
                    "organisation": organisation,
                    "account_ref": f"AC-{100000 + cid}",
                    "vulnerable": rng.random() < _VULNERABLE_SHARE,
                    "erased_at": None,
                }
            )
            row = self.rows.customers[-1]
            self.customer_info[cid] = (
                name,
                row["phone"],
                row["email"],
                organisation,
                row["account_ref"],
            )
            ids.append(cid)
        return ids

    # ------------------------------------------------------------ the run

    def run(self, count: int, *, alongside: bool) -> DemoSummary:
        staff = self._directory()
        categories = [c.id for c in self.uow.session.scalars(select(Category))]
        customers = max(1, int(count * 0.8))
        connection = self.uow.session.connection()

        def made() -> Iterator[_Rows | _Stored]:
            batches = self._made(count, customers, staff, categories)
            return (self._stored(rows, connection.dialect) for rows in batches)

        with bulk.building(connection):
            aside = bulk.set_indexes_aside(connection, _WRITTEN_TABLES, coming=count)
            batches = (
                made_alongside.made_alongside(
                    made, hand_back=lambda: self.counters, receive=self.counters.update
                )
                if alongside
                else made()
            )
            for batch in batches:
                self._write(batch)
            bulk.make_indexes(connection, aside)
        for year, last in self.counters.items():
            self.uow.session.merge(ReferenceCounter(year=year, last_number=last))
        self.uow.session.flush()
        return DemoSummary(count, customers, len(staff) + 1)

    def _made(
        self,
        count: int,
        customer_count: int,
        staff: list[tuple[int, str, int]],
        categories: list[int],
    ) -> Iterator[_Rows]:
        """Every row of the history, a batch at a time, oldest complaint first."""
        customers = self._customers(customer_count)
        span_days = max(1, (self.today - self.start).days)
        # Oldest first so references rise with time, as they would in real use.
        offsets = sorted(self.rng.random() for _ in range(count))
        for index, offset in enumerate(offsets):
            # The newest calls are still waiting for the assistant, so every status shows.
            self.keep_new = index >= count - _JUST_LOGGED
            received = self._received(offset, span_days)
            customer_id = customers[
                min(len(customers) - 1, int(len(customers) * self.rng.random() ** 1.7))
            ]
            self._complaint(received, customer_id, staff, categories)
            if self.rows.size() >= _BATCH * 5:
                yield self._taken()
        yield self._taken()

    def _taken(self) -> _Rows:
        rows, self.rows = self.rows, _Rows()
        return rows

    def _add_business_days(self, start: date, count: int, settings: OfficeSettings) -> date:
        """`policy.add_business_days` under this log's settings, remembered: the stories
        count from a few hundred days, by a few days each."""
        assert settings is self.settings
        key = (start, count)
        day = self.later_days.get(key)
        if day is None:
            day = self.later_days[key] = policy.add_business_days(start, count, settings)
        return day

    def _business_days_between(self, start: date, end: date) -> int:
        key = (start, end)
        days = self.days_between.get(key)
        if days is None:
            days = self.days_between[key] = policy.business_days_between(start, end, self.settings)
        return days

    def _day(self, moment: datetime) -> date:
        """`_day`: the local day of a moment, from its UTC day's offset when that offset holds
        all day (on the day a clock changes, converted as it is)."""
        utc = moment if moment.tzinfo is UTC else moment.astimezone(UTC)
        day = utc.date()
        try:
            offset = self.day_offsets[day]
        except KeyError:
            start = datetime.combine(day, time(0), UTC)
            first = start.astimezone().utcoffset()
            last = (start + timedelta(days=1, microseconds=-1)).astimezone().utcoffset()
            offset = self.day_offsets[day] = first if first == last else None
        if offset is None:
            return _day(moment)
        return (utc + offset).date()

    def _local(self, day: date, clock: time) -> datetime:
        """`_local`, remembered: the demo's stories happen at a few clock times on each day."""
        key = (day, clock)
        moment = self.local_moments.get(key)
        if moment is None:
            moment = self.local_moments[key] = _local(day, clock)
        return moment

    def _received(self, offset: float, span_days: int) -> datetime:
        day = self.start + timedelta(days=int(offset * span_days))
        moment = self._local(day, time(8, 0)) + timedelta(minutes=self.rng.randrange(10 * 60))
        return min(moment, self.now - timedelta(minutes=self.rng.randrange(5, 600)))

    # ------------------------------------------------------------ one complaint's story

    def _complaint(
        self,
        received: datetime,
        customer_id: int,
        staff: list[tuple[int, str, int]],
        categories: list[int],
    ) -> None:
        rng = self.rng
        self.ids.complaint += 1
        cid = self.ids.complaint
        year = received.astimezone().year
        self.counters[year] = self.counters.get(year, 0) + 1
        severity = _weighted(rng, _SEVERITY_WEIGHTS)
        state = _Story(self, cid, received)
        ceo_promised = rng.choice(demo_text.PROMISES)
        reference = f"C-{year}-{self.counters[year]:04d}"
        channel = _weighted(rng, _CHANNEL_WEIGHTS)
        complaint = {
            "id": cid,
            "reference": reference,
            "received_at": received,
            "channel": channel,
            "summary": rng.choice(demo_text.SUMMARIES),
            "details": rng.choice(demo_text.DETAILS),
            "customer_wants": rng.choice(demo_text.WANTS),
            "severity": severity,
            "category_id": rng.choice(categories) if rng.random() < 0.92 else None,
            "ceo_spoke": bool(ceo_promised) or rng.random() < 0.4,
            "ceo_promised": ceo_promised,
            "prior_contacts": min(12, int(rng.expovariate(0.45))),
            "caused_by_unit_id": rng.choice(self.unit_ids) if rng.random() < 0.85 else None,
            "customer_id": customer_id,
            "withdrawn_reason": None,
            "duplicate_of_id": None,
            "latest_report_id": None,
            "created_at": received,
            "updated_at": received,
            **self._watching(channel),
        }
        state.take(transitions.logged(reference), received)
        if ceo_promised and rng.random() < _LEDGER_SHARE:
            self._promises(state, ceo_promised, received)
        if not self.keep_new:
            self._live(state, complaint, severity, staff)
        complaint.update(state.loop.columns())
        complaint["version"] = state.version
        complaint["updated_at"] = state.last
        self.rows.complaints.append(complaint)
        # search.search_body's text, part by part: each part folded once (the texts repeat),
        # joined by the space its folding of the whole would leave between them.
        body = " ".join(
            [
                f"c {year} {self.counters[year]:04d}",  # search.searchable(reference)
                *(
                    _fold(p)
                    for p in (
                        complaint["summary"],
                        complaint["details"],
                        complaint["customer_wants"],
                        ceo_promised,
                    )
                    if p
                ),
                *self._customer_search(customer_id),
                *(_fold(p) for p in state.names),
                *(_fold(p) for p in state.reported if p),
                *(_fold(p) for p in state.called if p),
                *((_fold(complaint["withdrawn_reason"]),) if complaint["withdrawn_reason"] else ()),
            ]
        )
        self.rows.search.append((cid, body))

    def _watching(self, channel: Channel) -> dict[str, bool]:
        """The reputational flags (fields.REPUTATION_FIELDS): a few per cent of complaints, a
        complaint made on social media more often so."""
        rng = self.rng
        flags = dict.fromkeys(_FLAG_ATTRIBUTES, False)
        if channel is Channel.SOCIAL_MEDIA and rng.random() < _SOCIAL_MEDIA_POSTED:
            flags[ReputationFlag.SOCIAL_MEDIA.attribute] = True
        if rng.random() < _FLAGGED_SHARE:  # one draw for most complaints, which have none
            flags[_weighted(rng, _FLAG_WEIGHTS).attribute] = True
        return flags

    def _promises(self, s: _Story, words: str, at: datetime) -> None:
        """The CEO's words as promises in the ledger, made as the call is logged (as
        `log --promised --promise-due` makes them): what, and the day it is due by."""
        rng = self.rng
        made = [demo_text.PROMISE_LEDGER[demo_text.PROMISES.index(words)]]
        if rng.random() < _SECOND_PROMISE_SHARE:
            made.append(rng.choice(demo_text.SECOND_PROMISES))
        for what, days in made:
            self.ids.promise += 1
            due = self._add_business_days(self._day(at), days, self.settings)
            row: dict[str, Any] = {
                "id": self.ids.promise,
                "complaint_id": s.complaint_id,
                "what": what,
                "due_on": due,
                "made_at": at,
                "made_by": f"{self.os_user} (Assistant)",
                "outcome": None,
                "settled_at": None,
                "settled_by": None,
            }
            self.rows.promises.append(row)
            s.open_promises.append(row)
            s.event(
                promises.PROMISE_MADE,
                promises.made_description(row["id"], due),
                at,
                entity="promise",
                entity_id=row["id"],
                after=audit.canonical_json(promises.made_values(what, due)),
                role="assistant",
            )

    def _settle(self, s: _Story, at: datetime, kept_share: float) -> None:
        """The CEO ticks the open promises at a call, each kept or broken (as Record callback
        does, in the call's own moment, after its outcome)."""
        rng = self.rng
        for row in s.open_promises:
            outcome = PromiseOutcome.KEPT if rng.random() < kept_share else PromiseOutcome.BROKEN
            row["outcome"] = outcome
            row["settled_at"] = at
            row["settled_by"] = f"{self.os_user} (CEO)"
            before, after = _SETTLED_VALUES[outcome]
            s.event(
                promises.settled_action(outcome),
                promises.settled_description(row["id"], outcome),
                at,
                entity="promise",
                entity_id=row["id"],
                before=before,
                after=after,
                role="ceo",
            )
        s.open_promises = []

    def _customer_search(self, customer_id: int) -> list[str]:
        """The customer's searchable lines (name, phone forms, email, organisation, account),
        once each."""
        lines = self.customer_search.get(customer_id)
        if lines is None:
            name, phone, email, org, account = self.customer_info[customer_id]
            lines = [
                _fold(name),  # names, organisations: drawn from short lists, folded once each
                *self._phone_lines(phone),
                *((search.searchable(email),) if email else ()),
                *((_fold(org),) if org else ()),
                account.lower().replace("-", " "),  # search.searchable of "AC-<digits>"
            ]
            self.customer_search[customer_id] = lines
        return lines

    def _phone_lines(self, phone: str | None) -> list[str]:
        """The searchable forms of `validation.phone_search_forms`, worked out once per area
        code: the demo's numbers differ only in their last four digits, which every form ends
        with. Each area code's first number is made the full way; a code whose forms do not end
        with those digits keeps being made the full way."""
        if not phone:
            return []
        prefix, last = phone[:-4], phone[-4:]
        forms = self.phone_templates.get(prefix)
        if forms is None:
            real = [search.searchable(f) for f in validation.phone_search_forms(phone)]
            fits = last.isdigit() and all(form.endswith(last) for form in real)
            self.phone_templates[prefix] = [f[:-4] for f in real] if fits else []
            return [f for f in real if f]
        if not forms:
            return [f for f in map(search.searchable, validation.phone_search_forms(phone)) if f]
        return [form + last for form in forms]

    def _live(
        self, s: _Story, c: dict[str, Any], severity: Severity, staff: list[tuple[int, str, int]]
    ) -> None:
        rng = self.rng
        if rng.random() < 0.03:
            at = s.after(c["received_at"], hours=rng.uniform(1, 30))
            if at < self.now:
                reason = rng.choice(demo_text.WITHDRAW_REASONS)
                c["withdrawn_reason"] = reason
                s.take(transitions.withdrawn(s.loop, at), at)
                return
        delegate_at = s.after(c["received_at"], hours=rng.uniform(0.2, 20))
        if delegate_at >= self.now or (self.now - c["received_at"] < _FRESH and rng.random() < 0.6):
            return
        member = rng.choice(staff)
        self._delegate(
            s, c, member, severity, delegate_at, "Please call the customer today.", "delegated"
        )
        reopened = False
        while True:
            due = s.loop.report_due_on
            assert due is not None
            if (self.today - due).days <= _BACKLOG_DAYS and rng.random() < 0.3:
                return  # the delegate is still working on it, or late: something to chase
            late = rng.random() < 0.17
            lag = self._business_days_between(self._day(s.last), due)
            days = lag + rng.randint(1, 6) if late else rng.randint(0, max(0, lag))
            filed_at = self._local(
                self._add_business_days(self._day(s.last), days, self.settings), time(9, 0)
            ) + timedelta(minutes=rng.randrange(8 * 60))
            filed_at = max(filed_at, s.last + timedelta(minutes=30))
            if filed_at >= self.now:
                return
            report_id = self._report(s, c, filed_at, due)
            if rng.random() < 0.06 and not reopened:
                back_at = s.after(filed_at, hours=rng.uniform(1, 20))
                if back_at >= self.now:
                    return
                comment = "Please tell me exactly what the customer agreed to."
                self.rows.reports[-1]["sent_back_at"] = back_at
                self.rows.reports[-1]["sent_back_comment"] = comment
                s.reported.append(comment)
                self._delegate(
                    s,
                    c,
                    self._member(staff, s),
                    severity,
                    back_at,
                    f"Sent back by the CEO: {comment}",
                    "sent_back",
                )
                reopened = True
                continue
            outcome = self._callbacks(s, c, report_id)
            if outcome is not Outcome.NOT_SATISFIED:
                return
            reopened = True
            self._delegate(
                s,
                c,
                self._member(staff, s),
                severity,
                s.last,
                "Reopened: the customer told the CEO it is not resolved.",
                "not_satisfied",
            )
            if s.open_promises and rng.random() < _TICKED_WHEN_NOT_SATISFIED:
                self._settle(s, s.last, kept_share=_KEPT_WHEN_NOT_SATISFIED)

    def _member(self, staff: list[tuple[int, str, int]], s: _Story) -> tuple[int, str, int]:
        for member in staff:
            if member[0] == s.loop.current_delegate_id:
                return member
        return staff[0]

    def _delegate(
        self,
        s: _Story,
        c: dict[str, Any],
        member: tuple[int, str, int],
        severity: Severity,
        at: datetime,
        instructions: str,
        why: Literal["delegated", "sent_back", "not_satisfied"],
    ) -> None:
        """A hand-off: the delegation row, and the step that caused it (its event says so)."""
        self.ids.delegation += 1
        s.names.append(member[1])  # delegates' names are searchable, as in search.search_body
        due = transitions.report_due(
            self._day(at), severity, self.settings, add=self._add_business_days
        )
        self.rows.delegations.append(
            {
                "id": self.ids.delegation,
                "complaint_id": c["id"],
                "staff_id": member[0],
                "delegated_at": at,
                "delegated_by": f"{self.actor.os_user} (Assistant)",
                "instructions": instructions,
                "report_due_on": due,
            }
        )
        s.delegation_id = self.ids.delegation
        step = _HAND_OFFS[why](s.loop, member[0], member[1], due)
        s.take(step, at)

    def _report(self, s: _Story, c: dict[str, Any], at: datetime, due: date) -> int:
        rng = self.rng
        self.ids.report += 1
        said, done = rng.choice(demo_text.SAID), rng.choice(demo_text.DONE)
        accommodation, cost = ("", 0)
        if rng.random() < 0.45:
            accommodation, base = rng.choice(demo_text.ACCOMMODATIONS)
            cost = base + rng.randrange(0, 5000, 50)
        flags = list(_flagged(said, done, accommodation))
        self.rows.reports.append(
            {
                "id": self.ids.report,
                "complaint_id": c["id"],
                "delegation_id": s.delegation_id,
                "said": said,
                "done": done,
                "accommodation": accommodation,
                "cost_minor": cost,
                "currency": self.settings.currency,
                "root_cause": rng.choice(demo_text.ROOT_CAUSES),
                "filed_at": at,
                "filed_by_staff_id": s.loop.current_delegate_id,
                "on_time": self._day(at) <= due,
                "flagged_terms": ",".join(flags),
                "sent_back_at": None,
                "sent_back_comment": None,
            }
        )
        c["latest_report_id"] = self.ids.report
        s.reported += [said, done, accommodation, self.rows.reports[-1]["root_cause"]]
        callback_on = transitions.callback_due(
            self._day(at), self.settings, add=self._add_business_days
        )
        s.take(transitions.report_filed(s.loop, callback_on, flags), at)
        return self.ids.report

    def _callbacks(self, s: _Story, c: dict[str, Any], report_id: int) -> Outcome | None:
        rng = self.rng
        while True:
            due = s.loop.callback_due_on
            assert due is not None
            if (self.today - due).days <= _BACKLOG_DAYS and rng.random() < 0.5:
                return None  # the CEO has not got to this one yet: due today or overdue
            slip = 0 if rng.random() < 0.8 else rng.randint(1, 3)
            at = self._local(
                self._add_business_days(due, slip, self.settings), time(9, 30)
            ) + timedelta(minutes=rng.randrange(7 * 60))
            at = max(at, s.last + timedelta(minutes=20))
            if at >= self.now:
                return None
            roll = rng.random()
            outcome = (
                Outcome.SATISFIED
                if roll < 0.72
                else Outcome.NOT_SATISFIED
                if roll < 0.8
                else Outcome.NO_ANSWER
                if roll < 0.93
                else Outcome.VOICEMAIL
            )
            answered = not outcome.is_unanswered
            words = (
                rng.choice(
                    demo_text.CUSTOMER_WORDS[:4]
                    if outcome is Outcome.SATISFIED
                    else demo_text.CUSTOMER_WORDS[4:]
                )
                if answered
                else ""
            )
            loyalty = None
            if answered:
                loyalty = (
                    Loyalty.STAYING
                    if outcome is Outcome.SATISFIED and rng.random() < 0.85
                    else rng.choice((Loyalty.AT_RISK, Loyalty.LEAVING, Loyalty.STAYING))
                )
            notes = rng.choice(demo_text.CALLBACK_NOTES)
            self.ids.callback += 1
            self.rows.callbacks.append(
                {
                    "id": self.ids.callback,
                    "complaint_id": c["id"],
                    "report_id": report_id,
                    "scheduled_for": due,
                    "made_at": at,
                    "outcome": outcome,
                    "satisfaction": (
                        rng.randint(4, 5) if outcome is Outcome.SATISFIED else rng.randint(1, 2)
                    )
                    if answered
                    else None,
                    "customer_words": words,
                    "loyalty": loyalty,
                    "notes": notes,
                    "made_by": f"{self.actor.os_user} (CEO)",
                }
            )
            s.called += [words, notes]
            if outcome is Outcome.SATISFIED:
                s.take(transitions.callback_satisfied(s.loop, at), at)
                self._settle(s, at, kept_share=_KEPT_WHEN_SATISFIED)
                return outcome
            if outcome is Outcome.NOT_SATISFIED:
                s.last = at  # the reopening hand-off records this call (see _delegate)
                return outcome
            next_on = transitions.next_attempt_due(
                self._day(at), self.settings, add=self._add_business_days
            )
            s.take(transitions.callback_unanswered(s.loop, outcome, next_on), at)
            if (
                transitions.can_mark_unreachable(s.loop.unanswered_attempts, self.settings)
                and rng.random() < 0.6
            ):
                closed = at + timedelta(minutes=5)
                if closed < self.now:
                    step = transitions.marked_unreachable(s.loop, closed, self.settings)
                    s.take(step, closed)
                    self._settle(s, closed, kept_share=_KEPT_WHEN_UNREACHABLE)
                return outcome

    # ------------------------------------------------------------ writing

    def _stored(self, rows: _Rows, dialect: Dialect) -> _Rows | _Stored:
        """On SQLite, the batch converted to what it stores; elsewhere the rows as made."""
        if dialect.name != "sqlite":
            return rows
        tables = [
            bulk.rows_stored(dialect, table, batch) for table, batch in rows.by_table() if batch
        ]
        for table, keys, tuples in (
            (_EVENT_TABLE, _EVENT_KEYS, rows.events),
            (_CHANGE_TABLE, _CHANGE_KEYS, rows.changes),
        ):
            if tuples:
                tables.append(bulk.tuples_stored(dialect, table, keys, tuples))
        ready = [stored for stored in tables if stored is not None]
        return _Stored(ready, rows.search) if len(ready) == len(tables) else rows

    def _write(self, batch: _Rows | _Stored) -> None:
        connection = self.uow.session.connection()
        if isinstance(batch, _Stored):
            for stored in batch.tables:
                bulk.write_stored(connection, stored)
        else:
            for table, rows in batch.by_table():
                bulk.insert_rows(connection, table, rows)
            bulk.insert_tuples(connection, _EVENT_TABLE, _EVENT_KEYS, batch.events)
            bulk.insert_tuples(connection, _CHANGE_TABLE, _CHANGE_KEYS, batch.changes)
        if batch.search:
            search.write_new_rows(self.uow, batch.search)


class _Story:
    """The events of one complaint as they happen, in time order."""

    def __init__(self, gen: _Generator, complaint_id: int, received: datetime) -> None:
        self.gen = gen
        self.complaint_id = complaint_id
        self.last = received
        self.version = 0
        self.delegation_id = 0
        # What search.search_body reads, in its order: delegates' names, each report's texts
        # (its sent-back comment last), each callback's words and notes.
        self.names: list[str] = []
        self.reported: list[str] = []
        self.called: list[str] = []
        self.open_promises: list[dict[str, Any]] = []
        self.loop = transitions.LoopState()

    def take(self, step: transitions.Step, at: datetime) -> None:
        """Move the complaint on by one lifecycle step and record its event."""
        self.loop = step.state
        self.event(step.action, step.description, at)

    def after(self, moment: datetime, *, hours: float) -> datetime:
        return max(moment, self.last) + timedelta(hours=hours)

    def event(
        self,
        action: str,
        description: str,
        at: datetime,
        *,
        entity: str = "complaint",
        entity_id: int | None = None,
        before: str = "{}",
        after: str = "{}",
        role: str | None = None,
    ) -> None:
        """Record one event in the chain. The complaint's own steps (entity "complaint") count
        in its version; a promise's events are rows of their own, as the service writes them."""
        gen = self.gen
        gen.ids.event += 1
        if at > self.last:
            self.last = at
        cid = self.complaint_id
        if entity == "complaint":
            self.version += 1
            entity_id = cid
        if role is None:
            role = _ROLES.get(action) or _ROLES.setdefault(
                action, "ceo" if action.startswith(_CEO_ACTIONS) else "assistant"
            )
        digest = (
            _EMPTY_CHANGE_DIGEST
            if before == "{}" and after == "{}"
            else audit.change_digest(before, after)
        )
        at_utc = at if at.tzinfo is UTC else at.astimezone(UTC)
        link = audit.link_hash_at_text(
            gen.prev_hash,
            at_utc.isoformat(timespec="microseconds"),
            gen.os_user,
            role,
            cid,
            entity,
            entity_id,
            action,
            description,
            digest,
        )
        event_id = gen.ids.event
        gen.rows.events.append(
            (
                event_id,
                at_utc,
                gen.os_user,
                role,
                cid,
                entity,
                entity_id,
                action,
                description,
                digest,
                gen.prev_hash,
                link,
            )
        )
        gen.prev_hash = link
        gen.rows.changes.append((event_id, before, after, None))


_EVENT_KEYS = (
    "id",
    "at",
    "os_user",
    "role",
    "complaint_id",
    "entity",
    "entity_id",
    "action",
    "description",
    "change_digest",
    "prev_hash",
    "hash",
)
_CHANGE_KEYS = ("event_id", "before_json", "after_json", "redacted_at")
_CEO_ACTIONS = ("callback", "sent_back", "unreachable")
_ROLES: dict[str, str] = {}  # each action's role, as _CEO_ACTIONS decides it
_EMPTY_CHANGE_DIGEST = audit.change_digest("{}", "{}")
_SETTLED_VALUES = {
    outcome: tuple(audit.canonical_json(v) for v in promises.settled_values(outcome))
    for outcome in PromiseOutcome
}
_HAND_OFFS = {
    "delegated": transitions.delegated,
    "sent_back": transitions.sent_back,
    "not_satisfied": transitions.callback_not_satisfied,
}
_AREA_CODES = ("201", "212", "213", "305", "312", "415", "503", "617", "702", "713", "808", "917")


@functools.cache
def _fold(text: str) -> str:
    # The demo's texts repeat endlessly (unique ones are folded without it): folding each
    # distinct one once keeps 100k fast.
    return search.searchable(text)


@functools.cache
def _flagged(said: str, done: str, accommodation: str) -> tuple[str, ...]:
    # The demo's reports are drawn from a few texts: each combination is read once.
    return tuple(flagged_terms(said, done, accommodation))


def _local(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock).astimezone().astimezone(UTC)


def _day(moment: datetime) -> date:
    return moment.astimezone().date()


def _weighted(rng: random.Random, table: tuple[tuple[Any, int], ...]) -> Any:
    values, cumulative = _cumulative(table)
    # What rng.choices(values, weights) does for one draw, without building its lists each time.
    return values[bisect.bisect(cumulative, rng.random() * cumulative[-1], 0, len(values) - 1)]


@functools.cache
def _cumulative(table: tuple[tuple[Any, int], ...]) -> tuple[list[Any], list[float]]:
    return [v for v, _ in table], list(itertools.accumulate(float(w) for _, w in table))


def _ascii_handle(name: str) -> str:
    folded = search.fold(name)
    handle = "".join(ch if ch.isascii() and ch.isalnum() else "." for ch in folded).strip(".")
    while ".." in handle:
        handle = handle.replace("..", ".")
    return handle or "customer"
