"""The collector's limits closed (issue 13, point 6): a reversal in a client-account file is
routed to the creditor whose payment it takes back; a file re-sent under a new id holds its
look-alikes at each creditor; a collector stops serving a creditor and serves it again; and
`serve` refuses a creditor whose open case KIDs another creditor of the collector has.

Demo Inkasso AS serves Test AS (creditor 1) and Annen AS (creditor 2); each has Kari
Nordmann's invoice 1 (2500.00) in case 1 from 03-05."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fordring import bootstrap
from fordring.domain.errors import RuleViolation
from fordring.services.client_account_import import import_client_file
from fordring.services.collector_stop import stop_serving
from tests.builders import ORGNR, OTHER_ORGNR, cli_company, cli_other_company
from tests.races import race
from tests.scenarios.bankfiles import CLIENT_ACCOUNT, Paid, camt054_file
from tests.scenarios.story import Story
from tests.scenarios.test_collector_client_account import (
    COLLECTOR,
    creditor_with_case,
    ledger_ok,
    on,
    payments_of,
)

pytestmark = pytest.mark.e2e


def collector(story: Story) -> None:
    story.ok(
        "collector", "add", "--orgnr", COLLECTOR, "--name", "Demo Inkasso AS",
        "--account", CLIENT_ACCOUNT,
    )  # fmt: skip


def two_creditors_with_cases(story: Story) -> tuple[str, str]:
    cli_company(story.run)
    cli_other_company(story.run)
    collector(story)
    story.ok("collector", "serve", ORGNR)
    story.ok("collector", "serve", OTHER_ORGNR)
    return creditor_with_case(story, ORGNR), creditor_with_case(story, OTHER_ORGNR)


def client_file(path: Path, paid: list[Paid], message_id: str) -> Path:
    return camt054_file(path, paid, version="001.08", account=CLIENT_ACCOUNT, message_id=message_id)


def test_a_reversal_in_a_client_account_file_takes_back_its_creditors_payment(
    story: Story, tmp_path: Path
) -> None:
    kid_a, kid_b = two_creditors_with_cases(story)
    paid = [Paid("2500.00", kid_a, "2026-03-10"), Paid("1000.00", kid_b, "2026-03-10")]
    story.ok(
        "collector", "import", str(client_file(tmp_path / "1.xml", paid, "K-1")), date="2026-03-10"
    )
    back = client_file(
        tmp_path / "2.xml", [Paid("2500.00", kid_a, "2026-03-10", reversal=True)], "K-2"
    )
    report = story.ok("collector", "import", str(back), date="2026-03-10")

    assert (report["queued"], [c["name"] for c in report["creditors"]]) == (0, ["Test AS"])
    assert report["creditors"][0]["reversed"] == 1
    assert story.ok("collector", "queue", date="2026-03-10") == []
    assert payments_of(story, ORGNR, "2026-03-10") == [
        ("2500.00", kid_a, "reversed", 1),
        ("-2500.00", kid_a, "matched", 1),
    ]
    assert payments_of(story, OTHER_ORGNR, "2026-03-10") == [("1000.00", kid_b, "matched", 1)]
    settled = story.ok(*on(ORGNR, "run"), date="2026-03-11")["settlements"]
    assert [(s["payments"], s["paid_out"]) for s in settled] in ([], [(2, "0.00")])
    for orgnr in (ORGNR, OTHER_ORGNR):
        ledger_ok(story, orgnr, "2026-03-11")


def test_a_reversal_naming_no_payment_waits_in_the_collectors_queue(
    story: Story, tmp_path: Path
) -> None:
    kid_a, _ = two_creditors_with_cases(story)
    back = client_file(
        tmp_path / "2.xml", [Paid("300.00", kid_a, "2026-03-10", reversal=True)], "K-2"
    )
    report = story.ok("collector", "import", str(back), date="2026-03-10")
    assert report["queued"] == 1
    assert [q["amount"] for q in story.ok("collector", "queue", date="2026-03-10")] == ["-300.00"]
    assert payments_of(story, ORGNR, "2026-03-10") == []


def test_a_client_file_sent_again_under_a_new_id_holds_its_look_alikes(
    story: Story, tmp_path: Path
) -> None:
    kid_a, kid_b = two_creditors_with_cases(story)
    paid = [
        Paid("2500.00", kid_a, "2026-03-10", archive_ref="A1"),
        Paid("1000.00", kid_b, "2026-03-10", archive_ref="B1"),
    ]
    story.ok(
        "collector", "import", str(client_file(tmp_path / "1.xml", paid, "K-1")), date="2026-03-10"
    )
    again = story.ok(
        "collector", "import", str(client_file(tmp_path / "2.xml", paid, "K-1-AGAIN")),
        date="2026-03-10",
    )  # fmt: skip

    assert payments_of(story, ORGNR, "2026-03-10") == [("2500.00", kid_a, "matched", 1)]
    assert payments_of(story, OTHER_ORGNR, "2026-03-10") == [("1000.00", kid_b, "matched", 1)]
    assert [(c["name"], c["held"]) for c in again["creditors"]] == [
        ("Test AS", 1),
        ("Annen AS", 1),
    ]
    held = story.ok(*on(ORGNR, "payments", "held"), date="2026-03-10")
    assert [(h["amount"], h["kid"]) for h in held] == [("2500.00", kid_a)]
    for orgnr in (ORGNR, OTHER_ORGNR):
        ledger_ok(story, orgnr, "2026-03-10")


def test_serve_refuses_a_creditor_whose_open_case_kid_another_creditor_has(
    story: Story,
) -> None:
    """Both companies collect on their own first (paid to their own accounts): each case 1
    has the KID of its invoice 1, the same for both. Serving the first claims its KID; the
    second's letters would tell debtors to pay the same KID to the client account."""
    cli_company(story.run)
    cli_other_company(story.run)
    collector(story)
    kid_a = creditor_with_case(story, ORGNR)
    kid_b = creditor_with_case(story, OTHER_ORGNR)
    assert kid_a == kid_b
    story.ok("collector", "serve", ORGNR, date="2026-03-06")
    story.refused("collector", "serve", OTHER_ORGNR, date="2026-03-06", says=kid_b)
    assert [c["name"] for c in story.ok("collector", "show")["creditors"]] == ["Test AS"]


def test_a_served_creditors_own_case_kid_is_routed_after_serve(
    story: Story, tmp_path: Path
) -> None:
    """A case opened before serving (paid to the creditor's own account, its invoice's
    KID) is paid to the client account after serving: the file routes it to its creditor."""
    cli_company(story.run)
    collector(story)
    kid = creditor_with_case(story, ORGNR)
    story.ok("collector", "serve", ORGNR, date="2026-03-06")
    paid = client_file(tmp_path / "1.xml", [Paid("2500.00", kid, "2026-03-10")], "K-1")
    report = story.ok("collector", "import", str(paid), date="2026-03-10")
    assert report["queued"] == 0
    assert payments_of(story, ORGNR, "2026-03-10") == [("2500.00", kid, "matched", 1)]


def test_stop_serving_is_refused_while_money_waits_then_routes_no_more(
    story: Story, tmp_path: Path
) -> None:
    kid_a, kid_b = two_creditors_with_cases(story)
    paid = client_file(tmp_path / "1.xml", [Paid("1000.00", kid_a, "2026-03-10")], "K-1")
    story.ok("collector", "import", str(paid), date="2026-03-10")  # case 1 stays open
    story.refused("collector", "stop-serving", ORGNR, date="2026-03-10", says="not settled")
    story.ok(*on(ORGNR, "run"), date="2026-03-11")  # settled: nothing left on the account
    stopped = story.ok("collector", "stop-serving", ORGNR, date="2026-03-12")
    assert (stopped["orgnr"], stopped["stopped_on"]) == (ORGNR, "2026-03-12")
    shown = story.ok("collector", "show", date="2026-03-12")
    assert [(c["name"], c["stopped_on"]) for c in shown["creditors"]] == [
        ("Test AS", "2026-03-12"),
        ("Annen AS", None),
    ]
    agreement = story.ok(*on(ORGNR, "collection", "agreement", "show"), date="2026-03-12")
    assert (agreement["pay_to"], agreement["client_account"]) == ("creditor", "")
    story.refused("collector", "stop-serving", ORGNR, date="2026-03-12", says="not served")

    later = client_file(
        tmp_path / "2.xml",
        [Paid("100.00", kid_a, "2026-03-12"), Paid("100.00", kid_b, "2026-03-12")],
        "K-2",
    )
    report = story.ok("collector", "import", str(later), date="2026-03-12")
    assert (report["queued"], [c["name"] for c in report["creditors"]]) == (1, ["Annen AS"])
    assert len(payments_of(story, ORGNR, "2026-03-12")) == 1

    again = story.ok("collector", "serve", ORGNR, date="2026-03-13")
    assert again["creditor"] == 1  # the same number: its case KIDs carry it
    paid_again = client_file(tmp_path / "3.xml", [Paid("50.00", kid_a, "2026-03-13")], "K-3")
    report = story.ok("collector", "import", str(paid_again), date="2026-03-13")
    assert (report["queued"], [c["name"] for c in report["creditors"]]) == (0, ["Test AS"])
    for orgnr in (ORGNR, OTHER_ORGNR):
        ledger_ok(story, orgnr, "2026-03-13")


def test_a_stop_and_a_file_at_the_same_moment_never_route_to_a_stopped_creditor(
    story: Story, tmp_path: Path
) -> None:
    """Either the file is routed first (then the stop is refused: its payment is not
    settled) or the stop is first (then the file queues the payment): never both."""
    kid_a, _ = two_creditors_with_cases(story)
    later = client_file(tmp_path / "1.xml", [Paid("100.00", kid_a, "2026-03-12")], "K-1")
    uow_factory = bootstrap.uow_factory(story.database_url)
    day = date(2026, 3, 12)
    outcome = race(
        lambda: import_client_file(
            later, None, day, uow_factory, bootstrap.bank_file_reader(), bootstrap.rate_book()
        ),
        lambda: stop_serving(ORGNR, None, day, uow_factory),
    )
    booked = payments_of(story, ORGNR, "2026-03-12")
    queued = story.ok("collector", "queue", date="2026-03-12")
    refused = outcome.of(RuleViolation)
    assert len(outcome.errors) == len(refused), outcome.errors
    if refused:  # the file first
        assert "not settled" in str(refused[0])
        assert (len(booked), queued) == (1, [])
    else:  # the stop first
        assert (booked, [q["amount"] for q in queued]) == ([], ["100.00"])
    ledger_ok(story, ORGNR, "2026-03-12")
