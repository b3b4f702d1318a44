"""`ceo-desk log` takes its options from the field declaration: each lands in its field."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from ceo_desk.cli import build_parser, main
from ceo_desk.core import fields

GIVEN = {
    "received_at": "2026-03-02T09:15:00+00:00",
    "channel": "email",
    "severity": "high",
    "category": "Delivery",
    "customer_name": "Ann Lee",
    "phone": "+442079460001",
    "email": "ann@example.com",
    "organisation": "Lee Bakery",
    "account_ref": "ACC-9",
    "summary": "Parcel left in the rain",
    "details": "Left by the door.",
    "customer_wants": "A new parcel",
    "ceo_spoke": True,
    "ceo_promised": "A call on Friday",
    "prior_contacts": 3,
    "vulnerable": True,
    "flag_mp": True,
    "flag_journalist": True,
    "flag_regulator": True,
    "flag_social_media": True,
}


def _show(capsys: pytest.CaptureFixture[str], reference: str, db: str) -> dict[str, object]:
    assert main(["show", reference, "--json", "--db", db]) == 0
    shown: dict[str, object] = json.loads(capsys.readouterr().out)
    return shown


def test_every_log_option_lands_in_its_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "log.sqlite3")
    staff = ["staff", "add", "--name", "Jo Ortiz", "--unit", "Acme Couriers"]
    assert main([*staff, "--unit-kind", "partner", "--db", db]) == 0
    capsys.readouterr()
    argv = ["log", "--json", "--db", db, "--caused-by", "Acme Couriers"]
    for key, value in GIVEN.items():
        flag = fields.field(key).flag
        assert flag is not None, key
        argv += [flag] if value is True else [flag, str(value)]
    assert main(argv) == 0
    reference = json.loads(capsys.readouterr().out)["reference"]
    shown = _show(capsys, reference, db)
    for key, value in GIVEN.items():
        assert shown[fields.field(key).json or ""] == value, key
    assert shown["caused_by_unit"] == "Acme Couriers"
    assert {f.key for f in fields.LOGGED} == {*GIVEN, "caused_by_unit"}


def test_log_help_is_the_declared_help() -> None:
    commands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    helps = {action.dest: action.help for action in commands.choices["log"]._actions}
    for declared in fields.LOGGED:
        assert helps[declared.key] == declared.help


def test_a_count_out_of_bounds_is_refused_with_the_declared_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "log.sqlite3")
    code = main(
        ["log", "--customer", "Ann", "--summary", "x", "--phone", "+442079460001",
         "--prior-contacts", "5000", "--db", db]
    )  # fmt: skip
    assert code == 2
    assert "People dealt with before must be between 0 and 1000" in capsys.readouterr().err


def test_show_names_each_field_by_its_declared_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "log.sqlite3")
    argv = ["log", "--customer", "Ann Lee", "--summary", "Parcel wet", "--phone", "+442079460001"]
    assert main([*argv, "--prior-contacts", "2", "--wants", "A new one", "--db", db]) == 0
    reference = capsys.readouterr().out.split()[0]
    assert main(["show", reference, "--db", db]) == 0
    shown = capsys.readouterr().out
    assert f"{fields.label('prior_contacts')}: 2" in shown
    assert f"{fields.label('customer_wants')}:" in shown and "A new one" in shown


# What `show --json` carries besides the declared fields; a key outside both sets is a field
# that was added to the output without being declared.
SHOW_ONLY = {
    "id", "version", "category_id", "caused_by_unit_id", "customer_id", "customer_erased",
    "customer_complaints", "current_delegate_id", "unanswered_attempts", "duplicate_of",
    "customer_version", "delegations", "reports", "callbacks", "events", "attachments",
    "promises", "final_response", "paused_for",
}  # fmt: skip
DECLARED_JSON = {f.json for f in fields.JSON_VISIBLE}


def _log_everything(capsys: pytest.CaptureFixture[str], db: str) -> str:
    assert main(["staff", "add", "--name", "Jo Ortiz", "--unit", "Acme", "--db", db]) == 0
    argv = ["log", "--json", "--db", db, "--caused-by", "Acme"]
    for key, value in GIVEN.items():
        flag = fields.field(key).flag or ""
        argv += [flag] if value is True else [flag, str(value)]
    capsys.readouterr()
    assert main(argv) == 0
    reference: str = json.loads(capsys.readouterr().out)["reference"]
    assert main(["delegate", reference, "--to", "Jo Ortiz", "--db", db]) == 0
    capsys.readouterr()
    return reference


def test_show_json_names_every_field_as_declared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "log.sqlite3")
    reference = _log_everything(capsys, db)
    shown = _show(capsys, reference, db)
    assert set(shown) == DECLARED_JSON | SHOW_ONLY
    assert shown[fields.json_name("delegate")] == "Jo Ortiz"
    assert shown[fields.json_name("phone")] == GIVEN["phone"]


def test_list_json_names_its_fields_as_show_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "log.sqlite3")
    reference = _log_everything(capsys, db)
    shown = _show(capsys, reference, db)
    assert main(["list", "--json", "--db", db]) == 0
    [row] = json.loads(capsys.readouterr().out)
    listed_fields = set(row) - {"due_on", "final_response_due", "final_response"}
    assert listed_fields <= DECLARED_JSON, listed_fields - DECLARED_JSON
    assert {"customer_name", "current_delegate", "summary", "status"} <= listed_fields
    for key in listed_fields:
        assert row[key] == shown[key], key
    assert row["due_on"] == shown["report_due_on"]
    final = shown["final_response"]
    assert isinstance(final, dict)
    assert row["final_response_due"] == final["due"]
    assert row["final_response"] == final["state"]
