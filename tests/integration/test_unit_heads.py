"""A department or partner has a head: the person its overdue reports are escalated to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from ceo_desk.cli import main
from ceo_desk.core.database import open_database
from ceo_desk.core.services import directory
from ceo_desk.store import schema_shape
from ceo_desk.store.db import Database
from tests.builders import add_staff


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _units(capsys: pytest.CaptureFixture[str], url: str) -> dict[str, Any]:
    code, out, err = _run(capsys, "units", "--db", url, "--json")
    assert code == 0, err
    return {u["name"]: u for u in json.loads(out)}


def test_the_command_line_names_and_clears_a_head(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(database_url)
    try:
        add_staff(db, "Wei Chen", "Billing", email="wei.chen@example.com")
        add_staff(db, "Pat Lowe", "Northwind", email="pat@northwind.example")
    finally:
        db.close()

    code, out, err = _run(capsys, "unit-head", "Northwind", "Wei Chen", "--db", database_url)
    assert code == 0, err
    assert "Wei Chen heads Northwind" in out
    assert _units(capsys, database_url)["Northwind"]["head"] == "Wei Chen"
    code, out, _ = _run(capsys, "units", "--db", database_url)
    assert "head: Wei Chen" in out

    code, out, err = _run(capsys, "unit-head", "Northwind", "--none", "--db", database_url)
    assert code == 0, err
    assert "Northwind has no head" in out
    assert _units(capsys, database_url)["Northwind"]["head"] is None


def test_a_deactivated_or_missing_head_is_refused_and_nothing_changes(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite_db
    chen = add_staff(db, "Wei Chen", "Billing", email="wei.chen@example.com")
    lowe = add_staff(db, "Pat Lowe", "Northwind")
    with db.transaction() as uow:
        directory.set_unit_head(uow, directory.find_unit(uow, "Northwind").id, lowe)
        directory.set_staff_active(uow, chen, False)
    url = db.url

    code, _, err = _run(capsys, "unit-head", "Northwind", "Wei Chen", "--db", url)
    assert code == 2
    assert "Wei Chen is deactivated and cannot head 'Northwind'" in err
    code, _, err = _run(capsys, "unit-head", "Northwind", "--db", url)
    assert code == 2 and "Say who heads the unit" in err
    code, _, err = _run(capsys, "unit-head", "Nowhere", "Pat Lowe", "--db", url)
    assert code == 2 and "There is no department or partner 'Nowhere'" in err
    assert "Traceback" not in err
    assert _units(capsys, url)["Northwind"]["head"] == "Pat Lowe"


def test_naming_a_head_is_on_the_audit_trail(sqlite_db: Database) -> None:
    db = sqlite_db
    chen = add_staff(db, "Wei Chen", "Billing")
    with db.transaction() as uow:
        directory.set_unit_head(uow, directory.find_unit(uow, "Billing").id, chen)
    with db.reading() as uow:
        described = uow.session.execute(
            text("SELECT description FROM event WHERE action = 'unit_head_changed'")
        ).scalar_one()
    assert described == "Wei Chen heads 'Billing'"


def test_a_log_from_before_heads_keeps_its_units_and_gets_none(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        schema_shape.upgrade(conn, "0012")
        conn.execute(
            text("INSERT INTO unit (id, name, kind, active) VALUES (1, 'B', 'partner', 1)")
        )
        conn.execute(text("INSERT INTO staff (id, name, unit_id, active) VALUES (1, 'Jo', 1, 1)"))
    engine.dispose()
    db = open_database(str(path))
    try:
        with db.reading() as uow:
            (unit,) = directory.list_units(uow)
        assert (unit.name, unit.staff_count, unit.head_staff_id) == ("B", 1, None)
        with db.transaction() as uow:
            directory.set_unit_head(uow, 1, 1)
        with db.reading() as uow:
            assert directory.get_unit(uow, 1).head_name == "Jo"
    finally:
        db.close()
