import pytest

from ceo_desk.core.language import flagged_terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Under our policy we cannot refund.", ["policy", "cannot"]),
        ("We can\u2019t do that; it is non-refundable.", ["can't", "non-refundable"]),
        ("It was not   possible to come earlier", ["not possible"]),
        ("Refunded in full and apologised.", []),
        ("The policyholder was called.", []),
    ],
)
def test_flagged_terms(text: str, expected: list[str]) -> None:
    assert flagged_terms(text) == expected
