"""Under behandling and Inkassoliste over HTTP in-process on the test's database: the case
list (filters, keyset pages), the case page (history, letters, payments, amounts), bulk
actions with their confirmation and result per case, approval of the collection list,
403 for a read-only user with nothing written, 404 for another company's case, and an
action asked again changing nothing."""

from __future__ import annotations

import json
import re
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from tests import builders
from tests.crash import table_rows
from tests.integration.test_portal_pages import _client, csrf_of

from fordring import bootstrap
from fordring.adapters.passwords import Argon2PasswordHasher
from fordring.services.case_desk import Action, Outcome, act_on_cases
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.users import NewUser, add_user

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

PASSWORD = "riktig-passord-42"
FINANCE, READER = "fin@test.no", "les@test.no"
A = ("--company", builders.ORGNR)
B = ("--company", builders.OTHER_ORGNR)
WATCHED = ("collection_case", "case_event", "charge", "voucher", "posting")


def watched(database_url: str) -> dict[str, Any]:
    rows = table_rows(database_url)
    return {name: rows[name] for name in WATCHED}


@pytest.fixture
def world(uow_factory: UnitOfWorkFactory, database_url: str, run: Any) -> str:
    """Company A: case 1 (on the collection list, notice sent), cases 2 and 3 (invoices 2
    and 3, registered); company B: cases 1 to 4 of its own. Users of A: a finance user and
    a read-only user."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    builders.cli_case_1(run)
    ran = run(*A, "run", "--to", "2026-04-08", date="2026-03-05")
    assert ran.exit_code == 0, ran.output
    for line in ("Vare;1;400;25", "Vare;1;800;25"):
        made = run(*A, "invoice", "create", "--customer", "10000", "--line", line)
        assert made.exit_code == 0, made.output
    for number in ("2", "3"):
        sent = run(*A, "collection", "send", number, date="2026-05-01")
        assert sent.exit_code == 0, sent.output
    builders.cli_case_1(run, builders.OTHER_ORGNR)
    for _ in range(3):
        made = run(*B, "invoice", "create", "--customer", "10000", "--line", "Vare;1;100;25")
        assert made.exit_code == 0, made.output
    for number in ("2", "3", "4"):
        sent = run(*B, "collection", "send", number, date="2026-04-01")
        assert sent.exit_code == 0, sent.output
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024)
    scope = builders.scope(uow_factory)
    add_user(NewUser(FINANCE, "Finn Ans", "finance_user", PASSWORD), scope, uow_factory, fast)
    add_user(NewUser(READER, "Les Ann", "read_only", PASSWORD), scope, uow_factory, fast)
    return database_url


def signed_in(database_url: str, email: str) -> TestClient:
    client = _client(database_url)
    form = client.get("/portal/sign-in")
    data = {"orgnr": builders.ORGNR, "email": email, "password": PASSWORD}
    done = client.post("/portal/sign-in", data=data | {"csrf_token": csrf_of(form)})
    assert done.status_code == 200, done.text
    return client


@pytest.fixture
def finance(world: str) -> Iterator[TestClient]:
    with signed_in(world, FINANCE) as client:
        yield client


@pytest.fixture
def reader(world: str) -> Iterator[TestClient]:
    with signed_in(world, READER) as client:
        yield client


def numbers(page: httpx.Response) -> list[int]:
    return [int(n) for n in re.findall(r'<td><a href="/portal/cases/(\d+)">', page.text)]


def post(client: TestClient, path: str, data: dict[str, Any]) -> httpx.Response:
    token = csrf_of(client.get("/portal/cases"))
    answer: httpx.Response = client.post(
        "/portal" + path, data=data | {"csrf_token": token}, follow_redirects=False
    )
    return answer


def test_the_list_shows_each_case_with_its_amounts_filtered_and_a_page_at_a_time(
    finance: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = finance.get("/portal/cases")
    assert page.status_code == 200
    assert numbers(page) == [1, 2, 3]
    assert "Kari Nordmann (10000)" in page.text and "2\xa0500,00" in page.text
    assert "På inkassolisten" in page.text and 'name="case" value="1"' in page.text
    assert "Åpne gebyrer og salær" in page.text and "Belastet rente, åpen" in page.text
    listed = finance.get("/portal/cases", params={"state": "listed"})
    assert numbers(listed) == [1]
    assert numbers(finance.get("/portal/cases", params={"customer": "10000"})) == [1, 2, 3]
    assert numbers(finance.get("/portal/cases", params={"customer": "10001"})) == []
    wrong = finance.get("/portal/cases", params={"state": "lost"})
    assert wrong.status_code == 422 and 'data-field="state"' in wrong.text
    from fordring.entrypoints.web import cases_page

    monkeypatch.setattr(cases_page, "PAGE_SIZE", 2)
    first = finance.get("/portal/cases")
    assert numbers(first) == [1, 2] and 'href="/portal/cases?after=2"' in first.text
    rest = finance.get("/portal/cases", params={"after": "2"})
    assert numbers(rest) == [3] and 'rel="next"' not in rest.text
    monkeypatch.setattr(cases_page, "PAGE_SIZE", 1)
    registered = finance.get("/portal/cases", params={"state": "registered", "customer": "10000"})
    assert numbers(registered) == [2]
    assert 'href="/portal/cases?state=registered&amp;customer=10000&amp;after=2"' in registered.text
    last = finance.get("/portal/cases?state=registered&customer=10000&after=2")
    assert numbers(last) == [3] and 'rel="next"' not in last.text


def test_the_case_page_shows_history_letters_and_what_is_owed(finance: TestClient) -> None:
    page = finance.get("/portal/cases/1")
    assert page.status_code == 200, page.text
    assert "Sak 1 · Kari Nordmann" in page.text
    assert "Skyldig i alt" in page.text and 'class="timeline"' in page.text
    assert "/portal/cases/1/letters/1.pdf" in page.text
    assert "Slik er beløpene i Inkassovarsel av 24.03.2026 satt sammen" in page.text
    assert "Gebyr 37,50 på faktura 1:" in page.text  # the law's fee rule, as the run wrote it
    assert "action=pause&amp;case=1&amp;back=case" in page.text
    pdf = finance.get("/portal/cases/1/letters/1.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for missing in ("9", "0", "x"):
        assert finance.get(f"/portal/cases/1/letters/{missing}.pdf").status_code == 404


def test_another_companys_case_and_nonsense_numbers_are_not_found(
    finance: TestClient, world: str, run: Any
) -> None:
    ran = run(*B, "run", "--to", "2026-04-08", date="2026-04-01")
    assert ran.exit_code == 0, ran.output
    theirs = json.loads(run(*B, "collection", "case", "4").output)
    assert theirs["letters"], theirs  # company B's case 4 has a letter; company A no case 4
    for path in ("/portal/cases/4", "/portal/cases/abc", "/portal/cases/4/letters/1.pdf"):
        assert finance.get(path).status_code == 404, path
    confirm = finance.get("/portal/cases/confirm", params={"action": "pause", "case": ["4"]})
    assert confirm.status_code == 404
    before = watched(world)
    for action in ("pause", "close"):  # company B's case 4: not found, as the confirmation
        acted = post(finance, "/cases/act", {"action": action, "case": ["4"], "text": "x"})
        assert acted.status_code == 404, acted.text
    assert watched(world) == before


def test_pausing_from_the_case_page_adds_a_history_entry_and_again_changes_nothing(
    finance: TestClient, world: str
) -> None:
    confirm = finance.get("/portal/cases/confirm?action=pause&case=1&back=case")
    assert confirm.status_code == 200 and "Det koster ingenting" in confirm.text
    done = post(finance, "/cases/act", {"action": "pause", "case": ["1"], "back": "case"})
    assert (done.status_code, done.headers["location"]) == (303, "/portal/cases/1")
    page = finance.get("/portal/cases/1")
    assert "Pauset" in page.text and "listed → paused" in page.text
    before = watched(world)
    again = post(finance, "/cases/act", {"action": "pause", "case": ["1"], "back": "case"})
    assert again.status_code == 409 and "tilstand tillater ikke" in again.text
    assert watched(world) == before


def test_bulk_close_says_what_it_costs_and_answers_per_case(
    finance: TestClient, world: str
) -> None:
    asked = {"action": "close", "case": ["1", "2", "4"]}
    confirm = finance.get("/portal/cases/confirm", params=asked)
    assert confirm.status_code == 200
    assert "Kostnad ved avslutning" in confirm.text and numbers(confirm) == [1, 2]
    done = post(finance, "/cases/act", asked | {"text": "Betalt direkte"})
    assert done.status_code == 200, done.text
    shape = r'<tr class="(done|refused)">\s*<td><a href="/portal/cases/(\d+)">'
    rows = re.findall(shape, done.text)
    assert rows == [("done", "1"), ("done", "2"), ("refused", "4")]
    assert "Ingen slik sak" in done.text
    # the cost shown is what the close booked (its history entry says the same)
    assert "gebyrer og renter som frafalles: 37,50" in done.text
    assert "fees and interest 37.50 cancelled" in finance.get("/portal/cases/1").text
    listed = finance.get("/portal/cases", params={"state": "closed"})
    assert numbers(listed) == [1, 2]
    before = watched(world)
    again = post(finance, "/cases/act", asked | {"text": "Betalt direkte"})
    assert again.status_code == 409 and watched(world) == before


def test_bulk_messages_go_into_each_history_and_bad_input_writes_nothing(
    finance: TestClient, world: str
) -> None:
    before = watched(world)
    for data in (
        {"action": "message", "case": ["2", "3"], "text": "  "},
        {"action": "message", "case": ["2"], "text": "a\tb"},
        {"action": "fly", "case": ["2"]},
        {"action": "pause"},
    ):
        refused = post(finance, "/cases/act", data)
        assert refused.status_code == 422, (data, refused.text)
    assert watched(world) == before
    done = post(finance, "/cases/act", {"action": "message", "case": ["2", "3"], "text": "Ring"})
    assert done.status_code == 200 and done.text.count('<tr class="done">') == 2
    assert "Ring" in finance.get("/portal/cases/3").text
    sent = watched(world)
    again = post(finance, "/cases/act", {"action": "message", "case": ["2", "3"], "text": "Ring"})
    assert again.status_code == 409 and "allerede" in again.text
    assert watched(world) == sent
    twice = post(
        finance, "/cases/act", {"action": "message", "case": ["2"] * 501 + ["3"], "text": "Hei"}
    )
    assert twice.status_code == 200 and twice.text.count('<tr class="done">') == 2  # 2 counts once
    sent = watched(world)
    for data in ({"action": "pause", "case": ["x"]}, {"action": "pause", "case": ["-1"]}):
        assert post(finance, "/cases/act", data).status_code == 422
    assert watched(world) == sent


def test_a_read_only_user_sees_no_actions_and_is_refused_with_nothing_written(
    reader: TestClient, world: str
) -> None:
    page = reader.get("/portal/cases")
    assert numbers(page) == [1, 2, 3] and 'name="case"' not in page.text
    case = reader.get("/portal/cases/1")
    assert case.status_code == 200 and "action=pause" not in case.text
    listed = reader.get("/portal/collection-list")
    assert listed.status_code == 200 and "approve-all" not in listed.text
    assert "Bekreft:" not in reader.get("/portal/cases/confirm?action=close&case=1").text
    before = watched(world)
    for path, data in (
        ("/cases/act", {"action": "pause", "case": ["1"]}),
        ("/cases/act", {"action": "message", "case": ["1"], "text": "Hei"}),
        ("/collection-list/approve", {"every": "yes"}),
        ("/collection-list/approve", {"case": ["1"]}),
        ("/cases/act", {"action": "fly", "case": ["x"]}),  # bad input: still the role first
        ("/cases/act", {"action": "message", "case": ["1"], "text": "  "}),
        ("/collection-list/approve", {"case": ["x"]}),
        ("/collection-list/approve", {}),
    ):
        refused = post(reader, path, data)
        assert refused.status_code == 403, (path, data, refused.text)
    assert watched(world) == before


def test_the_collection_list_is_approved_some_or_all_and_again_changes_nothing(
    finance: TestClient, world: str
) -> None:
    page = finance.get("/portal/collection-list")
    assert page.status_code == 200 and numbers(page) == [1]
    assert "action=pause&amp;case=1&amp;back=list" in page.text  # stop one
    before = watched(world)
    assert 'name="shown" value="1"' in page.text  # "approve all" names the cases shown
    assert post(finance, "/collection-list/approve", {}).status_code == 422
    # "Approve all" approves what the page showed, never the list as it is at POST time
    assert post(finance, "/collection-list/approve", {"every": "yes"}).status_code == 422
    assert post(finance, "/collection-list/approve", {"case": ["2"]}).status_code == 422
    assert post(finance, "/collection-list/approve", {"case": ["4"]}).status_code == 404
    assert watched(world) == before
    done = post(finance, "/collection-list/approve", {"case": ["1"]})
    assert done.status_code == 303
    assert done.headers["location"] == "/portal/collection-list?approved=1"
    after = watched(world)
    assert [e["kind"] for e in after["case_event"]].count("approved") == 1
    again = post(finance, "/collection-list/approve", {"every": "yes", "shown": ["1"]})
    assert again.status_code == 303 and watched(world) == after


def test_a_case_stopped_on_the_list_waits_for_a_new_approval_after_resuming(
    finance: TestClient, world: str, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Approved, stopped ("Stopp": paused), resumed: the approval given before the stop no
    longer counts, so the next run does not hand the case over; it is back on the list,
    not approved."""
    monkeypatch.setattr(bootstrap, "today", lambda: date(2026, 4, 8))  # the run's last day
    assert post(finance, "/collection-list/approve", {"case": ["1"]}).status_code == 303
    assert "Ja, 08.04.2026" in finance.get("/portal/collection-list").text
    for action in ("pause", "resume"):
        done = post(finance, "/cases/act", {"action": action, "case": ["1"], "back": "case"})
        assert done.status_code == 303, done.text
    ran = run(*A, "run", "--to", "2026-04-09", date="2026-04-09")
    assert ran.exit_code == 0, ran.output
    assert "hand_over" not in [s["step"] for s in json.loads(ran.output)["steps"]]
    assert json.loads(run(*A, "collection", "case", "1").output)["state"] == "listed"
    page = finance.get("/portal/collection-list")
    assert numbers(page) == [1] and "Ikke godkjent" in page.text and "Ja, " not in page.text


def test_a_message_sent_twice_at_the_same_moment_is_added_once(
    world: str, uow_factory: UnitOfWorkFactory
) -> None:
    """Two requests with the same message (a double click) meet at the case: each checks
    the last entry and writes in one transaction with the case locked, so the one after
    sees the first's message and adds nothing. The case is held locked here until both
    are waiting for it, so both would check before either wrote if the check were not
    inside the lock."""
    scope = builders.scope(uow_factory)
    outcomes: list[Outcome] = []
    failed: list[BaseException] = []

    def send() -> None:
        try:
            outcomes.extend(act_on_cases([2], Action.MESSAGE, "Ring", scope, uow_factory))
        except BaseException as error:  # reported below
            failed.append(error)

    senders = [threading.Thread(target=send) for _ in range(2)]
    with uow_factory(scope) as holder:
        assert holder.collection.status(2, lock=True) is not None
        for sender in senders:
            sender.start()
        time.sleep(1)  # both read the case's row (the old check's read did not wait) and wait
        holder.commit()
    for sender in senders:
        sender.join(timeout=60)
    assert failed == []
    assert sorted((o.done, o.refused) for o in outcomes) == [(False, "sent_already"), (True, None)]
    with uow_factory(scope) as uow:
        history = uow.collection.history(2)
    assert [e.text for e in history].count("Ring") == 1


def test_in_automatic_mode_the_pages_say_a_listed_case_goes_over_by_itself(
    finance: TestClient, run: Any
) -> None:
    waits = "Oversendelse når godkjent"
    assert waits in finance.get("/portal/cases", params={"state": "listed"}).text
    assert "venter på godkjenning" in finance.get("/portal/collection-list").text
    assert run(*A, "collection", "agreement", "set", "automatic_handover=yes").exit_code == 0
    listed = finance.get("/portal/cases", params={"state": "listed"})
    assert "Oversendes av seg selv torsdagen etter listen" in listed.text
    assert waits not in listed.text
    hint = finance.get("/portal/collection-list").text
    assert "går til inkasso av seg selv" in hint and "venter på godkjenning" not in hint
