"""Spreadsheet safety of exported cells, and backup thinning arithmetic (no database)."""

from __future__ import annotations

import pytest

from ceo_desk.core.safety.exporter import safe_cell


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "=", "+442079460000"],
)
def test_formula_like_text_is_prefixed(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Refund issued", "", " =not at start", "C-2026-0001", 5, None])
def test_other_values_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value
