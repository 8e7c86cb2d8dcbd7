"""The delivery chain end to end through the command line: a real local SMTP server, a
real local Peppol SML (DNS) and SMP (HTTP), an access-point folder, the paper outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from tests.builders import ORGNR, cli_company
from tests.conftest import Run
from tests.smtp_server import REFUSED, Mailbox, smtp_server
from tests.unit.adapters.peppol.servers import local_peppol

pytestmark = pytest.mark.e2e

EHF_BUYER = "123456785"  # registered in the SML, its SMP takes invoices
NO_EHF_BUYER = "974760673"  # registered in the SML, its SMP does not take invoices
DAY = "2026-03-02"


class Wired:
    def __init__(self, run: Run, root: Path, mailbox: Mailbox) -> None:
        self.run, self.root, self.mailbox = run, root, mailbox

    def json(self, *args: str) -> Any:
        done = self.run(*args, date=DAY)
        assert done.exit_code == 0, done.output
        return json.loads(done.output)


@pytest.fixture
def wired(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Wired]:
    peppol = {f"0192:{EHF_BUYER}": True, f"0192:{NO_EHF_BUYER}": False}
    with smtp_server() as (mailbox, port), local_peppol(peppol) as (zone, nameserver, _):
        monkeypatch.setenv("FORDRING_SMTP_URL", f"smtp://127.0.0.1:{port}?from=faktura@test.no")
        monkeypatch.setenv("FORDRING_ACCESS_POINT", str(tmp_path / "ap"))
        monkeypatch.setenv("FORDRING_PEPPOL_ZONE", zone)
        monkeypatch.setenv("FORDRING_PEPPOL_DNS", nameserver)
        monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "outbox"))
        monkeypatch.delenv("FORDRING_PEPPOL_LIST", raising=False)
        cli_company(run)
        yield Wired(run, tmp_path, mailbox)


def _customer(w: Wired, name: str, *options: str) -> int:
    return int(w.json("customer", "add", "--name", name, *options)["number"])


def _invoice(w: Wired, customer: int) -> int:
    made = w.json("invoice", "create", "--customer", str(customer), "--line", "Timer;2;1000;25")
    return int(made["number"])


ADDRESS = ("--address", "Vei 2", "--postcode", "5003", "--city", "Bergen")


def test_each_invoice_goes_by_the_first_channel_that_takes_it(wired: Wired) -> None:
    ehf = _customer(
        wired, "Peppol AS", "--orgnr", EHF_BUYER, "--email", "a@kunde.example", *ADDRESS
    )
    mail = _customer(wired, "Epost AS", "--orgnr", NO_EHF_BUYER, "--email", "b@kunde.example")
    paper = _customer(wired, "Kari Nordmann", "--consumer", "--email", REFUSED, *ADDRESS)
    nowhere = _customer(wired, "Ola Uten Adresse", "--consumer")
    numbers = [_invoice(wired, c) for c in (ehf, mail, paper, nowhere)]

    report = wired.json("invoice", "send", *map(str, numbers))

    assert report["sent"] == {"ehf": 1, "email": 1, "paper": 1}
    assert report["failed"] == 1
    # EHF: the UBL and its routing in the access point's folder, nowhere else.
    handed = sorted(p.name for p in (wired.root / "ap").iterdir())
    assert handed == [f"923609016-invoice-{numbers[0]}.json", f"923609016-invoice-{numbers[0]}.xml"]
    ubl = (wired.root / "ap" / handed[1]).read_text(encoding="utf-8")
    assert "<cbc:PaymentID>" in ubl and f"<cbc:ID>{numbers[0]}</cbc:ID>" in ubl
    # E-mail: one message, to the buyer whose SMP said no, with the invoice PDF.
    (message,) = wired.mailbox.messages
    assert message["To"] == "b@kunde.example"
    assert str(numbers[1]) in message["Subject"]
    (attachment,) = [p for p in message.walk() if p.get_filename()]
    pdf = attachment.get_payload(decode=True)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    # Paper: the refused address fell through to the day's print batch.
    day = wired.root / "outbox" / ORGNR / DAY
    assert (day / f"invoice-{numbers[2]}.pdf").exists()
    batch = pypdf.PdfReader(day / "print-batch-923609016-1.pdf")
    assert "Kari Nordmann" in batch.pages[0].extract_text()
    # Every attempt is logged; the one no channel took is listed as failed.
    listed = {d["document"]: d for d in wired.json("deliveries", "list")}
    kari = listed[f"invoice {numbers[2]}"]
    assert [(a["channel"], a["outcome"]) for a in kari["attempts"]] == [
        ("ehf", "skipped"),
        ("email", "failed"),
        ("paper", "sent"),
    ]
    assert "550" in kari["attempts"][1]["detail"]
    epost = listed[f"invoice {numbers[1]}"]
    assert epost["attempts"][0]["outcome"] == "skipped"
    assert "does not take" in epost["attempts"][0]["detail"]
    failed = wired.json("deliveries", "list", "--failed")
    assert {d["document"] for d in failed} == {
        f"invoice {numbers[2]}",  # its e-mail failed on the way
        f"invoice {numbers[3]}",
    }
    (ola,) = [d for d in failed if d["state"] == "failed"]
    assert "postal address" in ola["attempts"][-1]["detail"]


def test_sending_again_sends_nothing_twice(wired: Wired) -> None:
    mail = _customer(wired, "Epost AS", "--orgnr", NO_EHF_BUYER, "--email", "b@kunde.example")
    number = _invoice(wired, mail)
    first = wired.json("invoice", "send", str(number))
    again = wired.json("invoice", "send", str(number))
    assert first["sent"] == {"email": 1}
    assert again["sent"] == {} and again["failed"] == 0
    assert len(wired.mailbox.messages) == 1


def test_a_failed_delivery_is_retried_after_the_address_is_fixed(wired: Wired) -> None:
    nowhere = _customer(wired, "Ola Uten Adresse", "--consumer")
    number = _invoice(wired, nowhere)
    assert wired.json("invoice", "send", str(number))["failed"] == 1
    (failed,) = wired.json("deliveries", "list", "--failed")
    refused = wired.run("deliveries", "retry", "999", date=DAY)
    assert refused.exit_code == 2 and "999" in refused.output
    again = wired.json("deliveries", "retry", str(failed["id"]))
    assert again["failed"] == 1  # the address is still missing: failed again, logged again


def test_the_lookup_answers_from_the_sml_and_then_the_cache(wired: Wired) -> None:
    asked = wired.json("peppol", "lookup", EHF_BUYER)
    assert asked["can_receive"] is True and asked["source"] == "sml"
    assert wired.json("peppol", "lookup", f"0192:{EHF_BUYER}")["source"] == "cache"
    assert wired.json("peppol", "lookup", EHF_BUYER, "--fresh")["source"] == "sml"
    no = wired.json("peppol", "lookup", NO_EHF_BUYER)
    assert no["can_receive"] is False and "does not take" in no["reason"]
    bad = wired.run("peppol", "lookup", "123456789", date=DAY)
    assert bad.exit_code == 2 and "participant" in bad.output


def test_invoice_pdf_and_ehf_files(wired: Wired) -> None:
    buyer = _customer(wired, "Peppol AS", "--orgnr", EHF_BUYER, *ADDRESS)
    number = _invoice(wired, buyer)
    pdf = wired.root / "f.pdf"
    xml = wired.root / "f.xml"
    wired.json("invoice", "pdf", str(number), "-o", str(pdf))
    wired.json("invoice", "ehf", str(number), "-o", str(xml))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "2\xa0500,00" in text  # 2 × 1000 + 25 % VAT (a no-break space between thousands)
    assert xml.read_bytes().startswith(b"<?xml")
    missing = wired.run("invoice", "pdf", "999", date=DAY)
    assert missing.exit_code == 2 and "invoice" in missing.output


def test_an_output_file_is_never_overwritten_without_force_nor_written_through_a_link(
    wired: Wired,
) -> None:
    """`-o FILE` (issue 14, 8): an existing file needs --force, a folder or a missing folder
    is refused naming the option, and a link given is replaced, never written through."""
    number = str(_invoice(wired, _customer(wired, "Peppol AS", "--orgnr", EHF_BUYER, *ADDRESS)))
    mine = wired.root / "mine.pdf"
    mine.write_bytes(b"mine")
    for args, says in (
        (("-o", str(mine)), "mine.pdf exists; add --force to replace it"),
        (("-o", str(wired.root)), "is a folder; give a file name"),
        (("-o", str(wired.root / "nowhere" / "f.pdf")), "nowhere does not exist"),
    ):
        for command in ("pdf", "ehf"):
            refused = wired.run("invoice", command, number, *args, date=DAY)
            assert refused.exit_code == 2, refused.output
            assert "error: output: " in refused.output and says in refused.output
    assert mine.read_bytes() == b"mine"
    wired.json("invoice", "pdf", number, "-o", str(mine), "--force")
    assert mine.read_bytes().startswith(b"%PDF-")
    victim = wired.root / "victim.txt"
    victim.write_text("keep me\n")
    link = wired.root / "link.xml"
    link.symlink_to(victim)
    assert wired.run("invoice", "ehf", number, "-o", str(link), date=DAY).exit_code == 2
    wired.json("invoice", "ehf", number, "-o", str(link), "--force")
    assert victim.read_text() == "keep me\n"
    assert not link.is_symlink() and link.read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize(
    ("reliable", "notice_by"), [((), "paper"), (("--email-reliable",), "email")]
)
def test_a_notice_goes_by_email_only_to_a_reliable_address(
    wired: Wired, reliable: tuple[str, ...], notice_by: str
) -> None:
    home = ("--address", "Vei 3", "--postcode", "0565", "--city", "Oslo")
    email = ("--email", "kari@kunde.example", *reliable)
    customer = _customer(wired, "Kari Nordmann", "--consumer", *home, *email)
    run = wired.run
    made = run(
        "invoice",
        "create",
        "--customer",
        str(customer),
        "--line",
        "Time;2;1000;25",
        date="2026-02-16",
    )
    assert made.exit_code == 0, made.output
    run("collection", "send", "1", date="2026-03-05")
    ran = run("run", "--to", "2026-03-31", date="2026-03-05")
    assert ran.exit_code == 0, ran.output
    by = {d["kind"]: d["channel"] for d in wired.json("deliveries", "list")}
    assert by == {"reminder": "email", "collection_notice": notice_by}
    subjects = [m["Subject"] for m in wired.mailbox.messages]
    assert "Betalingspåminnelse fra Test AS" in subjects
    assert ("Inkassovarsel fra Test AS" in subjects) is (notice_by == "email")
    paper = sorted(p.name for p in (wired.root / "outbox").rglob("case-*.pdf"))
    assert paper == (["case-1-collection_notice.pdf"] if notice_by == "paper" else [])


def test_a_credit_note_goes_by_ehf_when_the_buyer_takes_credit_notes(wired: Wired) -> None:
    buyer = _customer(wired, "Peppol AS", "--orgnr", EHF_BUYER, *ADDRESS)
    number = _invoice(wired, buyer)
    credit = int(wired.json("invoice", "credit", str(number))["number"])
    report = wired.json("invoice", "send", str(number), str(credit))
    assert report["sent"] == {"ehf": 2}
    routing = json.loads(
        (wired.root / "ap" / f"923609016-credit-note-{credit}.json").read_text(encoding="utf-8")
    )
    assert "CreditNote-2::CreditNote" in routing["document_type"]
    ubl = (wired.root / "ap" / f"923609016-credit-note-{credit}.xml").read_text(encoding="utf-8")
    assert "<CreditNote" in ubl and "<cac:BillingReference>" in ubl
    asked = wired.json("peppol", "lookup", EHF_BUYER, "--credit-note")
    assert asked["can_receive"] is True and "CreditNote" in asked["document_type"]


def test_invoice_create_with_send_delivers_it_at_once(wired: Wired) -> None:
    buyer = _customer(wired, "Epost AS", "--orgnr", NO_EHF_BUYER, "--email", "b@kunde.example")
    made = wired.json(
        "invoice", "create", "--customer", str(buyer), "--line", "Timer;1;900;25", "--send"
    )
    assert made["delivery"]["sent"] == {"email": 1}
    (message,) = wired.mailbox.messages
    assert f"Faktura {made['number']} fra Test AS" == message["Subject"]
    assert wired.json("invoice", "send", str(made["number"]))["sent"] == {}  # not twice


def test_a_linked_day_folder_in_the_outbox_fails_the_letter_until_it_is_fixed(
    wired: Wired,
) -> None:
    """Someone who can write in the outbox plants the day's folder as a link elsewhere:
    the invoice is not written there; it fails with the reason, and a retry after the
    link is gone puts it in the real day folder (issue 14, 8)."""
    elsewhere = wired.root / "elsewhere"
    elsewhere.mkdir()
    (wired.root / "outbox" / ORGNR).mkdir(parents=True)
    (wired.root / "outbox" / ORGNR / DAY).symlink_to(elsewhere, target_is_directory=True)
    number = _invoice(wired, _customer(wired, "Kari Nordmann", "--consumer", *ADDRESS))
    report = wired.json("invoice", "send", str(number))
    assert report["sent"] == {} and report["failed"] == 1
    (failed,) = wired.json("deliveries", "list", "--failed")
    assert failed["attempts"][-1]["channel"] == "paper"
    assert "is a symbolic link, not a folder" in failed["attempts"][-1]["detail"]
    assert list(elsewhere.iterdir()) == []
    (wired.root / "outbox" / ORGNR / DAY).unlink()
    assert wired.json("deliveries", "retry", str(failed["id"]))["sent"] == {"paper": 1}
    assert (wired.root / "outbox" / ORGNR / DAY / f"invoice-{number}.pdf").is_file()


def test_a_print_batch_that_cannot_be_made_after_the_commit_is_a_clear_exit_1(
    wired: Wired,
) -> None:
    """The invoice is put on paper and committed; its print batch's file is a planted link,
    so the batch cannot be made: one line saying what is left and what finishes it, exit 1,
    no traceback (issue 14, 7). The next delivery, after the link is gone, makes the batch."""
    day = wired.root / "outbox" / ORGNR / DAY
    day.mkdir(parents=True)
    batch = day / "print-batch-923609016-1.pdf"
    batch.symlink_to(wired.root / "elsewhere.pdf")
    number = _invoice(wired, _customer(wired, "Kari Nordmann", "--consumer", *ADDRESS))
    done = wired.run("invoice", "send", str(number), date=DAY, json=False)
    assert done.exit_code == 1
    (line,) = done.output.splitlines()
    assert line.startswith(f"error: print batch 1 of {DAY} was not made (")
    assert "symbolic link" in line and "the next delivery" in line
    assert "Traceback" not in done.output and "unexpectedly" not in done.output
    assert not (wired.root / "elsewhere.pdf").exists()
    (sent,) = wired.json("deliveries", "list")
    assert (sent["state"], sent["post_day"], sent["print_batch"]) == ("sent", DAY, None)
    human = wired.run("deliveries", "list", date=DAY, json=False).output
    assert f"{DAY} (none yet)" in human
    batch.unlink()
    assert wired.json("deliveries", "send")["print_batches"] == [str(batch)]
    (sent,) = wired.json("deliveries", "list")
    assert (sent["post_day"], sent["print_batch"]) == (DAY, 1)
