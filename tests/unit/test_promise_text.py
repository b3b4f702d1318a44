"""The promises cell of an exported file reads back as the promises written, or is refused."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core import promise_text
from ceo_desk.core.promise_text import WrittenPromise
from ceo_desk.enums import PromiseOutcome
from ceo_desk.errors import ValidationError

# What a promise can hold once typed and trimmed: lines of text, not starting or ending blank.
_WHAT = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\r"), min_size=1)
    .map(lambda t: t.strip())
    .filter(bool)
)
_LINES = st.lists(_WHAT, min_size=1, max_size=3).map("\n".join)


@given(
    st.lists(
        st.builds(
            WrittenPromise,
            _LINES,
            st.dates(date(2000, 1, 1), date(2099, 12, 31)),
            st.sampled_from([None, *PromiseOutcome]),
        ),
        max_size=4,
    )
)
def test_written_promises_read_back_unchanged(promises: list[WrittenPromise]) -> None:
    assert promise_text.read(promise_text.written(promises)) == promises


def test_the_cell_reads_as_a_person_wrote_it() -> None:
    cell = "2026-03-06 Kept: Refund the charge\n\n2026-03-09:Ring back\n  after the visit"
    assert promise_text.read(cell) == [
        WrittenPromise("Refund the charge", date(2026, 3, 6), PromiseOutcome.KEPT),
        WrittenPromise("Ring back\nafter the visit", date(2026, 3, 9)),
    ]


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("Refund by Friday", "must start with the day it is due by"),
        ("2026-02-30: Refund", "2026-02-30 is not a real day"),
        ("2026-03-06 maybe: Refund", "must start with the day it is due by"),
    ],
)
def test_a_cell_that_is_not_promises_is_refused_naming_the_line(cell: str, said: str) -> None:
    with pytest.raises(ValidationError, match=said) as refused:
        promise_text.read(cell)
    assert refused.value.field == "promises"
