"""The import wizard on real-shaped exports: the proposed mapping is shown, missing categories
are created on request, every problem of every row is listed by the file's line."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from ceo_desk.core import fields, queries
from ceo_desk.core.safety import exporter
from ceo_desk.ui.dialogs.import_wizard import ImportWizard
from tests.builders import Office, log
from tests.ui.screens import cell_text

SAMPLES = Path(__file__).parent.parent / "samples"


def _wizard_on(qtbot: QtBot, office: Office, source: Path) -> ImportWizard:
    wizard = ImportWizard(office.db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.file_edit.setText(str(source))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page, wizard.file_page.error.text()
    return wizard


def _count(office: Office) -> int:
    with office.db.reading() as uow:
        return queries.count_complaints(uow, queries.ComplaintFilter())


def test_the_proposed_mapping_is_shown_and_missing_categories_are_created_on_request(
    qtbot: QtBot, office: Office
) -> None:
    wizard = _wizard_on(qtbot, office, SAMPLES / "export_with_junk_lines.csv")
    page = wizard.mapping_page
    assert "column names on line 3" in page.proposal.text()
    assert "Proposed: " in page.proposal.text() and "Summary from Issue + Sub-issue" in (
        page.proposal.text()
    )
    chosen = {
        cell_text(page.table, row, 0): combo.currentData() for row, combo in enumerate(page.combos)
    }
    assert chosen["Issue"] == chosen["Sub-issue"] == "summary"
    assert chosen["Date received"] == "received_at" and chosen["State"] == ""

    wizard.next()
    check = wizard.preview_page
    qtbot.waitUntil(lambda: not check.checking, timeout=30_000)
    assert not check.isComplete()
    assert check.problems.rowCount() == 9  # one line per missing category, not per row
    assert "Create the 9 categories" in check.create_categories.text()
    assert "Mortgage" in check.create_categories.toolTip()
    assert cell_text(check.preview, 0, 1) == "resolved"  # the status as it will be read

    check.create_categories.setChecked(True)  # checks again, creating them this time
    qtbot.waitUntil(lambda: not check.checking and check.result is not None, timeout=30_000)
    assert check.isComplete(), check.summary.text()
    assert "All 1,200 row(s) are ready" in check.summary.text()
    assert "month first" in check.summary.text()
    assert _count(office) == 0  # the check imported nothing
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=60_000)
    assert _count(office) == 1200


def test_every_problem_of_every_row_is_listed_with_the_files_lines(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "Exported from OldCRM\r\n"
        "Ref,Received,Customer,Phone,Summary,Severity\r\n"
        'OLD-1,14/03/2025,Ann Lee,+12025550111,"Late parcel",normal\r\n'
        "OLD-2,31/02/2025,Bob Ray,12,,dire\r\n",
        encoding="utf-8",
    )
    wizard = _wizard_on(qtbot, office, source)
    wizard.next()
    check = wizard.preview_page
    qtbot.waitUntil(lambda: not check.checking, timeout=30_000)
    rows = check.problems.rowCount()
    assert rows == 4
    assert {cell_text(check.problems, r, 0) for r in range(rows)} == {"4"}
    assert {cell_text(check.problems, r, 1) for r in range(rows)} == {
        "Received",
        "Phone",
        "Summary",
        "Severity",
    }
    assert "4 problem(s)" in check.summary.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert _count(office) == 0


def test_the_apps_own_export_is_mapped_column_by_column_without_asking(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    log(office.db, vulnerable=True, flag_mp=True)
    exported = tmp_path / "complaints.csv"
    with office.db.reading() as uow:
        exporter.export_complaints(uow, exported)
    wizard = _wizard_on(qtbot, office, exported)
    page = wizard.mapping_page
    chosen = {
        cell_text(page.table, row, 0): combo.currentData() for row, combo in enumerate(page.combos)
    }
    # Each heading is a field's label: the fields the import reads are chosen, the rest ignored.
    assert chosen == {f.label: (f.key if f.importable else "") for f in fields.EXPORTED}
    assert "Promises" in chosen and chosen["MP involved"] == "flag_mp"
