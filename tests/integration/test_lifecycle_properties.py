"""Random sequences of actions against a real log: the rules hold whatever order people act in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from tempfile import mkdtemp

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from ceo_desk.core.database import open_database
from ceo_desk.core.services import complaints, directory
from ceo_desk.enums import Outcome, Status
from ceo_desk.errors import CeoDeskError
from ceo_desk.store.db import Database, UnitOfWork
from ceo_desk.store.models import Callback, Complaint, Event, Report

pytestmark = pytest.mark.slow

texts = st.sampled_from(["", "  ", "Apologised", "Refunded in full", "x" * 30])
outcomes = st.sampled_from(list(Outcome))


class ComplaintLoop(RuleBasedStateMachine):
    db: Database

    @initialize()
    def open_log(self) -> None:
        self.db = open_database(str(Path(mkdtemp()) / "log.sqlite3"))
        with self.db.transaction() as uow:
            self.staff, _ = directory.add_staff_with_unit(
                uow, name="Jo", unit_name="Billing", unit_kind=None, email=None, phone=None
            )
        self.refs: list[str] = []

    def teardown(self) -> None:
        if hasattr(self, "db"):
            self.db.close()

    def _state(self) -> tuple[int, list[tuple[str, str, int]]]:
        with self.db.reading() as uow:
            events = uow.session.scalar(select(func.count()).select_from(Event)) or 0
            rows = uow.session.execute(
                select(Complaint.reference, Complaint.status, Complaint.version).order_by(
                    Complaint.id
                )
            ).all()
        return events, [tuple(r) for r in rows]  # type: ignore[misc]

    def _attempt(self, action: Callable[[UnitOfWork], object]) -> None:
        before = self._state()
        try:
            with self.db.transaction() as uow:
                action(uow)
        except CeoDeskError:
            assert self._state() == before, "a refused action changed something"
            return
        events_after, _ = self._state()
        assert events_after > before[0], "an action left no event"

    @rule(summary=texts)
    def log_call(self, summary: str) -> None:
        def act(uow: UnitOfWork) -> None:
            ref = complaints.log_call(
                uow,
                complaints.CallInput(customer_name="Ann", summary=summary, phone="+442079460001"),
            ).reference
            self.refs.append(ref)

        self._attempt(act)

    @rule(index=st.integers(0, 5))
    def delegate(self, index: int) -> None:
        if self.refs:
            ref = self.refs[index % len(self.refs)]
            self._attempt(lambda uow: complaints.delegate(uow, ref, self.staff))

    @rule(index=st.integers(0, 5), said=texts, done=texts)
    def file_report(self, index: int, said: str, done: str) -> None:
        if self.refs:
            ref = self.refs[index % len(self.refs)]
            self._attempt(
                lambda uow: complaints.file_report(
                    uow, ref, complaints.ReportInput(said=said, done=done)
                )
            )

    @rule(index=st.integers(0, 5), comment=texts)
    def send_back(self, index: int, comment: str) -> None:
        if self.refs:
            ref = self.refs[index % len(self.refs)]
            self._attempt(lambda uow: complaints.send_back(uow, ref, comment))

    @rule(index=st.integers(0, 5), outcome=outcomes, score=st.none() | st.integers(0, 6))
    def callback(self, index: int, outcome: Outcome, score: int | None) -> None:
        if self.refs:
            ref = self.refs[index % len(self.refs)]
            self._attempt(
                lambda uow: complaints.record_callback(
                    uow, ref, complaints.CallbackInput(outcome=outcome, satisfaction=score)
                )
            )

    @rule(index=st.integers(0, 5))
    def mark_unreachable(self, index: int) -> None:
        if self.refs:
            ref = self.refs[index % len(self.refs)]
            self._attempt(lambda uow: complaints.mark_unreachable(uow, ref))

    @rule(index=st.integers(0, 5), reason=texts)
    def withdraw(self, index: int, reason: str) -> None:
        if self.refs:
            ref = self.refs[index % len(self.refs)]
            self._attempt(lambda uow: complaints.withdraw(uow, ref, reason))

    @invariant()
    def resolved_means_report_and_satisfied_callback(self) -> None:
        if not hasattr(self, "db"):
            return
        with self.db.reading() as uow:
            for complaint in uow.session.scalars(
                select(Complaint).where(Complaint.status == Status.RESOLVED.value)
            ):
                report = uow.session.scalar(
                    select(Report)
                    .where(Report.complaint_id == complaint.id)
                    .order_by(Report.id.desc())
                    .limit(1)
                )
                last_call = uow.session.scalar(
                    select(Callback)
                    .where(Callback.complaint_id == complaint.id)
                    .order_by(Callback.id.desc())
                    .limit(1)
                )
                assert report is not None and report.said.strip() and report.done.strip()
                assert last_call is not None and last_call.outcome == Outcome.SATISFIED.value

    @invariant()
    def unreachable_only_after_enough_attempts(self) -> None:
        if not hasattr(self, "db"):
            return
        with self.db.reading() as uow:
            for complaint in uow.session.scalars(
                select(Complaint).where(Complaint.status == Status.UNREACHABLE.value)
            ):
                assert complaint.unanswered_attempts >= 3


ComplaintLoop.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestComplaintLoop = ComplaintLoop.TestCase
