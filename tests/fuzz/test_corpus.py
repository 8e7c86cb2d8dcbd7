"""The fuzz corpus (issue 14, tests/fuzz/README.md): every malformed or hostile bank file,
CSV file and command line of tests/fuzz/corpus ends in a refusal that names its field
(exit 2, every table as it was, no traceback, no SQL, no file content) or in a correct
acceptance (exit 0, the ledger still checks). Runs on the backend FORDRING_TEST_DATABASE
selects, so CI runs it on both.

The company is prepared once; refusals all run against one copy of it, whose snapshot is
compared with the prepared one after each case (a refusal that wrote is reported, and the
copy replaced so the next case starts clean); each acceptance runs on a copy of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from fordring.entrypoints.cli.main import cli
from tests.builders import ORGNR, OTHER_ORGNR, cli_case_of_one_invoice
from tests.conftest import copied_database, template_of
from tests.fuzz.make_corpus import CORPUS, DAY, MANIFEST, build
from tests.snapshot import snapshot

pytestmark = pytest.mark.e2e
CASES: list[dict[str, Any]] = json.loads((CORPUS / MANIFEST).read_text(encoding="ascii"))
copy_of = contextmanager(copied_database)
LEAKS = ("Traceback", "[SQL", "[parameters", "SELECT ", "INSERT ", "UPDATE ", "psycopg", "sqlite3")


def invoke(url: str, args: list[str], day: str = DAY) -> Result:
    base = ["--db", url, "--date", day, "--json"]
    return CliRunner().invoke(cli, [*base, *args], catch_exceptions=False)


class Company:
    """The prepared company (a template to copy) and the one copy refusals share."""

    def __init__(self, template: str, folder: Path) -> None:
        self.template, self.folder = template, folder
        self.shared_copy = ExitStack()
        self.shared = self.shared_copy.enter_context(copy_of(template, folder))
        self.before = snapshot(self.shared)

    def replace_shared(self) -> None:
        """A clean copy for the next refusals: this one was written to."""
        self.shared_copy.close()
        self.shared = self.shared_copy.enter_context(copy_of(self.template, self.folder))


@pytest.fixture(scope="module")
def company(database_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Company]:
    folder = tmp_path_factory.mktemp("fuzz")
    with copy_of(database_template, folder) as url:

        def run(*args: str, date: str = DAY) -> Result:
            return invoke(url, list(args), date)

        cli_case_of_one_invoice(run)
        prepared = Company(template_of(url), folder)
        with prepared.shared_copy:
            yield prepared


def test_the_corpus_is_what_the_script_writes() -> None:
    """tests/fuzz/make_corpus.py is the source: regenerate with it, never edit a case."""
    written = {
        path.relative_to(CORPUS).as_posix(): path.read_bytes()
        for path in CORPUS.rglob("*")
        if path.is_file()
    }
    assert written == build()
    assert len(CASES) >= 300


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_a_case_is_refused_naming_its_field_or_accepted(
    company: Company, case: dict[str, Any]
) -> None:
    args = [a.replace("{file}", str(CORPUS / case.get("file", ""))) for a in case["args"]]
    day = case.get("date", DAY)
    if case["expect"] == "accepted" or case.get("setup"):
        with copy_of(company.template, company.folder) as url:  # dropped at once
            for step in case.get("setup", []):
                done = invoke(url, step)
                assert done.exit_code == 0, done.output
            before = snapshot(url) if case["expect"] == "refused" else {}
            result = invoke(url, args, day)
            check = ledger_check(url)
            after = snapshot(url) if case["expect"] == "refused" else {}
    else:
        before = company.before
        result = invoke(company.shared, args, day)
        check = None
        after = snapshot(company.shared)
        if after != before:
            company.replace_shared()
    no_leaks(result.output, case)
    if case["expect"] == "accepted":
        assert result.exit_code == 0, result.output
        assert check is not None and check.exit_code == 0, check and check.output
        return
    if after != before:
        changed = sorted(t for t in after if after[t] != before[t])
        pytest.fail(f"refused, but wrote to {changed}: {result.output}")
    assert result.exit_code == case.get("code", 2), result.output
    assert case["field"] in result.output, result.output


def ledger_check(url: str) -> Result:
    """`ledger check` of every company: Test AS, and the other one a setup may add."""
    result = invoke(url, ["--company", ORGNR, "ledger", "check"])
    other = invoke(url, ["--company", OTHER_ORGNR, "ledger", "check"])
    if other.exit_code != 0 and "no company" not in other.output:
        return other
    return result


def no_leaks(output: str, case: dict[str, Any]) -> None:
    """No traceback, no SQL or its parameters, nothing of the file the case says is secret."""
    for leak in LEAKS:
        assert leak not in output, output
    if case.get("secret"):
        assert case["secret"] not in output, output
