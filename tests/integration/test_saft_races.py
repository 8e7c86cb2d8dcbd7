"""The same SAF-T file imported twice at the same moment books once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests import builders
from tests.races import BACKEND, race

from fordring import bootstrap
from fordring.domain.errors import Conflict
from fordring.domain.saft import SaftRecord
from fordring.services.ledger import check_ledger
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.saft_import import import_saft

pytestmark = pytest.mark.integration
EXAMPLE = Path(__file__).parents[1] / "data" / "saft" / "example_999999999.xml"


def test_the_same_file_at_the_same_moment_is_booked_once(uow_factory: UnitOfWorkFactory) -> None:
    builders.company(uow_factory, orgnr="999999999")
    scope = builders.scope(uow_factory, orgnr="999999999")

    both_read = threading.Barrier(2)

    class ReadTogether:
        """The file, whose reading ends only when the other import has read it too: both
        have looked for an earlier import and found none before either writes."""

        def __init__(self) -> None:
            self.file = bootstrap.saft_file(str(EXAMPLE))
            self.name, self.sha256 = self.file.name, self.file.sha256

        def records(self) -> Iterator[SaftRecord]:
            yield from self.file.records()
            if BACKEND == "postgresql":  # SQLite's one writer: the other has not begun
                both_read.wait(30)

    def importing() -> object:
        return import_saft(ReadTogether(), scope, uow_factory)

    outcome = race(importing, importing)
    booked = [r for r in outcome.results if not getattr(r, "already", True)]
    assert len(booked) == 1
    # The other waited and saw it done (SQLite's one writer), or lost the race (PostgreSQL).
    assert len(outcome.results) + len(outcome.of(Conflict)) == 2, outcome.errors
    # Refused by the file's claim, before a customer was written: the message names it.
    assert all("was imported by someone else" in str(e) for e in outcome.of(Conflict))
    with uow_factory(scope) as uow:
        assert len(uow.invoices.list(open_only=False)) == 1
        assert len(uow.customers.list()) == 1
    assert check_ledger(scope, uow_factory).ok
