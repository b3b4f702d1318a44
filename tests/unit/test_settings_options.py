"""The office settings' declaration: bounds, parsing and display agree with each other."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceo_desk import settings
from ceo_desk.errors import ValidationError

COUNTS = [o for o in settings.OPTIONS if o.type is settings.OptionType.COUNT]


def test_a_new_log_starts_with_valid_settings() -> None:
    defaults = settings.OfficeSettings()
    assert settings.validate(defaults) == defaults
    for option in settings.OPTIONS:
        assert option.check(option.default) == option.default, option.key


@pytest.mark.parametrize("option", COUNTS, ids=lambda o: o.key)
@given(number=st.integers(min_value=-1000, max_value=1000))
def test_a_count_is_taken_exactly_within_its_bounds(option: settings.Option, number: int) -> None:
    if option.minimum <= number <= option.maximum:
        assert option.parse(str(number)) == number
    else:
        with pytest.raises(ValidationError, match=f"must be {option.bounds()}") as refused:
            option.parse(str(number))
        assert refused.value.field == option.key


@pytest.mark.parametrize("option", settings.OPTIONS, ids=lambda o: o.key)
def test_what_is_shown_can_be_typed_back(option: settings.Option) -> None:
    value = option.default
    if option.type is settings.OptionType.COUNT:
        typed = str(value)
    elif option.type is settings.OptionType.WEEKDAYS:
        typed = option.show(value).replace(" ", "")
    else:
        typed = option.show(value).replace("(not set)", "")
    assert option.parse(typed) == value


@given(days=st.sets(st.integers(min_value=0, max_value=6)))
def test_weekend_days_leave_two_workdays(days: set[int]) -> None:
    option = settings.option("weekend_days")
    typed = ",".join(str(d) for d in days) or "none"
    if len(days) <= 5:
        assert option.parse(typed) == tuple(sorted(days))
    else:
        with pytest.raises(ValidationError, match="at least 2 workdays"):
            option.parse(typed)


def test_an_unknown_setting_names_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="callback_due_days"):
        settings.option("callback_days")


@pytest.mark.parametrize(
    ("variables", "region"),
    [
        ({"LANG": "en_GB.UTF-8"}, "GB"),
        ({"LANG": "de_AT.UTF-8", "LC_TELEPHONE": "fr_CH.UTF-8"}, "CH"),
        ({"LANG": "de_DE.UTF-8", "LC_ALL": "C"}, "US"),
        ({"LANG": "C.UTF-8"}, "US"),
    ],
)
def test_the_default_phone_region_comes_from_the_locale(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], region: str
) -> None:
    for name in ("LC_ALL", "LC_TELEPHONE", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert settings.OfficeSettings().phone_region == region
    stored = settings.OfficeSettings.from_json_dict({"phone_region": "NZ"})
    assert stored.phone_region == "NZ", "the office's own setting overrides the locale"
