"""The schema as SQLAlchemy Core tables. Every record belongs to a company (tenant).

Vouchers and postings are append-only and checked for balance by triggers (triggers.py);
`invoice.open_amount` is the open item's balance, kept equal to the sum of its receivable
postings by the same transaction that writes them (checked by `ledger check`).
"""

from __future__ import annotations

# In the order the tables were defined in (metadata.tables keeps it), not sorted.
# ruff: noqa: I001
from fordring.adapters.db.tables_ledger import (
    change_log,
    company,
    company_kid,
    customer,
    id_allocator,
    import_batch,
    invoice,
    invoice_line,
    metadata,
    number_series,
    posting,
    voucher,
    voucher_type,
)
from fordring.adapters.db.tables_collection import (
    case_event,
    case_invoice,
    case_letter,
    case_letter_invoice,
    charge,
    collection_case,
    collection_setting,
    day_part,
    run_log,
)
from fordring.adapters.db.tables_payments import (
    bank_file,
    held_payment,
    payment,
    settlement,
)
from fordring.adapters.db.tables_recurring import (
    recurring_agreement,
    recurring_issue,
    recurring_line,
)
from fordring.adapters.db.tables_delivery import (
    collection_list,
    delivery_attempt,
    dispatch,
    peppol_receiver,
)
from fordring.adapters.db.tables_collector import (
    client_account,
    client_kid,
    client_payment,
    collector,
    collector_bank_file,
    collector_creditor,
)
from fordring.adapters.db.tables_webhooks import (
    webhook_delivery,
    webhook_endpoint,
    webhook_message,
    webhook_subscription,
)
from fordring.adapters.db.tables_api import api_key, idempotent_request
from fordring.adapters.db.tables_objection import case_objection
from fordring.adapters.db.tables_users import app_user, user_session
from fordring.adapters.db.tables_debtor import debtor_access, debtor_address_try, debtor_session
from fordring.adapters.db.tables_debtor_reports import payment_report
from fordring.adapters.db.tables_plans import payment_plan, payment_plan_instalment

__all__ = [
    "api_key",
    "app_user",
    "bank_file",
    "case_event",
    "case_invoice",
    "case_letter",
    "case_letter_invoice",
    "case_objection",
    "change_log",
    "charge",
    "client_account",
    "client_kid",
    "client_payment",
    "collection_case",
    "collection_list",
    "collection_setting",
    "collector",
    "collector_bank_file",
    "collector_creditor",
    "company",
    "company_kid",
    "customer",
    "day_part",
    "debtor_access",
    "debtor_address_try",
    "debtor_session",
    "delivery_attempt",
    "dispatch",
    "held_payment",
    "id_allocator",
    "idempotent_request",
    "import_batch",
    "invoice",
    "invoice_line",
    "metadata",
    "number_series",
    "payment",
    "payment_plan",
    "payment_plan_instalment",
    "payment_report",
    "peppol_receiver",
    "posting",
    "recurring_agreement",
    "recurring_issue",
    "recurring_line",
    "run_log",
    "settlement",
    "user_session",
    "voucher",
    "voucher_type",
    "webhook_delivery",
    "webhook_endpoint",
    "webhook_message",
    "webhook_subscription",
]
