"""What the services need from storage and the outside, as small interfaces the adapters
implement: one module per feature, read models (lists and views for screens) apart from
the write repositories. Every name is also importable from here."""

from __future__ import annotations

from fordring.services.ports.collection import CaseDetails as CaseDetails
from fordring.services.ports.collection import CaseInvoiceDetails as CaseInvoiceDetails
from fordring.services.ports.collection import CollectionRepository as CollectionRepository
from fordring.services.ports.collection import HandOver as HandOver
from fordring.services.ports.collection import InvoiceForCollection as InvoiceForCollection
from fordring.services.ports.collection import NewCharge as NewCharge
from fordring.services.ports.collection import NewLetter as NewLetter
from fordring.services.ports.collection import OpenCharge as OpenCharge
from fordring.services.ports.collection import UnrenderedLetter as UnrenderedLetter
from fordring.services.ports.collection_views import CaseEventRecord as CaseEventRecord
from fordring.services.ports.collection_views import CaseSummary as CaseSummary
from fordring.services.ports.collection_views import StoredLetter as StoredLetter
from fordring.services.ports.companies import CompanyRepository as CompanyRepository
from fordring.services.ports.companies import CurrentCompany as CurrentCompany
from fordring.services.ports.companies import ImportLog as ImportLog
from fordring.services.ports.companies import ImportRecord as ImportRecord
from fordring.services.ports.companies import NumberSeries as NumberSeries
from fordring.services.ports.customers import CustomerRepository as CustomerRepository
from fordring.services.ports.delivery import AccessPoint as AccessPoint
from fordring.services.ports.delivery import Attachment as Attachment
from fordring.services.ports.delivery import AttemptRecord as AttemptRecord
from fordring.services.ports.delivery import DeliveryFailed as DeliveryFailed
from fordring.services.ports.delivery import DeliveryRepository as DeliveryRepository
from fordring.services.ports.delivery import DispatchDone as DispatchDone
from fordring.services.ports.delivery import EhfWriter as EhfWriter
from fordring.services.ports.delivery import Mailer as Mailer
from fordring.services.ports.delivery import NewDispatch as NewDispatch
from fordring.services.ports.delivery import OutgoingEhf as OutgoingEhf
from fordring.services.ports.delivery import OutgoingMail as OutgoingMail
from fordring.services.ports.delivery import PaperDocument as PaperDocument
from fordring.services.ports.delivery import PaperOutbox as PaperOutbox
from fordring.services.ports.delivery import ReceiverLookup as ReceiverLookup
from fordring.services.ports.delivery import WaitingDispatch as WaitingDispatch
from fordring.services.ports.delivery_views import DeliveryView as DeliveryView
from fordring.services.ports.documents import InvoiceRenderer as InvoiceRenderer
from fordring.services.ports.documents import LetterRenderer as LetterRenderer
from fordring.services.ports.documents import RenderFailed as RenderFailed
from fordring.services.ports.invoice_views import InvoiceSummary as InvoiceSummary
from fordring.services.ports.invoice_views import StoredInvoice as StoredInvoice
from fordring.services.ports.invoices import InvoiceRepository as InvoiceRepository
from fordring.services.ports.ledger import LedgerRepository as LedgerRepository
from fordring.services.ports.ledger import ReskontroQueries as ReskontroQueries
from fordring.services.ports.ledger import TrialBalanceLine as TrialBalanceLine
from fordring.services.ports.payment_views import PaymentView as PaymentView
from fordring.services.ports.payment_views import SettlementRecord as SettlementRecord
from fordring.services.ports.payments import BankFileRecord as BankFileRecord
from fordring.services.ports.payments import CaseCharge as CaseCharge
from fordring.services.ports.payments import CaseItem as CaseItem
from fordring.services.ports.payments import ChargeItem as ChargeItem
from fordring.services.ports.payments import InvoiceItem as InvoiceItem
from fordring.services.ports.payments import MoneyInTime as MoneyInTime
from fordring.services.ports.payments import PaymentLookup as PaymentLookup
from fordring.services.ports.payments import PaymentRepository as PaymentRepository
from fordring.services.ports.payments import PaymentRow as PaymentRow
from fordring.services.ports.recurring import IssuedPeriodRecord as IssuedPeriodRecord
from fordring.services.ports.recurring import RecurringIssue as RecurringIssue
from fordring.services.ports.recurring import RecurringRepository as RecurringRepository
from fordring.services.ports.recurring import StoredAgreement as StoredAgreement
from fordring.services.ports.unit_of_work import GlobalQueues as GlobalQueues
from fordring.services.ports.unit_of_work import GlobalUnitOfWork as GlobalUnitOfWork
from fordring.services.ports.unit_of_work import UnitOfWork as UnitOfWork
from fordring.services.ports.unit_of_work import UnitOfWorkFactory as UnitOfWorkFactory
