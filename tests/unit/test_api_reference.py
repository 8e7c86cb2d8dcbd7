"""docs/api.md's reference is the one the OpenAPI document makes, and the document is
OpenAPI 3.1 with the key and `Idempotency-Key` on the operations that take them."""

from __future__ import annotations

from pathlib import Path

from fordring.entrypoints.api import cases
from fordring.entrypoints.api.app import create_app, openapi_document
from fordring.entrypoints.api.reference import BEGIN, operations, page, with_reference

DOCS = Path(__file__).parents[2] / "docs" / "api.md"


def test_docs_api_md_holds_the_reference_the_openapi_document_makes() -> None:
    text = DOCS.read_text()
    assert BEGIN in text
    assert with_reference(text, openapi_document()) == text, (
        "regenerate it: python -m fordring.entrypoints.api.reference --write docs/api.md"
    )


def test_openapi_is_3_1_under_api_v1_with_bearer_keys_and_idempotency_on_posts() -> None:
    spec = openapi_document()
    assert spec["openapi"].startswith("3.1")
    assert spec["security"] == [{"apiKey": []}]
    found = operations(spec)
    assert found and all(path.startswith("/api/v1/") for _, path, _ in found)
    for method, _, op in found:
        names = {p["name"] for p in op.get("parameters", [])}
        assert ("Idempotency-Key" in names) == (method == "POST")
        assert {"401", "403", "422"} <= set(op["responses"])


def test_the_reference_page_needs_nothing_from_outside() -> None:
    html = page(openapi_document())
    assert "POST /api/v1/invoices" in html
    assert "<script" not in html and "https://" not in html


def test_a_case_lookup_is_matched_first_and_the_document_keeps_the_routers_order() -> None:
    """The cases' routes are tried first (the most frequent request, issue 17); the
    OpenAPI document (and so docs/api.md) lists the routers in the order included."""
    app = create_app()
    assert getattr(app.router.routes[0], "original_router", None) is cases.router
    paths = list(openapi_document()["paths"])
    assert paths[0] == "/api/v1/company"
    assert paths.index("/api/v1/customers") < paths.index("/api/v1/cases/{number}")
