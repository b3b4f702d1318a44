"""Reading import files: header detection, line numbers, dates, mappings (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ceo_desk.core.safety import importer
from ceo_desk.errors import ValidationError


def _local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second).astimezone().astimezone(UTC)


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("2026-03-14", "day-first", _local(2026, 3, 14)),
        ("2026-03-14T09:30", "month-first", _local(2026, 3, 14, 9, 30)),
        ("2026-03-14 09:30:15", "day-first", _local(2026, 3, 14, 9, 30, 15)),
        ("14/03/2026", "day-first", _local(2026, 3, 14)),
        ("03/14/2026", "month-first", _local(2026, 3, 14)),
        ("14.03.26", "day-first", _local(2026, 3, 14)),
        ("3/4/26 14:05", "day-first", _local(2026, 4, 3, 14, 5)),
        ("3/4/26 2:05 PM", "month-first", _local(2026, 3, 4, 14, 5)),
        ("01/02/99", "day-first", _local(1999, 2, 1)),
        ("2026-03-14T09:30:00+01:00", "day-first", datetime(2026, 3, 14, 8, 30, tzinfo=UTC)),
    ],
)
def test_dates_in_several_formats(raw: str, order: str, expected: datetime) -> None:
    assert importer.parse_moment(raw, order, "received_at") == expected


@pytest.mark.parametrize(
    ("raw", "order"),
    [("03/14/2026", "day-first"), ("31/12/2026", "month-first"), ("yesterday", "day-first")],
)
def test_wrong_dates_name_the_expected_order(raw: str, order: str) -> None:
    with pytest.raises(ValidationError, match=order):
        importer.parse_moment(raw, order, "received_at")


def test_header_is_found_below_junk_lines_and_line_numbers_count_multiline_text() -> None:
    content = (
        "Exported from OldCRM\r\n"
        "Printed 2026-01-02;;\r\n"
        "\r\n"
        "Received,Customer,Phone,Summary,Details\r\n"
        '2026-01-05,Ann,+442079460000,Late,"line one\r\nline two\r\nline three"\r\n'
        "2026-01-06,Bob,+442079460001,Broken,short\r\n"
    )
    table = importer.table_from_text("\ufeff" + content)
    assert table.header_line == 4
    assert table.headers == ["Received", "Customer", "Phone", "Summary", "Details"]
    assert [line for line, _ in table.rows] == [5, 8]
    assert table.rows[0][1][4] == "line one\r\nline two\r\nline three"


def test_a_file_without_a_header_row_is_refused() -> None:
    with pytest.raises(ValidationError, match="No header row"):
        importer.table_from_text("a,b,c\n1,2,3\n")


def test_headers_are_understood_without_a_mapping() -> None:
    default = importer.Mapping()
    assert default.field_for("Customer Name") == "customer_name"
    assert default.field_for(" E-mail ") == "email"
    assert default.field_for("Date received") == "received_at"
    assert default.field_for("Colour") is None


def test_mapping_round_trips_through_toml() -> None:
    mapping = importer.Mapping(
        columns={"Kunde": "customer_name", 'Eingang "Datum"': "received_at", "Text": "summary"},
        date_order="month-first",
        delimiter=";",
        values={"status": {"Erledigt": "resolved", "Offen": "new"}},
    )
    import tomllib

    again = importer.mapping_from_dict(tomllib.loads(importer.mapping_to_toml(mapping)))
    assert again == mapping
    assert again.field_for("kunde") == "customer_name"
    assert again.field_for("Customer") is None  # a mapping names its columns exactly


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        ({"columns": {"A": "shoe_size"}}, "not a field"),
        ({"import": {"date_order": "year-first"}}, "date_order"),
        ({"import": {"delimiter": ";;"}}, "one character"),
        ({"columns": ["A"]}, "must be tables"),
    ],
)
def test_bad_mappings_say_what_to_fix(data: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        importer.mapping_from_dict(data)
