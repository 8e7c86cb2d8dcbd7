"""`fordring run`: the collection steps day by day, letters in the outbox, fees booked."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from tests import builders
from tests.builders import ACCOUNT, ORGNR, cli_case_of_one_invoice
from tests.conftest import Run
from tests.snapshot import snapshot

from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def sent(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """One consumer invoice due 2026-03-02, sent to collection on 2026-03-05."""
    monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "outbox"))
    cli_case_of_one_invoice(run)
    return run


def _steps(result: str) -> list[tuple[str, str, str]]:
    return [(s["day"], s["step"], s["fee"]) for s in json.loads(result)["steps"]]


EXPECTED = [
    ("2026-03-09", "send_reminder", "0.00"),
    ("2026-03-24", "send_notice", "37.50"),
    ("2026-04-08", "put_on_list", "0.00"),
]


def test_one_catch_up_run_does_each_step_once_with_letters_and_a_booked_fee(
    sent: Run, tmp_path: Path
) -> None:
    assert _steps(sent("run", "--to", "2026-04-30", date="2026-03-05").output) == EXPECTED
    outbox = tmp_path / "outbox" / ORGNR
    for day, name in (
        ("2026-03-09", "case-1-reminder.pdf"),
        ("2026-03-24", "case-1-collection_notice.pdf"),
    ):
        assert (outbox / day / name).read_bytes().startswith(b"%PDF-")
    tb = json.loads(sent("ledger", "trial-balance").output)
    assert {a["account"]: a["balance"] for a in tb["accounts"]}["3900"] == "-37.50"
    check = json.loads(sent("ledger", "check").output)
    assert check["ok"] and check["reconciled"]
    assert check["customer_ledger_total"] == check["receivables_balance"] == "2537.50"
    total = json.loads(sent("reskontro", "--aging", date="2026-04-30").output)[-1]
    assert total["total"] == "2537.50" and total["items"] == 2  # the invoice and its fee
    case = json.loads(sent("collection", "case", "1").output)
    assert case["state"] == "listed"
    assert [e["kind"] for e in case["history"]] == [
        "registered",
        "send_reminder",
        "send_notice",
        "put_on_list",
        "collection_list",  # the first Tuesday after the notice deadline of 2026-04-07
    ]
    assert case["history"][-1]["day"] == "2026-04-14"
    assert (outbox / "2026-04-14" / "collection-list.pdf").read_bytes().startswith(b"%PDF-")


def test_running_day_by_day_gives_the_same_steps_as_one_catch_up_run(sent: Run) -> None:
    done = []
    for n in range(5, 31):
        done += _steps(sent("run", date=f"2026-03-{n:02d}").output)
    for n in range(1, 10):
        done += _steps(sent("run", date=f"2026-04-{n:02d}").output)
    assert done == EXPECTED


def test_running_the_same_day_again_changes_nothing(sent: Run, database_url: str) -> None:
    sent("run", "--to", "2026-03-24", date="2026-03-05")
    before = snapshot(database_url)
    again = json.loads(sent("run", date="2026-03-24").output)
    assert again["already_run_to"] == "2026-03-24" and again["steps"] == []
    assert snapshot(database_url) == before


def test_dry_run_shows_the_next_day_and_writes_nothing(sent: Run, database_url: str) -> None:
    sent("run", "--to", "2026-03-08", date="2026-03-05")
    before = snapshot(database_url)
    shown = json.loads(sent("run", "--dry-run", date="2026-03-09").output)
    assert [(s["day"], s["step"]) for s in shown["steps"]] == [("2026-03-09", "send_reminder")]
    assert snapshot(database_url) == before


def test_a_credited_invoice_closes_its_case_at_no_cost(sent: Run) -> None:
    sent("invoice", "credit", "1", date="2026-03-06")
    case = json.loads(sent("collection", "case", "1").output)
    assert case["state"] == "closed"
    assert _steps(sent("run", date="2026-03-06").output) == []  # nothing left to do
    tb = json.loads(sent("ledger", "trial-balance").output)
    assert "3900" not in {a["account"] for a in tb["accounts"]}


def test_automatic_sending_opens_cases_in_the_run_the_day_they_become_eligible(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "outbox"))
    run("company", "add", "--orgnr", ORGNR, "--name", "Test AS", "--account", ACCOUNT)
    run(
        "customer",
        "add",
        "--name",
        "Per",
        "--consumer",
        "--address",
        "Vei 1",
        "--postcode",
        "0150",
        "--city",
        "Oslo",
    )
    run("collection", "agreement", "set", "automatic_sending=yes", "running_days=3")
    run(
        "invoice",
        "create",
        "--customer",
        "10000",
        "--line",
        "A;1;100;0",
        "--due",
        "2026-03-02",
        date="2026-02-20",
    )
    steps = _steps(run("run", "--to", "2026-03-10", date="2026-03-01").output)
    assert steps == [
        ("2026-03-05", "send_to_collection", "0.00"),
        ("2026-03-09", "send_reminder", "0.00"),
    ]
    assert json.loads(run("collection", "case", "1").output)["history"][0]["actor"] == "daily run"


def test_ledger_check_finds_an_open_item_or_charge_that_disagrees_with_its_postings(
    sent: Run, uow_factory: UnitOfWorkFactory
) -> None:
    sent("run", "--to", "2026-03-24", date="2026-03-05")  # the notice charges a fee (charge 1)
    with uow_factory(
        builders.scope(uow_factory)
    ) as uow:  # tamper with the open amounts behind the ledger's back
        uow.invoices.add_to_open_amounts({1: Decimal(-1)})
        uow.payments.add_to_charge_open_amounts({1: Decimal(1)})
        uow.commit()
    result = sent("ledger", "check")
    assert result.exit_code == 1
    check = json.loads(result.output)
    assert [(m["invoice"], m["open_amount"]) for m in check["open_item_mismatches"]] == [
        (1, "2499.00")
    ]
    assert [m["open_amount"] for m in check["charge_mismatches"]] == ["38.50"]
    assert check["reconciled"]  # −1 and +1 cancel in the total; the item checks catch them
    with uow_factory(builders.scope(uow_factory)) as uow:
        uow.invoices.add_to_open_amounts({1: Decimal(-5)})  # now the total is off as well
        uow.commit()
    check = json.loads(sent("ledger", "check").output)
    assert not check["reconciled"]
    assert (check["customer_ledger_total"], check["receivables_balance"]) == ("2532.50", "2537.50")


def test_a_catch_up_over_more_than_400_days_is_refused_and_skips_no_day(
    sent: Run, database_url: str
) -> None:
    before = snapshot(database_url)
    result = sent("run", "--to", "2027-06-30", date="2026-03-05")
    assert result.exit_code == 2
    assert "to: 483 days from 2026-03-05 to 2027-06-30 have not run" in result.output
    assert "fordring run --to 2027-04-08" in result.output  # the first 400 days
    assert snapshot(database_url) == before  # no day run, none skipped
    # The plain run of the far day does what is due by then, dated that day.
    assert _steps(sent("run", date="2027-06-30").output) == [
        ("2027-06-30", "send_reminder", "0.00")
    ]


def test_a_catch_up_in_parts_runs_every_day_of_a_long_gap(
    sent: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fordring.services.daily_run.MAX_DAYS", 10)
    refused = sent("run", "--to", "2026-03-24", date="2026-03-05")
    assert refused.exit_code == 2 and "fordring run --to 2026-03-14" in refused.output
    first = _steps(sent("run", "--to", "2026-03-14", date="2026-03-05").output)
    second = _steps(sent("run", "--to", "2026-03-24", date="2026-03-05").output)
    assert first + second == EXPECTED[:2]  # the reminder and the notice: no day skipped


OTHER = "988077917"  # a second company in the same database, sharing the outbox


def test_two_companies_runs_into_one_outbox_keep_their_letters_apart(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both companies number their cases from 1, so both send `case-1-reminder` on
    2026-03-09: each lands in its company's folder with its own manifest and print batch,
    and neither's letter or batch is written over by the other's."""
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("FORDRING_OUTBOX", str(outbox))
    for orgnr, name in ((ORGNR, "Test AS"), (OTHER, "Annen AS")):
        address = ("--address", "Storgata 1", "--postcode", "0155", "--city", "Oslo")
        added = run("company", "add", "--orgnr", orgnr, "--name", name, "--account", ACCOUNT,
                    *address)  # fmt: skip
        assert added.exit_code == 0, added.output
        mine = ("--company", orgnr)
        for args, day in (
            (("customer", "add", "--name", f"Kunde av {name}", "--consumer", *address), None),
            (
                ("invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25"),
                "2026-02-16",
            ),
            (("collection", "send", "1"), "2026-03-05"),
            (("run", "--to", "2026-03-09"), "2026-03-05"),
        ):
            done = run(*mine, *args, date=day or "2026-03-02")
            assert done.exit_code == 0, done.output
    for orgnr, name in ((ORGNR, "Test AS"), (OTHER, "Annen AS")):
        folder = outbox / orgnr / "2026-03-09"
        assert sorted(p.name for p in folder.iterdir()) == [
            "case-1-reminder.pdf",
            "manifest.csv",
            f"print-batch-{orgnr}-1.pdf",
            f"print-manifest-{orgnr}-1.csv",
        ]
        text = " ".join(PdfReader(folder / "case-1-reminder.pdf").pages[0].extract_text().split())
        assert name in text and f"Kunde av {name}" in text
        manifest = (folder / "manifest.csv").read_text(encoding="utf-8").splitlines()
        assert [row.split(";")[1] for row in manifest[1:]] == [f"Kunde av {name}"]
        batch = " ".join(
            PdfReader(folder / f"print-batch-{orgnr}-1.pdf").pages[0].extract_text().split()
        )
        assert f"Kunde av {name}" in batch
