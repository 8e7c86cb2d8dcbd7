"""The day's print batches (issue 14): a customer's document sent on paper goes in the post
of a day (`domain.delivery.post_day`) and is joined, with the others of that day sent
since the last batch, into the next print batch of the day.

Each batch is made and recorded per document in its own transaction, after the delivery
that sent its documents committed: a crash between the two leaves documents sent and in
no batch, and the next delivery (`deliveries send`, `run`, `invoice send`) makes their
batch first thing after its own sending, exactly as it would have been. A batch, once
recorded, is never made again: a document sent later goes into a new batch. A batch the
outbox cannot make (a document missing or broken, a link where the batch goes) is
`Unfinished`: its documents are sent and stay in no batch until the next delivery makes it.
"""

from __future__ import annotations

from fordring.domain.errors import Unfinished
from fordring.services.ports import DeliveryFailed, PaperOutbox, PrintBatch, UnitOfWorkFactory
from fordring.services.scope import Scope


def make_print_batches(
    scope: Scope, uow_factory: UnitOfWorkFactory, outbox: PaperOutbox
) -> list[str]:
    """Join every paper document of the company that is in no print batch into a new batch
    of its day, a day at a time; where each batch is, in order of day."""
    made: list[str] = []
    while True:
        with uow_factory(scope) as uow:
            day = uow.deliveries.unbatched_day()
            if day is None:
                return made
            documents = uow.deliveries.unbatched(day)
            if not documents:  # another deliverer batched them while this one waited
                continue
            number = uow.deliveries.last_print_batch(day) + 1
            orgnr = uow.company.current().orgnr
            batch = PrintBatch(day, orgnr, number, tuple(d.name for d in documents))
            try:
                where = outbox.print_batch(batch)
            except DeliveryFailed as error:
                raise Unfinished(
                    f"print batch {number} of {day} was not made ({error.reason}); its "
                    "documents are sent and wait for it: the next delivery "
                    "(deliveries send, run) makes it"
                ) from error
            uow.deliveries.into_print_batch([d.dispatch_id for d in documents], number)
            uow.commit()
        made.append(where)
