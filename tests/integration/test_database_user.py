"""`fordring init` as a PostgreSQL user that is not a superuser (docs/operations.md, "The
database user"): every scoped transaction takes the tenant or the global role, so `init`
makes its user a member of both when it may, and says how when it may not."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tests import builders
from tests.conftest import BACKEND, POSTGRES_URL

from fordring import bootstrap
from fordring.adapters.db.engine import forget_database
from fordring.adapters.db.unit_of_work import GLOBAL_ROLE, TENANT_ROLE

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="roles are PostgreSQL's")


def _admin(statement: str) -> None:
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def _is_member(user: str, role: str) -> bool:
    engine = create_engine(POSTGRES_URL)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT pg_has_role(:u, :r, 'MEMBER')"), {"u": user, "r": role}
        ).scalar_one()
    engine.dispose()
    return bool(found)


@pytest.fixture(params=["CREATEROLE", "NOCREATEROLE"])
def user_database(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, bool]]:
    """A login user (not a superuser) and an empty database it owns: (user, URL, whether
    it may grant roles)."""
    user = f"fordring_u_{os.getpid()}_{request.param.lower()}"
    name = f"fordring_db_{os.getpid()}_{request.param.lower()}"
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(f"DROP ROLE IF EXISTS {user}")
    _admin(f"CREATE ROLE {user} LOGIN {request.param}")
    _admin(f"CREATE DATABASE {name} OWNER {user}")
    url = make_url(POSTGRES_URL).set(username=user, database=name)
    yield user, url.render_as_string(hide_password=False), request.param == "CREATEROLE"
    forget_database(url.render_as_string(hide_password=False))
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(f"DROP ROLE IF EXISTS {user}")


def test_init_makes_its_user_a_member_of_both_roles_when_it_may(
    user_database: tuple[str, str, bool], database_template: str
) -> None:
    # database_template: the roles exist in the cluster (a user that may not create
    # roles gets them from whoever made them first).
    user, url, may_grant = user_database
    bootstrap.migrate(url)
    for role in (TENANT_ROLE, GLOBAL_ROLE):
        assert _is_member(user, role) is may_grant
    if not may_grant:
        return  # docs/operations.md: a superuser grants them once
    factory = bootstrap.uow_factory(url)
    builders.company(factory)  # a scoped write: SET LOCAL ROLE works
    assert builders.scope(factory).company_id > 0
    assert bootstrap.migrate(url) == bootstrap.migrate(url)  # again: nothing more to do
