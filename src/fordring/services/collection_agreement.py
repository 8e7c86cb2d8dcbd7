"""The creditor's collection agreement (C1): read with its defaults, and changed as a whole
(typed, or as text the way `collection agreement set` and the settings page send it),
validated together with the stored settings."""

from __future__ import annotations

from collections.abc import Mapping

from fordring.domain.api_access import Permission
from fordring.domain.collection.agreement import (
    Agreement,
    SettingsChange,
    as_settings,
    parse_settings,
    typed_settings,
    with_settings,
)
from fordring.domain.errors import Conflict
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope, require


def agreement_of(uow: UnitOfWork) -> Agreement:
    """The company's agreement: its stored settings over the defaults."""
    return with_settings(Agreement(), uow.collection.settings())


def show_agreement(scope: Scope, uow_factory: UnitOfWorkFactory) -> Agreement:
    with uow_factory(scope) as uow:
        return agreement_of(uow)


def set_agreement(
    change: SettingsChange,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    originals: Mapping[str, object] | None = None,
) -> Agreement:
    """Change settings, validated together with the stored ones (those it replaces are not
    read, so one stored before a rule refused it can be set right); the others keep theirs.
    Nothing is written, and no case woken, when the settings stay as they are.
    `originals`: the value a form showed of a changed setting before it was changed;
    Conflict (nothing written) if the stored value is no longer that one (someone else
    changed it meanwhile). Forbidden for a user or key whose role may not change the
    agreement."""
    require(scope, Permission.CHANGE_AGREEMENT)
    defaults = as_settings(Agreement())
    with uow_factory(scope) as uow:
        stored = uow.collection.settings()
        current = defaults | typed_settings(stored)
        if originals is not None:
            moved = sorted(
                key
                for key in change.values
                if key in originals and originals[key] != current.get(key)
            )
            if moved:
                raise Conflict("changed by someone else meanwhile: " + ", ".join(moved))
        kept = {k: t for k, t in stored.items() if k not in change.values}
        updated = change.applied_to(with_settings(Agreement(), kept))
        settings = as_settings(updated)
        if settings == current and set(stored) <= set(defaults):
            return updated  # as it was: nothing to write, no case to look at again
        overrides = {key: str(value) for key, value in settings.items() if value != defaults[key]}
        uow.collection.save_settings(overrides)
        uow.collection.wake_company()
        uow.commit()
    return updated


def set_agreement_from_text(
    settings: Mapping[str, str],
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    originals: Mapping[str, str] | None = None,
) -> Agreement:
    """`set_agreement` of settings as typed (KEY → text, read as `collection agreement
    set` reads them: every problem at once); the role is checked before the input.
    `originals` (KEY → text, as the form showed them) as set_agreement's; one that does
    not read is a Conflict too (the form was not the one shown)."""
    require(scope, Permission.CHANGE_AGREEMENT)
    change = parse_settings(settings)
    typed: dict[str, object] | None = None
    if originals is not None:
        typed = dict(typed_settings(originals))
        unread = sorted(set(originals) - set(typed))
        if unread:
            raise Conflict("not a value the form showed: " + ", ".join(unread))
    return set_agreement(change, scope, uow_factory, typed)
