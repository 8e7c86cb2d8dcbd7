"""A collector serving two creditors from one client account (issue 13, SPEC: one
installation can be a collector). Demo Inkasso AS serves Test AS (creditor 1) and Annen AS
(creditor 2). Each creditor sends invoice 1 (2500.00, due 03-02) to collection as its case 1
on 03-05: on its own both cases would have the same KID; served, each case's KID carries the
creditor's number, so the KIDs are unique per client account.

On 03-10 one camt.054 file to the client account carries 2500.00 for Test AS's case, 1000.00
for Annen AS's case and 700.00 with a KID nobody has. Each creditor's ledger gets only its
own payment; the 700.00 waits in the collector's queue. The same file again changes nothing.
Each creditor is settled on its own; the queued payment is assigned by hand to Annen AS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fordring.domain import kid as kids
from tests.builders import ORGNR, OTHER_ORGNR, cli_case_1, cli_company, cli_other_company
from tests.scenarios.bankfiles import CLIENT_ACCOUNT, Paid, camt054_file
from tests.scenarios.story import Story

pytestmark = pytest.mark.e2e

COLLECTOR = "974760673"
UNKNOWN_KID = kids.generate("9999000000001", kids.KidAlgorithm.MOD10, 14)


def on(company: str, *args: str) -> tuple[str, ...]:
    return ("--company", company, *args)


def creditor_with_case(story: Story, orgnr: str) -> str:
    """Kari Nordmann, invoice 1 of 2500.00 issued 02-16, in case 1 from 03-05: its KID."""
    story.ok(*on(orgnr, "collection", "agreement", "set", "reminder_flow=reminder_first"))
    cli_case_1(story.run, orgnr)
    return str(story.ok(*on(orgnr, "collection", "case", "1"), date="2026-03-05")["kid"])


def payments_of(story: Story, orgnr: str, day: str) -> list[tuple[str, str, str, Any]]:
    """(amount, kid, status, case) of each payment in a creditor's books."""
    found = story.ok(*on(orgnr, "payments", "list"), date=day)
    return [(p["amount"], p["kid"], p["status"], p["case"]) for p in found]


def ledger_ok(story: Story, orgnr: str, day: str) -> None:
    check = story.ok(*on(orgnr, "ledger", "check"), date=day)
    assert check["ok"] and check["balanced"] and check["reconciled"], check


def test_one_client_account_file_is_routed_to_each_creditor_by_case_kid(
    story: Story, tmp_path: Path
) -> None:
    cli_company(story.run)
    cli_other_company(story.run)
    story.ok(
        "collector",
        "add",
        "--orgnr",
        COLLECTOR,
        "--name",
        "Demo Inkasso AS",
        "--account",
        CLIENT_ACCOUNT,
        "--licence",
        "Finanstilsynet 12-345",
        "--street",
        "Inkassoveien 1",
        "--postcode",
        "0150",
        "--city",
        "Oslo",
        "--phone",
        "+47 22 00 00 00",
    )
    assert story.ok("collector", "serve", ORGNR)["creditor"] == 1
    assert story.ok("collector", "serve", OTHER_ORGNR)["creditor"] == 2
    shown = story.ok("collector", "show")
    assert [(c["creditor"], c["name"]) for c in shown["creditors"]] == [
        (1, "Test AS"),
        (2, "Annen AS"),
    ]
    agreement = story.ok(*on(ORGNR, "collection", "agreement", "show"))
    assert (agreement["pay_to"], agreement["client_account"], agreement["collector_name"]) == (
        "client_account",
        CLIENT_ACCOUNT,
        "Demo Inkasso AS",
    )

    kid_a = creditor_with_case(story, ORGNR)
    kid_b = creditor_with_case(story, OTHER_ORGNR)
    assert (kid_a, kid_b) == ("0001000000016", "0002000000014")  # creditor, case, MOD10

    paid = camt054_file(
        tmp_path / "klientkonto-0310.xml",
        [
            Paid("2500.00", kid_a, "2026-03-10", payer_name="Kari Nordmann"),
            Paid("1000.00", kid_b, "2026-03-10", payer_name="Kari Nordmann"),
            Paid("700.00", UNKNOWN_KID, "2026-03-10", payer_name="Ola Ukjent"),
        ],
        version="001.08",
        account=CLIENT_ACCOUNT,
        message_id="KLIENT-0310",
    )
    report = story.ok("collector", "import", str(paid), date="2026-03-10")
    assert (report["payments"], report["total"], report["queued"]) == (3, "4200.00", 1)
    assert [
        (c["name"], c["payments"], c["total"], c["matched_by"]) for c in report["creditors"]
    ] == [
        ("Test AS", 1, "2500.00", {"case_kid": 1}),
        ("Annen AS", 1, "1000.00", {"case_kid": 1}),
    ]
    story.refused("collector", "import", str(paid), date="2026-03-10", says="already imported")

    assert payments_of(story, ORGNR, "2026-03-10") == [("2500.00", kid_a, "matched", 1)]
    assert payments_of(story, OTHER_ORGNR, "2026-03-10") == [("1000.00", kid_b, "matched", 1)]
    queue = story.ok("collector", "queue", date="2026-03-10")
    assert [(q["payment"], q["amount"], q["kid"], q["payer"]) for q in queue] == [
        (1, "700.00", UNKNOWN_KID, "Ola Ukjent")
    ]
    for orgnr in (ORGNR, OTHER_ORGNR):
        ledger_ok(story, orgnr, "2026-03-10")

    # Settlement per creditor, the banking day after: each gets its own.
    settled = {
        orgnr: story.ok(*on(orgnr, "run"), date="2026-03-11")["settlements"]
        for orgnr in (ORGNR, OTHER_ORGNR)
    }
    assert {
        o: [(s["payments"], s["received"], s["paid_out"]) for s in found]
        for o, found in settled.items()
    } == {
        ORGNR: [(1, "2500.00", "2500.00")],
        OTHER_ORGNR: [(1, "1000.00", "1000.00")],
    }
    (statement,) = story.ok(*on(OTHER_ORGNR, "settlement", "list"), date="2026-03-11")
    shown_b = story.ok(
        *on(OTHER_ORGNR, "settlement", "show", str(statement["settlement"])), date="2026-03-11"
    )
    assert (shown_b["creditor"], shown_b["collector"]) == ("Annen AS", "Demo Inkasso AS")

    # The unknown payment, assigned by hand to Annen AS's case 1: settled the next day.
    assigned = story.ok(
        "collector", "assign", "1", "case:1", "--creditor", OTHER_ORGNR, date="2026-03-11"
    )
    assert (assigned["creditor"], assigned["status"]) == (OTHER_ORGNR, "matched")
    assert story.ok("collector", "queue", date="2026-03-11") == []
    assert payments_of(story, OTHER_ORGNR, "2026-03-11")[1:] == [
        ("700.00", UNKNOWN_KID, "matched", 1)
    ]
    story.refused(
        "collector",
        "assign",
        "1",
        "case:1",
        "--creditor",
        ORGNR,
        date="2026-03-11",
        says="not queued",
    )
    later = story.ok(*on(OTHER_ORGNR, "run"), date="2026-03-12")["settlements"]
    assert [(s["payments"], s["received"]) for s in later] == [(1, "700.00")]
    assert payments_of(story, ORGNR, "2026-03-12") == [("2500.00", kid_a, "matched", 1)]
    for orgnr in (ORGNR, OTHER_ORGNR):
        ledger_ok(story, orgnr, "2026-03-12")
        balances = story.ok(*on(orgnr, "ledger", "trial-balance"), date="2026-03-12")
        by_account = {a["account"]: a["balance"] for a in balances["accounts"]}
        assert by_account.get("1575", "0.00") == "0.00"  # all the creditor's money paid out
