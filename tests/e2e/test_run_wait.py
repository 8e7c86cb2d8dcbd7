"""`run --via-workers --wait --json` (issue 16, item 5): two real workers do a company's
day, and the report read back from the database agrees with the in-process `run --json`
of the same day on a copy of the same database. PostgreSQL only; every wait bounded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.builders import cli_company
from tests.conftest import Run
from tests.crash import cli
from tests.e2e.test_workers import COMPANIES, DAY, TO, Workers, postgresql_only
from tests.e2e.test_workers import companies as companies
from tests.e2e.test_workers import two_copies as two_copies

pytestmark = pytest.mark.e2e

SAME = ("steps", "invoices_issued", "settlements", "documents", "collection_lists", "held")


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


def test_wait_without_via_workers_is_refused_and_writes_nothing(run: Run) -> None:
    cli_company(run)
    refused = run("run", "--wait", json=False)
    assert refused.exit_code == 2
    assert "wait: --wait waits for the workers: give --via-workers too" in refused.output
    assert json.loads(run("run", "--dry-run").output)["already_run_to"] is None


@postgresql_only
def test_the_report_of_a_day_the_workers_did_agrees_with_the_in_process_run(
    two_copies: tuple[str, str],
    tmp_path: Path,
) -> None:
    in_process, queued = two_copies
    here, there = tmp_path / "in-process", tmp_path / "workers"
    for url, folder in ((in_process, here), (queued, there)):
        for orgnr, _, first in COMPANIES:  # a second case, for steps, letters and fees
            opened = cli(
                url, folder, "--company", orgnr, "--date", DAY, "collection", "send", str(first + 1)
            )
            assert opened.returncode == 0, opened.stderr
    expected = {}
    for orgnr, _, _ in COMPANIES:
        done = cli(in_process, here, "--json", "--company", orgnr, "--date", DAY, "run", "--to", TO)
        assert done.returncode == 0, done.stderr
        expected[orgnr] = json.loads(done.stdout)
    workers = Workers(queued, there)
    try:
        workers.start("one")
        workers.start("two")
        waited = cli(
            queued,
            there,
            "--json",
            "--date",
            DAY,
            "run",
            "--to",
            TO,
            "--via-workers",
            "--wait",
            "--timeout",
            "240",
        )
        assert waited.returncode == 0, waited.stderr + workers.logs()
    finally:
        workers.stop()
    reports = {r["company"]: r for r in json.loads(waited.stdout)["reports"]}
    assert sorted(reports) == sorted(expected)
    steps = sum(len(e["steps"]) for e in expected.values())
    assert steps  # the days did something to compare
    print(f"three companies' {DAY} to {TO}: {steps} steps, reports agree")
    for orgnr, report in reports.items():
        wanted = expected[orgnr]
        for key in SAME:
            assert _sorted(report[key]) == _sorted(wanted[key]), (orgnr, key)
        delivered = wanted["deliveries"]
        assert report["deliveries"]["sent"] == delivered["sent"], orgnr
        assert report["deliveries"]["failed"] == delivered["failed"], orgnr
        assert report["deliveries"]["waiting"] == 0
