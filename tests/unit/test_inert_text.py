"""Typed text stays text: in mail links, in spreadsheet cells, in email addresses."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core import links, validation
from ceo_desk.core.safety.exporter import safe_cell
from ceo_desk.errors import ValidationError

SNEAKY = "victim?bcc=someone@example.org"


def test_an_address_with_a_question_mark_adds_no_header() -> None:
    split = urlsplit(links.mailto(SNEAKY))
    assert split.query == ""
    assert unquote(split.path) == SNEAKY


@given(st.text(), st.text(), st.text())
def test_every_part_of_a_mailto_comes_back_as_given(address: str, subject: str, body: str) -> None:
    split = urlsplit(links.mailto(address, subject=subject, body=body))
    assert unquote(split.path) == address
    fields = parse_qs(split.query, keep_blank_values=True)
    assert set(fields) <= {"subject", "body"}
    assert fields.get("subject", [""]) == [subject] if subject else "subject" not in fields
    assert fields.get("body", [""]) == [body] if body else "body" not in fields


def test_a_tel_link_keeps_only_the_number() -> None:
    assert links.tel("+442079460001") == "tel:+442079460001"
    assert "?" not in links.tel("+44?x=1")


@pytest.mark.parametrize(
    "address", [SNEAKY, "a&b@example.org", "a#b@example.org", "a%b@example.org", "a/b@x.org"]
)
def test_addresses_that_would_change_a_link_are_refused(address: str) -> None:
    with pytest.raises(ValidationError, match="Check it with the customer"):
        validation.email(address)


@pytest.mark.parametrize("address", ["ann.o'neil@example.org", "j+complaints@example.org"])
def test_ordinary_addresses_still_pass(address: str) -> None:
    assert validation.email(address) == address


@pytest.mark.parametrize(
    "value", ["\uff1dSUM(A1)", "\ufe66cmd", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", "|calc!A0"]
)
def test_full_width_signs_and_the_pipe_are_formulas_too(value: str) -> None:
    assert safe_cell(value) == "'" + value
