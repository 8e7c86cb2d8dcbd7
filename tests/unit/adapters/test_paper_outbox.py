"""The paper outbox: one folder per company and day, a manifest for the printer, and the
day's print batches for a duplex printer."""

import csv
import dataclasses
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from fordring.adapters.paper_outbox import FolderOutbox
from fordring.adapters.pdf.invoice_pdf import render_invoices
from fordring.domain.company import Company
from fordring.domain.customers import Customer, CustomerKind
from fordring.domain.invoice_document import InvoiceDocument
from fordring.domain.invoices import Invoice, InvoiceKind, line
from fordring.services.ports import (
    Compiled,
    DeliveryFailed,
    PaperDocument,
    PaperOutbox,
    PrintBatch,
)

ORGNR = "923609016"
DOC = PaperDocument(
    date(2026, 3, 3),
    "case-1-collection_notice",
    b"%PDF-1",
    "Kari Nordmann",
    "Vei 3, 0565 Oslo",
    ORGNR,
)


def test_a_letter_lands_in_the_day_folder_with_a_manifest_line(tmp_path: Path) -> None:
    where = FolderOutbox(tmp_path).put(DOC)
    assert Path(where).read_bytes() == b"%PDF-1"
    manifest = (tmp_path / ORGNR / "2026-03-03" / "manifest.csv").read_text(encoding="utf-8")
    assert manifest.splitlines() == [
        "file;recipient;address",
        "case-1-collection_notice.pdf;Kari Nordmann;Vei 3, 0565 Oslo",
    ]


def test_putting_the_same_letter_twice_changes_nothing(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    outbox.put(DOC)
    outbox.put(DOC)
    manifest = (tmp_path / ORGNR / "2026-03-03" / "manifest.csv").read_text(encoding="utf-8")
    assert len(manifest.splitlines()) == 2
    names = sorted(p.name for p in (tmp_path / ORGNR / "2026-03-03").iterdir())
    assert names == ["case-1-collection_notice.pdf", "manifest.csv"]  # no half-written parts


def test_a_letter_put_again_after_a_crash_before_its_manifest_line_is_listed(
    tmp_path: Path,
) -> None:
    """A kill between the renamed file and the manifest line: the next put lists it."""
    outbox = FolderOutbox(tmp_path)
    outbox.put(DOC)
    manifest = tmp_path / ORGNR / "2026-03-03" / "manifest.csv"
    manifest.write_text("file;recipient;address\n", encoding="utf-8")  # the line never written
    outbox.put(DOC)
    assert manifest.read_text(encoding="utf-8").splitlines()[1:] == [
        "case-1-collection_notice.pdf;Kari Nordmann;Vei 3, 0565 Oslo"
    ]


def test_a_new_version_replaces_the_file_without_a_second_manifest_line(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    outbox.put(DOC)
    where = outbox.put(
        PaperDocument(DOC.day, DOC.name, b"%PDF-2", DOC.recipient, DOC.address, ORGNR)
    )
    assert Path(where).read_bytes() == b"%PDF-2"
    manifest = (tmp_path / ORGNR / "2026-03-03" / "manifest.csv").read_text(encoding="utf-8")
    assert len(manifest.splitlines()) == 2


# The day's print batch: real PDFs, made with pikepdf, each page marked with its document.
A4 = (595.0, 842.0)
A5 = (420.0, 595.0)


def a_pdf(name: str, pages: int, size: tuple[float, float] = A4) -> bytes:
    with pikepdf.new() as pdf:
        for n in range(pages):
            page = pdf.add_blank_page(page_size=size)
            page.obj.FordringTest = pikepdf.String(f"{name}-{n + 1}")
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def a_document(name: str, pages: int, size: tuple[float, float] = A4) -> PaperDocument:
    return PaperDocument(
        date(2026, 3, 3),
        name,
        a_pdf(name, pages, size),
        f"Mottaker {name}",
        "Vei 3, 0565 Oslo",
        ORGNR,
    )


def marks_and_sizes(path: str) -> list[tuple[str, tuple[float, float]]]:
    """Each page of the batch: which document's page it is ('' for a blank one) and its size."""
    with pikepdf.open(path) as pdf:
        return [
            (
                str(page.obj.get("/FordringTest", "")),
                (float(page.mediabox[2]), float(page.mediabox[3])),
            )
            for page in pdf.pages
        ]


def batch(*names: str, number: int = 1) -> PrintBatch:
    """Batch `number` of 2026-03-03 of the company 923609016."""
    return PrintBatch(date(2026, 3, 3), "923609016", number, names)


def print_manifest(tmp_path: Path, number: int = 1) -> list[str]:
    name = f"print-manifest-923609016-{number}.csv"
    return (tmp_path / ORGNR / "2026-03-03" / name).read_text(encoding="utf-8").splitlines()


def test_the_print_batch_joins_the_days_documents_in_order_each_on_a_new_sheet(
    tmp_path: Path,
) -> None:
    outbox = FolderOutbox(tmp_path)
    for document in (a_document("b", 1), a_document("a", 2), a_document("c", 3)):
        outbox.put(document)
    where = outbox.print_batch(batch("b", "a", "c"))
    assert where == str(tmp_path / ORGNR / "2026-03-03" / "print-batch-923609016-1.pdf")
    assert [mark for mark, _ in marks_and_sizes(where)] == [
        "b-1", "",  # one page: a blank back, so the next starts on a new sheet
        "a-1", "a-2",
        "c-1", "c-2", "c-3", "",
    ]  # fmt: skip
    assert print_manifest(tmp_path) == [
        "file;recipient;address;first_page;last_page;sheets",
        "b.pdf;Mottaker b;Vei 3, 0565 Oslo;1;1;1",
        "a.pdf;Mottaker a;Vei 3, 0565 Oslo;3;4;1",
        "c.pdf;Mottaker c;Vei 3, 0565 Oslo;5;7;2",
    ]


def test_a_blank_back_has_the_size_of_the_documents_pages(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    outbox.put(a_document("small", 1, A5))
    outbox.put(a_document("large", 1, A4))
    where = outbox.print_batch(batch("small", "large"))
    assert [size for _, size in marks_and_sizes(where)] == [A5, A5, A4, A4]


def test_the_print_batch_asks_the_printer_for_duplex(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    outbox.put(a_document("a", 1))
    where = outbox.print_batch(batch("a"))
    with pikepdf.open(where) as pdf:
        assert pdf.Root.ViewerPreferences.Duplex == pikepdf.Name.DuplexFlipLongEdge


def test_making_a_batch_again_changes_nothing(tmp_path: Path) -> None:
    """What happens when a crash came after the batch was written, before it was recorded."""
    outbox = FolderOutbox(tmp_path)
    outbox.put(a_document("a", 1))
    outbox.put(a_document("b", 2))
    where = outbox.print_batch(batch("a", "b"))
    made, manifest = Path(where), tmp_path / ORGNR / "2026-03-03" / "print-manifest-923609016-1.csv"
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in (made, manifest)]
    assert outbox.print_batch(batch("a", "b")) == where
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in (made, manifest)] == before
    # Built from scratch elsewhere, the same documents give the same bytes.
    other = FolderOutbox(tmp_path / "other")
    other.put(a_document("a", 1))
    other.put(a_document("b", 2))
    assert Path(other.print_batch(batch("a", "b"))).read_bytes() == before[0][0]


def test_a_second_batch_of_the_day_holds_only_its_own_and_leaves_the_first_alone(
    tmp_path: Path,
) -> None:
    outbox = FolderOutbox(tmp_path)
    outbox.put(a_document("a", 1))
    first = Path(outbox.print_batch(batch("a")))
    printed = first.read_bytes()
    outbox.put(a_document("b", 1))
    second = outbox.print_batch(batch("b", number=2))
    assert second == str(tmp_path / ORGNR / "2026-03-03" / "print-batch-923609016-2.pdf")
    assert [mark for mark, _ in marks_and_sizes(second)] == ["b-1", ""]
    assert print_manifest(tmp_path, 2)[1:] == ["b.pdf;Mottaker b;Vei 3, 0565 Oslo;1;1;1"]
    assert first.read_bytes() == printed
    names = sorted(p.name for p in (tmp_path / ORGNR / "2026-03-03").iterdir())
    assert names == [
        "a.pdf", "b.pdf", "manifest.csv",
        "print-batch-923609016-1.pdf", "print-batch-923609016-2.pdf",
        "print-manifest-923609016-1.csv", "print-manifest-923609016-2.csv",
    ]  # fmt: skip


def test_two_companies_sharing_the_outbox_keep_their_documents_of_the_same_name_apart(
    tmp_path: Path,
) -> None:
    """Both companies number their invoices and cases from 1: each has its own folder, its
    own manifest and its own batch, and neither's letter is printed in the other's."""
    outbox = FolderOutbox(tmp_path)
    theirs = dataclasses.replace(a_document("b", 1), name="a", company="988077917")
    outbox.put(a_document("a", 1))
    outbox.put(theirs)
    ours = outbox.print_batch(batch("a"))
    their_batch = outbox.print_batch(PrintBatch(date(2026, 3, 3), "988077917", 1, ("a",)))
    assert ours == str(tmp_path / ORGNR / "2026-03-03" / "print-batch-923609016-1.pdf")
    assert their_batch == str(tmp_path / "988077917" / "2026-03-03" / "print-batch-988077917-1.pdf")
    assert [mark for mark, _ in marks_and_sizes(ours)] == ["a-1", ""]
    assert [mark for mark, _ in marks_and_sizes(their_batch)] == ["b-1", ""]
    for company, recipient in ((ORGNR, "Mottaker a"), ("988077917", "Mottaker b")):
        manifest = (tmp_path / company / "2026-03-03" / "manifest.csv").read_text("utf-8")
        assert manifest.splitlines()[1:] == [f"a.pdf;{recipient};Vei 3, 0565 Oslo"]


def test_a_document_not_put_on_the_day_is_named(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    outbox.put(a_document("a", 1))
    with pytest.raises(DeliveryFailed, match=r"b\.pdf is not in the manifest of 2026-03-03"):
        outbox.print_batch(batch("a", "b"))


def test_the_print_manifest_is_utf8_with_the_recipients_name_as_given(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    document = a_document("case-1-collection_notice", 1)
    outbox.put(PaperDocument(document.day, document.name, document.pdf, "Ærlige Åse Øvrebø",
                             "Bjørnstjerne Bjørnsons gate 7 B; 3044 Drammen", ORGNR))  # fmt: skip
    outbox.print_batch(batch("case-1-collection_notice"))
    made = tmp_path / ORGNR / "2026-03-03" / "print-manifest-923609016-1.csv"
    assert "Ærlige Åse Øvrebø".encode() in made.read_bytes()
    with made.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[1][2] == "Bjørnstjerne Bjørnsons gate 7 B; 3044 Drammen"  # quoted, not split


def test_a_listed_document_that_is_not_a_pdf_is_named(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    outbox.put(a_document("a", 1))
    outbox.put(DOC)  # b"%PDF-1": no PDF a printer could print
    with pytest.raises(
        DeliveryFailed, match=r"case-1-collection_notice\.pdf is not a readable PDF"
    ):
        outbox.print_batch(batch("a", "case-1-collection_notice"))


def an_invoice_document(number: int) -> InvoiceDocument:
    seller = Company(1, "923456783", "Fjordkraft Rørlegger AS", "86011117947")
    buyer = Customer(7, 10042, CustomerKind.CONSUMER, "Kari Nordmann")
    lines = (line("Rørleggerarbeid", Decimal(1), Decimal(950), Decimal(25)),)
    issued = date(2026, 3, 2)
    invoice = Invoice(number, InvoiceKind.INVOICE, 7, issued, issued, lines, "0000100127")
    return InvoiceDocument(invoice, seller, buyer)


def test_rendered_invoices_keep_their_text_in_the_print_batch(tmp_path: Path) -> None:
    work = [an_invoice_document(n) for n in (3001, 3002)]
    outbox = FolderOutbox(tmp_path)
    for document, pdf in zip(work, render_invoices(work, workers=1), strict=True):
        outbox.put(PaperDocument(DOC.day, document.name, pdf, document.buyer.name, "Oslo", ORGNR))
    where = outbox.print_batch(batch(*(d.name for d in work)))
    pages = PdfReader(where).pages
    assert len(pages) == 4
    assert "Faktura 3001" in pages[0].extract_text()
    assert pages[1].extract_text().strip() == ""
    assert "Faktura 3002" in pages[2].extract_text()


def test_the_folder_outbox_is_the_services_paper_outbox(tmp_path: Path) -> None:
    outbox: PaperOutbox = FolderOutbox(tmp_path)
    outbox.put(a_document("a", 1))
    assert outbox.print_batch(batch("a")).endswith("print-batch-923609016-1.pdf")


# --- Nothing through a link (issue 14, 8): whoever can write in the outbox could plant one.


def test_a_planted_manifest_link_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    day = tmp_path / "outbox" / ORGNR / "2026-03-03"
    day.mkdir(parents=True)
    (day / "manifest.csv").symlink_to(victim)
    with pytest.raises(DeliveryFailed, match=r"manifest\.csv is a symbolic link"):
        FolderOutbox(tmp_path / "outbox").put(DOC)
    assert victim.read_text() == "keep me\n"


def test_a_planted_part_link_is_never_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    day = tmp_path / "outbox" / ORGNR / "2026-03-03"
    day.mkdir(parents=True)
    for name in ("case-1-collection_notice.pdf", "manifest.csv", "print-batch.pdf"):
        (day / f".{name}.part").symlink_to(victim)  # the names the outbox used to write
    outbox = FolderOutbox(tmp_path / "outbox")
    where = outbox.put(a_document("case-1-collection_notice", 1))
    outbox.print_batch(batch("case-1-collection_notice"))
    assert victim.read_text() == "keep me\n"
    assert Path(where).read_bytes().startswith(b"%PDF")
    assert not Path(where).is_symlink()


def test_a_linked_day_folder_is_refused_and_nothing_lands_where_it_points(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "outbox" / ORGNR).mkdir(parents=True)
    (tmp_path / "outbox" / ORGNR / "2026-03-03").symlink_to(elsewhere, target_is_directory=True)
    outbox = FolderOutbox(tmp_path / "outbox")
    with pytest.raises(DeliveryFailed, match="2026-03-03 is a symbolic link, not a folder"):
        outbox.put(DOC)
    with pytest.raises(DeliveryFailed, match="symbolic link"):
        outbox.print_batch(batch("case-1-collection_notice"))
    assert list(elsewhere.iterdir()) == []


def test_a_hard_linked_manifest_is_not_appended_to(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    day = tmp_path / "outbox" / ORGNR / "2026-03-03"
    day.mkdir(parents=True)
    (day / "manifest.csv").hardlink_to(victim)
    with pytest.raises(DeliveryFailed, match="hard link"):
        FolderOutbox(tmp_path / "outbox").put(DOC)
    assert victim.read_text() == "keep me\n"


def test_a_linked_pdf_in_the_manifest_is_not_read_into_the_print_batch(tmp_path: Path) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(a_pdf("secret", 1))
    outbox = FolderOutbox(tmp_path / "outbox")
    outbox.put(a_document("a", 1))
    day = tmp_path / "outbox" / ORGNR / "2026-03-03"
    (day / "a.pdf").unlink()
    (day / "a.pdf").symlink_to(secret)
    with pytest.raises(DeliveryFailed, match=r"a\.pdf is a symbolic link"):
        outbox.print_batch(batch("a"))
    assert not (day / "print-batch-923609016-1.pdf").exists()


def test_manifest_cells_a_spreadsheet_would_run_are_written_as_text(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    hostile = PaperDocument(
        DOC.day,
        "case-1-reminder",
        a_pdf("r", 1),
        '=HYPERLINK("http://x","y")',
        "@SUM(A1), -1",
        ORGNR,
    )
    outbox.put(hostile)
    outbox.print_batch(PrintBatch(DOC.day, "923609016", 1, ("case-1-reminder",)))
    for name in ("manifest.csv", "print-manifest-923609016-1.csv"):
        text = (tmp_path / ORGNR / "2026-03-03" / name).read_text(encoding="utf-8")
        (row,) = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
        assert row[1:3] == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1), -1"]


# --- documents cut from a compile: the batch takes their pages from the compile ---------


def compiled_documents(*pages: int, mark: str = "compiled") -> list[PaperDocument]:
    """Documents of `pages` pages each, as the renderer gives them: cut from one compile
    (whose pages say `mark`), each with its own PDF (whose pages say "own")."""
    names = [chr(ord("a") + n) for n in range(len(pages))]
    with pikepdf.new() as whole:
        for name, count in zip(names, pages, strict=True):
            for n in range(count):
                page = whole.add_blank_page(page_size=A4)
                page.obj.FordringTest = pikepdf.String(f"{mark}-{name}-{n + 1}")
        out = io.BytesIO()
        whole.save(out)
    first, documents = 0, []
    for name, count in zip(names, pages, strict=True):
        compiled = Compiled(out.getvalue(), first, first + count - 1)
        own = a_pdf(f"own-{name}", count)
        documents.append(dataclasses.replace(a_document(name, count), pdf=own, compiled=compiled))
        first += count
    return documents


def test_documents_cut_from_a_compile_are_joined_from_its_pages(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    for document in compiled_documents(1, 2, 1):
        outbox.put(document)
    day = tmp_path / ORGNR / "2026-03-03"
    (kept,) = day.glob(".compiled-*.pdf")  # once for its three documents
    assert len((day / ".compiled.csv").read_text().splitlines()) == 3
    where = outbox.print_batch(batch("c", "a", "b"))
    assert [mark for mark, _ in marks_and_sizes(where)] == [
        "compiled-c-1", "", "compiled-a-1", "", "compiled-b-1", "compiled-b-2",
    ]  # fmt: skip
    assert print_manifest(tmp_path)[1:] == [
        "c.pdf;Mottaker c;Vei 3, 0565 Oslo;1;1;1",
        "a.pdf;Mottaker a;Vei 3, 0565 Oslo;3;3;1",
        "b.pdf;Mottaker b;Vei 3, 0565 Oslo;5;6;1",
    ]
    assert outbox.print_batch(batch("c", "a", "b")) == where  # again: nothing changes
    assert kept.exists()


def test_a_document_put_again_with_another_pdf_is_joined_from_its_own(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    a, b = compiled_documents(1, 1)
    outbox.put(a)
    outbox.put(b)
    outbox.put(dataclasses.replace(b, pdf=a_pdf("new-b", 1), compiled=None))
    where = outbox.print_batch(batch("a", "b"))
    assert [mark for mark, _ in marks_and_sizes(where)] == ["compiled-a-1", "", "new-b-1", ""]


@pytest.mark.parametrize("damage", ["missing", "broken"])
def test_without_its_compile_a_document_is_joined_from_its_own_pdf(
    tmp_path: Path, damage: str
) -> None:
    outbox = FolderOutbox(tmp_path)
    for document in compiled_documents(1, 2):
        outbox.put(document)
    (kept,) = (tmp_path / ORGNR / "2026-03-03").glob(".compiled-*.pdf")
    if damage == "missing":
        kept.unlink()
    else:
        kept.write_bytes(b"not a PDF")
    where = outbox.print_batch(batch("a", "b"))
    assert [mark for mark, _ in marks_and_sizes(where)] == ["own-a-1", "", "own-b-1", "own-b-2"]


def test_letters_rendered_together_print_as_their_own_pdfs_do(tmp_path: Path) -> None:
    """Real letters: the batch joined from their compile has each letter's text, in order."""
    from tests.unit.adapters.test_pdf_letters import ALL_KINDS, pages_of, text_of

    from fordring.adapters.pdf.renderer import TypstLetterRenderer

    with TypstLetterRenderer(workers=1, batch=4) as renderer:
        rendered = renderer.rendered_letters(ALL_KINDS)
    assert all(r.compiled is not None for r in rendered)
    outbox = FolderOutbox(tmp_path)
    names = [f"case-{n}" for n in range(len(rendered))]
    for name, one in zip(names, rendered, strict=True):
        outbox.put(dataclasses.replace(a_document(name, 1), pdf=one.pdf, compiled=one.compiled))
    joined = Path(outbox.print_batch(batch(*reversed(names)))).read_bytes()
    printed = [page for page in pages_of(joined) if page]  # without the blank backs
    assert printed == [text_of(one.pdf) for one in reversed(rendered)]


def test_put_all_stores_each_document_as_put_does_and_fails_one_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victim.pdf"
    victim.write_bytes(b"keep")
    day = tmp_path / "outbox" / ORGNR / "2026-03-03"
    day.mkdir(parents=True)
    (day / "b.pdf").symlink_to(victim)  # planted where the second document goes
    other_day = dataclasses.replace(a_document("c", 1), day=date(2026, 3, 4))
    outbox = FolderOutbox(tmp_path / "outbox")
    documents = [a_document("a", 1), a_document("b", 1), other_day]
    a, b, c = outbox.put_all(documents)
    assert a == str(day / "a.pdf") and c == str(
        tmp_path / "outbox" / ORGNR / "2026-03-04" / "c.pdf"
    )
    assert isinstance(b, DeliveryFailed) and "symbolic link" in b.reason
    assert victim.read_bytes() == b"keep"
    assert (day / "manifest.csv").read_text(encoding="utf-8").splitlines() == [
        "file;recipient;address",
        "a.pdf;Mottaker a;Vei 3, 0565 Oslo",
    ]
    # Again (a delivery sent again after a crash): nothing is listed twice.
    (day / "b.pdf").unlink()
    assert outbox.put_all(documents) == [a, str(day / "b.pdf"), c]
    assert (day / "manifest.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "a.pdf;Mottaker a;Vei 3, 0565 Oslo",
        "b.pdf;Mottaker b;Vei 3, 0565 Oslo",
    ]


def test_documents_of_a_compile_put_again_are_indexed_once(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    documents = compiled_documents(1, 1)
    outbox.put_all(documents)
    FolderOutbox(tmp_path).put_all(documents)  # another process, sent again after a crash
    index = tmp_path / ORGNR / "2026-03-03" / ".compiled.csv"
    assert [line.split(";")[0] for line in index.read_text().splitlines()] == ["a.pdf", "b.pdf"]
