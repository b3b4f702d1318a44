from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceo_desk.core import validation
from ceo_desk.errors import ValidationError


def test_phone_is_stored_in_e164_with_the_default_region() -> None:
    assert validation.phone("(212) 555-0142", "US") == "+12125550142"
    assert validation.phone("020 7946 0018", "GB") == "+442079460018"
    assert validation.phone("+49 30 901820", "US") == "+4930901820"
    assert validation.phone("  ", "US") is None


@pytest.mark.parametrize("bad", ["12", "call me", "+1", "555"])
def test_unreadable_phone_says_what_to_do(bad: str) -> None:
    with pytest.raises(ValidationError, match="area code") as info:
        validation.phone(bad, "US")
    assert info.value.field == "phone"


def test_email_is_normalised_without_network() -> None:
    assert validation.email(" Ann.Smith@Example.COM ") == "ann.smith@example.com"
    assert validation.email("") is None
    with pytest.raises(ValidationError, match="not a valid email"):
        validation.email("ann@")


@pytest.mark.parametrize(
    ("typed", "currency", "minor"),
    [
        ("250", "USD", 25000),
        ("1,234.50", "EUR", 123450),
        ("$12.5", "USD", 1250),
        ("1000", "JPY", 1000),
        ("", "USD", 0),
        (None, "USD", 0),
    ],
)
def test_money_becomes_minor_units(typed: str | None, currency: str, minor: int) -> None:
    assert validation.money(typed, currency) == minor


@pytest.mark.parametrize("bad", ["-5", "abc", "1.234", "NaN", "inf", "1e20", "1e3"])
def test_bad_money_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        validation.money(bad, "USD")


def test_format_money_round_trips() -> None:
    assert validation.format_money(123450, "EUR") == "EUR 1,234.50"
    assert validation.format_money(1000, "JPY") == "JPY 1,000"


def test_required_text_and_length_limits() -> None:
    with pytest.raises(ValidationError, match="Summary is required"):
        validation.text("  \n ", "summary", required=True)
    with pytest.raises(ValidationError, match="shorten it"):
        validation.text("x" * 30, "summary", max_length=20)
    assert validation.text(" a\x00b ", "summary") == "ab"


def test_moment_without_zone_is_local_time() -> None:
    parsed = validation.moment("2026-03-14T09:30", "received_at")
    assert parsed is not None and parsed.tzinfo is UTC
    assert parsed == datetime(2026, 3, 14, 9, 30).astimezone().astimezone(UTC)
    with pytest.raises(ValidationError, match="14 Mar 2026 09:30 or 2026-03-14T09:30"):
        validation.moment("14/03/2026", "received_at")


def test_a_time_is_read_as_a_person_types_it_on_a_call() -> None:
    now = datetime.now().astimezone()
    today, yesterday = now.date(), (now - timedelta(days=1)).date()
    cases = {
        "09:30": (today, 9, 30),
        "today 9.05": (today, 9, 5),
        "Yesterday 16:00": (yesterday, 16, 0),
        "14 Mar 2026 09:30": (date(2026, 3, 14), 9, 30),
        "Saturday 14 March 2026, 09:30": (date(2026, 3, 14), 9, 30),
        "Sat 14 Mar 2026 09:30": (date(2026, 3, 14), 9, 30),
        "14 mar 09:30": (date(now.year, 3, 14), 9, 30),
    }
    for typed, (day, hour, minute) in cases.items():
        read = validation.moment(typed, "received_at")
        assert read is not None, typed
        local = read.astimezone()
        assert (local.date(), local.hour, local.minute) == (day, hour, minute), typed
    for nonsense in ("25:00", "soon", "14 Smarch 09:30", "09:30 tomorrow"):
        assert validation.typed_moment(nonsense) is None, nonsense


@given(st.text(max_size=40))
def test_any_typed_phone_is_either_e164_or_a_clear_error(typed: str) -> None:
    try:
        result = validation.phone(typed, "US")
    except ValidationError as exc:
        assert exc.field == "phone"
    else:
        assert result is None or (result.startswith("+") and result[1:].isdigit())


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=True)))
def test_any_typed_amount_is_either_minor_units_or_a_clear_error(typed: object) -> None:
    try:
        result = validation.money(typed, "USD")  # type: ignore[arg-type]
    except ValidationError:
        return
    assert isinstance(result, int) and result >= 0


@given(st.text(max_size=60))
def test_any_typed_email_is_either_normalised_or_a_clear_error(typed: str) -> None:
    try:
        result = validation.email(typed)
    except ValidationError:
        return
    assert result is None or ("@" in result and result == result.lower())


@pytest.mark.parametrize("bad", ["1,2,3", "12,34", "NaN", "$", "1.2.3"])
def test_commas_only_as_thousands_separators(bad: str) -> None:
    with pytest.raises(ValidationError, match="not an amount"):
        validation.money(bad, "USD")


@pytest.mark.parametrize(
    "typed", ["0001-01-01T00:00", "1900-01-01T00:00", "9999-12-31T23:59:59-12:00"]
)
def test_implausible_years_are_refused_not_crashed_on(typed: str) -> None:
    with pytest.raises(ValidationError, match="check the year"):
        validation.moment(typed, "received_at")


def test_invisible_characters_do_not_make_a_name() -> None:
    with pytest.raises(ValidationError, match="is required"):
        validation.short_text("\u200b\u200b", "customer_name", required=True)
    assert validation.short_text("Zo\u200bë", "customer_name") == "Zoë"


def test_a_local_number_the_region_refuses_suggests_the_likely_country() -> None:
    with pytest.raises(ValidationError) as refused:
        validation.phone("202 555 0101", "GB")
    assert refused.value.message.startswith(
        "This is not a valid GB number. Did you mean +1 202-555-0101? (US)"
    )
    with pytest.raises(ValidationError, match=r"Did you mean \+44 20 7946 0018\? \(GB\)"):
        validation.phone("020 7946 0018", "US")
    with pytest.raises(ValidationError, match=r"Did you mean \+44 20 7946 0018\? \(GB\)"):
        validation.phone("0044 20 7946 0018", "US")  # 00 is not how the US dials abroad
    assert validation.phone("020 7946 0018", "GB") == "+442079460018"
    with pytest.raises(ValidationError, match="not a phone number CEO Desk can read"):
        validation.phone("123", "GB")
