"""The delivery chain's own guarantees, on a real database: one document the renderer
cannot lay out fails alone; delivering twice sends nothing twice."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest
from tests import builders

from fordring import bootstrap
from fordring.adapters.paper_outbox import FolderOutbox
from fordring.adapters.peppol.access_point import FolderAccessPoint
from fordring.domain.collection.letters import CollectionList, Letter
from fordring.domain.invoice_document import InvoiceDocument
from fordring.domain.peppol import Receiver, Source
from fordring.services.delivery import deliver_batch, deliver_waiting, waiting_documents
from fordring.services.delivery_channels import DeliveryChannels
from fordring.services.delivery_queue import list_deliveries
from fordring.services.invoice_documents import send_invoices
from fordring.services.ports import DeliveryFailed, Rendered, RenderFailed, UnitOfWorkFactory
from fordring.services.print_batches import make_print_batches

pytestmark = pytest.mark.integration


class Renderer:
    """A stand-in renderer (this test is about the chain, not the PDF) that cannot lay
    out invoice `broken`."""

    def __init__(self, broken: int) -> None:
        self.broken = broken
        self.calls = 0

    def render_invoices(self, documents: Sequence[InvoiceDocument]) -> list[bytes]:
        self.calls += 1
        if any(d.invoice.number == self.broken for d in documents):
            raise RenderFailed(f"invoice {self.broken}: unknown font")
        return [BLANK for _ in documents]

    def rendered_invoices(self, documents: Sequence[InvoiceDocument]) -> list[Rendered]:
        return [Rendered(pdf) for pdf in self.render_invoices(documents)]

    def render_letters(self, letters: Sequence[Letter]) -> list[bytes]:
        return [BLANK for _ in letters]

    def rendered_letters(self, letters: Sequence[Letter]) -> list[Rendered]:
        return [Rendered(pdf) for pdf in self.render_letters(letters)]

    def render_collection_list(self, lst: CollectionList) -> bytes:
        return BLANK


def _blank_pdf() -> bytes:
    """A real one-page PDF: the day's print batch reads what the outbox holds."""
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


BLANK = _blank_pdf()


def _now() -> datetime:
    return datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_document_that_cannot_be_rendered_fails_alone(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    numbers = [builders.invoice(uow_factory, customer).invoice.number for _ in range(3)]
    send_invoices(builders.scope(uow_factory), numbers, uow_factory, builders.PIN_KEY)
    renderer = Renderer(broken=numbers[1])
    channels = DeliveryChannels(renderer, renderer, FolderOutbox(tmp_path))

    report = deliver_waiting(builders.scope(uow_factory), uow_factory, channels, _now)

    assert dict(report.sent) == {"paper": 2} and report.failed == 1
    day = tmp_path / builders.ORGNR / builders.DAY.isoformat()
    assert sorted(p.name for p in day.glob("invoice-*.pdf")) == [
        f"invoice-{numbers[0]}.pdf",
        f"invoice-{numbers[2]}.pdf",
    ]
    (failed,) = list_deliveries(builders.scope(uow_factory), True, 10, uow_factory)
    assert failed.document == f"invoice {numbers[1]}"
    assert [(a.channel, a.outcome) for a in failed.attempts] == [
        ("ehf", "skipped"),  # a consumer
        ("pdf", "failed"),  # then nothing can carry it
    ]
    assert "unknown font" in failed.attempts[-1].detail
    # Delivering again: nothing is waiting, nothing is rendered or put twice.
    calls = renderer.calls
    again = deliver_waiting(builders.scope(uow_factory), uow_factory, channels, _now)
    assert again.total == 0 and renderer.calls == calls


class Lookup:
    """A stand-in Peppol lookup that counts how often it is asked."""

    def __init__(self, answer: bool | None) -> None:
        self.answer, self.asked = answer, 0

    def lookup_document(self, participant: str, document_type: str) -> Receiver:
        self.asked += 1
        if self.answer is None:
            raise DeliveryFailed("peppol", "the SML lookup timed out")
        return Receiver(participant, self.answer, Source.SML, _now(), document_type=document_type)


@pytest.mark.parametrize("answer", [True, None])
def test_the_receiver_is_asked_once_per_batch(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, answer: bool | None
) -> None:
    """Three invoices to one buyer: one lookup, whether it answers or times out (a timeout
    is not waited for three times; each invoice then goes on paper)."""
    builders.company(uow_factory)
    customer = builders.business(uow_factory)
    numbers = [builders.invoice(uow_factory, customer).invoice.number for _ in range(3)]
    send_invoices(builders.scope(uow_factory), numbers, uow_factory, builders.PIN_KEY)
    renderer, lookup = Renderer(broken=0), Lookup(answer)
    channels = DeliveryChannels(
        renderer,
        renderer,
        FolderOutbox(tmp_path / "paper"),
        ehf=bootstrap.ehf_writer(),
        receivers=lookup,
        access_point=FolderAccessPoint(tmp_path / "ap"),
    )
    report = deliver_waiting(builders.scope(uow_factory), uow_factory, channels, _now)
    assert lookup.asked == 1
    assert dict(report.sent) == ({"ehf": 3} if answer else {"paper": 3})


def test_a_batch_at_a_time_then_the_print_batch_as_the_loop_makes_them(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    """`deliver_batch` (what a worker's batch job runs) takes the first waiting documents,
    commits them and makes no print batch; the batches together, then
    `make_print_batches`, leave what one `deliver_waiting` leaves."""
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    numbers = [builders.invoice(uow_factory, customer).invoice.number for _ in range(5)]
    send_invoices(builders.scope(uow_factory), numbers, uow_factory, builders.PIN_KEY)
    renderer = Renderer(broken=0)
    channels = DeliveryChannels(renderer, renderer, FolderOutbox(tmp_path))
    scope = builders.scope(uow_factory)
    assert waiting_documents(scope, uow_factory) == 5

    taken = [deliver_batch(scope, uow_factory, channels, _now, batch=2).total for _ in range(4)]

    assert taken == [2, 2, 1, 0]
    assert waiting_documents(scope, uow_factory) == 0
    day = tmp_path / builders.ORGNR / builders.DAY.isoformat()
    assert len(list(day.glob("invoice-*.pdf"))) == 5
    assert not list(day.glob("print-batch-*"))  # the join's, after every batch
    (made,) = make_print_batches(scope, uow_factory, channels.outbox)
    assert Path(made).name == f"print-batch-{builders.ORGNR}-1.pdf"
    assert deliver_waiting(scope, uow_factory, channels, _now).print_batches == []
