"""A bank import and the catch-up run after it survive a crash (issue 14): Friday's bank files
(a Nets OCR giro file to the company's account by `payments import`, camt.054 files to the
collector's client account by `payments import` and by `collector import`), then `run --to`
from Friday over the weekend to Wednesday (four banking days) with reminders and Monday's
settlement, each killed at every commit it makes (before and after it) and then done again,
end with the same rows, the same outbox (letters, print batches, settlement statements) and
a whole ledger, as the same history never killed.

A bank import is one transaction (services/payment_import.py, client_account_import.py):
killed before its commit it booked nothing and the same file imports again; killed after,
the same file is refused as already imported and nothing is missing. A file is never
booked twice and never lost.

The kill is the crash tests' hook (adapters/db/kill_points.py, FORDRING_KILL_AT); `cli`
asserts after each command that it left no process behind.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.builders import ORGNR, cli_company
from tests.conftest import BACKEND, Run
from tests.crash import cli, clone, comparable_files, drop, stored
from tests.scenarios.bankfiles import CLIENT_ACCOUNT, Paid, camt054_file, ocr_file

pytestmark = pytest.mark.e2e

FRIDAY = "2026-03-06"
WEDNESDAY = "2026-03-11"
UNKNOWN_KID = "0000009993"  # a valid MOD10 KID nobody has: waits unmatched
MOST_COMMITS = 40  # more than the catch-up makes: a trial loop ends when a kill comes too late
# The catch-up's trials on PostgreSQL (a database copy each, ~2 s more than a file copy):
# every other commit on each side there (before the odd ones, after the even ones, so each
# commit is killed once), every commit on both sides on SQLite (docs/operations.md).
EVERY = 2 if BACKEND == "postgresql" else 1

Step = tuple[str, ...]


def _friday(run: Run, bank: Path) -> tuple[Step, ...]:
    """Test AS, served by a collector (paid to the client account). Three consumers with
    an invoice each (2500.00, due 03-02 and 03-03) sent to collection on 03-05, a fourth
    invoice not yet due; every day up to Thursday 03-05 has run. Friday's files: the OCR
    file pays invoice 4 in full and 100.00 with a KID nobody has; a camt.054 file to the
    client account pays 1000.00 on case 1 and case 2 in full; another, routed by the
    collector, 700.00 on case 3 and 300.00 with a KID nobody has (the collector's queue).
    The catch-up from Friday to Wednesday then sends the reminders of cases 1 and 3 (partly
    paid) on Monday 03-09 and Tuesday 03-10, and settles the client account's payments on
    Monday."""
    cli_company(run)
    ok(run, "collector", "add", "--orgnr", "974760673", "--name", "Inkasso AS", "--account",
       CLIENT_ACCOUNT, "--licence", "Finanstilsynet 12-345", "--street", "Inkassoveien 1",
       "--postcode", "0150", "--city", "Oslo", "--phone", "+47 22 00 00 00")  # fmt: skip
    ok(run, "collector", "serve", ORGNR)
    for name in ("Kari Nordmann", "Ola Nordmann", "Per Hansen"):
        ok(run, "customer", "add", "--name", name, "--consumer", "--address", "Vei 3",
           "--postcode", "0565", "--city", "Oslo")  # fmt: skip
    for customer, day in (("10000", "02-16"), ("10001", "02-16"), ("10002", "02-17")):
        ok(run, "invoice", "create", "--customer", customer, "--line", "Time;2;1000;25",
           date=f"2026-{day}")  # fmt: skip
    ok(run, "invoice", "create", "--customer", "10000", "--line", "Vare;1;400;25", date=FRIDAY)
    ok(run, "collection", "send", "1", "2", "3", date="2026-03-05")
    ok(run, "run", "--to", "2026-03-05", date="2026-03-05")
    case = {n: ok(run, "collection", "case", str(n), date=FRIDAY)["kid"] for n in (1, 2, 3)}
    invoice_4 = ok(run, "invoice", "show", "4", date=FRIDAY)["kid"]
    ocr = ocr_file(
        bank / "innbetalinger.ocr",
        [Paid("500.00", invoice_4, FRIDAY), Paid("100.00", UNKNOWN_KID, FRIDAY)],
    )
    camt = camt054_file(
        bank / "klientkonto.xml",
        [Paid("1000.00", case[1], FRIDAY), Paid("2500.00", case[2], FRIDAY)],
        version="001.08",
        account=CLIENT_ACCOUNT,
    )
    routed = camt054_file(
        bank / "klientkonto-ruter.xml",
        [Paid("700.00", case[3], FRIDAY), Paid("300.00", UNKNOWN_KID, FRIDAY)],
        version="001.02",
        account=CLIENT_ACCOUNT,
        message_id="KLIENT-0306",
    )
    on_friday = ("--date", FRIDAY, "payments", "import")
    collector = ("--date", FRIDAY, "collector", "import", str(routed))
    catch_up = ("--date", WEDNESDAY, "run", "--to", WEDNESDAY)
    return (*on_friday, str(ocr)), (*on_friday, str(camt)), collector, catch_up


def ok(run: Run, *args: str, date: str = "2026-03-02") -> dict[str, Any]:
    done = run(*args, date=date)
    assert done.exit_code == 0, done.output
    found: dict[str, Any] = json.loads(done.output)
    return found


@pytest.fixture
def history(run: Run, database_url: str, tmp_path: Path) -> Iterator[History]:
    steps = _friday(run, tmp_path)
    found = History(database_url, tmp_path, steps)
    try:
        yield found
    finally:
        for url in found.made:
            drop(url)


class History:
    """Friday's database, the steps after it, and what they leave when never killed; and
    the database and folder as they were before each step, for a trial to start from."""

    def __init__(self, database_url: str, folder: Path, steps: tuple[Step, ...]) -> None:
        self.folder, self.steps = folder, steps
        self.made: list[str] = []
        self.before: list[tuple[str, Path]] = [(database_url, folder / "friday")]
        url, reference = self.copy(database_url, "reference"), folder / "reference"
        for n, step in enumerate(steps):
            if n:
                self.before.append((self.copy(url, f"at{n}"), folder / f"at{n}"))
                if reference.exists():
                    shutil.copytree(reference, self.before[-1][1])
            done = cli(url, reference, *step)
            assert done.returncode == 0, (step, done.stderr)
        self.expected = stored(url), comparable_files(reference / "outbox")
        check = cli(url, reference, "--json", "--date", WEDNESDAY, "ledger", "check")
        assert json.loads(check.stdout)["ok"], check.stdout

    def copy(self, database_url: str, name: str) -> str:
        self.made.append(clone(database_url, name, self.folder))
        return self.made[-1]

    def killed(
        self, index: int, side: str, commit: int, again: Callable[[str, Path], None]
    ) -> bool:
        """From the state before step `index`: that step killed at `side:commit` and then
        done `again`, and the steps after it; False when the step made fewer commits than
        `commit` (it was not killed). The end must be the reference's."""
        name = f"s{index}{side}{commit}"
        start, start_folder = self.before[index]
        url, folder = self.copy(start, name), self.folder / name
        if start_folder.exists():
            shutil.copytree(start_folder, folder)
        step, *rest = self.steps[index:]
        crashed = cli(url, folder, *step, env={"FORDRING_KILL_AT": f"{side}:{commit}"})
        if crashed.returncode == 0:
            self.drop(url)
            return False
        assert crashed.returncode == -9, (name, crashed.stderr)
        again(url, folder)
        for later in rest:
            done = cli(url, folder, *later)
            assert done.returncode == 0, (name, later, done.stderr)
        assert comparable_files(folder / "outbox") == self.expected[1], name
        assert stored(url) == self.expected[0], name
        check = cli(url, folder, "--json", "--date", WEDNESDAY, "ledger", "check")
        assert json.loads(check.stdout)["ok"], (name, check.stdout)
        self.drop(url)
        return True

    def drop(self, url: str) -> None:
        drop(url)
        self.made.remove(url)


def test_a_bank_import_killed_before_or_after_its_commit_is_neither_lost_nor_doubled(
    history: History,
) -> None:
    for index in (0, 1, 2):  # the OCR file, the camt.054 files by payments and collector
        step = history.steps[index]
        for side in ("before", "after"):

            def again(url: str, folder: Path, side: str = side, step: Step = step) -> None:
                done = cli(url, folder, *step)
                if side == "before":  # nothing was booked: the file imports now
                    assert done.returncode == 0, done.stderr
                else:  # all of it was booked: the same file is refused, nothing changes
                    assert done.returncode == 2, done.stderr
                    assert "already imported" in done.stderr, done.stderr

            assert history.killed(index, side, 1, again)
            # One commit: the import is one transaction, there is no later commit to kill.
            assert not history.killed(index, side, 2, again)


def test_a_catch_up_from_friday_to_wednesday_killed_at_any_commit_is_finished_by_the_next_run(
    history: History,
) -> None:
    catch_up = history.steps[3]
    outbox = history.expected[1]
    batches = sorted(p for p in outbox if "print-batch" in p)
    assert [p.split("/")[1] for p in batches] == ["2026-03-09", "2026-03-10"]
    letters = sorted(p.split("-reminder")[0] for p in outbox if p.endswith("-reminder.pdf"))
    assert letters == [f"{ORGNR}/2026-03-09/case-1", f"{ORGNR}/2026-03-10/case-3"], sorted(outbox)
    assert any(p.startswith(f"settlements/{ORGNR}/") for p in outbox), sorted(outbox)

    def again(url: str, folder: Path) -> None:
        done = cli(url, folder, *catch_up)
        assert done.returncode == 0, done.stderr

    killed: dict[str, list[int]] = {}
    for first, side in enumerate(("before", "after"), 1):
        killed[side] = []
        for commit in range(first if EVERY > 1 else 1, MOST_COMMITS, EVERY):
            if not history.killed(3, side, commit, again):
                break  # the catch-up made fewer commits: every one was tried
            killed[side].append(commit)
    # Commits: six days (Friday to Wednesday), the delivery, two print batches, the
    # settlement statements (ten today); each was killed (on SQLite before and after it).
    every = sorted({*killed["before"], *killed["after"]})
    assert every == list(range(1, len(every) + 1)) and len(every) >= 10, killed
