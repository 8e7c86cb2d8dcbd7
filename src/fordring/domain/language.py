"""The languages fordring writes in (SPEC L1, D4): a customer's language is the language of
its invoices, letters and e-mails; the creditor's own documents are in bokmål."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    NB = "nb"  # Norwegian bokmål
    EN = "en"  # English
