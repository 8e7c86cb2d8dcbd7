"""A collection list's content as JSON, so the day can store it and the delivery step
render and send exactly that list after the day commits."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from fordring.adapters.db.letter_codec import party_data
from fordring.domain.collection.letters import CollectionList, ListedCase, Party
from fordring.domain.language import Language


def encode_list(lst: CollectionList) -> str:
    return json.dumps(
        {
            "language": lst.language.value,
            "list_date": str(lst.list_date),
            "creditor": party_data(lst.creditor),
            "collector": party_data(lst.collector),
            "cases": [
                {
                    "case_number": c.case_number,
                    "debtor": c.debtor,
                    "invoice_numbers": list(c.invoice_numbers),
                    "principal": str(c.principal),
                    "remaining": str(c.remaining),
                    "notice_date": str(c.notice_date),
                    "deadline": str(c.deadline),
                }
                for c in lst.cases
            ],
            "handover_date": None if lst.handover_date is None else str(lst.handover_date),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_list(text: str) -> CollectionList:
    d = json.loads(text)
    return CollectionList(
        language=Language(d["language"]),
        list_date=date.fromisoformat(d["list_date"]),
        creditor=Party(**d["creditor"]),
        collector=Party(**d["collector"]),
        cases=tuple(
            ListedCase(
                case_number=c["case_number"],
                debtor=c["debtor"],
                invoice_numbers=tuple(c["invoice_numbers"]),
                principal=Decimal(c["principal"]),
                remaining=Decimal(c["remaining"]),
                notice_date=date.fromisoformat(c["notice_date"]),
                deadline=date.fromisoformat(c["deadline"]),
            )
            for c in d["cases"]
        ),
        handover_date=None
        if d["handover_date"] is None
        else date.fromisoformat(d["handover_date"]),
    )
