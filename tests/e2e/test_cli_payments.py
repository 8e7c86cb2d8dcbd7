"""`fordring payments register`: matched by KID or number, split by the law, booked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.builders import ORGNR, cli_case_of_one_invoice
from tests.conftest import Run
from tests.snapshot import snapshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def notified(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoice 1 (2500.00, due 2026-03-02) in case 1, notified on 2026-03-24 with a 37.50 fee."""
    monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "outbox"))
    cli_case_of_one_invoice(run)
    run("run", "--to", "2026-03-24", date="2026-03-05")
    return run


def _tb(run: Run) -> dict[str, str]:
    accounts = json.loads(run("ledger", "trial-balance").output)["accounts"]
    return {a["account"]: a["balance"] for a in accounts}


def test_a_claim_paid_before_any_fee_closes_at_no_cost(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "outbox"))
    cli_case_of_one_invoice(run)
    paid = json.loads(
        run(
            "payments", "register", "--amount", "2500", "--kid", "0000000018", date="2026-03-06"
        ).output
    )
    assert paid["applied"][0]["amount"] == "2500.00" and paid["overpayment"] == "0.00"
    steps = json.loads(run("run", "--to", "2026-03-06", date="2026-03-05").output)["steps"]
    assert [s["step"] for s in steps] == ["close_settled"]
    case = json.loads(run("collection", "case", "1").output)
    assert case["state"] == "closed" and case["remaining"] == "0.00"
    assert "3900" not in _tb(run) and json.loads(run("ledger", "check").output)["ok"]


def test_principal_paid_after_the_notice_brings_an_interest_note_then_the_case_closes(
    notified: Run, tmp_path: Path
) -> None:
    first = json.loads(
        notified(
            "payments", "register", "--amount", "2500", "--invoice", "1", date="2026-03-26"
        ).output
    )
    assert [a["amount"] for a in first["applied"]] == ["2500.00"]  # principal first
    assert first["order"][0] == "principal"
    steps = json.loads(notified("run", date="2026-03-26").output)["steps"]
    # 2500.00 × 12 % (2026 H1) × 24/365 days (3-26 March) = 19.7260... → 19.73
    assert [(s["step"], s["letter"], s["fee"]) for s in steps] == [
        ("send_interest_note", "interest_note", "19.73")
    ]
    assert (tmp_path / "outbox" / ORGNR / "2026-03-26" / "case-1-interest_note.pdf").exists()
    case = json.loads(notified("collection", "case", "1").output)
    assert case["state"] == "notified" and case["remaining"] == "0.00"
    assert (case["fees_open"], case["interest_open"], case["owed"]) == ("37.50", "19.73", "57.23")
    assert _tb(notified)["8055"] == "-19.73"
    assert json.loads(notified("run", date="2026-03-27").output)["steps"] == []
    notified("payments", "register", "--amount", "57.23", "--invoice", "1", date="2026-03-28")
    steps = json.loads(notified("run", date="2026-03-28").output)["steps"]
    assert [s["step"] for s in steps] == ["close_settled"]
    balances = _tb(notified)
    assert balances["1920"] == "2557.23" and balances["1500"] == "0.00"
    assert json.loads(notified("ledger", "check").output)["ok"]


def test_an_overpayment_becomes_the_customers_credit(notified: Run) -> None:
    paid = json.loads(
        notified(
            "payments", "register", "--amount", "3000", "--kid", "0000000018", date="2026-03-26"
        ).output
    )
    assert paid["overpayment"] == "462.50"
    assert _tb(notified)["2900"] == "-462.50"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--amount", "-5", "--invoice", "1"], "amount"),
        (["--amount", "5", "--kid", "0000000019"], "kid"),
        (["--amount", "5", "--kid", "0000000026"], "kid"),
        (["--amount", "5", "--invoice", "77"], "invoice"),
        (["--amount", "5"], "kid"),
        (["--amount", "5", "--invoice", "1", "--date", "2026-02-30"], "date"),
    ],
)
def test_a_bad_payment_names_the_field_and_writes_nothing(
    notified: Run, database_url: str, args: list[str], field: str
) -> None:
    before = snapshot(database_url)
    result = notified("payments", "register", *args)
    assert result.exit_code == 2, result.output
    assert f"{field}:" in result.output
    assert snapshot(database_url) == before
