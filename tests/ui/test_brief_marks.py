"""Flagged phrases in a report are highlighted on screen exactly where the matcher found them."""

from __future__ import annotations

from hypothesis import given
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from ceo_desk.core.presenting import marked
from ceo_desk.ui.report_html import marked_html
from tests.ui.test_today import highlighted_runs
from tests.unit.test_language import report_text


@given(report_text())
def test_each_flagged_phrase_is_highlighted_over_its_span(
    qapp: QApplication, example: tuple[str, list[tuple[int, int, str]]]
) -> None:
    text, planted = example
    document = QTextDocument()
    document.setHtml(f"<p>{marked_html(marked(text))}</p>")
    assert highlighted_runs(document) == [" ".join(text[a:b].split()) for a, b, _ in planted]
