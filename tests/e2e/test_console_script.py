"""The installed `fordring` command, run as a newcomer would: a real process."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from tests.api_server import free_port
from tests.debtor_pages import csrf_of
from tests.processes import wait_for

pytestmark = pytest.mark.e2e


def _fordring() -> list[str]:
    found = shutil.which("fordring", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "fordring"]


def test_demo_builds_a_balanced_ledger_from_nothing(tmp_path: Path) -> None:
    # as a newcomer runs it: none of the tests' settings (the debtor's PIN key among them)
    newcomer = {k: v for k, v in os.environ.items() if not k.startswith("FORDRING_")}
    done = subprocess.run(
        [*_fordring(), "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=newcomer,
    )
    assert done.returncode == 0, done.stderr
    assert "20 customers, 100 invoices, 8 credit notes" in done.stdout
    assert "(balanced)" in done.stdout
    assert "Collection 2026-04-01 to 2026-06-30, day by day" in done.stdout
    for step in ("send_notice", "hand_over", "heavy_salaer", "send_interest_note"):
        assert step in done.stdout
    for account in ("3900", "2910", "8055"):  # notice fees, salær, interest: booked
        assert account in done.stdout
    delivered = tmp_path / "fordring-demo-delivery"
    letters = list((delivered / "paper").rglob("case-*.pdf"))
    assert letters and all(p.read_bytes().startswith(b"%PDF-") for p in letters)
    assert list((delivered / "paper").rglob("print-batch-*-1.pdf"))
    assert list((delivered / "paper").rglob("collection-list.pdf"))  # the run's, kept
    assert list((delivered / "ehf").glob("*-invoice-*.xml"))  # the EHF customers' rent and fee
    assert list((delivered / "email").glob("*.eml"))
    assert "Recurring invoices: 4 agreements issued 10 invoices" in done.stdout
    assert (tmp_path / "fordring-demo.db").exists()
    check = subprocess.run(
        [*_fordring(), "--db", "sqlite:///fordring-demo.db", "ledger", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0 and "Ledger OK" in check.stdout
    # the portal's demo user, and how to sign in with it (docs/portal.md)
    assert "sign in with organisation number 923609016, e-mail demo@fordring.example, " in (
        done.stdout
    )
    users = subprocess.run(
        [*_fordring(), "--db", "sqlite:///fordring-demo.db", "--json", "user", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert '"email": "demo@fordring.example"' in users.stdout
    assert '"role": "administrator"' in users.stdout
    # the debtor's page: the code and PIN the demo printed sign in on the `serve` it names
    shown = re.search(r"access code (\w+) and PIN (\d+): case (\d+)", done.stdout)
    assert shown is not None, done.stdout
    code, pin, case = shown.groups()
    port = free_port()
    serve = subprocess.Popen(
        [*_fordring(), "--db", "sqlite:///fordring-demo.db", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=newcomer | {"FORDRING_API_KEY_SECRET": "demo-secret-not-for-production"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            assert wait_for(lambda: _answers(client), 30)
            form = client.get("/d/sign-in")
            data = {"code": code, "pin": pin, "csrf_token": csrf_of(form)}
            signed_in = client.post("/d/sign-in", data=data)
            assert signed_in.status_code == 303 and signed_in.headers["location"] == "/d/"
            page = client.get("/d/")
            assert page.status_code == 200 and case in page.text, page.text
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)


def _answers(client: httpx.Client) -> bool:
    try:
        return client.get("/d/sign-in").status_code == 200
    except httpx.TransportError:
        return False


def test_invalid_input_exits_2_with_the_field_on_stderr(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'f.db'}"
    subprocess.run([*_fordring(), "--db", db, "init"], check=True, capture_output=True)
    done = subprocess.run(
        [
            *_fordring(),
            "--db",
            db,
            "company",
            "add",
            "--orgnr",
            "123",
            "--name",
            "X",
            "--account",
            "86011117947",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "orgnr:" in done.stderr and done.stdout == ""
