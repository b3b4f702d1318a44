"""Granting a role in an office puts the login in the role's group role, so the database itself
lets it do the role's work; revoking takes it out again."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import select

from ceo_desk.core.database import Database, open_database
from ceo_desk.core.services import people
from ceo_desk.enums import Role
from ceo_desk.errors import ValidationError
from ceo_desk.store import office
from ceo_desk.store.models import Event, RoleGrant
from tests.office_logins import Office, office_db, plain_url
from tests.pg_server import PostgresServer

__all__ = ["office_db"]  # the fixture, used by every test here

pytestmark = pytest.mark.postgres

RESOLVE = "UPDATE complaint SET status = 'resolved' WHERE reference = %s RETURNING status"


@pytest.fixture
def owner(postgres: PostgresServer, office_db: Office) -> Iterator[Database]:
    """The office as its owner olive sees it: a login in the owner and assistant groups, no
    administrator of the server."""
    postgres.create_login("olive", "olive-secret")
    admin = open_database(office_db.admin)
    try:
        with admin.transaction() as uow:
            conn = uow.session.connection()
            for role in (Role.OWNER, Role.ASSISTANT):
                office.grant_group(conn, "olive", role)
                office.record_grant(conn, "olive", role, None)
    finally:
        admin.close()
    db = open_database(postgres.url(office_db.name, user="olive", password="olive-secret"))
    yield db
    db.close()


def _resolves(url: str, reference: str) -> str:
    """Try to resolve as the login of `url` through raw SQL (rolled back): 'resolved' or the
    server's refusal."""
    with psycopg.connect(plain_url(url)) as conn:
        try:
            row = conn.execute(RESOLVE, (reference,)).fetchone()
            return str(row[0]) if row else "no row"
        except psycopg.Error as exc:
            return str(exc)
        finally:
            conn.rollback()


def test_granting_ceo_lets_the_login_resolve_and_revoking_stops_it(
    office_db: Office, owner: Database
) -> None:
    sam = office_db.urls[Role.ASSISTANT]
    assert "only the CEO resolves a complaint" in _resolves(sam, office_db.mine)

    with owner.transaction() as uow:
        people.grant(uow, "sam", Role.CEO)
    assert _resolves(sam, office_db.mine) == "resolved"

    with owner.transaction() as uow:
        people.revoke(uow, "sam", "ceo")
    assert "only the CEO resolves a complaint" in _resolves(sam, office_db.mine)
    with owner.reading() as uow:
        held = {row.role for row in people.list_grants(uow) if row.identity == "sam"}
    assert held == {Role.ASSISTANT}


def test_a_grant_to_a_login_the_server_lacks_is_refused_and_changes_nothing(
    owner: Database,
) -> None:
    with owner.reading() as uow:
        events_before = len(uow.session.scalars(select(Event.id)).all())
    with pytest.raises(ValidationError) as refused, owner.transaction() as uow:
        people.grant(uow, "nobody_here", Role.CEO)
    assert str(refused.value) == (
        "There is no login nobody_here on this server; create it with `ceo-desk office "
        "add-user nobody_here --role ceo`. Nothing was changed."
    )
    with owner.reading() as uow:
        assert (
            uow.session.scalars(
                select(RoleGrant.id).where(RoleGrant.identity == "nobody_here")
            ).all()
            == []
        )
        assert len(uow.session.scalars(select(Event.id)).all()) == events_before


def test_only_an_owner_changes_memberships_even_through_raw_sql(office_db: Office) -> None:
    sam = plain_url(office_db.urls[Role.ASSISTANT])
    with psycopg.connect(sam) as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(f"SELECT {office.MEMBERSHIP_FUNCTION}('sam', %s, true)", (office.CEO_GROUP,))
    assert "permission denied for function" in str(refused.value)
