from fordring.domain import kid
from fordring.domain.collection.agreement import Agreement, PayTo
from fordring.domain.collection.registration import SentInvoice, new_cases
from fordring.domain.company import KidPolicy

POLICY = KidPolicy()
INVOICES = [
    SentInvoice(1, 7, "0000000018"),
    SentInvoice(2, 8, "0000000026"),
    SentInvoice(3, 7, "0000000034"),
]


def test_consolidated_one_case_per_debtor_with_a_case_kid() -> None:
    cases = new_cases(INVOICES, Agreement(), POLICY, 41)
    assert [(c.number, c.customer_id, c.invoice_ids) for c in cases] == [
        (41, 7, (1, 3)),
        (42, 8, (2,)),
    ]
    assert cases[0].kid == "00000000414" and kid.is_valid(cases[0].kid)
    assert cases[1].kid == "0000000026"  # a single invoice paid to the creditor keeps its KID


def test_client_account_cases_always_get_their_own_kid() -> None:
    agreement = Agreement(
        pay_to=PayTo.CLIENT_ACCOUNT, client_account="86011117947", consolidated=False
    )
    cases = new_cases(INVOICES, agreement, POLICY, 1)
    assert len(cases) == 3
    assert all(len(c.kid) == POLICY.length + 1 for c in cases)
