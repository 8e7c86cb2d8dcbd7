"""The SVG charts (services/charts.py): well-formed SVG with a title and a description,
one labelled bar per value with its exact figure, lengths in proportion, Norwegian
numbers written beside the bars."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from fordring.services.charts import NBSP, Series, bar_chart, number

SVG = "{http://www.w3.org/2000/svg}"


def test_numbers_are_written_the_norwegian_way() -> None:
    assert number(Decimal("1234567.5"), money=True) == f"1{NBSP}234{NBSP}567,50"
    assert number(Decimal("0.005"), money=True) == "0,01"  # half up to øre
    assert number(Decimal("-12"), money=True) == "-12,00"
    assert number(1234, money=False) == f"1{NBSP}234"


def test_a_chart_is_accessible_svg_with_every_bar_labelled_and_in_proportion() -> None:
    svg = bar_chart(
        "Innkrevd & oppgjort",
        "Per måned <kroner>",
        ["01.2026", "02.2026"],
        [Series("Innkrevd", [Decimal("1000"), Decimal("250.5")]), Series("Oppgjort", [0, 500])],
    )
    root = ET.fromstring(svg)  # well-formed: the texts are escaped
    assert root.get("role") == "img"
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title is not None and title.text == "Innkrevd & oppgjort"
    assert desc is not None and desc.text == "Per måned <kroner>"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    bars = [g for g in root.iter(SVG + "g") if g.get("class") == "bar"]
    found = {(g.get("data-category"), g.get("data-series")): g for g in bars}
    assert {k: g.get("data-value") for k, g in found.items()} == {
        ("01.2026", "Innkrevd"): "1000.00",
        ("01.2026", "Oppgjort"): "0.00",
        ("02.2026", "Innkrevd"): "250.50",
        ("02.2026", "Oppgjort"): "500.00",
    }
    widths = {k: int(g.find(SVG + "rect").get("width", "")) for k, g in found.items()}  # type: ignore[union-attr]
    assert widths[("01.2026", "Oppgjort")] == 0
    assert widths[("01.2026", "Innkrevd")] == 2 * widths[("02.2026", "Oppgjort")]
    shown = [t.text for g in bars for t in g.iter(SVG + "text")]
    assert shown == [f"1{NBSP}000,00", "0,00", "250,50", "500,00"]
    texts = [t.text for t in root.iter(SVG + "text")]
    assert "01.2026" in texts and "Innkrevd" in texts  # categories and the legend in text


def test_counts_have_no_decimals_and_nothing_to_draw_is_no_error() -> None:
    svg = bar_chart("Saker", "Antall", ["Registrert"], [Series("Saker", [0], money=False)])
    bar = next(g for g in ET.fromstring(svg).iter(SVG + "g") if g.get("class") == "bar")
    assert bar.get("data-value") == "0"
    with pytest.raises(ValueError, match="has 1 values for 2"):
        bar_chart("x", "y", ["a", "b"], [Series("s", [1])])
