"""`ceo-desk office init` and `office add-user`: an office set up from the command line, its
logins' passwords kept in the keyring, and each login held to its role by the database."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import psycopg
import pytest

from ceo_desk import cli
from ceo_desk.core.database import open_database
from ceo_desk.store import office
from tests.builders import delegate, delegate_and_report, log
from tests.builders import office as directory
from tests.memory_keyring import MemoryKeyring
from tests.office_logins import plain_url
from tests.pg_server import PostgresServer

pytestmark = pytest.mark.postgres

_numbers = itertools.count(1)


@pytest.fixture
def new_office(postgres: PostgresServer) -> Iterator[str]:
    """The administrator's URL of an office database that does not exist yet."""
    name = f"ceo_new_office_{next(_numbers)}"
    for login in ("dana", "sam", "wei"):
        postgres.execute_autocommit(f"DROP ROLE IF EXISTS {login}")
    yield postgres.url(name)
    postgres.execute_autocommit(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    said = capsys.readouterr()
    return status, said.out, said.err


def _password(printed: str) -> str:
    found = re.search(r"Its password \(shown once[^)]*\): (\S+)", printed)
    assert found, printed
    return found.group(1)


def _as(admin: str, login: str, password: str | None = None) -> str:
    url = admin.replace("//postgres@", f"//{login}@")
    return url if password is None else url.replace(f"//{login}@", f"//{login}:{password}@")


def test_init_creates_the_office_and_its_owner_login(
    new_office: str, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(
        capsys, "office", "init", new_office, "--owner", "dana", "--generate-password"
    )
    assert status == 0, err
    assert "was created" in out
    password = _password(out)
    assert list(memory_keyring.passwords.values()) == [password]
    with psycopg.connect(plain_url(_as(new_office, "dana", password))) as conn:
        groups = {
            row[0]
            for row in conn.execute(
                "SELECT r.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid"
                " JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = 'dana'"
            )
        }
        granted = {
            row[0] for row in conn.execute("SELECT role FROM role_grant WHERE identity = 'dana'")
        }
        owner = conn.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'event'"
        ).fetchone()
    assert groups == {office.CEO_GROUP, office.ASSISTANT_GROUP, office.GRANTOR_GROUP}
    assert granted == {"owner", "ceo", "assistant"}
    assert owner == (office.OWNER_ROLE,)

    # Run again, it upgrades in place and leaves the login (and its password) alone.
    status, out, err = _run(capsys, "office", "init", new_office, "--owner", "dana")
    assert status == 0, err
    assert "brought up to date" in out and "exists already" in out


def test_add_user_gives_each_person_only_their_role(
    new_office: str, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _run(capsys, "office", "init", new_office, "--owner", "dana", "--generate-password")[0] == 0
    )
    db = open_database(new_office)
    try:
        people = directory(db)
        mine = log(db, "Ann Smith", "Charged twice")
        delegate_and_report(db, mine, people.chen)
        theirs = log(db, "Bob Jones", "Late delivery", "+442079460002")
        delegate(db, theirs, people.ortiz)
    finally:
        db.close()
    admin = ("--db", new_office)
    status, out, err = _run(
        capsys,
        *admin,
        "office",
        "add-user",
        "wei",
        "--role",
        "delegate",
        "--staff",
        "Wei Chen",
        "--generate-password",
    )
    assert status == 0, err
    assert "for the work of Wei Chen" in out
    status, out, err = _run(
        capsys, *admin, "office", "add-user", "sam", "--role", "assistant", "--generate-password"
    )
    assert status == 0, err

    # Each signs in with the password kept in the keyring: the URL names only the login.
    status, out, err = _run(capsys, "--db", _as(new_office, "wei"), "list")
    assert status == 0, err
    assert mine in out and theirs not in out
    status, out, err = _run(
        capsys, "--db", _as(new_office, "sam"), "callback", mine, "--outcome", "satisfied"
    )
    assert status == 2
    assert "CEO" in err and "Traceback" not in err
    status, out, err = _run(capsys, "--db", _as(new_office, "sam"), "list")
    assert mine in out and theirs in out


def test_add_user_refuses_what_it_cannot_do(
    new_office: str, postgres: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(capsys, "office", "init", "sqlite:///tmp/x.sqlite3", "--owner", "dana")
    assert status == 2 and "needs no setup" in err
    status, _, err = _run(capsys, "office", "init", new_office, "--owner", "dana")
    assert status == 2 and "--generate-password" in err  # no terminal to type it at
    name = new_office.rsplit("/", 1)[1]
    with psycopg.connect(plain_url(new_office.rsplit("/", 1)[0] + "/postgres")) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert found is None  # refused before anything was created
    assert (
        _run(capsys, "office", "init", new_office, "--owner", "dana", "--generate-password")[0] == 0
    )
    postgres.create_login("visitor", "visitor-secret", office.ASSISTANT_GROUP)
    status, _, err = _run(
        capsys,
        "--db",
        _as(new_office, "visitor", "visitor-secret"),
        "office",
        "add-user",
        "sam",
        "--role",
        "assistant",
        "--generate-password",
    )
    assert status == 2
    assert "may not create roles" in err
