"""The debtor's objection on the portal's case page, over HTTP in-process: the reason, the
words and the attachment shown; the file downloaded only by a signed-in user of the
case's company, as an attachment with nosniff; upholding it (finance user) closes the
case; a read-only user sees no button and is refused (403, nothing written); another
company's objection or file is a 404."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests import builders
from tests.attachments import PDF
from tests.integration.test_portal_cases import (
    FINANCE,
    PASSWORD,
    READER,
    watched,
    world,  # noqa: F401 (a fixture)
)
from tests.integration.test_portal_pages import _client, csrf_of

from fordring.adapters.attachment_folder import FolderAttachments
from fordring.domain.collection.objection import attachment, objection
from fordring.services.objections import object_to_case, objections_and_state
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope, debtor

pytestmark = pytest.mark.integration

DAY = date(2026, 4, 8)


@pytest.fixture
def objected(world: str, uow_factory: UnitOfWorkFactory, tmp_path: Path) -> dict[str, Any]:  # noqa: F811
    """Case 1 of A objected by its debtor with a PDF; case 1 of B too."""
    store = FolderAttachments(tmp_path / "attachments")
    ids = {}
    for orgnr in (builders.ORGNR, builders.OTHER_ORGNR):
        company = builders.scope(uow_factory, orgnr, on=DAY).company_id
        debtor_scope = Scope(company, debtor(1), DAY)
        said = objection("already_paid", "Betalt 3. april.\nSe kvittering.")
        object_to_case(1, said, attachment("kvittering.pdf", PDF, 10**6), debtor_scope,
                       uow_factory, store)  # fmt: skip
        (row,) = objections_and_state(1, debtor_scope, uow_factory)[0]
        ids[orgnr] = row.id
    return {"url": world, "attachments": str(tmp_path / "attachments"), "ids": ids}


def _signed_in(objected: dict[str, Any], email: str) -> Any:
    client = _client(objected["url"], attachments=objected["attachments"])
    form = client.get("/portal/sign-in")
    data = {"orgnr": builders.ORGNR, "email": email, "password": PASSWORD}
    done = client.post("/portal/sign-in", data=data | {"csrf_token": csrf_of(form)})
    assert done.status_code == 200, done.text
    return client


@pytest.fixture
def finance(objected: dict[str, Any]) -> Iterator[Any]:
    with _signed_in(objected, FINANCE) as client:
        yield client


@pytest.fixture
def reader(objected: dict[str, Any]) -> Iterator[Any]:
    with _signed_in(objected, READER) as client:
        yield client


def test_the_case_page_shows_the_objection_and_the_file_downloads_as_an_attachment(
    finance: Any, objected: dict[str, Any]
) -> None:
    page = finance.get("/portal/cases/1")
    assert page.status_code == 200
    assert "Skyldners innsigelse" in page.text and "Jeg har allerede betalt" in page.text
    assert "Betalt 3. april.\nSe kvittering." in page.text
    assert "Ta innsigelsen til følge" in page.text
    link = f"/portal/cases/1/objections/{objected['ids'][builders.ORGNR]}/attachment"
    assert link in page.text
    got = finance.get(link)
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith('attachment; filename="kvittering.pdf"')
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in got.headers["content-security-policy"]
    listed = finance.get("/portal/cases", params={"state": "objected"})
    assert '<a href="/portal/cases/1">' in listed.text


def test_another_companys_objection_file_is_not_found(
    finance: Any, objected: dict[str, Any]
) -> None:
    b_id = objected["ids"][builders.OTHER_ORGNR]
    assert finance.get(f"/portal/cases/1/objections/{b_id}/attachment").status_code == 404
    assert finance.get("/portal/cases/2/objections/1/attachment").status_code == 404
    assert finance.get("/portal/cases/1/objections/x/attachment").status_code == 404
    huge = "/portal/cases/1/objections/3000000000/attachment"  # past the INTEGER column
    assert finance.get(huge).status_code == 404


def test_signed_out_the_file_is_never_handed_out(objected: dict[str, Any]) -> None:
    with _client(objected["url"], attachments=objected["attachments"]) as client:
        link = f"/portal/cases/1/objections/{objected['ids'][builders.ORGNR]}/attachment"
        got = client.get(link, follow_redirects=False)
    assert got.status_code in (302, 303, 307) and got.content != PDF


def test_upholding_closes_the_case_and_asking_again_is_refused_with_nothing_done(
    finance: Any,
) -> None:
    token = csrf_of(finance.get("/portal/cases/1"))
    done = finance.post("/portal/cases/1/uphold", data={"reason": "Betalingen funnet",
                        "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303, done.text
    page = finance.get("/portal/cases/1")
    assert "Avsluttet" in page.text and "objection upheld" in page.text
    again = finance.post("/portal/cases/1/uphold", data={"csrf_token": token},
                         follow_redirects=False)  # fmt: skip
    assert again.headers["location"].endswith("/cases/1?refused=uphold")
    assert "Bare en sak med innsigelse" in finance.get(again.headers["location"]).text


def test_upholding_a_case_the_company_does_not_have_is_not_found(
    finance: Any, objected: dict[str, Any]
) -> None:
    token = csrf_of(finance.get("/portal/cases/1"))
    before = watched(objected["url"])
    unknown = finance.post("/portal/cases/9999/uphold", data={"csrf_token": token},
                           follow_redirects=False)  # fmt: skip
    assert unknown.status_code == 404
    assert watched(objected["url"]) == before


def test_a_read_only_user_sees_no_uphold_button_and_is_refused(
    reader: Any, objected: dict[str, Any]
) -> None:
    page = reader.get("/portal/cases/1")
    assert "Skyldners innsigelse" in page.text and "Ta innsigelsen til følge" not in page.text
    before = watched(objected["url"])
    refused = reader.post("/portal/cases/1/uphold", data={"csrf_token": csrf_of(page)})
    assert refused.status_code == 403
    assert watched(objected["url"]) == before
    link = f"/portal/cases/1/objections/{objected['ids'][builders.ORGNR]}/attachment"
    assert reader.get(link).content == PDF  # reading is every role's
