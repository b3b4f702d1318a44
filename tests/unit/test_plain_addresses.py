"""The quick path for ordinary email addresses agrees with email_validator on every address."""

from __future__ import annotations

import email_validator
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceo_desk.core import validation
from ceo_desk.errors import ValidationError

_CHARS = "aZ09._+-'é"
_part = st.text(alphabet=_CHARS, min_size=1, max_size=8)
_label = st.text(alphabet="aZ09-_é", min_size=1, max_size=6)
_tld = st.sampled_from(["com", "io", "UK", "c0m", "123", "test", "local", "x", "arpa", "é"])
# Addresses built like real ones (local part, labels, a top-level domain) from characters that
# sit on both sides of every rule: dots, hyphens, quotes, digits, accents, special-use names.
addresses = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join([*labels, tld])}",
    _part,
    st.lists(_label, min_size=1, max_size=3),
    _tld,
)


def by_the_library(raw: str) -> str | None:
    """What the full check answers: the normalised address, or None when refused."""
    try:
        result = email_validator.validate_email(raw, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return None
    return result.normalized.lower()


@settings(max_examples=400, deadline=None)
@given(addresses)
def test_every_address_the_quick_path_takes_the_library_takes_the_same_way(raw: str) -> None:
    if validation._is_plain_address(raw, email_validator.SPECIAL_USE_DOMAIN_NAMES):
        assert by_the_library(raw) == raw.lower()


@pytest.mark.parametrize(
    "raw",
    [
        "Ann.Lee+orders@Example.COM",
        "a_b-c@mail.example.co.uk",
        "person42@example.com",
    ],
)
def test_ordinary_addresses_take_the_quick_path(raw: str) -> None:
    assert validation._is_plain_address(raw, email_validator.SPECIAL_USE_DOMAIN_NAMES)
    assert validation.email(raw) == by_the_library(raw)


@pytest.mark.parametrize(
    "raw",
    ["a..b@x.com", ".a@x.com", "a@x.test", "a@localhost", "a@x-.com", "a@x.123", "a@xn--b.com"],
)
def test_what_the_quick_path_leaves_is_still_refused_or_checked_in_full(raw: str) -> None:
    assert not validation._is_plain_address(raw, email_validator.SPECIAL_USE_DOMAIN_NAMES)
    if by_the_library(raw) is None:
        with pytest.raises(ValidationError):
            validation.email(raw)
