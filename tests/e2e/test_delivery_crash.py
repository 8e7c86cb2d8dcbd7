"""Delivery survives a crash (issue 14, item 3): `fordring run` killed at every commit it
makes, before and after it, then run again, ends with the same rows, the same outbox and
the same print batches as a run never killed.

The kill is the crash tests' hook (adapters/db/kill_points.py, FORDRING_KILL_AT): the
process sends itself SIGKILL at that commit; nothing else of the command is stood in for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.builders import ORGNR, cli_company
from tests.conftest import Run
from tests.crash import cli, clone, comparable_files, drop, stored

pytestmark = pytest.mark.e2e

RUN = ("--date", "2026-03-10", "run", "--to", "2026-03-10")
MOST_COMMITS = 30  # far more than the run makes: the loop ends when a kill comes too late


def _three_cases(run: Run) -> None:
    """Cases 1 and 2 get their reminders on Monday 03-09, case 3 on Tuesday 03-10; the days
    before have run."""
    cli_company(run)
    for name in ("Kari Nordmann", "Ola Nordmann", "Per Hansen"):
        done = run("customer", "add", "--name", name, "--consumer", "--address", "Vei 3",
                   "--postcode", "0565", "--city", "Oslo")  # fmt: skip
        assert done.exit_code == 0, done.output
    for customer, day in (
        ("10000", "2026-02-16"),
        ("10001", "2026-02-16"),
        ("10002", "2026-02-17"),
    ):
        done = run(
            "invoice", "create", "--customer", customer, "--line", "Time;2;1000;25", date=day
        )
        assert done.exit_code == 0, done.output
    assert run("collection", "send", "1", "2", "3", date="2026-03-05").exit_code == 0
    assert run("run", "--to", "2026-03-08", date="2026-03-05").exit_code == 0


def _half_done_days(outbox: Path) -> list[str]:
    """Days with letters in the outbox but no print batch: the window the issue found."""
    return sorted(
        day.name
        for day in (outbox / ORGNR).iterdir()
        if any(day.glob("case-*.pdf")) and not any(day.glob("print-batch*.pdf"))
    ) if (outbox / ORGNR).exists() else []  # fmt: skip


def test_a_run_killed_at_any_commit_is_finished_by_the_next_commands(
    run: Run, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "setup-outbox"))
    _three_cases(run)
    made: list[str] = []

    def copy(name: str) -> str:
        made.append(clone(database_url, name, tmp_path))
        return made[-1]

    try:
        reference = copy("reference")
        done = cli(reference, tmp_path / "reference", *RUN)
        assert done.returncode == 0, done.stderr
        expected = stored(reference), comparable_files(tmp_path / "reference" / "outbox")
        batches = sorted(p for p in expected[1] if "print-batch" in p)
        assert [p.split("/")[1] for p in batches] == ["2026-03-09", "2026-03-10"]

        half_done: list[str] = []
        for side in ("before", "after"):
            for commit in range(1, MOST_COMMITS):
                url, folder = copy(f"{side}_{commit}"), tmp_path / f"{side}-{commit}"
                killed = cli(url, folder, *RUN, env={"FORDRING_KILL_AT": f"{side}:{commit}"})
                if killed.returncode == 0:  # the run made fewer commits: all were tried
                    assert commit > 3, killed.stdout
                    break
                assert killed.returncode == -9, killed.stderr
                window = _half_done_days(folder / "outbox")
                half_done += window
                # The same run again finishes what it began. Caught in the window (the days
                # and their letters committed, a print batch not), `deliveries send` alone
                # finishes it; the run after it then has nothing left to do.
                send = ("--date", "2026-03-10", "deliveries", "send")
                for args in (send, RUN) if window else (RUN,):
                    again = cli(url, folder, *args)
                    assert again.returncode == 0, (side, commit, args, again.stderr)
                assert comparable_files(folder / "outbox") == expected[1], (side, commit)
                assert stored(url) == expected[0], (side, commit)
                drop(url)
        # The kills found the window the issue names: letters sent, the day's batch not made.
        assert half_done
    finally:
        for url in made:
            drop(url)
