"""The portal's reports as PDF (issue 18): a `ReportDocument` laid out by
templates/report.typ, its chart the very SVG the page shows (Typst draws SVG itself), its
texts as given (worded in the reader's language by the portal)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Final

from fordring.adapters.pdf.renderer import TEMPLATES, compile_document
from fordring.services.ports.reports import ReportDocument

REPORT_TEMPLATE: Final = TEMPLATES / "report.typ"


def render_report(document: ReportDocument, day: date) -> bytes:
    """The report as a PDF whose creation date is `day` (the same report, the same bytes)."""
    pdf, _ = compile_document(REPORT_TEMPLATE, asdict(document), day)
    return pdf
