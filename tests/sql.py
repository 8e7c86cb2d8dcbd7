"""The SQLAlchemy connection under a unit of work, for tests that read or write rows directly."""

from __future__ import annotations

from sqlalchemy import Connection

from fordring.adapters.db.unit_of_work import SqlGlobalUnitOfWork, SqlUnitOfWork
from fordring.services.ports import GlobalUnitOfWork, UnitOfWork


def connection(uow: UnitOfWork | GlobalUnitOfWork) -> Connection:
    """The connection `uow` works in (the ports do not show it: only the SQL ones have one)."""
    assert isinstance(uow, SqlUnitOfWork | SqlGlobalUnitOfWork), type(uow)
    return uow.connection
