"""People and permissions: identity from the real account, roles granted by an owner, every
refusal naming the role it needs and who holds it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from ceo_desk.cli import main
from ceo_desk.core import identity, permissions
from ceo_desk.core.database import open_database
from ceo_desk.core.permissions import Action
from ceo_desk.core.services import complaints, people
from ceo_desk.enums import Outcome, Role
from ceo_desk.errors import PermissionDenied, ValidationError
from ceo_desk.store import schema
from ceo_desk.store.db import Database
from ceo_desk.store.models import Event, RoleGrant
from tests.builders import (
    add_staff,
    awaiting_callback,
    log,
    person,
    server_login,
    stored_detail,
)
from tests.pg_server import PostgresServer

ME = identity.os_account()


def grants(db: Database) -> set[tuple[str, str]]:
    with db.reading() as uow:
        return {(row.identity, row.role.value) for row in people.list_grants(uow)}


def test_the_account_creating_a_log_holds_owner_ceo_and_assistant(db: Database) -> None:
    who = identity.of_engine(db.engine)
    assert grants(db) == {(who, "owner"), (who, "ceo"), (who, "assistant")}
    with db.reading() as uow:
        assert uow.identity == who
        assert uow.roles == {Role.OWNER, Role.CEO, Role.ASSISTANT}


def test_the_identity_is_the_real_account_not_the_environment(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGNAME", "mallory")
    monkeypatch.setenv("USER", "mallory")
    again = open_database(sqlite_db.url)
    try:
        ref = log(again)
        events = stored_detail(again, ref).events
    finally:
        again.close()
    assert identity.os_account() != "mallory"
    assert {event.os_user for event in events} == {ME}


def test_an_assistant_cannot_resolve_and_is_told_who_can(db: Database) -> None:
    owner = identity.of_engine(db.engine)
    ref = awaiting_callback(db, add_staff(db))
    assistant = person(db, "amy", Role.ASSISTANT)
    with pytest.raises(PermissionDenied) as refused, assistant.transaction() as uow:
        complaints.record_callback(
            uow, ref, complaints.CallbackInput(Outcome.SATISFIED, satisfaction=5)
        )
    assert str(refused.value) == (
        f"Recording a satisfied callback needs the CEO role; held by {owner}. Ask them, or "
        "record 'the CEO reports: satisfied'."
    )
    assert stored_detail(db, ref).status.value == "awaiting_callback"
    # Calls that do not resolve are the assistant's to record on the CEO's behalf.
    with assistant.transaction() as uow:
        complaints.record_callback(uow, ref, complaints.CallbackInput(Outcome.NO_ANSWER))
    assert stored_detail(db, ref).events[-1].os_user == "amy"


def test_each_role_is_refused_what_it_may_not_do(db: Database) -> None:
    staff = add_staff(db, "Wei Chen")
    ref = log(db)
    nobody = person(db, "visitor")
    with pytest.raises(PermissionDenied, match="Logging a call needs the assistant or CEO"):
        log(nobody)
    ceo_only = person(db, "mwang", Role.CEO)
    with pytest.raises(PermissionDenied, match="Granting and revoking roles needs the owner"):
        person(ceo_only, "someone", Role.ASSISTANT)
    delegate = person(db, "wchen", Role.DELEGATE, staff="Wei Chen")
    with pytest.raises(PermissionDenied, match="Delegating a complaint needs"):
        complaints_delegate(delegate, ref, staff)
    from ceo_desk.core.services import office

    with (
        pytest.raises(PermissionDenied, match="Changing the office settings needs"),
        delegate.transaction() as uow,
    ):
        office.add_category(uow, "Parking")
    assert stored_detail(db, ref).status.value == "new"


def complaints_delegate(db: Database, ref: str, staff_id: int) -> None:
    with db.transaction() as uow:
        complaints.delegate(uow, ref, staff_id)


def test_a_delegate_files_only_their_own_work(db: Database) -> None:
    chen = add_staff(db, "Wei Chen")
    baker = add_staff(db, "Sam Baker")
    mine, theirs = log(db, summary="Mine"), log(db, summary="Theirs")
    complaints_delegate(db, mine, chen)
    complaints_delegate(db, theirs, baker)
    wchen = person(db, "wchen", Role.DELEGATE, staff="Wei Chen")
    report = complaints.ReportInput(said="Apologised", done="Refunded")
    with (
        pytest.raises(PermissionDenied, match="not delegated to you"),
        wchen.transaction() as uow,
    ):
        complaints.file_report(uow, theirs, report)
    with wchen.transaction() as uow:
        complaints.file_report(uow, mine, report)
    assert stored_detail(db, mine).status.value == "awaiting_callback"
    assert stored_detail(db, theirs).status.value == "delegated"


def test_grants_and_revokes_keep_an_owner_and_link_delegates_to_staff(db: Database) -> None:
    owner = identity.of_engine(db.engine)
    add_staff(db, "Wei Chen")
    with db.transaction() as uow:
        with pytest.raises(ValidationError, match="give --staff NAME"):
            people.grant(uow, "wchen", Role.DELEGATE)
        with pytest.raises(ValidationError, match="never granted"):
            people.grant(uow, "wchen", "system")
        with pytest.raises(ValidationError, match="last owner"):
            people.revoke(uow, owner, Role.OWNER)
    person(db, "mwang", Role.OWNER)
    with db.transaction() as uow:
        people.revoke(uow, owner, Role.OWNER)
    assert (owner, "owner") not in grants(db)
    mwang = person(db, "mwang")
    with mwang.transaction() as uow, pytest.raises(ValidationError, match="last owner"):
        people.revoke(uow, "mwang", Role.OWNER)
    with db.reading() as uow:
        kinds = [e.action for e in uow.session.scalars(select(Event).order_by(Event.id))]
    assert kinds.count("role_granted") == 4 and kinds.count("role_revoked") == 1


def test_a_deactivated_staff_member_cannot_be_made_a_delegate(db: Database) -> None:
    staff = add_staff(db, "Wei Chen")
    with db.transaction() as uow:
        from ceo_desk.core.services import directory

        directory.set_staff_active(uow, staff, False)
    with db.transaction() as uow, pytest.raises(ValidationError):
        people.grant(uow, "wchen", Role.DELEGATE, staff="Wei Chen")


def test_one_table_says_what_each_role_may_do() -> None:
    assert permissions.allows({Role.CEO}, Action.RESOLVE_BY_CALLBACK)
    assert not permissions.allows({Role.ASSISTANT}, Action.RESOLVE_BY_CALLBACK)
    assert permissions.allows({Role.ASSISTANT}, Action.REPORT_CEO_SATISFIED)
    assert not permissions.allows({Role.DELEGATE}, Action.READ_LOG)
    assert set(permissions.ALLOWED_ROLES) == set(Action)


# ---------------------------------------------------------------- the command line


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_users_commands_grant_list_and_refuse(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", database_url)
    opened = open_database(database_url)
    try:
        with opened.transaction() as uow:
            server_login(uow, "wchen")  # on PostgreSQL a role goes to a login of the server
    finally:
        opened.close()
    code, out, err = cli(capsys, "users", "list", "--json", *db)
    assert code == 0, err
    assert {r["role"] for r in json.loads(out)} == {"owner", "ceo", "assistant"}
    assert cli(capsys, "staff", "add", "--name", "Wei Chen", "--unit", "Billing", *db)[0] == 0
    code, out, err = cli(capsys, "users", "grant", "wchen", "--role", "delegate", *db)
    assert code == 2 and "--staff" in err
    code, out, err = cli(
        capsys, "users", "grant", "wchen", "--role", "delegate", "--staff", "Wei Chen", *db
    )
    assert code == 0, err
    assert "wchen now holds the Delegate role for the work of Wei Chen" in out
    code, out, err = cli(capsys, "users", "revoke", "wchen", "--role", "delegate", *db)
    assert code == 0 and "no longer holds" in out
    code, out, err = cli(capsys, "users", "grant", "amy", "--role", "system", *db)
    assert code == 2 and "never granted" in err


def test_as_picks_only_among_granted_roles(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", database_url)
    code, _, err = cli(capsys, "--as", "system", "list", *db)
    assert code == 2 and "Nobody acts as 'system'" in err
    code, _, err = cli(capsys, "--as", "delegate", "list", *db)
    assert code == 2 and "does not hold the Delegate role" in err and "users grant" in err
    database = open_database(database_url)
    try:
        ref = awaiting_callback(database, add_staff(database))
    finally:
        database.close()
    code, _, err = cli(capsys, "--as", "assistant", "callback", ref, "--outcome", "satisfied", *db)
    assert code == 2
    assert "Recording a satisfied callback needs the CEO role" in err
    code, _, err = cli(capsys, "--as", "assistant", "users", "grant", "x", "--role", "ceo", *db)
    assert code == 2 and "needs the owner role" in err


# ---------------------------------------------------------------- an existing log


def _log_at_previous_revision(url: str) -> None:
    """A log as the previous version left it: schema 0008, one event written `--as ceo`."""
    from alembic import command

    engine = create_engine(url)
    try:
        config = schema._alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0008")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO event (at, os_user, role, entity, action, description,"
                    " change_digest, prev_hash, hash)"
                    " VALUES ('2026-11-30 09:00:00', 'oldname', 'ceo', 'database',"
                    " 'database_created', 'New complaint log', :d, :p, :h)"
                ),
                {"d": "0" * 64, "p": "0" * 64, "h": "1" * 64},
            )
    finally:
        engine.dispose()


def test_an_existing_sqlite_log_belongs_to_the_account_owning_the_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _log_at_previous_revision(f"sqlite:///{path}")
    database = open_database(str(path))
    try:
        owner = identity.account_name(os.stat(path).st_uid)
        assert grants(database) == {(owner, "owner"), (owner, "ceo"), (owner, "assistant")}
        with database.reading() as uow:
            first = uow.session.scalars(select(Event).order_by(Event.id)).first()
            assert first is not None and (first.os_user, first.role) == ("oldname", "ceo")
            assert uow.session.scalar(select(RoleGrant.granted_by).limit(1)) == "ceo-desk"
    finally:
        database.close()


@pytest.mark.postgres
def test_an_existing_office_database_belongs_to_the_login_upgrading_it(
    postgres: PostgresServer,
) -> None:
    postgres.execute_autocommit("CREATE DATABASE people_upgrade")
    url = postgres.url("people_upgrade")
    _log_at_previous_revision(url)
    database = open_database(url)
    try:
        assert grants(database) == {
            (postgres.user, "owner"),
            (postgres.user, "ceo"),
            (postgres.user, "assistant"),
        }
    finally:
        database.close()
