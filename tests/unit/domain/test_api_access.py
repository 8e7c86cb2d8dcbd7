"""API key roles and the key's form (domain/api_access.py)."""

from __future__ import annotations

from datetime import date

import pytest

from fordring.domain.api_access import (
    ApiKey,
    Permission,
    Role,
    allows,
    matches,
    may_grant,
    parse_role,
    secret_hmac,
    split_token,
    token_of,
)
from fordring.domain.errors import InvalidInput


def test_an_api_user_writes_invoices_and_payments_but_not_collection_settings_or_keys() -> None:
    for permission in (Permission.READ, Permission.WRITE_INVOICES, Permission.WRITE_PAYMENTS):
        assert allows(Role.API_USER, permission)
    for permission in (
        Permission.MANAGE_COLLECTION,
        Permission.CHANGE_COMPANY,
        Permission.MANAGE_KEYS,
    ):
        assert not allows(Role.API_USER, permission)


def test_read_only_reads_only_and_only_an_administrator_manages_keys() -> None:
    assert [p for p in Permission if allows(Role.READ_ONLY, p)] == [Permission.READ]
    assert [r for r in Role if allows(r, Permission.MANAGE_KEYS)] == [Role.ADMINISTRATOR]
    assert [r for r in Role if allows(r, Permission.MANAGE_USERS)] == [Role.ADMINISTRATOR]
    assert not allows("owner", Permission.READ)


def test_only_an_administrator_changes_the_agreement_and_a_finance_user_runs_the_day() -> None:
    assert [r for r in Role if allows(r, Permission.CHANGE_AGREEMENT)] == [Role.ADMINISTRATOR]
    runners = [r for r in Role if allows(r, Permission.RUN_DAY)]
    assert runners == [Role.ADMINISTRATOR, Role.FINANCE_USER]


def test_roles_are_read_leniently_and_a_wrong_one_names_the_field() -> None:
    assert parse_role("Finance user") is Role.FINANCE_USER
    assert parse_role("read-only") is Role.READ_ONLY
    with pytest.raises(InvalidInput) as caught:
        parse_role("boss")
    assert caught.value.problems[0].field == "role"


def test_a_token_splits_into_prefix_and_secret_and_only_the_right_secret_matches() -> None:
    token = token_of("0123456789ab", "s3cr_et")
    assert split_token(token) == ("0123456789ab", "s3cr_et")
    for bad in ("", "fk_", "fk_short_x", "xx_0123456789ab_s", "fk_0123456789ab_"):
        assert split_token(bad) is None
    hmac_key = b"k" * 20
    key = ApiKey(
        None, "n", Role.API_USER, "0123456789ab", secret_hmac("s3cr_et", hmac_key), date(2026, 1, 1)
    )
    assert matches(key, "s3cr_et", hmac_key)
    assert not matches(key, "s3cr_eT", hmac_key)
    assert not matches(key, "s3cr_et", b"another key")


def test_a_key_grants_no_role_above_its_own() -> None:
    assert may_grant(Role.ADMINISTRATOR, Role.ADMINISTRATOR)
    assert may_grant(Role.FINANCE_USER, Role.API_USER)
    assert may_grant(Role.API_USER, Role.READ_ONLY)
    assert not may_grant(Role.FINANCE_USER, Role.ADMINISTRATOR)
    assert not may_grant(Role.API_USER, Role.FINANCE_USER)
    assert not may_grant(Role.READ_ONLY, Role.API_USER)
    assert not may_grant("owner", Role.READ_ONLY)
