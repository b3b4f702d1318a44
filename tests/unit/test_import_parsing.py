"""Reading import files: dates, header detection, line numbers, mappings (no database)."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ceo_desk.core.intake import sheet_dates, sheet_mapping, sheet_read
from ceo_desk.core.intake.sheet_mapping import Mapping
from ceo_desk.enums import Channel, Status
from ceo_desk.errors import ValidationError


def _local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second).astimezone().astimezone(UTC)


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("2026-03-14", "dmy", _local(2026, 3, 14)),
        ("2026-03-14", "mdy", _local(2026, 3, 14)),  # ISO is always year-month-day
        ("2026-03-14T09:30", "mdy", _local(2026, 3, 14, 9, 30)),
        ("2026-03-14 09:30:15", "dmy", _local(2026, 3, 14, 9, 30, 15)),
        ("2026/03/14", "mdy", _local(2026, 3, 14)),  # year first with slashes
        ("2026.3.4", None, _local(2026, 3, 4)),
        ("14/03/2026", "dmy", _local(2026, 3, 14)),
        ("03/14/2026", "mdy", _local(2026, 3, 14)),
        ("14.03.26", "dmy", _local(2026, 3, 14)),
        ("3/4/26 14:05", "dmy", _local(2026, 4, 3, 14, 5)),
        ("3/4/26 2:05 PM", "mdy", _local(2026, 3, 4, 14, 5)),
        ("01/02/99", "dmy", _local(1999, 2, 1)),
        ("14 March 2026", None, _local(2026, 3, 14)),
        ("Mar 14, 2026", None, _local(2026, 3, 14)),
        ("20-May-15", None, _local(2015, 5, 20)),
        ("14th Sept 2026 10:30", None, _local(2026, 9, 14, 10, 30)),
        ("20-05-15 12:49:57 PM", None, _local(2015, 5, 20, 12, 49, 57)),  # only day first
        ("06/06/2026", None, _local(2026, 6, 6)),  # the same either way
        ("2026-03-14T09:30:00+01:00", "dmy", datetime(2026, 3, 14, 8, 30, tzinfo=UTC)),
    ],
)
def test_dates_in_several_formats(
    raw: str, order: sheet_dates.DateOrder | None, expected: datetime
) -> None:
    assert sheet_dates.read_moment(raw, order, "received_at", "Received") == expected


def test_a_date_that_reads_two_ways_is_asked_about_never_guessed() -> None:
    with pytest.raises(ValidationError) as refused:
        sheet_dates.read_moment("09-04-15", None, "received_at", "Received")
    message = refused.value.message
    assert "9 April 2015 day first" in message and "4 September 2015 month first" in message
    assert "--date-order dmy or mdy" in message
    assert sheet_dates.order_evidence("09-04-15") is None
    assert sheet_dates.order_evidence("20-05-15") == "dmy"
    assert sheet_dates.order_evidence("06/20/2019") == "mdy"


@pytest.mark.parametrize(
    ("raw", "order", "complaint"),
    [
        ("03/14/2026", "dmy", "month first"),  # it would be a date the other way
        ("31/12/2026", "mdy", "day first"),
        ("yesterday", "dmy", "not a date"),
        ("2026-02-30", None, "not a date"),
    ],
)
def test_wrong_dates_say_what_was_expected(
    raw: str, order: sheet_dates.DateOrder | None, complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        sheet_dates.read_moment(raw, order, "received_at", "Received")


def test_header_is_found_below_junk_lines_and_line_numbers_count_multiline_text(
    tmp_path: Path,
) -> None:
    content = (
        "Exported from OldCRM\r\n"
        "Printed 2026-01-02;;\r\n"
        "\r\n"
        "Received,Customer,Phone,Summary,Details\r\n"
        '2026-01-05,Ann,+442079460000,Late,"line one\r\nline two\r\nline three"\r\n'
        "2026-01-06,Bob,+442079460001,Broken,short\r\n"
    )
    path = tmp_path / "old.csv"
    path.write_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"))
    layout = sheet_read.detect(path)
    assert (layout.header_line, layout.encoding) == (4, "utf-8-sig")
    assert layout.headers == ["Received", "Customer", "Phone", "Summary", "Details"]
    rows = list(sheet_read.records(layout))
    assert [line for line, _ in rows] == [5, 8]
    assert rows[0][1][4] == "line one\r\nline two\r\nline three"


@pytest.mark.parametrize(
    ("delimiter", "encoding", "detected"),
    [(";", "utf-8", "utf-8"), ("\t", "cp1252", "cp1252"), ("|", "latin-1", "latin-1")],
)
def test_delimiter_and_encoding_are_detected(
    tmp_path: Path, delimiter: str, encoding: str, detected: str
) -> None:
    name = "Zoë Ñúñez" if encoding != "latin-1" else "Zo\x8de"  # \x8d: undefined in cp1252
    rows = [["Date", "Customer", "Summary"], ["14/03/2026", name, "Late; again, twice"]]
    text = "\r\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in r) for r in rows)
    path = tmp_path / "semi.csv"
    path.write_bytes(text.encode(encoding))
    layout = sheet_read.detect(path)
    assert (layout.delimiter, layout.encoding) == (delimiter, detected)
    assert next(iter(sheet_read.records(layout)))[1][1] == name


def test_a_file_without_a_header_row_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="No header row"):
        sheet_read.detect(path)


def test_a_mapping_is_proposed_from_the_header() -> None:
    proposed = sheet_mapping.propose(
        [
            "Date received",
            "Product",
            "Issue",
            "Sub-issue",
            "Consumer complaint narrative",
            "Submitted via",
            "Company response to consumer",
            "Complaint ID",
            "State",
        ]
    )
    assert proposed.fields == {
        "received_at": ["Date received"],
        "category": ["Product"],
        "summary": ["Issue", "Sub-issue"],  # several columns, one field
        "details": ["Consumer complaint narrative"],
        "channel": ["Submitted via"],
        "status": ["Company response to consumer"],
        "reference": ["Complaint ID"],
    }
    telecom = sheet_mapping.propose(["Ticket #", "Customer Complaint", "Date", "Time", "City"])
    assert telecom.fields["received_at"] == ["Date", "Time"]
    assert sheet_mapping.field_for_header(" E-mail ") == "email"
    assert sheet_mapping.field_for_header("Colour") is None
    sheet_mapping.propose_statuses(telecom, ["Open", "Closed", "Pending", "Solved", "new"])
    assert telecom.values["status"] == {
        "Closed": "resolved",
        "Open": "new",
        "Pending": "new",
        "Solved": "resolved",
    }


def test_one_column_may_feed_several_fields_and_a_missing_column_is_an_error() -> None:
    mapping = sheet_mapping.mapping_from_dict(
        {"fields": {"summary": "Complaint", "details": "Complaint", "received_at": ["D", "T"]}}
    )
    assert sheet_mapping.column_indexes(mapping, ["D", "T", "Complaint"]) == {
        "summary": [2],
        "details": [2],
        "received_at": [0, 1],
    }
    with pytest.raises(ValidationError, match="does not have: T"):
        sheet_mapping.column_indexes(mapping, ["D", "Complaint"])


def test_mapping_round_trips_through_toml() -> None:
    mapping = Mapping(
        fields={"customer_name": ["Kunde"], "received_at": ['Eingang "Datum"', "Zeit"]},
        date_order="mdy",
        delimiter=";",
        encoding="cp1252",
        values={"status": {"Erledigt": "resolved", "Offen": "new"}},
    )
    again = sheet_mapping.mapping_from_dict(tomllib.loads(sheet_mapping.mapping_to_toml(mapping)))
    assert again == mapping


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        ({"columns": {"A": "shoe_size"}}, "not a field"),
        ({"fields": {"status": ["A", "B"]}}, "takes one column"),
        ({"import": {"date_order": "year-first"}}, "dmy"),
        ({"import": {"delimiter": ";;"}}, "one character"),
        ({"import": {"encoding": "klingon"}}, "unknown"),
        ({"columns": ["A"]}, "must be tables"),
    ],
)
def test_bad_mappings_say_what_to_fix(data: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        sheet_mapping.mapping_from_dict(data)


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("Web", Channel.WEB_FORM),
        ("Referral", Channel.REFERRAL),
        ("Postal mail", Channel.LETTER),
        ("E-mail", Channel.EMAIL),
        ("Customer Care Call", Channel.PHONE),
        ("Internet", Channel.WEB_FORM),
        ("social-media", Channel.SOCIAL_MEDIA),
        ("Fax", Channel.OTHER),
    ],
)
def test_channels_people_use_are_named(text: str, channel: Channel) -> None:
    assert Channel.from_text(text) is channel


def test_other_systems_statuses_are_read() -> None:
    assert sheet_mapping.status_for("Closed with monetary relief") is Status.RESOLVED
    assert sheet_mapping.status_for("Cancelled by customer") is Status.WITHDRAWN
    assert sheet_mapping.status_for("In progress") is None
