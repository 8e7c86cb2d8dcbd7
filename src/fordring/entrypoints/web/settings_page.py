"""Innstillinger: the settings' own navigation (`tabs`, shared by every settings page),
the collection agreement and the company's details (shown to every signed-in user,
changed by a role that may: the services refuse anyone else with 403, nothing written),
and a signed-in user's own password."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response

from fordring import bootstrap
from fordring.domain.api_access import Permission, allows
from fordring.domain.collection.agreement import Agreement, as_settings
from fordring.domain.errors import Conflict, InvalidInput
from fordring.domain.kid import KidAlgorithm
from fordring.domain.users import SESSION_LIFETIME
from fordring.entrypoints.web.rendering import page
from fordring.entrypoints.web.security import SESSION_COOKIE, set_cookie
from fordring.entrypoints.web.visitor import application, redirect, scope_of, user_of
from fordring.services.collection_agreement import set_agreement_from_text, show_agreement
from fordring.services.companies import show_company
from fordring.services.company_change import change_company_from_text
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.ports.users import SessionUser
from fordring.services.users import PasswordChange, change_password

router = APIRouter(include_in_schema=False)

Field = Annotated[str, Form()]
AGREEMENT = "/settings/agreement"
COMPANY = "/settings/company"
PASSWORD = "/settings/password"

# The settings' pages in the order of their navigation: (name, path, the permission that
# opens it, or None: every signed-in user's).
TABS: tuple[tuple[str, str, Permission | None], ...] = (
    ("agreement", AGREEMENT, None),
    ("company", COMPANY, None),
    ("users", "/settings/users", None),
    ("password", PASSWORD, None),
    ("api_keys", "/settings/api-keys", Permission.MANAGE_KEYS),
    ("webhooks", "/settings/webhooks", Permission.MANAGE_WEBHOOKS),
)


def tabs(user: SessionUser) -> list[tuple[str, str]]:
    """The settings' pages `user` may open: (name, path)."""
    return [(name, path) for name, path, need in TABS if need is None or allows(user.role, need)]


def settings_page(
    request: Request, template: str, user: SessionUser, tab: str, status: int = 200, **context: Any
) -> Response:
    """A settings page: the portal's navigation at Innstillinger, the settings' own at
    `tab`."""
    return page(
        request,
        template,
        user=user,
        current="settings",
        tabs=tabs(user),
        tab=tab,
        status=status,
        saved=request.query_params.get("saved") == "1",
        **context,
    )


def problems_of(invalid: InvalidInput, fields: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each field's problem as the form shows it at the field: its code (the first, if
    the field has several), which the page says in its language (`problem_text` in
    macros.html); `fields` renames a problem's field to the form's (the domain's `terms`
    is the form's `terms_days`)."""
    found: dict[str, str] = {}
    for p in invalid.problems:
        found.setdefault((fields or {}).get(p.field, p.field), p.code)
    return found


# The domain's names of the company's fields, where the form's differ.
COMPANY_FIELDS = {"terms": "terms_days"}


@router.get("/settings")
def settings(request: Request) -> Response:
    user_of(request)
    return redirect(request, AGREEMENT)


# The agreement's settings in groups, as the page shows them (every setting once).
AGREEMENT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "reminders",
        (
            "reminder_flow",
            "reminder_days",
            "reminder_deadline_days",
            "notice_days",
            "notice_deadline_days",
            "demand_deadline_days",
            "consolidated",
            "move_deadlines",
            "holiday_deadlines",
        ),
    ),
    (
        "sending",
        (
            "minimum_amount",
            "running_days",
            "automatic_sending",
            "automatic_handover",
            "list_email",
            "small_remainder_write_off",
            "reliable_email_months",
            "reported_payment_hold_days",
        ),
    ),
    ("law", ("claims_from_vat_business", "standard_compensation")),
    (
        "plans",
        (
            "plan_automatic",
            "plan_max_months",
            "plan_min_instalment",
            "deferral_max_days",
            "plan_reminder_days",
            "heavy_salaer_after_broken_plan",
        ),
    ),
    ("debtor_page", ("invoice_debtor_access",)),
    ("payments", ("pay_to", "client_account")),
    (
        "collector",
        (
            "collector_name",
            "collector_orgnr",
            "collector_street",
            "collector_postcode",
            "collector_city",
            "collector_phone",
            "collector_email",
            "collector_web",
        ),
    ),
    (
        "accounts",
        (
            "fee_account",
            "interest_account",
            "salaer_account",
            "collection_cost_account",
            "bank_account",
            "settlement_account",
            "unmatched_account",
            "credit_account",
            "compensation_account",
        ),
    ),
)
assert sorted(k for _, keys in AGREEMENT_GROUPS for k in keys) == sorted(
    f.name for f in fields(Agreement)
), "the agreement page shows every setting once"
_DEFAULTS = as_settings(Agreement())


def _choices(key: str) -> list[str] | None:
    """The values a setting may take when it is a choice (yes/no, one of an enum)."""
    value = _DEFAULTS[key]
    if isinstance(value, bool):
        return ["yes", "no"]
    if isinstance(value, StrEnum):
        return [member.value for member in type(value)]
    return None


def _agreement_text(settings: dict[str, Any]) -> dict[str, str]:
    """Each setting as the form shows it (yes/no, an enum's value, 1234.50)."""

    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return str(value)

    return {key: text(value) for key, value in settings.items()}


def _agreement_page(
    request: Request, user: SessionUser, status: int = 200, **context: Any
) -> Response:
    form = context.pop("form", None)
    if form is None:
        form = _agreement_text(as_settings(show_agreement(scope_of(user), _uows(request))))
    originals = context.pop("originals", None) or form
    return settings_page(
        request,
        "settings_agreement.html",
        user,
        "agreement",
        status,
        groups=AGREEMENT_GROUPS,
        choices={key: _choices(key) for key in _DEFAULTS},
        form=form,
        originals=originals,
        original_prefix=ORIGINAL,
        conflict=context.pop("conflict", False),
        problems=context.pop("problems", {}),
        can_change=allows(user.role, Permission.CHANGE_AGREEMENT),
    )


def _uows(request: Request) -> UnitOfWorkFactory:
    return application(request).uow_factory


@router.get(AGREEMENT)
def agreement(request: Request) -> Response:
    return _agreement_page(request, user_of(request))


ORIGINAL = "original_"  # a hidden field's prefix: the setting as the form showed it


async def posted_settings(request: Request) -> tuple[dict[str, str], dict[str, str]]:
    """The agreement's settings a form posted (its fields are the settings' names), and
    the values the form showed of them (hidden fields `original_<name>`): read
    asynchronously once, as the CSRF check read the form before."""
    posted = await request.form()
    form = {key: str(posted[key]) for key in _DEFAULTS if key in posted}
    originals = {key: str(posted[ORIGINAL + key]) for key in _DEFAULTS if ORIGINAL + key in posted}
    return form, originals


@router.post(AGREEMENT)
def agreement_post(
    request: Request,
    posted: Annotated[tuple[dict[str, str], dict[str, str]], Depends(posted_settings)],
) -> Response:
    """The settings the form changed (those that differ from the value it showed),
    checked together with the others as `collection agreement set` checks them: each bad
    one named at its field (422), nothing written. A changed setting someone else changed
    meanwhile: 409, nothing written, the page shows the stored settings."""
    user = user_of(request)
    form, originals = posted
    changed = {key: text for key, text in form.items() if originals.get(key) != text}
    shown_before = {key: originals[key] for key in changed if key in originals}
    try:
        set_agreement_from_text(changed, scope_of(user), _uows(request), shown_before)
    except InvalidInput as invalid:
        problems = problems_of(invalid)
        shown = _agreement_text(_DEFAULTS) | form
        originals = _agreement_text(_DEFAULTS) | originals
        return _agreement_page(
            request, user, 422, form=shown, originals=originals, problems=problems
        )
    except Conflict:
        return _agreement_page(request, user, 409, conflict=True)
    return redirect(request, AGREEMENT + "?saved=1")


def _company_page(
    request: Request, user: SessionUser, status: int = 200, **context: Any
) -> Response:
    company = show_company(scope_of(user), _uows(request))
    shown = {
        "name": company.name,
        "address": company.address.street,
        "postcode": company.address.postcode,
        "city": company.address.city,
        "email": company.email,
        "account": company.account,
        "vat_registered": "yes" if company.vat_registered else "no",
        "kid_algorithm": company.kid_policy.algorithm.value,
        "kid_length": str(company.kid_policy.length),
        "terms_days": str(company.default_terms_days),
    }
    return settings_page(
        request,
        "settings_company.html",
        user,
        "company",
        status,
        company=company,
        form=shown | context.pop("form", {}),
        problems=context.pop("problems", {}),
        algorithms=[a.value for a in KidAlgorithm],
        can_change=allows(user.role, Permission.CHANGE_COMPANY),
    )


@router.get(COMPANY)
def company(request: Request) -> Response:
    return _company_page(request, user_of(request))


@router.post(COMPANY)
def company_post(
    request: Request,
    name: Field = "",
    address: Field = "",
    postcode: Field = "",
    city: Field = "",
    email: Field = "",
    account: Field = "",
    vat_registered: Field = "",
    kid_algorithm: Field = "",
    kid_length: Field = "",
    terms_days: Field = "",
) -> Response:
    """The company's details as `company change` changes them (recorded, each field
    before and after); each bad field named (422), nothing written."""
    user = user_of(request)
    form = {
        "name": name,
        "address": address,
        "postcode": postcode,
        "city": city,
        "email": email,
        "account": account,
        "vat_registered": vat_registered,
        "kid_algorithm": kid_algorithm,
        "kid_length": kid_length,
        "terms_days": terms_days,
    }
    try:
        change_company_from_text(form, scope_of(user), _uows(request))
    except InvalidInput as invalid:
        problems = problems_of(invalid, COMPANY_FIELDS)
        return _company_page(request, user, 422, form=form, problems=problems)
    return redirect(request, COMPANY + "?saved=1")


def _password_page(
    request: Request, user: SessionUser, status: int = 200, **context: Any
) -> Response:
    return settings_page(
        request,
        "settings_password.html",
        user,
        "password",
        status,
        problems=context.pop("problems", {}),
    )


@router.get(PASSWORD)
def password(request: Request) -> Response:
    return _password_page(request, user_of(request))


@router.post(PASSWORD)
def password_post(
    request: Request,
    current_password: Field = "",
    new_password: Field = "",
    repeated_password: Field = "",
) -> Response:
    """A new password for the signed-in user (the current one asked for); all its
    sessions end, this browser gets a new one (a new cookie, and with it a new CSRF
    token)."""
    user = user_of(request)
    app = application(request)
    now = bootstrap.now()
    try:
        token = change_password(
            PasswordChange(current_password, new_password, repeated_password),
            scope_of(user),
            app.uow_factory,
            app.password_hasher,
            now,
        )
    except InvalidInput as invalid:
        problems = {p.field: p.code for p in invalid.problems}
        return _password_page(request, user, 422, problems=problems)
    response = redirect(request, PASSWORD + "?saved=1")
    set_cookie(request, response, SESSION_COOKIE, token, int(SESSION_LIFETIME.total_seconds()))
    return response
