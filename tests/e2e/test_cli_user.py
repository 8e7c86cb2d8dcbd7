"""`fordring user add|list|disable|enable|unlock`: the password from a prompt or standard
input (never an argument), bad input refused with exit 2 naming the field, nothing
written."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, update
from tests.builders import cli_company
from tests.conftest import Run
from tests.crash import table_rows

from fordring.adapters.db.engine import normalise_url
from fordring.adapters.db.tables_users import app_user
from fordring.entrypoints.cli.main import cli

pytestmark = pytest.mark.e2e
PASSWORD = "et-langt-passord"


def user(database_url: str, *args: str, stdin: str | None = None) -> Result:
    base = ["--db", database_url, "--date", "2026-03-02", "--json", "user"]
    return CliRunner().invoke(cli, [*base, *args], input=stdin, catch_exceptions=False)


def add(database_url: str, *extra: str, stdin: str = PASSWORD + "\n") -> Result:
    fields = ["--email", "kari@test.no", "--name", "Kari Nordmann", "--role", "finance user"]
    return user(database_url, "add", *fields, *extra, stdin=stdin)


def test_a_user_added_with_the_password_on_stdin_is_listed_then_disabled(
    run: Run, database_url: str
) -> None:
    cli_company(run)
    done = add(database_url, "--password-stdin")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["role"] == "finance_user"
    stored = table_rows(database_url)["app_user"]
    assert stored[0]["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in json.dumps(stored, default=str)
    listed = json.loads(user(database_url, "list").output)
    assert [(u["email"], u["role"], u["disabled_on"]) for u in listed] == [
        ("kari@test.no", "finance_user", None)
    ]
    assert "password" not in json.dumps(listed)
    assert user(database_url, "disable", "kari@test.no").exit_code == 0
    assert json.loads(user(database_url, "list").output)[0]["disabled_on"] == "2026-03-02"
    again = user(database_url, "disable", "kari@test.no")
    assert again.exit_code == 2 and "not_found" in again.stderr


def test_a_disabled_user_is_enabled_again_and_a_repeat_changes_nothing(
    run: Run, database_url: str
) -> None:
    cli_company(run)
    assert add(database_url, "--password-stdin").exit_code == 0
    assert user(database_url, "disable", "kari@test.no").exit_code == 0
    done = user(database_url, "enable", "Kari@Test.no")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {"enabled": "Kari@Test.no", "was_disabled": True}
    assert json.loads(user(database_url, "list").output)[0]["disabled_on"] is None
    before = table_rows(database_url)
    again = user(database_url, "enable", "kari@test.no")
    assert json.loads(again.output)["was_disabled"] is False
    assert table_rows(database_url) == before
    missing = user(database_url, "enable", "ola@test.no")
    assert missing.exit_code == 2 and "not_found" in missing.stderr


def test_the_password_is_asked_for_twice_at_the_prompt(run: Run, database_url: str) -> None:
    cli_company(run)
    differ = add(database_url, stdin=f"{PASSWORD}\nsomething-else\n")
    assert differ.exit_code != 0
    assert table_rows(database_url)["app_user"] == []
    done = add(database_url, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.exit_code == 0, done.output
    assert PASSWORD not in done.output


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("--email", "not-an-address"), "email"),
        (("--role", "api_user"), "role"),
        (("--name", "  "), "name"),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_adds_nobody(
    run: Run, database_url: str, change: tuple[str, str], field: str
) -> None:
    cli_company(run)
    fields = {"--email": "kari@test.no", "--name": "Kari", "--role": "read_only"}
    fields[change[0]] = change[1]
    args = [x for pair in fields.items() for x in pair]
    done = user(database_url, "add", *args, "--password-stdin", stdin=PASSWORD + "\n")
    assert done.exit_code == 2
    assert [e["field"] for e in json.loads(done.stderr)["errors"]] == [field]
    assert table_rows(database_url)["app_user"] == []


def test_a_short_or_missing_password_exits_2_naming_it(run: Run, database_url: str) -> None:
    cli_company(run)
    for stdin in ("kort\n", ""):
        done = add(database_url, "--password-stdin", stdin=stdin)
        assert done.exit_code == 2
        assert [e["field"] for e in json.loads(done.stderr)["errors"]] == ["password"]
    assert table_rows(database_url)["app_user"] == []


def test_the_password_is_no_option() -> None:
    result = CliRunner().invoke(cli, ["user", "add", "--help"])
    assert "--password-stdin" in result.output
    assert "--password " not in result.output and "--password=" not in result.output


def test_unlock_ends_a_lockout_and_forgets_the_wrong_passwords(run: Run, database_url: str) -> None:
    cli_company(run)
    assert add(database_url, "--password-stdin").exit_code == 0
    engine = create_engine(normalise_url(database_url))
    with engine.begin() as connection:  # locked out until long after the test
        connection.execute(
            update(app_user).values(
                failed_attempts=3, locked_until=datetime(2099, 1, 1, tzinfo=UTC)
            )
        )
    engine.dispose()
    done = user(database_url, "unlock", "kari@test.no")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {"unlocked": "kari@test.no", "was_locked": True}
    stored = table_rows(database_url)["app_user"][0]
    assert (stored["failed_attempts"], stored["locked_until"]) == (0, None)
    unknown = user(database_url, "unlock", "ingen@test.no")
    assert unknown.exit_code == 2 and "not_found" in unknown.stderr
