"""The fillable report form: written, filled in as a PDF reader would, read back and filed; and
every form that must not be filed is refused with the reason, changing nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from ceo_desk.cli import main
from ceo_desk.core import attachments, policy, report_form_reader
from ceo_desk.core.clock import SYSTEM_CLOCK
from ceo_desk.core.services import complaints
from ceo_desk.core.services.more_time import waiting_requests as more_time_requests
from ceo_desk.enums import FiledHow, Status
from ceo_desk.errors import ValidationError
from ceo_desk.reports.monthly import render_monthly
from ceo_desk.reports.report_form import render_report_form
from ceo_desk.store.db import Database
from tests.builders import delegate, log, office, report, stored_detail

FILLED = {
    "said": "Called Ann on Tuesday and apologised for the double charge.",
    "done": "Refunded the second charge and the overdraft fee.",
    "accommodation": "A month's service free",
    "cost": "42.50",
    "root_cause": "The payment retry ran twice after a timeout.",
    "completed_on": "2026-11-30",
}


def fill(pdf: Path, values: dict[str, str]) -> bytes:
    """What a PDF reader does when the delegate types into the form and saves it."""
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.update_page_form_field_values(writer.pages[0], values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def issued(db: Database, tmp_path: Path, ref: str, name: str = "form.pdf") -> Path:
    return render_report_form(db, ref, tmp_path / name).path


@pytest.fixture
def delegated(db: Database) -> tuple[Database, str]:
    staff = office(db)
    ref = log(db, "Ann Smith", "Charged twice", ceo_promised="A refund this week")
    delegate(db, ref, staff.ortiz)
    return db, ref


def test_the_form_round_trip_files_the_delegates_words_with_their_provenance(
    delegated: tuple[Database, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, ref = delegated
    form = issued(db, tmp_path, ref)
    fields = PdfReader(form).get_fields() or {}
    assert {"said", "done", "accommodation", "cost", "root_cause"} <= set(fields)
    assert fields["reference"]["/V"] == ref
    returned = tmp_path / "returned.pdf"
    returned.write_bytes(fill(form, FILLED))

    code = main(["file-report", ref, "--from-form", str(returned), "--db", db.url])
    out, err = capsys.readouterr()

    assert code == 0, err
    assert "Transcribed from Jamie Ortiz's form of 2026-11-30" in out
    detail = stored_detail(db, ref)
    assert detail.status is Status.AWAITING_CALLBACK
    filed = detail.reports[-1]
    assert (filed.said, filed.done, filed.accommodation) == (
        FILLED["said"],
        FILLED["done"],
        FILLED["accommodation"],
    )
    assert filed.cost_minor == 4250 and filed.root_cause == FILLED["root_cause"]
    assert filed.filed_by == "Jamie Ortiz"
    assert filed.filed_how is FiledHow.FORM
    assert filed.provenance.startswith("transcribed from Jamie Ortiz's form of 2026-11-30 by ")
    assert any("transcribed from Jamie Ortiz's form" in e.description for e in detail.events)
    with db.reading() as uow:
        (kept,) = attachments.list_for(uow, ref)
        assert attachments.content(uow, kept.sha256) == returned.read_bytes()
    assert kept.name == "returned.pdf" and kept.report_id == filed.id


def _refused(db: Database, ref: str, data: bytes, on: str | None = None) -> str:
    before = stored_detail(db, ref)
    with pytest.raises(ValidationError) as refusal, db.transaction() as uow:
        report_form_reader.file_form(uow, on or ref, data)
    after = stored_detail(db, ref)
    assert (after.status, after.version, len(after.reports)) == (
        before.status,
        before.version,
        len(before.reports),
    ), "a refused form changes nothing"
    assert "Nothing was filed" in refusal.value.message
    return refusal.value.message


def test_a_form_for_another_complaint_is_refused(
    delegated: tuple[Database, str], tmp_path: Path
) -> None:
    db, ref = delegated
    other = log(db, "Bo Lund", "Late delivery", "+442079460002")
    delegate(db, other, stored_detail(db, ref).current_delegate_id or 0)
    data = fill(issued(db, tmp_path, ref), FILLED)
    message = _refused(db, other, data)
    assert f"This form is for {ref}, not {other}" in message


def test_an_altered_reference_or_check_value_is_refused(
    delegated: tuple[Database, str], tmp_path: Path
) -> None:
    db, ref = delegated
    other = log(db, "Bo Lund", "Late delivery", "+442079460002")
    delegate(db, other, stored_detail(db, ref).current_delegate_id or 0)
    form = issued(db, tmp_path, ref)
    moved = fill(form, {**FILLED, "reference": other})
    assert "has been altered" in _refused(db, other, moved)
    forged = fill(form, {**FILLED, "check": "0" * 32})
    assert "has been altered" in _refused(db, ref, forged)


def test_a_form_of_an_earlier_delegation_is_refused(
    delegated: tuple[Database, str], tmp_path: Path
) -> None:
    db, ref = delegated
    data = fill(issued(db, tmp_path, ref), FILLED)
    detail = stored_detail(db, ref)
    report(db, ref)
    with db.transaction() as uow:
        complaints.send_back(uow, ref, "Say what the refund was", to_staff_id=None)
    assert detail.current_delegate_id is not None
    message = _refused(db, ref, data)
    assert "issued for an earlier delegation" in message


def test_an_empty_form_and_a_file_that_is_no_form_are_refused(
    delegated: tuple[Database, str], tmp_path: Path
) -> None:
    db, ref = delegated
    form = issued(db, tmp_path, ref)
    assert "This form is empty" in _refused(db, ref, form.read_bytes())
    assert "not a PDF" in _refused(db, ref, b"hello")
    plain = io.BytesIO()
    canvas = Canvas(plain)
    canvas.drawString(72, 720, "Dear office, all done.")
    canvas.save()
    assert "not a CEO Desk report form" in _refused(db, ref, plain.getvalue())


def test_the_form_is_written_through_the_output_rules(
    delegated: tuple[Database, str], tmp_path: Path
) -> None:
    db, ref = delegated
    form = issued(db, tmp_path, ref)
    with pytest.raises(ValidationError, match="Nothing was written"):
        render_report_form(db, ref, form)
    assert form.stat().st_mode & 0o077 == 0


def test_a_report_an_assistant_types_in_reads_as_typed(delegated: tuple[Database, str]) -> None:
    db, ref = delegated
    report(db, ref)
    filed = stored_detail(db, ref).reports[-1]
    assert filed.filed_how is FiledHow.TYPED
    assert filed.provenance.startswith("typed by the assistant (")
    assert filed.provenance.endswith(") for Jamie Ortiz")


def test_the_board_pack_and_the_timeline_say_who_filed_each_report_and_how(
    delegated: tuple[Database, str], tmp_path: Path
) -> None:
    db, ref = delegated
    returned = fill(issued(db, tmp_path, ref), FILLED)
    with db.transaction() as uow:
        report_form_reader.file_form(uow, ref, returned)
    typed = log(db, "Bo Lund", "Late delivery", "+442079460002")
    delegate(db, typed, stored_detail(db, ref).current_delegate_id or 0)
    report(db, typed)
    timeline = [e.description for e in stored_detail(db, typed).events]
    assert any("Report filed (typed by the assistant (" in d for d in timeline)

    month = policy.Month.containing(SYSTEM_CLOCK.today())
    out = render_monthly(db, month, tmp_path / "pack.pdf").path
    text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(out).pages).split())
    assert "How reports were filed" in text
    assert "Delegate In person From the form Typed by the assistant Reports" in text
    assert "Jamie Ortiz 0 1 1 2" in text


def test_an_existing_log_upgrades_in_place_and_its_reports_read_as_typed(
    delegated: tuple[Database, str],
) -> None:
    """The provenance migration over a log that already holds a report: no row is lost."""
    from sqlalchemy import text

    from ceo_desk.core.services import people
    from ceo_desk.store import schema

    db, ref = delegated
    report(db, ref, said="Said sorry before the upgrade")
    # The log as the version before this one left it: without the new table and columns.
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE more_time_request"))
        # ...and without the people tables of the migration after it.
        conn.execute(text("DROP TABLE reported_callback"))
        # On PostgreSQL, with the office's policies that read it.
        cascade = " CASCADE" if conn.dialect.name == "postgresql" else ""
        conn.execute(text(f"DROP TABLE role_grant{cascade}"))
        # ...and without the withdrawn outcomes and callback times of the one after that.
        conn.execute(text("ALTER TABLE callback DROP COLUMN withdrawn_at"))
        conn.execute(text("ALTER TABLE delegation DROP COLUMN withdrawn_at"))
        conn.execute(text("ALTER TABLE complaint DROP COLUMN callback_due_time"))
        # ...and without the promises and flags of the one after that,
        conn.execute(text(f"DROP TABLE promise{cascade}"))
        conn.execute(text(f"DROP TABLE follow_up{cascade}"))
        conn.execute(text("ALTER TABLE customer DROP COLUMN vulnerable"))
        for flag in ("flag_mp", "flag_journalist", "flag_regulator", "flag_social_media"):
            conn.execute(text(f"ALTER TABLE complaint DROP COLUMN {flag}"))
        # ...and without the unit heads of the one after that.
        conn.execute(text("ALTER TABLE unit DROP COLUMN head_staff_id"))
        # ...and without the outbox of the one after that.
        conn.execute(text("DROP TABLE outbox_message"))
        # ...and without the callback's scheduled time of the one after that,
        conn.execute(text("ALTER TABLE callback DROP COLUMN scheduled_time"))
        # ...and without the paused clocks of the one after that.
        conn.execute(text(f"DROP TABLE clock_pause{cascade}"))
        for column in ("form_source", "filed_how", "filed_by"):
            conn.execute(text(f"ALTER TABLE report DROP COLUMN {column}"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM report")).scalar() == 1
    schema.migrate(db.engine, db.url)
    with db.transaction() as uow:
        people.ensure_first_owner(uow)  # as opening the log does
    filed = stored_detail(db, ref).reports[-1]
    assert filed.said == "Said sorry before the upgrade"
    assert filed.filed_how is FiledHow.TYPED
    with db.reading() as uow:
        assert more_time_requests(uow) == []
