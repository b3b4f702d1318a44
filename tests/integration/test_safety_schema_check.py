"""`ceo-desk check` compares the live schema with the one its version should have."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from ceo_desk.cli import main
from ceo_desk.store.db import Database
from tests.builders import log


def _schema_finding(db: Database, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["check", "--db", db.url, "--json"]) in (0, 2)
    report = json.loads(capsys.readouterr().out)
    found = [f for f in report["findings"] if f["check"] == "schema"]
    assert len(found) == 1
    return dict(found[0])


def test_a_fresh_log_has_exactly_its_versions_schema(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    log(db)
    finding = _schema_finding(db, capsys)
    assert finding["ok"] is True, finding


def test_every_difference_from_the_schema_is_named(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    log(db)
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE side_copy (name TEXT)"))
        conn.execute(text("CREATE INDEX ix_sneaky ON customer (name)"))
        conn.execute(text("CREATE VIEW everyone AS SELECT name FROM customer"))
        conn.execute(text("ALTER TABLE customer DROP COLUMN organisation"))
        if db.engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER event_no_delete"))
            conn.execute(
                text(
                    "CREATE TRIGGER copy_names AFTER INSERT ON customer "
                    "BEGIN INSERT INTO side_copy VALUES (new.name); END"
                )
            )
            named = ["trigger event_no_delete is missing", "trigger copy_names is not part"]
        else:
            conn.execute(text("ALTER TABLE event DISABLE TRIGGER event_immutable"))
            named = ["trigger event_immutable differs"]
    finding = _schema_finding(db, capsys)
    assert finding["ok"] is False
    detail = str(finding["detail"])
    for expected in [
        "table side_copy is not part",
        "index ix_sneaky is not part",
        "view everyone is not part",
        "column customer.organisation is missing",
        *named,
    ]:
        assert expected in detail, (expected, detail)
