from decimal import Decimal

import pytest

from fordring.domain.collection.agreement import (
    Agreement,
    PayTo,
    ReminderFlow,
    SettingsChange,
    VatBusiness,
    as_settings,
    for_company,
    parse_settings,
    with_settings,
)
from fordring.domain.errors import InvalidInput


def test_defaults_follow_the_seed_product_rules() -> None:
    agreement = Agreement()
    assert agreement.reminder_flow is ReminderFlow.REMINDER_FIRST
    assert (agreement.reminder_days, agreement.notice_days) == (7, 14)
    assert agreement.consolidated and agreement.move_deadlines
    assert not agreement.problems()


def test_settings_are_parsed_and_validated_together() -> None:
    changed = with_settings(
        Agreement(),
        {
            "minimum_amount": "250,50",
            "pay_to": "client_account",
            "client_account": "86011117947",
            "automatic_sending": "ja",
            "reminder_flow": "notice_only",
        },
    )
    assert changed.minimum_amount == Decimal("250.50")
    assert changed.pay_to is PayTo.CLIENT_ACCOUNT
    assert changed.automatic_sending
    assert as_settings(changed)["client_account"] == "86011117947"


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"notice_days": "13"}, "notice_days"),
        ({"reminder_days": "x"}, "reminder_days"),
        ({"pay_to": "client_account"}, "client_account"),
        ({"client_account": "12345678901"}, "client_account"),
        ({"minimum_amount": "-1"}, "minimum_amount"),
        ({"fee_account": "39"}, "fee_account"),
        ({"notice_deadline_days": "10"}, "notice_deadline_days"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_setting_names_its_field(settings: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        with_settings(Agreement(), settings)
    assert field in {p.field for p in error.value.problems}


def test_the_vat_addition_follows_the_company_unless_the_agreement_overrides_it() -> None:
    auto = Agreement()
    assert auto.claims_from_vat_business is VatBusiness.AUTO
    assert for_company(auto, vat_registered=True).creditor_deducts_vat
    assert not for_company(auto, vat_registered=False).creditor_deducts_vat
    said_no = with_settings(auto, {"claims_from_vat_business": "no"})
    assert not for_company(said_no, vat_registered=True).creditor_deducts_vat
    said_yes = with_settings(auto, {"claims_from_vat_business": "yes"})
    assert for_company(said_yes, vat_registered=False).creditor_deducts_vat


def test_an_old_stored_creditor_deducts_vat_still_loads_as_the_new_setting() -> None:
    assert with_settings(
        Agreement(), {"creditor_deducts_vat": "False"}
    ).claims_from_vat_business == (VatBusiness.NO)
    assert with_settings(
        Agreement(), {"creditor_deducts_vat": "true"}
    ).claims_from_vat_business == (VatBusiness.YES)
    both = {"creditor_deducts_vat": "False", "claims_from_vat_business": "auto"}
    assert with_settings(Agreement(), both).claims_from_vat_business is VatBusiness.AUTO
    with pytest.raises(InvalidInput) as refused:
        with_settings(Agreement(), {"creditor_deducts_vat": "maybe"})
    assert refused.value.problems[0].field == "creditor_deducts_vat"


def test_the_collectors_address_and_contacts_are_settings_and_checked() -> None:
    """Issue 12: the collector's letters give its address, phone, e-mail and web address;
    unset, they are empty (no address, as before)."""
    assert Agreement().collector_street == "" and Agreement().collector_web == ""
    changed = with_settings(
        Agreement(),
        {
            "collector_street": " Postboks 1 Sentrum ",
            "collector_postcode": "0101",
            "collector_city": "Oslo",
            "collector_phone": "+47 22 00 00 00",
            "collector_email": "post@inkasso.no",
            "collector_web": "inkasso.no",
        },
    )
    assert (changed.collector_street, changed.collector_phone) == (
        "Postboks 1 Sentrum",
        "+47 22 00 00 00",
    )
    with pytest.raises(InvalidInput) as refused:
        with_settings(
            Agreement(),
            {"collector_postcode": "101", "collector_email": "x", "collector_phone": "22-00"},
        )
    assert {p.field for p in refused.value.problems} == {
        "collector_postcode",
        "collector_email",
        "collector_phone",
    }


def test_settings_text_becomes_a_typed_change() -> None:
    change = parse_settings(
        {"minimum_amount": "250,50", "pay_to": "client_account", "consolidated": "nei"}
    )
    assert change == SettingsChange(
        {"minimum_amount": Decimal("250.50"), "pay_to": PayTo.CLIENT_ACCOUNT, "consolidated": False}
    )


def test_every_bad_setting_has_its_field_and_a_stable_code() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_settings(
            {
                "colour": "blue",
                "consolidated": "maybe",
                "reminder_days": "a week",
                "pay_to": "bank",
                "minimum_amount": "x",
                "fee_account": "39",
                "notice_days": "10",  # parses, but is against the law on its own
            }
        )
    assert sorted((p.field, p.code) for p in error.value.problems) == [
        ("colour", "unknown_setting"),
        ("consolidated", "not_yes_no"),
        ("fee_account", "not_an_account"),
        ("minimum_amount", "not_an_amount"),
        ("notice_days", "invalid"),
        ("pay_to", "not_a_choice"),
        ("reminder_days", "not_whole_days"),
    ]


def test_a_typed_change_refuses_an_unknown_setting_or_a_value_of_the_wrong_type() -> None:
    with pytest.raises(InvalidInput) as error:
        SettingsChange({"colour": "blue", "reminder_days": "7", "consolidated": 1})
    assert [(p.field, p.code) for p in error.value.problems] == [
        ("colour", "unknown_setting"),
        ("reminder_days", "wrong_type"),
        ("consolidated", "wrong_type"),
    ]


def test_a_change_is_checked_with_the_agreement_it_joins() -> None:
    change = parse_settings({"pay_to": "client_account"})  # fine on its own
    with pytest.raises(InvalidInput, match="client_account"):
        change.applied_to(Agreement())
    with_account = Agreement(client_account="15032080119")
    assert change.applied_to(with_account).pay_to is PayTo.CLIENT_ACCOUNT


@pytest.mark.parametrize(
    ("setting", "code"),
    [
        ("fee_account=1500", "wrong_account_class"),  # a fee booked to the customer ledger
        ("interest_account=1920", "wrong_account_class"),  # interest booked to the bank
        ("compensation_account=2910", "wrong_account_class"),
        ("collection_cost_account=3900", "wrong_account_class"),
        ("bank_account=1500", "wrong_account_class"),
        ("settlement_account=1500", "wrong_account_class"),
        ("settlement_account=1580", "wrong_account_class"),
        ("settlement_account=2990", "wrong_account_class"),
        ("salaer_account=2700", "wrong_account_class"),  # output VAT
        ("unmatched_account=1920", "wrong_account_class"),
        ("credit_account=2000", "wrong_account_class"),  # equity
        ("settlement_account=1920", "account_shared"),  # the bank's own account
        ("unmatched_account=2900", "account_shared"),  # the customers' credit
        ("notice_days=100000000", "invalid"),
        ("notice_days=366", "invalid"),
        ("minimum_amount=100000.01", "invalid"),
        ("small_remainder_write_off=1000.01", "invalid"),
    ],
)
def test_a_setting_that_breaks_the_books_is_refused_naming_its_field(
    setting: str, code: str
) -> None:
    key, value = setting.split("=")
    with pytest.raises(InvalidInput) as refused:
        parse_settings({key: value})
    assert [(p.field, p.code) for p in refused.value.problems] == [(key, code)]
    with pytest.raises(InvalidInput) as stored:
        with_settings(Agreement(), {key: value})  # the same when read back from the database
    assert key in {p.field for p in stored.value.problems}


@pytest.mark.parametrize(
    "setting",
    [
        "fee_account=3920",
        "interest_account=8050",
        "compensation_account=3000",
        "collection_cost_account=6800",
        "bank_account=1950",
        "settlement_account=1576",
        "salaer_account=2400",
        "unmatched_account=2980",
        "credit_account=2920",
        "notice_days=365",
        "minimum_amount=100000",
        "small_remainder_write_off=1000",
    ],
)
def test_a_setting_within_its_class_and_bounds_is_taken(setting: str) -> None:
    key, value = setting.split("=")
    assert key in parse_settings({key: value}).values


def test_two_balance_sheet_settings_moved_together_may_swap_accounts() -> None:
    swapped = with_settings(Agreement(), {"unmatched_account": "2900", "credit_account": "2990"})
    assert (swapped.unmatched_account, swapped.credit_account) == ("2900", "2990")
