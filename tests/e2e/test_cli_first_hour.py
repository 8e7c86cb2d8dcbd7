"""A newcomer's first hour (issue 15 point 5): `make demo` installs no development tools,
errors under `--json` are JSON on the error stream, a long command draws no progress bar
when nobody watches, and a mistyped SQLite path leaves no empty database behind."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.builders import ACCOUNT, ORGNR
from tests.conftest import Run

from fordring.entrypoints.cli.main import cli

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_make_demo_installs_fordring_without_the_development_tools(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    planned = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "demo", f"VENV={venv}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "pip install --quiet -e .\n" in planned
    assert "[dev]" not in planned
    assert f"{venv}/bin/fordring demo" in planned
    checks = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "check", f"VENV={venv}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "-e '.[dev]'" in checks and "pytest" in checks


def test_errors_under_json_are_json_on_the_error_stream(run: Run) -> None:
    refused = run("company", "add", "--orgnr", "123", "--name", "X", "--account", ACCOUNT)
    assert refused.exit_code == 2 and refused.stdout == ""
    (problem,) = json.loads(refused.stderr)["errors"]
    assert problem["field"] == "orgnr" and problem["code"] and problem["message"]
    run("company", "add", "--orgnr", ORGNR, "--name", "Test AS", "--account", ACCOUNT)
    missing = run("invoice", "show", "424242")
    assert missing.exit_code == 2
    assert json.loads(missing.stderr)["errors"][0]["field"] == "invoice"
    usage = run("invoice", "create", "--line", "x;1;1;0")  # --customer missing
    assert usage.exit_code == 2
    assert json.loads(usage.stderr)["errors"][0] == {
        "field": "customer_number",
        "code": "usage",
        "message": "Missing option '--customer'.",
        "where": None,
    }
    date = run("--date", "2026-13-01", "invoice", "list")
    assert json.loads(date.stderr)["errors"][0]["field"] == "date"


def test_errors_without_json_stay_lines(run: Run) -> None:
    refused = run(
        "company", "add", "--orgnr", "123", "--name", "X", "--account", ACCOUNT, json=False
    )
    assert refused.exit_code == 2 and refused.stderr.startswith("error: orgnr:")


def test_a_run_over_many_days_draws_no_bar_when_not_on_a_terminal(run: Run) -> None:
    run("company", "add", "--orgnr", ORGNR, "--name", "Test AS", "--account", ACCOUNT)
    for as_json in (True, False):
        done = run("run", "--to", "2026-03-20", json=as_json)
        assert done.exit_code == 0, done.output
        assert "[" not in done.stderr and "/" not in done.stderr


@pytest.mark.parametrize("command", [["init"], ["company", "show"], ["invoice", "list"]])
def test_a_mistyped_folder_is_refused_and_makes_nothing(tmp_path: Path, command: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}"
    result = CliRunner().invoke(cli, ["--db", url, *command])
    assert result.exit_code == 2
    assert "db: the folder" in result.stderr and "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_read_command_on_a_new_file_leaves_no_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'typo.db'}"
    result = CliRunner().invoke(cli, ["--db", url, "customer", "list"])
    assert result.exit_code == 1 and "fordring init" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no typo.db, no typo.db-queue
    assert CliRunner().invoke(cli, ["--db", url, "init"]).exit_code == 0
    assert (tmp_path / "typo.db").exists()
