"""The scenario tests' vocabulary: commands that must succeed, the steps a run did, the
letters in the outbox, the rows behind them, and the closing check of the ledger."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pypdf
from sqlalchemy import create_engine, select

from fordring.adapters.db.engine import normalise_url
from fordring.adapters.db.tables import metadata
from tests.builders import ORGNR, cli_business, cli_company, cli_consumer
from tests.conftest import Run
from tests.snapshot import snapshot


class Step(NamedTuple):
    """One thing `fordring run` did: compare with plain tuples."""

    day: str
    case: int
    step: str
    deadline: str | None
    fee: str


def _steps(out: dict[str, Any]) -> list[Step]:
    return [Step(s["day"], s["case"], s["step"], s["deadline"], s["fee"]) for s in out["steps"]]


@dataclass
class Story:
    run: Run
    database_url: str
    outbox: Path

    def ok(self, *args: str, date: str = "2026-03-02") -> Any:
        """Run a command that must succeed; its JSON output."""
        done = self.run(*args, date=date)
        assert done.exit_code == 0, done.output
        return json.loads(done.output)

    def days(self, to: str, *, start: str | None = None) -> list[Step]:
        """`fordring run --to TO` (from START when nothing has run yet): the steps done."""
        return _steps(self.ok("run", "--to", to, date=start or to))

    def run_on(self, day: str) -> list[Step]:
        """Plain `fordring run` with business date DAY (what a cron job does)."""
        return _steps(self.ok("run", date=day))

    def state(self, case: int) -> str:
        return str(self.ok("collection", "case", str(case))["state"])

    def history(self, case: int) -> list[tuple[str, str]]:
        """(day, kind) of every event in the case history."""
        found = self.ok("collection", "case", str(case))["history"]
        return [(e["day"], e["kind"]) for e in found]

    @property
    def paper(self) -> Path:
        """The test company's folder of the outbox (one per company, by orgnr)."""
        return self.outbox / ORGNR

    def letters(self) -> list[str]:
        """Every document on paper of the test company as DAY/NAME.pdf, sorted (not the
        day's print batches, which join them, nor the hidden compiles they are made from)."""
        return sorted(
            str(p.relative_to(self.paper))
            for p in self.paper.rglob("*.pdf")
            if not p.name.startswith(("print-batch-", "."))
        )

    def outbox_files(self) -> dict[str, bytes]:
        """Every file in the outbox (PDFs and manifests) with its content."""
        files = (p for p in self.outbox.rglob("*") if p.is_file())
        return {str(p.relative_to(self.outbox)): p.read_bytes() for p in files}

    def text(self, letter: str) -> str:
        """The text of a PDF of the test company's paper, e.g.
        text("2026-03-09/case-1-reminder.pdf")."""
        pages = pypdf.PdfReader(self.paper / letter).pages
        # One space for every run of whitespace: line breaks fall where the layout puts them,
        # and amounts group their thousands with no-break spaces.
        return " ".join(" ".join(page.extract_text() for page in pages).split())

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of a table, read behind the command line's back (ordered by key)."""
        engine = create_engine(normalise_url(self.database_url))
        try:
            with engine.connect() as connection:
                found = connection.execute(select(metadata.tables[table])).mappings()
                return sorted((dict(row) for row in found), key=repr)
        finally:
            engine.dispose()

    def charges(self) -> list[tuple[int, str, str, str]]:
        """(invoice id, kind, amount, charged on) of every charge (fee, salær, interest) in
        the order charged."""
        return [
            (c["invoice_id"], c["kind"], f"{c['amount']:.2f}", c["charged_on"].isoformat())
            for c in sorted(self.rows("charge"), key=lambda c: c["id"])
        ]

    def balances(self) -> dict[str, str]:
        accounts = self.ok("ledger", "trial-balance")["accounts"]
        return {a["account"]: a["balance"] for a in accounts}

    def snapshot(self) -> tuple[dict[str, list[tuple[object, ...]]], dict[str, bytes]]:
        """Every stored row and every file in the outbox."""
        return snapshot(self.database_url), self.outbox_files()

    def refused(self, *args: str, date: str, says: str, exit_code: int = 2) -> None:
        """The command exits 2 (1: a conflict) with a message containing SAYS, and nothing
        changes."""
        before = self.snapshot()
        done = self.run(*args, date=date)
        assert done.exit_code == exit_code, done.output
        assert says in done.output
        assert self.snapshot() == before

    def ledger_whole(self) -> dict[str, Any]:
        """The closing check of every scenario: balanced, reconciled, every item matched."""
        check = self.ok("ledger", "check")
        assert check["ok"] and check["balanced"] and check["reconciled"], check
        assert check["customer_ledger_total"] == check["receivables_balance"]
        assert self.ok("ledger", "trial-balance")["balanced"]
        return dict(check)


def consumer_case(story: Story, *, flow: str = "reminder_first") -> None:
    """Company, consumer 10000, invoice 1 (2500.00, due 2026-03-02) in case 1 on 03-05."""
    debtor_case(story, "consumer", flow=flow)


def debtor_case(story: Story, debtor: str, *, flow: str = "reminder_first") -> None:
    """Company, one customer 10000 (consumer or business), invoice 1 of 2500.00 (2000 + 25 %
    VAT) issued 2026-02-16, due 03-02, sent to collection as case 1 on 2026-03-05."""
    cli_company(story.run)
    if debtor == "consumer":
        cli_consumer(story.run)
    else:
        cli_business(story.run)
    story.ok("collection", "agreement", "set", f"reminder_flow={flow}")
    story.ok(
        "invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25", date="2026-02-16"
    )
    story.ok("collection", "send", "1", date="2026-03-05")
