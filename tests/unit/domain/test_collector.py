"""The collector's case KIDs (unique per client account) and routing a bank file by KID."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordring.domain import kid as kids
from fordring.domain.collector import (
    KID_LENGTH,
    MAX_CREDITORS,
    client_case_kid,
    new_collector,
    route,
)
from fordring.domain.errors import InvalidInput
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.domain.text_input import parse_party_ids

creditors = st.integers(1, MAX_CREDITORS)
cases = st.integers(1, 10**8 - 1)


def test_two_creditors_first_cases_get_different_kids() -> None:
    assert client_case_kid(1, 1) == "0001000000016"
    assert client_case_kid(2, 1) == "0002000000014"


@given(creditors, cases)
def test_a_client_case_kid_is_a_valid_mod10_kid_of_fixed_length(creditor: int, case: int) -> None:
    found = client_case_kid(creditor, case)
    assert len(found) == KID_LENGTH
    assert kids.is_valid(found, kids.KidAlgorithm.MOD10)


@given(creditors, cases, creditors, cases)
def test_different_creditor_or_case_never_share_a_kid(a: int, x: int, b: int, y: int) -> None:
    assert (client_case_kid(a, x) == client_case_kid(b, y)) == ((a, x) == (b, y))


@pytest.mark.parametrize(("creditor", "case", "field"), [(0, 1, "creditor"), (1, 10**8, "case")])
def test_a_number_that_does_not_fit_is_refused(creditor: int, case: int, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        client_case_kid(creditor, case)
    assert [p.field for p in error.value.problems] == [field]


def test_payments_are_routed_to_the_creditor_owning_the_kid_and_the_rest_queued() -> None:
    payments = ["a1", "b1", "none", "unknown", "a2"]
    kid_of = ["K1", "K2", None, "K9", "K1"]
    routed = route(payments, kid_of, {"K1": 10, "K2": 20})
    assert routed.by_creditor == {10: ["a1", "a2"], 20: ["b1"]}
    assert routed.queued == ["none", "unknown"]


def test_a_collector_names_every_bad_field_at_once() -> None:
    account = BankAccount("15032080119")
    with pytest.raises(InvalidInput) as error:
        new_collector(
            orgnr=Orgnr("974760673"),
            name=" ",
            accounts=[account, account],
            postcode="12",
            phone="call me",
            email="nope",
        )
    assert [p.field for p in error.value.problems] == [
        "name",
        "postcode",
        "phone",
        "email",
        "account",
    ]


def test_a_collectors_identifiers_are_read_at_the_edge_every_problem_at_once() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_party_ids("123", ["15032080119", "1234", "15032080118"])
    assert [(p.field, p.code) for p in error.value.problems] == [
        ("orgnr", "not_an_orgnr"),
        ("account", "not_a_bank_account"),
        ("account", "not_a_bank_account"),
    ]
    assert parse_party_ids(" 974 760 673 ", ["1503.20.80119"]) == ("974760673", ("15032080119",))


def test_a_collector_needs_a_client_account() -> None:
    with pytest.raises(InvalidInput, match="account"):
        new_collector(orgnr=Orgnr("974760673"), name="Demo Inkasso AS", accounts=[])


def test_a_collector_is_kept_in_compact_form() -> None:
    found = new_collector(
        orgnr=Orgnr("974 760 673"),
        name=" Demo Inkasso AS ",
        accounts=[BankAccount("1503.20.80119")],
        postcode="0150",
    )
    assert (found.orgnr, found.name, found.accounts) == (
        "974760673",
        "Demo Inkasso AS",
        ("15032080119",),
    )


def test_a_collectors_texts_are_read_by_the_input_rules() -> None:
    with pytest.raises(InvalidInput) as caught:
        new_collector(
            orgnr=Orgnr("988077917"),
            name="N" * 201,
            accounts=[BankAccount("15032080119")],
            licence="L\x00",
            postcode="\u0660\u0661\u0662\u0663",
        )
    assert sorted((p.field, p.code) for p in caught.value.problems) == [
        ("licence", "control_character"),
        ("name", "too_long"),
        ("postcode", "invalid"),
    ]
