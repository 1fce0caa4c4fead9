"""A printable report as PDF: a title, a few lines about it, and tables (headers and rows of plain
values), A4 portrait, Vietnamese text in embedded DejaVu Sans (labels.pdffont.FONT_FILES, the font
the labels use). Plain data in, bytes out: this module knows nothing of where the figures come
from. Long tables continue on the next page with their header repeated."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .pdffont import FONT_FILES, FontMissing

REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@dataclass(frozen=True)
class ReportTable:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans with ReportLab once per process (it embeds the glyphs used)."""
    for name, bold in ((REGULAR, False), (BOLD, True)):
        if not FONT_FILES[bold].is_file():
            raise FontMissing(f"{FONT_FILES[bold]} not found: install fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(name, str(FONT_FILES[bold])))


def _styles() -> dict[str, ParagraphStyle]:
    return {"title": ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19,
                                    spaceAfter=4 * mm),
            "line": ParagraphStyle("line", fontName=REGULAR, fontSize=9.5, leading=13),
            "heading": ParagraphStyle("heading", fontName=BOLD, fontSize=11.5, leading=15,
                                      spaceBefore=5 * mm, spaceAfter=2 * mm),
            "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5),
            "head": ParagraphStyle("head", fontName=BOLD, fontSize=8.5, leading=10.5)}


def _escape(value: object) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(table: ReportTable, styles: dict[str, ParagraphStyle], width: float) -> Table:
    rows = [[Paragraph(_escape(h), styles["head"]) for h in table.headers]]
    rows += [[Paragraph(_escape(v), styles["cell"]) for v in row] for row in table.rows]
    if not table.rows:
        rows.append([Paragraph("Không có / none", styles["cell"])] + [""] * (len(table.headers)
                                                                          - 1))
    flowable = Table(rows, colWidths=[width / len(table.headers)] * len(table.headers),
                     repeatRows=1)
    flowable.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return flowable


def render_report_pdf(title: str, lines: Sequence[str], tables: Sequence[ReportTable],
                      author: str = "") -> bytes:
    """The report as PDF bytes. Raises FontMissing when DejaVu Sans is not installed."""
    register_fonts()
    styles, out = _styles(), io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=15 * mm, bottomMargin=15 * mm, title=title,
                                 author=author)
    story: list[object] = [Paragraph(_escape(title), styles["title"])]
    story += [Paragraph(_escape(line), styles["line"]) for line in lines]
    for table in tables:
        story += [Paragraph(_escape(table.title), styles["heading"]),
                  _table(table, styles, document.width), Spacer(1, 2 * mm)]
    document.build(story)
    return out.getvalue()
