"""The debtor's pages over HTTP in-process on the test's database: sign-in with a case's
code and PIN (and every refusal alike), the session, sign-out, the language, and the
claim page of the visit's case only."""

from __future__ import annotations

import io
import json
import re
import statistics
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from procrastinate import JobContext
from pypdf import PdfReader
from tests import builders
from tests.debtor_pages import (
    access_for,
    debtor_client,
    post,
    post_sign_in,
    sign_in_debtor,
    two_companies_with_case_1,
)
from tests.debtor_pages import sign_in_with_test_key as sign_in_debtor_service
from tests.races import postgresql_only, race
from tests.snapshot import snapshot

from fordring import bootstrap
from fordring.domain.debtor_access import DEFAULT_RULES, AccessRules
from fordring.domain.errors import Conflict
from fordring.services.debtor_access import DebtorSignInRefused, debtor_session
from fordring.services.ports import UnitOfWorkFactory

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

A = ("--company", builders.ORGNR)


@pytest.fixture
def world(
    uow_factory: UnitOfWorkFactory,
    database_url: str,
    run: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """Company A and company B, each with its case 1 (Kari Nordmann's invoice 1, 2500.00);
    A's case has had its reminder and collection notice (the run to 2026-04-08), and A
    has a case 2 of another customer."""
    monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "outbox"))
    two_companies_with_case_1(uow_factory, run)
    ran = run(*A, "run", "--to", "2026-04-08", date="2026-03-05")
    assert ran.exit_code == 0, ran.output
    return database_url


@pytest.fixture
def client(world: str) -> Iterator[TestClient]:
    with debtor_client(world) as made:
        yield made


def test_signed_out_the_case_page_leads_to_the_sign_in_with_the_letters_code(
    client: TestClient,
) -> None:
    page = client.get("/d/", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/d/sign-in")
    linked = client.get("/d/?c=abcd-efgh-jkmn", follow_redirects=False)
    assert linked.headers["location"] == "/d/sign-in?c=abcd-efgh-jkmn"
    form = client.get(linked.headers["location"])
    assert form.status_code == 200 and 'value="ABCD-EFGH-JKMN"' in form.text


def test_the_debtor_signs_in_with_the_code_and_pin_and_sees_the_case(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    sign_in_debtor(client, uow_factory, 1)
    page = client.get("/d/")
    assert page.status_code == 200, page.text
    assert "Sak 1" in page.text
    out = post(client, "/sign-out", {})
    assert (out.status_code, out.headers["location"]) == (303, "/d/sign-in")
    assert client.get("/d/", follow_redirects=False).status_code == 303


def test_a_wrong_pin_and_an_unknown_code_get_the_same_answer(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    access = access_for(uow_factory, 1)
    wrong = "000000" if access.pin != "000000" else "111111"
    refused = post_sign_in(client, access.code, wrong)
    unknown = post_sign_in(client, "ZZZZ-ZZZZ-ZZZZ", access.pin)
    assert refused.status_code == unknown.status_code == 401
    assert "Feil kode eller PIN" in refused.text


def _without_csrf(text: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", text)


def _wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def test_an_unknown_code_a_wrong_pin_and_a_locked_code_get_the_same_page(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    access = access_for(uow_factory, 1)
    unknown = post_sign_in(client, "ZZZZ-ZZZZ-ZZZZ", access.pin)
    wrong = post_sign_in(client, access.code, _wrong(access.pin))
    for _ in range(DEFAULT_RULES.max_failures - 1):
        post_sign_in(client, access.code, _wrong(access.pin))
    locked = post_sign_in(client, access.code, access.pin)  # the right PIN, locked code
    assert unknown.status_code == wrong.status_code == locked.status_code == 401
    assert _without_csrf(unknown.text) == _without_csrf(wrong.text) == _without_csrf(locked.text)
    assert "Feil kode eller PIN" in wrong.text and access.code not in wrong.text


def test_an_unknown_code_and_a_wrong_pin_take_the_same_time(
    world: str, uow_factory: UnitOfWorkFactory
) -> None:
    """Both read the code, hash the PIN, count the try and commit: the same order of time
    (the median of several tries each, within a factor of 3)."""
    rules = AccessRules(max_failures=1000)
    access = access_for(uow_factory, 1)

    def timed(code: str, address: str) -> float:
        start = time.perf_counter()
        with pytest.raises(DebtorSignInRefused):
            sign_in_debtor_service(code, "999999x", address, uow_factory, bootstrap.now(), rules)
        return time.perf_counter() - start

    # the first runs of a statement cost more (psycopg prepares it at its fifth): warm
    # both ways up, then take them in turns
    for i in range(6):
        timed("ZZZZ-ZZZZ-ZZZZ", f"warm u{i}")
        timed(access.code, f"warm w{i}")
    unknowns, wrongs = [], []
    for i in range(9):
        unknowns.append(timed("ZZZZ-ZZZZ-ZZZZ", f"u{i}"))
        wrongs.append(timed(access.code, f"w{i}"))
    unknown, wrong = statistics.median(unknowns), statistics.median(wrongs)
    assert max(unknown, wrong) < 3 * min(unknown, wrong), (unknown, wrong)


def test_the_code_locks_after_the_set_number_of_wrong_pins_even_for_the_right_one(
    world: str, uow_factory: UnitOfWorkFactory
) -> None:
    rules = AccessRules(max_failures=3, lockout=timedelta(minutes=30))
    access = access_for(uow_factory, 1)
    now = bootstrap.now()
    for _ in range(3):
        with pytest.raises(DebtorSignInRefused):
            sign_in_debtor_service(access.code, _wrong(access.pin), "a", uow_factory, now, rules)
    with pytest.raises(DebtorSignInRefused):  # locked: the right PIN too, from anywhere
        sign_in_debtor_service(access.code, access.pin, "b", uow_factory, now, rules)
    later = now + timedelta(minutes=30)
    done = sign_in_debtor_service(access.code, access.pin, "b", uow_factory, later, rules)
    assert done.session.case_number == 1


def test_a_right_pin_is_let_in_from_an_address_over_its_limit(
    world: str, uow_factory: UnitOfWorkFactory
) -> None:
    rules = AccessRules(address_window=timedelta(hours=1))
    access = access_for(uow_factory, 1)
    now = bootstrap.now()
    for i in range(25):  # unknown codes: behind a proxy, other debtors' typos
        with pytest.raises(DebtorSignInRefused):
            sign_in_debtor_service(f"ZZZZ-ZZZZ-ZZZ{i}", "1", "10.0.0.9", uow_factory, now, rules)
    done = sign_in_debtor_service(access.code, access.pin, "10.0.0.9", uow_factory, now, rules)
    assert done.session.case_number == 1
    with uow_factory.unscoped() as outer:
        assert outer.debtor_access.address_tries(_address("10.0.0.9"))[0] == 25


def test_a_code_is_dead_after_its_lifetime_of_wrong_pins_locks_or_not(
    world: str, uow_factory: UnitOfWorkFactory
) -> None:
    rules = AccessRules(max_failures=2, lockout=timedelta(minutes=30), code_dead_at=6)
    access = access_for(uow_factory, 1)
    now = bootstrap.now()
    for i in range(6):  # two a lock, three locks: the count is not reset by a lock
        when = now + timedelta(hours=i // 2)
        with pytest.raises(DebtorSignInRefused):
            sign_in_debtor_service(access.code, _wrong(access.pin), "a", uow_factory, when, rules)
    with pytest.raises(DebtorSignInRefused):  # the right PIN, long after any lock
        sign_in_debtor_service(
            access.code, access.pin, "a", uow_factory, now + timedelta(days=1), rules
        )
    fresh = access_for(uow_factory, 1)  # the handler's way out: collection access
    done = sign_in_debtor_service(fresh.code, fresh.pin, "a", uow_factory, now, rules)
    assert done.session.case_number == 1


def test_wrong_pins_over_the_cases_codes_together_end_them_all(
    world: str, uow_factory: UnitOfWorkFactory
) -> None:
    rules = AccessRules(max_failures=100, code_dead_at=100, case_dead_at=4)
    first, second = access_for(uow_factory, 1), access_for(uow_factory, 1)
    now = bootstrap.now()
    for code, pin in [(first.code, first.pin), (second.code, second.pin)] * 2:
        with pytest.raises(DebtorSignInRefused):
            sign_in_debtor_service(code, _wrong(pin), "a", uow_factory, now, rules)
    for code, pin in [(first.code, first.pin), (second.code, second.pin)]:
        with pytest.raises(DebtorSignInRefused):
            sign_in_debtor_service(code, pin, "a", uow_factory, now, rules)
    third = access_for(uow_factory, 1)  # a new code starts the case's count again
    done = sign_in_debtor_service(third.code, third.pin, "a", uow_factory, now, rules)
    assert done.session.case_number == 1


def test_a_refused_sign_in_writes_nothing_but_the_try_counters(
    client: TestClient, uow_factory: UnitOfWorkFactory, world: str
) -> None:
    access = access_for(uow_factory, 1)
    before = snapshot(world)
    post_sign_in(client, access.code, _wrong(access.pin))
    post_sign_in(client, "ZZZZ-ZZZZ-ZZZZ", access.pin)
    after = snapshot(world)
    changed = {t for t in before if before[t] != after[t]}
    assert changed == {"debtor_access", "debtor_address_try"}


def test_the_debtor_sees_only_the_visits_case_whatever_the_url_or_form_names(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    sign_in_debtor(client, uow_factory, 1, builders.OTHER_ORGNR)  # B's case 1: no letters
    page = client.get("/d/", params={"case": "1", "company": builders.ORGNR})
    assert "Andre AS" in page.text and "Test AS" not in page.text
    assert "Inkassovarsel" not in page.text  # A's case 1 has one; B's has none
    for position in ("1", "2", "0", "-1", "x"):  # A's case 1 has letters 1 and 2
        assert client.get(f"/d/letters/{position}.pdf").status_code == 404


def test_a_letter_printed_again_shows_the_code_and_a_masked_pin(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    sign_in_debtor(client, uow_factory, 1)
    pdf = client.get("/d/letters/2.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "tilgangskode" in text and "\u2022" * 8 in text
    assert re.search("\u2022{4}-\u2022{4}-[0-9A-Z]{4}", text)  # only the code's end
    assert client.get("/d/letters/3.pdf").status_code == 404


def test_the_session_ends_when_the_case_closes(
    client: TestClient, uow_factory: UnitOfWorkFactory, run: Any
) -> None:
    sign_in_debtor(client, uow_factory, 1)
    assert client.get("/d/").status_code == 200
    closed = run(*A, "collection", "close", "1", "--reason", "betalt direkte")
    assert closed.exit_code == 0, closed.output
    assert client.get("/d/", follow_redirects=False).status_code == 303
    refused = post_sign_in(client, access_for_closed_case_code(uow_factory), "000000")
    assert refused.status_code == 401


def access_for_closed_case_code(uow_factory: UnitOfWorkFactory) -> str:
    with pytest.raises(Conflict):  # no new code for a closed case
        access_for(uow_factory, 1)
    return "ZZZZ-ZZZZ-ZZZZ"


def test_a_session_ends_after_its_idle_time(world: str, uow_factory: UnitOfWorkFactory) -> None:
    access = access_for(uow_factory, 1)
    now = bootstrap.now()
    done = sign_in_debtor_service(access.code, access.pin, "a", uow_factory, now)
    minute = timedelta(minutes=1)
    assert debtor_session(done.token, uow_factory, now + 19 * minute) is not None
    assert debtor_session(done.token, uow_factory, now + 38 * minute) is not None  # was used
    assert debtor_session(done.token, uow_factory, now + 59 * minute) is None


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    refused = client.post("/d/sign-in", data={"code": "x", "pin": "y"})
    assert refused.status_code == 403


def test_the_language_switch_shows_the_pages_in_english(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    sign_in_debtor(client, uow_factory, 1)
    switched = post(client, "/language", {"language": "en", "back": "/d/"})
    assert (switched.status_code, switched.headers["location"]) == (303, "/d/")
    page = client.get("/d/")
    assert '<html lang="en">' in page.text and "Case 1" in page.text


@postgresql_only
def test_wrong_pins_sent_at_once_each_count_towards_the_lock(
    world: str, uow_factory: UnitOfWorkFactory
) -> None:
    """Eight wrong PINs at the same moment (PostgreSQL, threads): the code's and the
    address's rows are locked by each sign-in, so none is lost: 4 lock the code, and the
    right PIN is refused after them."""
    rules = AccessRules(max_failures=4)
    access = access_for(uow_factory, 1)
    now = bootstrap.now()

    def wrong() -> None:
        sign_in_debtor_service(access.code, _wrong(access.pin), "10.1.1.1", uow_factory, now, rules)

    outcome = race(*[wrong] * 8)
    assert len(outcome.of(DebtorSignInRefused)) == 8, outcome.errors
    with pytest.raises(DebtorSignInRefused):
        sign_in_debtor_service(access.code, access.pin, "10.1.1.2", uow_factory, now, rules)
    with uow_factory.unscoped() as outer:
        assert outer.debtor_access.address_tries(_address("10.1.1.1"))[0] == 8


def _address(address: str) -> str:
    from fordring.services.debtor_access import _address_hash

    return _address_hash(address)


def test_a_handler_gives_a_new_code_and_pin_on_the_command_line(
    client: TestClient, run: Any
) -> None:
    given = run(*A, "collection", "access", "1")
    assert given.exit_code == 0, given.output
    shown = json.loads(given.stdout)
    assert shown["case"] == 1 and shown["address"] == "http://127.0.0.1:8000/d"
    assert post_sign_in(client, shown["code"], shown["pin"]).status_code == 303
    unknown = run(*A, "collection", "access", "99")
    assert unknown.exit_code != 0 and "99" in unknown.output


def _sql(database_url: str, statement: str) -> list[Any]:
    from sqlalchemy import create_engine, text

    from fordring.adapters.db.engine import normalise_url

    engine = create_engine(normalise_url(database_url))
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement))
            return list(result.scalars()) if result.returns_rows else []
    finally:
        engine.dispose()


def test_the_daily_tidying_forgets_pins_kept_too_long_and_old_address_counts(
    world: str, uow_factory: UnitOfWorkFactory
) -> None:
    from fordring.services.debtor_access import forget_old_access

    _sql(world, "UPDATE debtor_access SET pin_to_print = '12345678', code_to_print = 'X'")
    now = bootstrap.now()
    with pytest.raises(DebtorSignInRefused):
        sign_in_debtor_service("ZZZZ-ZZZZ-ZZZZ", "1", "10.9.9.9", uow_factory, now)
    issued = _sql(world, "SELECT issued_at FROM debtor_access ORDER BY issued_at DESC")
    assert issued and forget_old_access(uow_factory, now - timedelta(days=400)) == 0
    later = now + timedelta(days=31)  # after every letter's 30 days, unsent or not
    assert forget_old_access(uow_factory, later) == len(issued) + 1  # and the address's
    assert _sql(world, "SELECT pin_to_print FROM debtor_access") == [None] * len(issued)
    assert _sql(world, "SELECT code_to_print FROM debtor_access") == [None] * len(issued)
    with uow_factory.unscoped() as outer:
        assert outer.debtor_access.address_tries(_address("10.9.9.9")) == (0, None)


def test_the_tidying_counts_from_the_day_run_and_the_workers_job_does_it_nightly(
    world: str, uow_factory: UnitOfWorkFactory
) -> None:
    """A run of an earlier day (`--date`) must not forget the PINs of the letters it is
    about to send because the clock is months later: the days count from the day run. On
    workers the nightly `forget_old_debtor_access` forgets them."""
    from fordring.entrypoints.jobs.debtor_access import forget_old_debtor_access
    from fordring.services.debtor_access import forget_old_access

    _sql(world, "UPDATE debtor_access SET pin_to_print = '12345678', code_to_print = 'X'")
    kept = _sql(world, "SELECT pin_to_print FROM debtor_access")
    months_later = bootstrap.now() + timedelta(days=400)
    last = date(2026, 4, 8)  # the world's last day run: its letters are of that day or before
    assert kept and forget_old_access(uow_factory, months_later, day=date(2026, 3, 1)) == 0
    assert _sql(world, "SELECT pin_to_print FROM debtor_access") == kept
    app = bootstrap.Application(bootstrap.Settings(world))
    context = cast(JobContext, SimpleNamespace(additional_context={"fordring": app}))
    later = datetime(last.year, last.month, last.day, 12, tzinfo=UTC) + timedelta(days=31)
    forget_old_debtor_access(context, int(later.timestamp()))
    forget_old_debtor_access(context, int(later.timestamp()))  # a repeat forgets nothing
    assert _sql(world, "SELECT pin_to_print FROM debtor_access") == [None] * len(kept)
    assert _sql(world, "SELECT code_to_print FROM debtor_access") == [None] * len(kept)


def test_a_closed_cases_pins_are_forgotten_by_the_daily_tidying(
    world: str, uow_factory: UnitOfWorkFactory, run: Any
) -> None:
    from fordring.services.debtor_access import forget_old_access

    _sql(world, "UPDATE debtor_access SET pin_to_print = '12345678'")
    access_for(uow_factory, 1, builders.OTHER_ORGNR)  # an open case's (B's case 1)
    _sql(world, "UPDATE debtor_access SET pin_to_print = '12345678'")
    closed = run(*A, "collection", "close", "1", "--reason", "betalt direkte")
    assert closed.exit_code == 0, closed.output
    forget_old_access(uow_factory, bootstrap.now() - timedelta(days=400))
    by_state = _sql(
        world,
        "SELECT c.state || ':' || COALESCE(a.pin_to_print, '-') FROM debtor_access a"
        " JOIN collection_case c ON c.id = a.case_id",
    )
    assert "closed:-" in by_state and not any(s.startswith("closed:1") for s in by_state)
    assert not any(s.endswith(":-") and not s.startswith("closed") for s in by_state)


def test_no_plain_message_reaches_the_debtor_whatever_its_actor_is_named(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    from dataclasses import replace

    from fordring.services.case_changes import message_case
    from fordring.services.scope import debtor

    scope = builders.scope(uow_factory)
    message_case(1, "Intern: ring ham ikke", scope, uow_factory)
    named = replace(scope, actor=debtor(1))  # a note under the debtor's own name
    message_case(1, "Intern notat to", named, uow_factory)
    sign_in_debtor(client, uow_factory, 1)
    page = client.get("/d/")
    assert page.status_code == 200
    assert "ring ham ikke" not in page.text and "notat to" not in page.text


def test_only_sent_letters_are_listed_and_printed_and_the_pdf_is_not_cached(
    client: TestClient, uow_factory: UnitOfWorkFactory, world: str
) -> None:
    sign_in_debtor(client, uow_factory, 1)
    assert client.get("/d/").text.count("/letters/2.pdf") == 1
    pdf = client.get("/d/letters/2.pdf")
    assert pdf.status_code == 200 and "no-store" in pdf.headers["cache-control"]
    assert "default-src 'self'" in pdf.headers["content-security-policy"]
    _sql(
        world,
        "UPDATE dispatch SET state = 'failed' WHERE letter_id = (SELECT MAX(id) FROM case_letter)",
    )
    assert client.get("/d/letters/2.pdf").status_code == 404
    assert client.get("/d/letters/1.pdf").status_code == 200
    listed = client.get("/d/").text
    assert "/letters/1.pdf" in listed and "/letters/2.pdf" not in listed


def test_an_unknown_code_costs_the_same_pin_hash_as_a_wrong_pin(
    world: str, uow_factory: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not timing alone: the keyed hash of the typed PIN is made for an unknown code too
    (against the dummy), once, as for a known code's wrong PIN."""
    import fordring.domain.debtor_access as rules_module

    hashed: list[str] = []
    real = rules_module.pin_hash

    def spy(key: bytes, salt: str, pin: str) -> str:
        hashed.append(pin)
        return real(key, salt, pin)

    monkeypatch.setattr(rules_module, "pin_hash", spy)
    access = access_for(uow_factory, 1)
    now = bootstrap.now()
    hashed.clear()
    with pytest.raises(DebtorSignInRefused):
        sign_in_debtor_service("ZZZZ-ZZZZ-ZZZZ", "11112222", "a", uow_factory, now)
    assert hashed == ["11112222"]
    with pytest.raises(DebtorSignInRefused):
        sign_in_debtor_service(access.code, _wrong(access.pin), "a", uow_factory, now)
    assert hashed == ["11112222", _wrong(access.pin)]
