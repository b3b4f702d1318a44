"""Reading a returned report form: its field values, and whether it may be filed where given.

pypdf reads the AcroForm fields. A form is accepted only when it is a PDF carrying our fields,
its reference and check value are those the log issued, it names the complaint it is filed on
and that complaint's current delegation, and the delegate wrote something. Anything else is
refused with the reason, before anything is changed.
"""

from __future__ import annotations

import hmac
import io
from dataclasses import dataclass, replace
from datetime import date, datetime

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ceo_desk.core import attachments, provenance, report_form
from ceo_desk.core.services import complaints
from ceo_desk.enums import Status
from ceo_desk.errors import ValidationError
from ceo_desk.store.db import UnitOfWork

MAX_FORM_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FilledForm:
    """The values read from a returned form, as text ("" for a field left empty)."""

    reference: str
    delegation: str
    issued_on: str
    check: str
    values: dict[str, str]


@dataclass(frozen=True)
class Transcription:
    """A form accepted for filing: the report it holds and where it came from."""

    reference: str
    report: complaints.ReportInput
    form_source: str
    delegate_name: str


class NotAReportForm(ValidationError):
    """The file is not a report form at all (not a PDF, or one without our fields)."""


def _refused(why: str) -> ValidationError:
    return ValidationError(f"{why} Nothing was filed.", field="form")


def _not_a_form(why: str) -> NotAReportForm:
    return NotAReportForm(f"{why} Nothing was filed.", field="form")


def read_form(data: bytes) -> FilledForm:
    """The field values of a returned form; refused unless it is a report form."""
    if len(data) > MAX_FORM_BYTES:
        raise _not_a_form("This file is too large to be a report form.")
    if not data.startswith(b"%PDF-"):
        raise _not_a_form("This file is not a PDF, so it cannot be a returned report form.")
    try:
        fields = PdfReader(io.BytesIO(data)).get_fields() or {}
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise _refused(
            f"This PDF cannot be read ({exc}); ask for the form to be saved again."
        ) from None

    def value(name: str) -> str:
        got = fields.get(name, {}).get("/V")
        return "" if got is None else str(got).strip()

    if report_form.REFERENCE_FIELD not in fields or report_form.CHECK_FIELD not in fields:
        raise _not_a_form(
            "This PDF is not a CEO Desk report form (it has no reference and check value). "
            "Send the delegate a report form with `ceo-desk report-form REF`."
        )
    return FilledForm(
        reference=value(report_form.REFERENCE_FIELD).upper(),
        delegation=value(report_form.DELEGATION_FIELD),
        issued_on=value(report_form.ISSUED_FIELD),
        check=value(report_form.CHECK_FIELD),
        values={name: value(name) for name in report_form.FIELD_NAMES},
    )


def transcribe(uow: UnitOfWork, reference: str, data: bytes) -> Transcription:
    """The report a returned form holds, for complaint `reference`; refused with the reason
    unless the form was issued for this complaint's current delegation and is filled in."""
    form = read_form(data)
    complaint = complaints.load(uow, reference, for_update=False)
    if form.reference != complaint.reference:
        raise _refused(
            f"This form is for {form.reference or 'no complaint'}, not {complaint.reference}. "
            f"File it on {form.reference}, or ask for the form of {complaint.reference}."
        )
    key = report_form.secret(uow)
    expected = report_form.check_value(key, form.reference, form.delegation) if key else ""
    if not key or not hmac.compare_digest(expected, form.check):
        raise _refused(
            f"This form's reference or check value has been altered: it is not a form this log "
            f"issued for {complaint.reference}. Send the delegate a new form."
        )
    current = report_form.current_delegation(uow, complaint.id)
    if complaint.status is not Status.DELEGATED or current is None:
        raise _refused(
            f"{complaint.reference} is {complaint.status.label.lower()}, not waiting for a "
            "delegate's report, so this form cannot be filed."
        )
    if str(current.id) != form.delegation:
        raise _refused(
            f"This form was issued for an earlier delegation of {complaint.reference}; it is "
            f"now with {current.staff.name} (since {current.delegated_at.date().isoformat()}). "
            "Send them the current form."
        )
    values = form.values
    if not any(values[name] for name in report_form.FIELD_NAMES - {"completed_on"}):
        raise _refused(
            "This form is empty: the delegate has not filled it in. Ask them to type into "
            "the boxes, save the form and send it again."
        )
    on = _completed_on(values["completed_on"]) or form.issued_on
    return Transcription(
        reference=complaint.reference,
        report=complaints.ReportInput(
            said=values["said"],
            done=values["done"],
            accommodation=values["accommodation"],
            cost=values["cost"] or None,
            root_cause=values["root_cause"],
            filed_by_staff_id=current.staff_id,
            form_source=provenance.form_source(current.staff.name, on),
        ),
        form_source=provenance.form_source(current.staff.name, on),
        delegate_name=current.staff.name,
    )


def _completed_on(text: str) -> str:
    """The date the delegate wrote, when it is one (YYYY-MM-DD); else ""."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        return ""


@dataclass(frozen=True)
class FiledForm:
    result: complaints.ReportResult
    transcription: Transcription


def file_form(
    uow: UnitOfWork,
    reference: str,
    data: bytes,
    *,
    file_name: str = "report-form.pdf",
    checked: complaints.ReportInput | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> FiledForm:
    """File the report a returned form holds, recording that it was transcribed from the
    delegate's form, and keep the form with the complaint and its report. `checked` is the
    report as the assistant checked (and perhaps corrected) it; the form is checked again
    either way, so its provenance is never taken on trust."""
    transcription = transcribe(uow, reference, data)
    report = transcription.report
    if checked is not None:
        report = replace(
            checked,
            filed_by_staff_id=report.filed_by_staff_id,
            form_source=transcription.form_source,
        )
    result = complaints.file_report(
        uow, transcription.reference, report, expected_version=expected_version, now=now
    )
    complaint = complaints.load(uow, transcription.reference, for_update=False)
    filed = complaints._latest_report(uow, complaint)
    attachments.attach(
        uow,
        transcription.reference,
        file_name,
        data,
        report_id=filed.id,
        media_type="application/pdf",
        now=now,
    )
    return FiledForm(result, transcription)
