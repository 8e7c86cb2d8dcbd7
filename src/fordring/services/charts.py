"""The portal's and the reports' charts as SVG text (issue 18): pure functions, data in and
SVG out, so the same chart is shown on a page (inline) and in a report's PDF (Typst embeds
it). No JavaScript, no style sheet: presentation attributes only (the portal's
Content-Security-Policy allows no inline styles).

A chart is horizontal bars, one row per category (an aging bucket, a case state, a month)
with one bar per series (amount recovered, amount settled), each row labelled in text and
each bar's value written beside it in Norwegian format (`1 234,50`, `1 234`). The SVG has a
`<title>` and a `<desc>` (what it shows, in words, for screen readers) and `role="img"`;
every bar is a `<g class="bar">` with `data-category`, `data-series` and `data-value` (the
exact figure, `1234.50`), so tests read the numbers back from the XML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from hashlib import sha256
from xml.sax.saxutils import escape, quoteattr

NBSP = "\u00a0"
# The series' colours (a colour-blind safe pair, then more), on white.
COLOURS = ("#1f5f8b", "#d9822b", "#3a7d44", "#8e3b6e", "#6b6b6b")
WIDTH = 640
LABEL_WIDTH = 150  # the categories' labels, left of the bars
VALUE_WIDTH = 110  # room right of the longest bar for its value
BAR = 18  # a bar's height
GAP = 10  # between two categories
TOP = 8
LEGEND = 24

_ORE = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Series:
    """One bar per category: `values[i]` belongs to the chart's `categories[i]`; `money`:
    amounts (two decimals) rather than counts."""

    name: str
    values: Sequence[Decimal | int]
    money: bool = True


def number(value: Decimal | int, *, money: bool) -> str:
    """`1 234,50` (money, rounded half up to øre) or `1 234` (a count); the thousands
    grouped with a no-break space, so a figure never breaks over two lines."""
    if money:
        fixed = f"{Decimal(value).quantize(_ORE, rounding=ROUND_HALF_UP):,.2f}"
        return fixed.replace(",", NBSP).replace(".", ",")
    return f"{int(value):,}".replace(",", NBSP)


def bar_chart(
    title: str, description: str, categories: Sequence[str], series: Sequence[Series]
) -> str:
    """The chart of `series` over `categories` as an SVG document (no XML declaration:
    it is put inside a page as it is). Negative values are drawn as empty bars (their
    figure is still written)."""
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)}")
    # the same chart the same text; two charts of a page have two titles, so two ids
    chart_id = "chart-" + sha256(title.encode()).hexdigest()[:10]
    largest = max((Decimal(v) for s in series for v in s.values), default=Decimal(0))
    scale = Decimal(WIDTH - LABEL_WIDTH - VALUE_WIDTH) / largest if largest > 0 else Decimal(0)
    legend = LEGEND if len(series) > 1 else 0
    row_height = BAR * max(1, len(series)) + GAP
    height = TOP + legend + row_height * len(categories) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="Liberation Sans, Arial, sans-serif" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    if legend:
        x = LABEL_WIDTH
        for i, s in enumerate(series):
            colour = COLOURS[i % len(COLOURS)]
            parts.append(
                f'<g class="legend"><rect x="{x}" y="{TOP}" width="12" height="12" '
                f'fill="{colour}"/><text x="{x + 16}" y="{TOP + 11}">{escape(s.name)}</text></g>'
            )
            x += 24 + 8 * len(s.name)
    y = TOP + legend
    for c, category in enumerate(categories):
        middle = y + BAR * len(series) / 2
        parts.append(
            f'<text class="category" x="{LABEL_WIDTH - 8}" y="{middle + 4:g}" '
            f'text-anchor="end">{escape(category)}</text>'
        )
        for i, s in enumerate(series):
            value = Decimal(s.values[c])
            length = int(max(value, Decimal(0)) * scale)
            top = y + i * BAR
            colour = COLOURS[i % len(COLOURS)]
            exact = f"{value.quantize(_ORE)}" if s.money else str(int(value))
            shown = number(value, money=s.money)
            parts.append(
                f'<g class="bar" data-category={quoteattr(category)} '
                f'data-series={quoteattr(s.name)} data-value="{exact}">'
                f'<rect x="{LABEL_WIDTH}" y="{top + 2}" width="{length}" height="{BAR - 4}" '
                f'fill="{colour}"><title>{escape(f"{category}, {s.name}: {shown}")}</title></rect>'
                f'<text class="value" x="{LABEL_WIDTH + length + 6}" y="{top + BAR - 5}">'
                f"{escape(shown)}</text></g>"
            )
        y += row_height
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{TOP + legend}" x2="{LABEL_WIDTH}" y2="{y}" '
        f'stroke="#888" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
