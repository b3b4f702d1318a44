"""`ceo-desk settings list|get|set`, built from the settings declaration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ceo_desk import settings
from ceo_desk.cli import main
from ceo_desk.core.database import open_database
from ceo_desk.core.services import office


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _saved(url: str) -> settings.OfficeSettings:
    db = open_database(url)
    try:
        with db.reading() as uow:
            return office.load_settings(uow)
    finally:
        db.close()


def test_list_shows_every_declared_setting(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "settings", "list", "--json", "--db", database_url)
    assert code == 0
    listed = json.loads(out)
    assert [entry["key"] for entry in listed] == [o.key for o in settings.OPTIONS]
    shown = {entry["key"]: entry["shown"] for entry in listed}
    assert shown["weekend_days"] == "Saturday, Sunday"
    assert shown["retention_years"] == "forever"


def test_set_then_get_weekend_days_and_retention(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", database_url)
    code, out, err = _run(capsys, "settings", "set", "weekend_days", "fri,sat", *db)
    assert code == 0, err
    assert out.strip() == "Weekend days: Friday, Saturday"
    assert _run(capsys, "settings", "set", "retention-years", "7", *db)[0] == 0
    code, out, _ = _run(capsys, "settings", "get", "retention_years", "--json", *db)
    assert json.loads(out)["value"] == 7
    saved = _saved(database_url)
    assert (saved.weekend_days, saved.retention_years) == ((4, 5), 7)
    assert _run(capsys, "settings", "set", "retention_years", "forever", *db)[0] == 0
    assert _saved(database_url).retention_years is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "unreachable_after_attempts",
            "0",
            "Unanswered calls before 'unreachable' must be 1 to 20",
        ),
        ("report_due_days.high", "61", "Report due days for high severity must be 1 to 60"),
        ("callback_due_days", "two", "must be a whole number from 0 to 20"),
        ("weekend_days", "mon,tue,wed,thu,fri,sat", "at least 2 workdays"),
        ("weekend_days", "funday", "'funday' is not a weekday"),
        ("holidays", "25/12/2026", "is not a date"),
        ("retention_years", "0", "Retention must be 1 to 100, or forever"),
        ("phone_region", "XX", "two-letter country code"),
        ("currency", "dollars", "three-letter ISO code"),
        ("no_such_setting", "1", "There is no setting 'no_such_setting'. Settings: report_due"),
    ],
)
def test_bad_values_are_refused_clearly_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: str, message: str
) -> None:
    url = f"sqlite:///{tmp_path}/log.sqlite3"
    before = _saved(url)
    code, out, err = _run(capsys, "settings", "set", key, value, "--db", url)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and not out
    assert _saved(url) == before
