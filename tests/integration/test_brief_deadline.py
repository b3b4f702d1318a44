"""The printed call brief says when the final response is due, and why a paused clock stands."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from ceo_desk.core.services import pauses
from ceo_desk.reports.brief import render_call_brief
from ceo_desk.store.db import Database
from tests.builders import awaiting_callback, days_ago, office


def test_the_brief_prints_the_deadline_and_the_pause(sqlite_db: Database, tmp_path: Path) -> None:
    staff = office(sqlite_db)
    ref = awaiting_callback(sqlite_db, staff.chen, logged_at=days_ago(45))
    with sqlite_db.transaction() as uow:
        pauses.pause(uow, ref, "Waiting for the bank's letter")
    out = tmp_path / "brief.pdf"
    render_call_brief(sqlite_db, ref, out)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(out).pages)
    assert "Final response Due " in text
    assert "clock paused (Waiting for the bank's letter)" in text
