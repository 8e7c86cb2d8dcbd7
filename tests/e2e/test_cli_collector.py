"""`fordring collector`: thin commands with clear errors. Bad input names its fields, exits
2 and writes nothing; a creditor is served once; a file to another account is refused whole;
an OCR giro file to the client account is routed like a camt.054 one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.builders import (
    ORGNR,
    OTHER_ACCOUNT,
    OTHER_ORGNR,
    cli_case_1,
    cli_company,
    cli_other_company,
)
from tests.conftest import Run
from tests.scenarios.bankfiles import CLIENT_ACCOUNT, COMPANY_ACCOUNT, Paid, ocr_file
from tests.snapshot import snapshot

pytestmark = pytest.mark.e2e

COLLECTOR = "974760673"


def ok(run: Run, *args: str, date: str = "2026-03-02") -> Any:
    done = run(*args, date=date)
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


def refused(run: Run, database_url: str, *args: str, says: list[str]) -> None:
    before = snapshot(database_url)
    done = run(*args, date="2026-03-10")
    assert done.exit_code == 2, done.output
    for text in says:
        assert text in done.output
    assert snapshot(database_url) == before


def add_collector(run: Run) -> None:
    ok(
        run,
        "collector",
        "add",
        "--orgnr",
        COLLECTOR,
        "--name",
        "Demo Inkasso AS",
        "--account",
        CLIENT_ACCOUNT,
    )


def case_1(run: Run, orgnr: str) -> str:
    """Kari Nordmann's invoice 1 (2500.00, due 03-02) in case 1 from 03-05; its KID."""
    cli_case_1(run, orgnr)
    return str(ok(run, "--company", orgnr, "collection", "case", "1", date="2026-03-05")["kid"])


def test_a_collector_with_bad_fields_names_each_and_writes_nothing(
    run: Run, database_url: str
) -> None:
    refused(
        run,
        database_url,
        "collector",
        "add",
        "--orgnr",
        "123",
        "--name",
        "X",
        "--account",
        "1234",
        "--email",
        "nope",
        says=["orgnr", "account", "email"],
    )
    refused(
        run,
        database_url,
        "collector",
        "add",
        "--orgnr",
        COLLECTOR,
        "--name",
        "X",
        says=["account: give at least one client account"],
    )


def test_a_client_account_or_orgnr_taken_is_refused(run: Run, database_url: str) -> None:
    add_collector(run)
    refused(
        run,
        database_url,
        "collector",
        "add",
        "--orgnr",
        COLLECTOR,
        "--name",
        "Y",
        "--account",
        OTHER_ACCOUNT,
        says=["orgnr", "exists"],
    )
    refused(
        run,
        database_url,
        "collector",
        "add",
        "--orgnr",
        "923609016",
        "--name",
        "Y",
        "--account",
        CLIENT_ACCOUNT,
        says=["is already 974760673's client account"],
    )


def test_serving_an_unknown_creditor_or_twice_is_refused(run: Run, database_url: str) -> None:
    refused(run, database_url, "collector", "show", says=["no collector yet"])
    cli_company(run)
    add_collector(run)
    refused(run, database_url, "collector", "serve", "988077917", says=["creditor", "no company"])
    refused(run, database_url, "collector", "serve", "12", says=["creditor"])
    ok(run, "collector", "serve", ORGNR)
    refused(run, database_url, "collector", "serve", ORGNR, says=["already served"])


def test_cases_already_paid_to_the_client_account_keep_their_kids_unless_taken(
    run: Run, database_url: str
) -> None:
    """Both creditors told their debtors to pay case 1 to the client account before the
    collector served them: the same KID twice. The first keeps it; the second is refused,
    since a payment with that KID could not be told apart."""
    cli_company(run)
    cli_other_company(run)
    for orgnr in (ORGNR, OTHER_ORGNR):
        ok(
            run,
            "--company",
            orgnr,
            "collection",
            "agreement",
            "set",
            "pay_to=client_account",
            f"client_account={CLIENT_ACCOUNT}",
        )
        assert case_1(run, orgnr) == "00000000018"
    add_collector(run)
    ok(run, "collector", "serve", ORGNR)
    refused(
        run,
        database_url,
        "collector",
        "serve",
        OTHER_ORGNR,
        says=["00000000018 are another creditor's"],
    )


def test_a_file_to_an_account_that_is_not_a_client_account_is_refused_whole(
    run: Run, database_url: str, tmp_path: Path
) -> None:
    cli_company(run)
    add_collector(run)
    ok(run, "collector", "serve", ORGNR)
    kid = case_1(run, ORGNR)
    paid = ocr_file(
        tmp_path / "own.txt", [Paid("100.00", kid, "2026-03-10")], account=COMPANY_ACCOUNT
    )
    refused(
        run,
        database_url,
        "collector",
        "import",
        str(paid),
        says=["account", "is not a client account of Demo Inkasso AS"],
    )


def test_an_ocr_file_to_the_client_account_is_routed_by_case_kid_once(
    run: Run, database_url: str, tmp_path: Path
) -> None:
    cli_company(run)
    cli_other_company(run)
    add_collector(run)
    ok(run, "collector", "serve", ORGNR)
    ok(run, "collector", "serve", OTHER_ORGNR)
    kid_a, kid_b = case_1(run, ORGNR), case_1(run, OTHER_ORGNR)
    paid = ocr_file(
        tmp_path / "klient.txt",
        [
            Paid("2500.00", kid_b, "2026-03-10"),
            Paid("300.00", kid_a, "2026-03-10"),
            Paid("2500.00", kid_a, "2026-03-10", reversal=True),
        ],
        account=CLIENT_ACCOUNT,
    )
    report = ok(run, "collector", "import", str(paid), date="2026-03-10")
    assert [(c["orgnr"], c["payments"], c["total"]) for c in report["creditors"]] == [
        (ORGNR, 1, "300.00"),
        (OTHER_ORGNR, 1, "2500.00"),
    ]
    # The reversal is not routed: it waits for the collector, as money taken back.
    queue = ok(run, "collector", "queue", date="2026-03-10")
    assert [(q["amount"], q["kid"]) for q in queue] == [("-2500.00", kid_a)]
    refused(run, database_url, "collector", "assign", "1", "--creditor", ORGNR, says=["reversal"])
    refused(run, database_url, "collector", "import", str(paid), says=["already imported"])
    # The creditor's own `payments import` of the same file is refused too.
    refused(
        run,
        database_url,
        "--company",
        ORGNR,
        "payments",
        "import",
        str(paid),
        says=["already imported"],
    )
    case_b = ok(run, "--company", OTHER_ORGNR, "collection", "case", "1", date="2026-03-10")
    assert case_b["remaining"] == "0.00"
    for orgnr in (ORGNR, OTHER_ORGNR):
        assert ok(run, "--company", orgnr, "ledger", "check", date="2026-03-10")["ok"]
