"""The wording of the e-mail a document is attached to, in bokmål and English."""

from __future__ import annotations

from fordring.domain.collection.letters import LetterKind
from fordring.domain.language import Language

_WHAT = {
    Language.NB: {
        "invoice": "faktura {n}",
        "credit_note": "kreditnota {n}",
        LetterKind.REMINDER.value: "betalingspåminnelse",
        LetterKind.COLLECTION_NOTICE.value: "inkassovarsel",
        LetterKind.PAYMENT_DEMAND.value: "betalingsoppfordring",
        LetterKind.INTEREST_NOTE.value: "rentenota",
        LetterKind.ENFORCEMENT_NOTICE.value: "varsel om tvangsfullbyrdelse",
        LetterKind.PLAN_CONFIRMATION.value: "bekreftelse på betalingsavtale",
        LetterKind.PLAN_REMINDER.value: "påminnelse om avdrag",
    },
    Language.EN: {
        "invoice": "invoice {n}",
        "credit_note": "credit note {n}",
        LetterKind.REMINDER.value: "payment reminder",
        LetterKind.COLLECTION_NOTICE.value: "debt collection notice",
        LetterKind.PAYMENT_DEMAND.value: "demand for payment",
        LetterKind.INTEREST_NOTE.value: "interest note",
        LetterKind.ENFORCEMENT_NOTICE.value: "notice of enforcement",
        LetterKind.PLAN_CONFIRMATION.value: "confirmation of payment plan",
        LetterKind.PLAN_REMINDER.value: "reminder of a missed instalment",
    },
}
_SUBJECT = {Language.NB: "{What} fra {seller}", Language.EN: "{What} from {seller}"}
_BODY = {
    Language.NB: "Vedlagt følger {what} fra {seller} som PDF.\n\nMed vennlig hilsen\n{seller}\n",
    Language.EN: "Please find {what} from {seller} attached as a PDF.\n\nKind regards\n{seller}\n",
}


def mail_text(kind: str, number: int, language: Language, seller: str) -> tuple[str, str]:
    """The subject and body of the e-mail that carries a document of `kind` ("invoice",
    "credit_note" or a letter kind; `number` for an invoice), in the customer's language."""
    what = _WHAT[language][kind].format(n=number)
    subject = _SUBJECT[language].format(What=what[:1].upper() + what[1:], seller=seller)
    return subject, _BODY[language].format(what=what, seller=seller)
