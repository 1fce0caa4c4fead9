"""The citizen's receipt (biên nhận hồ sơ) when a bưu tá collects a dossier at the door: A4 PDF.

It names what was taken (each document, how many copies, present or missing), the pages
photographed, the fee and who pays it, and the bưu gửi's tracking number, printed spaced, as
Code 128 and with its tracking link as a QR code, so the citizen can follow the dossier to the
agency. Vietnamese first, English after. Plain data in, bytes out (ReportLab, DejaVu Sans
embedded as labels.report_pdf does).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from labels.codes import code128_modules, qr_matrix, spaced_s10
from labels.layout import BAR_MODULE_MM, BAR_QUIET_MODULES, QR_QUIET_MODULES
from labels.report_pdf import BOLD, REGULAR, register_fonts

VIETNAM_TIME = datetime.timezone(datetime.timedelta(hours=7), "ICT")
BAR_HEIGHT_MM = 13.0  # >= 12.5 mm, as on the label
QR_MODULE_MM = 0.6
MISSING = colors.HexColor("#fde2e2")


class DossierDocument(NamedTuple):
    """One paper of the dossier as checked at the door against the procedure's list."""

    name: str
    copies: int
    present: bool


@dataclass(frozen=True)
class CollectionReceipt:
    """Everything printed on the receipt. `documents`: DossierDocument or plain (name, copies,
    present) tuples, in the procedure's order. `collected_at` must be timezone-aware (printed in
    Vietnam time); `fee_vnd` None means no fee is collected; `fee_payer` is printed as given
    (e.g. "Công dân / citizen")."""

    tracking_number: str
    dossier_code: str | None
    procedure: str
    agency: str
    citizen_name: str
    collected_at: datetime.datetime
    collected_by: str
    office: str
    documents: Sequence[DossierDocument]
    pages: int
    fee_vnd: int | None
    fee_payer: str | None
    tracking_url: str

    def __post_init__(self) -> None:
        # plain (name, copies, present) tuples are accepted and named here, once
        object.__setattr__(self, "documents", tuple(DossierDocument(*d) for d in self.documents))


def vnd(amount: int) -> str:
    """``22000`` -> ``22.000 đ`` (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " đ"


class _Symbols(Flowable):
    """The tracking number's Code 128 above its spaced text, and the tracking link's QR beside
    it, drawn module by module at exact millimetre sizes (as the labels are)."""

    def __init__(self, tracking_number: str, url: str) -> None:
        super().__init__()
        self.modules = code128_modules(tracking_number)
        self.matrix = qr_matrix(url)
        self.bar_w = (len(self.modules) + 2 * BAR_QUIET_MODULES) * BAR_MODULE_MM * mm
        self.qr_w = (len(self.matrix) + 2 * QR_QUIET_MODULES) * QR_MODULE_MM * mm
        self.width, self.height = self.bar_w + self.qr_w, max(self.qr_w, 24 * mm)
        self.caption = spaced_s10(tracking_number)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas, unit = self.canv, BAR_MODULE_MM * mm
        canvas.setFillColor(colors.black)
        bottom = self.height - BAR_HEIGHT_MM * mm
        for index, bit in enumerate(self.modules):
            if bit == "1":
                canvas.rect((BAR_QUIET_MODULES + index) * unit, bottom, unit, BAR_HEIGHT_MM * mm,
                            stroke=0, fill=1)
        canvas.setFont(BOLD, 11)
        canvas.drawCentredString(self.bar_w / 2, bottom - 5 * mm, self.caption)
        module, left = QR_MODULE_MM * mm, self.bar_w + QR_QUIET_MODULES * QR_MODULE_MM * mm
        top = self.height - QR_QUIET_MODULES * module
        for row, cells in enumerate(self.matrix):
            for col, dark in enumerate(cells):
                if dark:
                    canvas.rect(left + col * module, top - (row + 1) * module, module, module,
                                stroke=0, fill=1)


def _styles() -> dict[str, ParagraphStyle]:
    return {"title": ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19,
                                    alignment=1),
            "subtitle": ParagraphStyle("subtitle", fontName=REGULAR, fontSize=10, leading=13,
                                       alignment=1, spaceAfter=4 * mm),
            "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=9.5, leading=12),
            "bold": ParagraphStyle("bold", fontName=BOLD, fontSize=9.5, leading=12),
            "note": ParagraphStyle("note", fontName=REGULAR, fontSize=8.5, leading=11)}


def _escape(value: object) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bold(value: object) -> str:
    return f'<font name="{BOLD}">{_escape(value)}</font>'


def _facts(receipt: CollectionReceipt, styles: dict[str, ParagraphStyle]) -> Table:
    when = receipt.collected_at.astimezone(VIETNAM_TIME)
    rows = [("Số hiệu bưu gửi / Item no.", spaced_s10(receipt.tracking_number)),
            ("Mã hồ sơ / Dossier code", receipt.dossier_code or "—"),
            ("Thủ tục / Procedure", receipt.procedure),
            ("Cơ quan giải quyết / Agency", receipt.agency),
            ("Người nộp hồ sơ / Citizen", receipt.citizen_name),
            ("Nhận lúc / Collected at", f"{when:%d/%m/%Y %H:%M}"),
            ("Bưu tá / Courier", receipt.collected_by),
            ("Bưu cục / Post office", receipt.office)]
    table = Table([[Paragraph(_escape(k), styles["cell"]), Paragraph(_escape(v), styles["bold"])]
                   for k, v in rows], colWidths=[55 * mm, 125 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return table


def _documents(receipt: CollectionReceipt, styles: dict[str, ParagraphStyle]) -> Table:
    head = ["STT / No.", "Giấy tờ / Document", "Số bản / Copies", "Có / Thiếu (present / missing)"]
    rows = [[Paragraph(h, styles["bold"]) for h in head]]
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for number, document in enumerate(receipt.documents, start=1):
        mark = "Có / present" if document.present else "Thiếu / missing"
        rows.append([Paragraph(str(number), styles["cell"]),
                     Paragraph(_escape(document.name), styles["cell"]),
                     Paragraph(str(document.copies), styles["cell"]),
                     Paragraph(mark, styles["cell" if document.present else "bold"])])
        if not document.present:
            style.append(("BACKGROUND", (0, number), (-1, number), MISSING))
    if not receipt.documents:
        rows.append([Paragraph("Không có / none", styles["cell"]), "", "", ""])
    table = Table(rows, colWidths=[18 * mm, 102 * mm, 22 * mm, 38 * mm], repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _summary(receipt: CollectionReceipt, styles: dict[str, ParagraphStyle]) -> list[Paragraph]:
    missing = [d.name for d in receipt.documents if not d.present]
    fee = "Không thu / none" if receipt.fee_vnd is None else vnd(receipt.fee_vnd)
    payer = f" — người trả / paid by: {receipt.fee_payer}" if receipt.fee_payer else ""
    lines = [f"Số trang đã chụp / Pages photographed: {_bold(receipt.pages)}",
             f"Phí, lệ phí / Fees: {_bold(fee)}{_escape(payer)}"]
    if missing:
        lines.append(_bold(f"Hồ sơ còn thiếu {len(missing)} giấy tờ / {len(missing)} "
                           "document(s) missing:") + f" {_escape('; '.join(missing))}")
    lines.append(f"Theo dõi hồ sơ / Track the dossier: {_escape(receipt.tracking_url)}")
    return [Paragraph(line, styles["cell"]) for line in lines]


def _signatures(receipt: CollectionReceipt, styles: dict[str, ParagraphStyle]) -> Table:
    heads = ("NGƯỜI NỘP HỒ SƠ / CITIZEN", "BƯU TÁ / COURIER")
    names = (receipt.citizen_name, receipt.collected_by)
    how = "(Ký, ghi rõ họ tên / sign, full name)"
    table = Table([[Paragraph(h, styles["bold"]) for h in heads],
                   [Paragraph(how, styles["note"])] * 2, ["", ""],
                   [Paragraph(_escape(n), styles["cell"]) for n in names]],
                  colWidths=[90 * mm, 90 * mm], rowHeights=[None, None, 18 * mm, None])
    table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return table


def render_collection_receipt_pdf(receipt: CollectionReceipt) -> bytes:
    """The receipt as A4 PDF bytes (usually one page; a long list of documents continues on the
    next with its header repeated). Raises ValueError if the tracking number is not S10-shaped
    or the tracking URL too long for a QR code, FontMissing if DejaVu Sans is not installed."""
    if receipt.collected_at.tzinfo is None:
        raise ValueError("collected_at must be timezone-aware")
    register_fonts()
    styles, out = _styles(), io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=12 * mm, bottomMargin=12 * mm,
                                 title=f"Biên nhận hồ sơ {receipt.tracking_number}",
                                 author=receipt.office)
    story = [Paragraph("BIÊN NHẬN HỒ SƠ", styles["title"]),
             Paragraph("Dossier receipt — hồ sơ do bưu điện nhận tại nhà để chuyển đến cơ quan "
                       "giải quyết / collected at home by the post for the agency",
                       styles["subtitle"]),
             _Symbols(receipt.tracking_number, receipt.tracking_url), Spacer(1, 4 * mm),
             _facts(receipt, styles), Spacer(1, 4 * mm), _documents(receipt, styles),
             Spacer(1, 3 * mm), *_summary(receipt, styles), Spacer(1, 6 * mm),
             _signatures(receipt, styles)]
    document.build(story)
    return out.getvalue()
