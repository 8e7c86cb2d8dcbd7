"""What issue 19 added to a case lookup, read in the same round trip as the case itself
(collection_case_read.py): the debtor's payment reports, the case's plans with their
instalments, and its objections. Each select names the company and the case's number
(bound as the case's own reads bind them), so a case that is not there, or another
company's, gives no rows; the rows become the records the repositories' own methods make
(`payment_report_of`, `stored_plan`, `objection_record`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer, bindparam, select

from fordring.adapters.db.driver_reads import DriverRead
from fordring.adapters.db.repositories.debtor_contact import payment_report_of
from fordring.adapters.db.repositories.objections import objection_record
from fordring.adapters.db.repositories.payment_plans import stored_plan
from fordring.adapters.db.tables import (
    case_objection,
    collection_case,
    payment_plan,
    payment_plan_instalment,
)
from fordring.adapters.db.tables_debtor_reports import payment_report
from fordring.domain.collection.payment_plan import Instalment
from fordring.domain.collection.payment_reports import PaymentReport
from fordring.services.ports.objections import ObjectionRecord
from fordring.services.ports.payment_plans import StoredPlan

_COMPANY = bindparam("company_id", type_=Integer)
_NUMBER = bindparam("number", type_=BigInteger)  # the column's: the API takes up to 2**63-1


def _of_the_case(table: Any) -> Any:
    """The rows of `table` that belong to the company's case numbered as bound."""
    return (
        (collection_case.c.company_id == _COMPANY)
        & (collection_case.c.number == _NUMBER)
        & (table.c.company_id == _COMPANY)
    )


_R, _P, _I, _O = payment_report.c, payment_plan.c, payment_plan_instalment.c, case_objection.c
_REPORTS = (
    select(_R.paid_on, _R.amount, _R.note, _R.reported_on, _R.status, _R.hold_until, _R.ended_on)
    .join(collection_case, collection_case.c.id == _R.case_id)
    .where(_of_the_case(payment_report))
    .order_by(_R.id)
)
# `count` renamed: a named tuple's (and a SQLAlchemy row's) `count` is the tuple's method
_PLANS = (
    select(
        *(c for c in payment_plan.c if c.name != "count"),
        _P.count.label("instalment_count"),
        collection_case.c.number.label("case_number"),
    )
    .join(collection_case, collection_case.c.id == _P.case_id)
    .where(_of_the_case(payment_plan))
    .order_by(_P.id.desc())
)
_INSTALMENTS = (
    select(_I.plan_id, _I.seq, _I.due_on, _I.amount)
    .join(payment_plan, payment_plan.c.id == _I.plan_id)
    .join(collection_case, collection_case.c.id == _P.case_id)
    .where(_of_the_case(payment_plan_instalment) & (_P.company_id == _COMPANY))
    .order_by(_I.plan_id, _I.seq)
)
_OBJECTIONS = (
    select(case_objection)
    .join(collection_case, collection_case.c.id == _O.case_id)
    .where(_of_the_case(case_objection))
    .order_by(_O.id)
)
CONTACT_READS = (
    DriverRead(_REPORTS),
    DriverRead(_PLANS),
    DriverRead(_INSTALMENTS),
    DriverRead(_OBJECTIONS),
)


def contact_of(
    rows: Sequence[list[Any]],
) -> tuple[list[PaymentReport], list[StoredPlan], list[ObjectionRecord]]:
    """The reports, plans and objections from the rows of `CONTACT_READS`, in its order."""
    report_rows, plan_rows, instalment_rows, objection_rows = rows
    found: dict[int, list[Instalment]] = {}
    for r in instalment_rows:
        found.setdefault(r.plan_id, []).append(Instalment(r.seq, r.due_on, Decimal(r.amount)))
    plans = [stored_plan(r, r.instalment_count, tuple(found.get(r.id, ()))) for r in plan_rows]
    return (
        [payment_report_of(r) for r in report_rows],
        plans,
        [objection_record(r) for r in objection_rows],
    )
