"""The printed call brief marks flagged phrases in bold exactly where the report has them."""

from __future__ import annotations

from pathlib import Path

from ceo_desk.enums import UnitKind
from ceo_desk.reports.brief import render_call_brief
from ceo_desk.reports.fonts import FONT_BOLD
from ceo_desk.store.db import Database
from tests.integration.pdf_text import read_pages
from tests.march_history import AFTER_MARCH, History, at


def test_flagged_phrases_print_in_bold_as_typed(sqlite_db: Database, tmp_path: Path) -> None:
    history = History(sqlite_db)
    history.add_staff("L", "Lee Park", "Billing Dept", UnitKind.DEPARTMENT)
    history.log("F", at(3, 2), "Ana Lima", summary="Refund refused")
    history.delegate("F", "L", at(3, 2))
    said_text = "We can\u2019t refund: our Policy, and the policyholder."
    history.report("F", at(3, 4), said=said_text)
    out = tmp_path / "brief.pdf"
    render_call_brief(sqlite_db, history.refs["F"], out, now=AFTER_MARCH)
    [page] = read_pages(out.read_bytes())
    said = next(r for r in page.runs if r.text.startswith("We "))
    line = [r for r in page.runs if abs(r.y - said.y) < 0.5 and r.x >= said.x]
    assert "".join(r.text for r in line) == said_text
    assert [r.text for r in line if r.font == FONT_BOLD] == ["can\u2019t", "Policy"]
    assert any("This report leans on policy" in r.text for r in page.runs)
