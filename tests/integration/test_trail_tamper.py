"""An attacker with write access to the log rewrites the audit trail: `check` must notice.

Each attack drops the protection triggers, changes rows with plain SQL, re-hashes the chain from
the change onwards so that it verifies on its own, and (unless the attack is leaving them out)
puts the triggers back. What catches it is what the attacker did not hold: the anchor file, the
backups, a printed seal, or the replay of the complaint's events.
"""

from __future__ import annotations

import io
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest
from pypdf import PdfReader
from sqlalchemy import Table, select, text, update
from sqlalchemy.engine import Connection

from ceo_desk.cli import main
from ceo_desk.core import audit, demo
from ceo_desk.core.database import open_database
from ceo_desk.core.safety import anchor, backups, check
from ceo_desk.enums import Outcome
from ceo_desk.reports.monthly import render_monthly
from ceo_desk.store.db import Database
from ceo_desk.store.migrations import ddl
from ceo_desk.store.models import Callback, Complaint, Event
from tests.builders import add_staff, callback, delegate_and_report, log

# The mapped classes' tables, typed as the Table they are (SQLAlchemy declares a FromClause).
EVENTS = cast(Table, Event.__table__)
COMPLAINTS = cast(Table, Complaint.__table__)
CALLBACKS = cast(Table, Callback.__table__)


def _busy_log(db: Database) -> list[int]:
    """A few complaints worked through the loop, one commit per action; returns the event ids."""
    staff = add_staff(db)
    first = log(db, name="Ann Smith")
    delegate_and_report(db, first, staff, None)
    callback(db, first, Outcome.NO_ANSWER, None)
    second = log(db, name="Bob Jones", phone="+442079460002")
    delegate_and_report(db, second, staff, None)
    log(db, name="Cy Twain", phone="+442079460003")
    with db.reading() as uow:
        return list(uow.session.scalars(select(Event.id).order_by(Event.id)))


def _rehash_from(conn: Connection, first_id: int) -> None:
    """Re-link every event from `first_id` on, as an attacker with the code would."""
    previous = conn.execute(
        select(EVENTS.c.hash).where(EVENTS.c.id < first_id).order_by(EVENTS.c.id.desc()).limit(1)
    ).scalar()
    previous = previous or audit.GENESIS_HASH
    rows = conn.execute(select(EVENTS).where(EVENTS.c.id >= first_id).order_by(EVENTS.c.id)).all()
    for row in rows:
        values = row._asdict()
        new_hash = audit.link_hash(
            prev_hash=previous,
            at=values["at"],
            os_user=values["os_user"],
            role=values["role"],
            complaint_id=values["complaint_id"],
            entity=values["entity"],
            entity_id=values["entity_id"],
            action=values["action"],
            description=values["description"],
            change_digest=values["change_digest"],
        )
        conn.execute(
            update(EVENTS)
            .where(EVENTS.c.id == values["id"])
            .values(prev_hash=previous, hash=new_hash)
        )
        previous = new_hash


def _attack(db: Database, *statements: object, rehash_from: int | None, protect: bool = True):
    with db.engine.begin() as conn:
        ddl.unprotect_audit_trail(conn)
        for statement in statements:
            conn.execute(statement)  # type: ignore[call-overload]
        if rehash_from is not None:
            _rehash_from(conn, rehash_from)
        if protect:
            ddl.protect_audit_trail(conn)


def _newest(db: Database) -> audit.ChainHead:
    return max((c.head for c in anchor.read_anchor(db.url).heads), key=lambda h: h.events)


def _problems(report: check.CheckReport) -> dict[str, str]:
    return {f.check: f.detail for f in report if not f.ok}


def test_a_sound_log_passes_every_trail_check(db: Database) -> None:
    _busy_log(db)
    report = check.run_check(db)
    assert report.ok, report.as_text()
    assert {"audit_chain", "audit_anchor", "audit_protection", "records_match_trail"} <= {
        f.check for f in report
    }


def test_an_edit_with_every_later_event_rehashed_is_named(db: Database) -> None:
    ids = _busy_log(db)
    target = ids[4]
    _attack(
        db,
        update(EVENTS).where(EVENTS.c.id == target).values(description="Nothing happened"),
        rehash_from=target,
    )
    report = check.run_check(db)
    assert not report.ok
    assert report.first_broken_event_id == target
    assert f"event {target} " in _problems(report)["audit_anchor"]


def test_a_middle_event_deleted_and_the_rest_rehashed_is_named(db: Database) -> None:
    ids = _busy_log(db)
    target = ids[5]
    _attack(
        db,
        text("DELETE FROM event_change WHERE event_id = :id").bindparams(id=target),
        EVENTS.delete().where(EVENTS.c.id == target),
        rehash_from=target + 1,
    )
    report = check.run_check(db)
    assert report.first_broken_event_id == target
    assert f"event {target} recorded in the anchor file" in _problems(report)["audit_anchor"]
    assert "removed" in _problems(report)["audit_anchor"]


def test_the_newest_events_deleted_are_noticed(db: Database) -> None:
    ids = _busy_log(db)
    newest = ids[-2:]
    _attack(
        db,
        text("DELETE FROM event_change WHERE event_id >= :id").bindparams(id=newest[0]),
        EVENTS.delete().where(EVENTS.c.id >= newest[0]),
        rehash_from=None,
    )
    report = check.run_check(db)
    assert not report.ok
    assert "the newest events were removed" in _problems(report)["audit_anchor"]


def test_a_backdated_event_is_noticed(db: Database) -> None:
    ids = _busy_log(db)
    target = ids[3]
    with db.reading() as uow:
        when = uow.session.get_one(Event, target).at
    _attack(
        db,
        update(EVENTS).where(EVENTS.c.id == target).values(at=when - timedelta(days=40)),
        rehash_from=target,
    )
    report = check.run_check(db)
    assert report.first_broken_event_id == target


def test_actions_reattributed_to_another_person_are_noticed(db: Database) -> None:
    ids = _busy_log(db)
    target = ids[5]  # one of the loop's events, after the first grants and the log's creation
    _attack(
        db,
        update(EVENTS).where(EVENTS.c.id >= target).values(os_user="someone-else"),
        rehash_from=target,
    )
    report = check.run_check(db)
    assert report.first_broken_event_id == target
    assert "audit_anchor" in _problems(report)


def test_a_callback_and_a_resolution_written_without_an_event_are_noticed(db: Database) -> None:
    _busy_log(db)
    with db.reading() as uow:
        complaint = uow.session.scalars(
            select(Complaint).where(Complaint.status == "awaiting_callback")
        ).first()
        assert complaint is not None
        report_id = complaint.reports[-1].id
        reference = complaint.reference
        complaint_id = complaint.id
        due = complaint.callback_due_on
    with db.engine.begin() as conn:
        conn.execute(
            CALLBACKS.insert().values(
                complaint_id=complaint_id,
                report_id=report_id,
                scheduled_for=due,
                made_at=datetime.now(UTC),
                outcome="satisfied",
                satisfaction=5,
                customer_words="",
                notes="",
                made_by="nobody",
            )
        )
        conn.execute(
            update(COMPLAINTS)
            .where(COMPLAINTS.c.id == complaint_id)
            .values(status="resolved", callback_due_on=None)
        )
    problems = _problems(check.run_check(db))
    assert list(problems) == ["records_match_trail"]
    assert reference in problems["records_match_trail"]
    assert (
        "its status is resolved but its events leave it awaiting_callback"
        in (problems["records_match_trail"])
    )
    assert "1 satisfied" in problems["records_match_trail"]


def test_counters_changed_without_an_event_are_noticed(db: Database) -> None:
    _busy_log(db)
    with db.engine.begin() as conn:
        conn.execute(update(COMPLAINTS).values(unanswered_attempts=3))
    problems = _problems(check.run_check(db))
    assert "unanswered callback" in problems["records_match_trail"]


def test_protection_triggers_dropped_and_left_dropped_are_noticed(db: Database) -> None:
    _busy_log(db)
    _attack(db, rehash_from=None, protect=False)
    problems = _problems(check.run_check(db))
    # The schema comparison names the missing triggers as well.
    assert list(problems) == ["schema", "audit_protection"]


def test_check_names_the_edited_event_not_the_one_after_it(db: Database) -> None:
    """Event N changed and re-hashed by itself: the next event still points at N's old hash."""
    ids = _busy_log(db)
    target = ids[3]
    with db.engine.begin() as conn:
        ddl.unprotect_audit_trail(conn)
        conn.execute(update(EVENTS).where(EVENTS.c.id == target).values(os_user="someone-else"))
        row = conn.execute(select(EVENTS).where(EVENTS.c.id == target)).one()._asdict()
        del row["id"], row["hash"]
        conn.execute(
            update(EVENTS).where(EVENTS.c.id == target).values(hash=audit.link_hash(**row))
        )
        ddl.protect_audit_trail(conn)
    anchor.anchor_path(db.url).unlink()  # the chain alone must name it
    report = check.run_check(db)
    assert report.first_broken_event_id == target
    assert f"broken at event {target}:" in _problems(report)["audit_chain"]


def test_a_printed_seal_is_checked(db: Database) -> None:
    ids = _busy_log(db)
    seal = anchor.current_head(db).seal
    assert seal.startswith(f"Audit seal: {len(ids)} events \u00b7 ")
    assert check.run_check(db, seal=seal).ok
    assert check.run_check(db, seal=seal.lower().replace("audit seal:", "")).ok
    anchor.anchor_path(db.url).unlink()  # the rewriter also threw the anchor away
    _attack(
        db,
        update(EVENTS).where(EVENTS.c.id == ids[1]).values(description="Nothing"),
        rehash_from=ids[1],
    )
    problems = _problems(check.run_check(db, seal=seal))
    assert "is not the one the seal was printed for" in problems["audit_seal"]


def test_a_seal_that_is_not_one_is_explained(db: Database) -> None:
    problems = _problems(check.run_check(db, seal="hello"))
    assert "is not an audit seal" in problems["audit_seal"]


def test_backups_witness_the_chain_when_the_anchor_is_gone(sqlite_db: Database) -> None:
    ids = _busy_log(sqlite_db)
    backups.backup_now(sqlite_db)
    anchor.anchor_path(sqlite_db.url).unlink()
    _attack(
        sqlite_db,
        update(EVENTS).where(EVENTS.c.id == ids[2]).values(description="Nothing"),
        rehash_from=ids[2],
    )
    assert "the backup ceo-desk-" in _problems(check.run_check(sqlite_db))["audit_anchor"]


def test_a_restored_older_backup_passes_the_check(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    db = open_database(str(path))
    add_staff(db)
    log(db)
    older = backups.backup_now(db)
    log(db, name="Later Person", phone="+442079460009")
    db.close()
    backups.restore(path, older)
    db = open_database(str(path))
    try:
        log(db, name="After Restore", phone="+442079460010")
        assert check.run_check(db).ok, check.run_check(db).as_text()
    finally:
        db.close()


def test_the_anchor_file_is_private_and_lives_beside_a_sqlite_log(sqlite_db: Database) -> None:
    log(sqlite_db)
    path = anchor.anchor_path(sqlite_db.url)
    assert path.parent == sqlite_db.sqlite_path.parent  # type: ignore[union-attr]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert _newest(sqlite_db) == anchor.current_head(sqlite_db)


def test_a_postgresql_anchor_lives_in_the_data_folder(db: Database) -> None:
    if db.sqlite_path is not None:
        pytest.skip("PostgreSQL only")
    log(db)
    path = anchor.anchor_path(db.url)
    assert path.parent == Path(os.environ["CEO_DESK_DATA_DIR"]) / "anchors"
    assert _newest(db) == anchor.current_head(db)


def test_a_demo_log_passes_the_trail_checks(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as uow:
        demo.generate(uow, complaints=150, months=3, seed=4)
    report = check.run_check(sqlite_db)
    assert report.ok, report.as_text()


def test_the_board_pack_carries_a_seal_that_check_accepts(
    sqlite_db: Database, tmp_path: Path
) -> None:
    ids = _busy_log(sqlite_db)
    out = tmp_path / "march.pdf"
    render_monthly(sqlite_db, None, out)
    last_page = PdfReader(io.BytesIO(out.read_bytes())).pages[-1].extract_text() or ""
    printed = next(line for line in last_page.splitlines() if line.startswith("Audit seal:"))
    assert printed.startswith(f"Audit seal: {len(ids)} events")
    assert check.run_check(sqlite_db, seal=printed).ok
    _attack(
        sqlite_db,
        update(EVENTS).where(EVENTS.c.id == ids[-1]).values(description="Nothing"),
        rehash_from=ids[-1],
    )
    assert "audit_seal" in _problems(check.run_check(sqlite_db, seal=printed))


def test_no_output_option_writes_over_the_anchor(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    log(sqlite_db)
    target = anchor.anchor_path(sqlite_db.url)
    before = target.read_bytes()
    db = ("--db", str(sqlite_db.sqlite_path))
    assert main([*db, "export-customer", "1", "-o", str(target), "--force"]) == 2
    assert "beside" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_two_programs_writing_in_turn_anchor_true_heads(tmp_path: Path) -> None:
    path = str(tmp_path / "log.sqlite3")
    first, second = open_database(path), open_database(path)
    try:
        for number in range(4):
            writer = first if number % 2 else second
            log(writer, name=f"Person {number}", phone=f"+44207946001{number}")
        assert _newest(first) == anchor.current_head(first)
        assert check.run_check(first).ok, check.run_check(first).as_text()
    finally:
        first.close()
        second.close()
