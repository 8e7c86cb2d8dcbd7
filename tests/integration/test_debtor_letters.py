"""Letters print the debtor's page: the daily run gives each letter a new code and PIN
(hashes stored; the PIN in clear only until the letter is sent), the PDF sent shows them,
a letter printed again shows the code and a masked PIN, and the printed code and PIN sign
the debtor in."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from tests import builders
from tests.debtor_pages import debtor_client, post_sign_in

from fordring.adapters.db.engine import normalise_url
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration

A = ("--company", builders.ORGNR)
CODE = re.compile(r"tilgangskode ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}) og PIN (\S+)\.")


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def printed(outbox: Path) -> list[tuple[str, str]]:
    """The code and PIN of every letter PDF in the outbox, in the order of their names."""
    found = []
    for pdf in sorted(outbox.rglob("*.pdf")):
        match = CODE.search(pdf_text(pdf))
        if match:
            found.append((match.group(1), match.group(2)))
    return found


def column(database_url: str, sql: str) -> list[Any]:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql)).scalars())
    finally:
        engine.dispose()


@pytest.fixture
def sent(
    uow_factory: UnitOfWorkFactory,
    database_url: str,
    run: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """Company A's case 1 with its collection notice sent on paper (the outbox)."""
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("FORDRING_OUTBOX", str(outbox))
    monkeypatch.setenv("FORDRING_PUBLIC_URL", "https://inkasso.example.no/")
    builders.company(uow_factory)
    builders.cli_case_1(run)
    ran = run(*A, "run", "--to", "2026-04-08", date="2026-03-05")
    assert ran.exit_code == 0, ran.output
    return outbox


def test_a_sent_letter_prints_the_page_a_code_and_a_pin_that_sign_the_debtor_in(
    sent: Path, database_url: str
) -> None:
    codes = printed(sent)
    assert codes, [p.name for p in sent.rglob("*")]
    text_of_first = pdf_text(sorted(sent.rglob("*.pdf"))[0])
    assert "https://inkasso.example.no/d" in text_of_first
    code, pin = codes[-1]
    assert re.fullmatch(r"\d{6}", pin)
    # only hashes stay: no PIN in clear once the letters are sent, none in their content
    letters = len(set(codes))  # each letter's PDF, and the print batch's that holds it
    assert column(database_url, "SELECT pin_to_print FROM debtor_access") == [None] * letters
    contents = column(database_url, "SELECT content FROM case_letter")
    assert not any(pin in c for c in contents)
    assert all(
        code.replace("-", "") not in h
        for h in column(database_url, "SELECT code_hash FROM debtor_access")
    )
    with debtor_client(database_url) as client:
        answer = post_sign_in(client, code, pin)
        assert answer.status_code == 303, answer.text
        page = client.get("/d/")
        assert page.status_code == 200 and "Sak 1" in page.text
