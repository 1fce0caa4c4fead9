"""The handover manifest (biên bản giao nhận): an A4 PDF the agency and the post office
both sign.

The manifest number is printed as Code 128 so the postal clerk accepts every item on it with
one scan. Items show the S10 number and the destination ward only: the manifest, like the
label, says nothing about the dossiers' contents.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from labels import metrics
from labels.codes import code128_modules, spaced_s10
from labels.layout import BAR_MODULE_MM, Barcode, Rect, Text
from labels.pdfwriter import Canvas, pdf_bytes

PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 15.0
ROW_H = 6.5
BAR_H = 13.0  # >= 12.5 mm, as for the S10 barcode
FIRST_TOP, NEXT_TOP, SIGN_H, FOOT = 92.0, 30.0, 52.0, 10.0
COLUMNS = ((MARGIN, "STT / No."), (MARGIN + 20, "Số hiệu / Item (S10)"),
           (MARGIN + 70, "Phường/xã nhận / Ward"), (MARGIN + 140, "Thu hộ / Collect"))
# a dossier's ward is the citizen's, where it was collected; the last column is left for notes
DOSSIER_HEADINGS = ("STT / No.", "Số hiệu / Item (S10)", "Phường/xã công dân / Citizen's ward",
                    "Ghi chú / Note")


@dataclass(frozen=True)
class ManifestLine:
    tracking_number: str
    ward: str
    province: str
    amount_to_collect_vnd: int | None = None


@dataclass(frozen=True)
class ManifestData:
    """Everything printed on a manifest. `number` is encoded verbatim in the Code 128."""

    number: str
    agency: str  # printed as the giver (Bên giao): the agency of results, the office of dossiers
    office: str  # printed as the taker (Bên nhận)
    created_at: datetime.datetime
    created_by: str
    items: tuple[ManifestLine, ...]
    agency_signatory: str | None = None
    received_by: str | None = None
    # "results" (the agency gives results to the post office) or "dossiers" (the post office
    # gives collected dossiers to the agency or to another office): the title and who signs where
    kind: str = "results"
    # of dossiers: who gives and who takes, printed under the signature lines
    giver: str | None = None
    taker: str | None = None

    def signatories(self) -> tuple[str | None, str | None]:
        """The names under the giver's and the taker's signature lines."""
        if self.kind == "dossiers":
            return self.giver, self.taker
        return self.agency_signatory, self.received_by


# kind -> (title, subtitle, giver's block, taker's block)
WORDING = {
    "results": ("BIÊN BẢN GIAO NHẬN BƯU GỬI KẾT QUẢ TTHC",
                "Handover manifest of administrative results",
                "ĐẠI DIỆN BÊN GIAO / FOR THE AGENCY", "ĐẠI DIỆN BÊN NHẬN / FOR THE POST OFFICE"),
    "dossiers": ("BIÊN BẢN BÀN GIAO HỒ SƠ TTHC",
                 "Handover of administrative dossiers collected by post",
                 "ĐẠI DIỆN BÊN GIAO / FOR THE POST OFFICE", "ĐẠI DIỆN BÊN NHẬN / FOR THE RECEIVER"),
}


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def _pages(count: int) -> list[range]:
    """Item index ranges per page; the last page keeps room for the signature blocks."""
    first = int((PAGE_H - FOOT - MARGIN - FIRST_TOP) // ROW_H)
    other = int((PAGE_H - FOOT - MARGIN - NEXT_TOP) // ROW_H)
    last_fit = {True: first - int(SIGN_H // ROW_H) - 2, False: other - int(SIGN_H // ROW_H) - 2}
    pages: list[range] = []
    start = 0
    while count - start > last_fit[not pages]:
        stop = min(count, start + (other if pages else first))
        pages.append(range(start, stop))
        start = stop
    return [*pages, range(start, count)]  # possibly no rows: then only the signatures


class _ManifestPage:
    def __init__(self, data: ManifestData, rows: range, index: int, total: int) -> None:
        self.width, self.height = PAGE_W, PAGE_H
        self.data, self.rows, self.index, self.total = data, rows, index, total

    def draw(self, canvas: Canvas) -> None:
        top = self._header(canvas) if self.index == 0 else NEXT_TOP
        y = self._table(canvas, top)
        if self.index == self.total - 1:
            self._summary_and_signatures(canvas, y + 4)
        footer = f"{self.data.number} — Trang / Page {self.index + 1}/{self.total}"
        canvas.text(Text(PAGE_W - MARGIN, PAGE_H - MARGIN + 4, footer, 2.8, anchor="end"))

    def _header(self, canvas: Canvas) -> float:
        data = self.data
        title, subtitle = WORDING[data.kind][:2]
        modules = code128_modules(data.number)
        bar = Barcode(PAGE_W - MARGIN - len(modules) * BAR_MODULE_MM - 4, MARGIN + 22,
                      BAR_MODULE_MM, BAR_H, modules)
        lines = [
            Text(PAGE_W / 2, MARGIN + 6, title, 5.2, bold=True, anchor="middle"),
            Text(PAGE_W / 2, MARGIN + 12, subtitle, 3.4, anchor="middle"),
            Text(MARGIN, MARGIN + 26, "Số biên bản / Manifest no.:", 3.0),
            Text(MARGIN, MARGIN + 33, data.number, 5.0, bold=True),
            Text(bar.x + bar.width / 2, bar.y + BAR_H + 4.5, data.number, 3.2, anchor="middle"),
            Text(MARGIN, MARGIN + 46, "Bên giao / Handed over by:", 3.0),
            Text(MARGIN + 52, MARGIN + 46, self._fit(data.agency, 4.0, 123), 4.0, bold=True),
            Text(MARGIN, MARGIN + 54, "Bên nhận / Received by:", 3.0),
            Text(MARGIN + 52, MARGIN + 54, self._fit(data.office, 4.0, 123), 4.0, bold=True),
            Text(MARGIN, MARGIN + 62, "Lập lúc / Created:", 3.0),
            Text(MARGIN + 52, MARGIN + 62,
                 f"{data.created_at:%d/%m/%Y %H:%M} — {data.created_by}", 3.4),
        ]
        for text in lines:
            canvas.text(text)
        canvas.barcode(bar)
        return FIRST_TOP

    @staticmethod
    def _fit(text: str, size: float, width: float) -> str:
        return metrics.truncate(text, width, size, bold=True)

    def _table(self, canvas: Canvas, top: float) -> float:
        rects = [Rect(MARGIN, top + ROW_H - 1.2, PAGE_W - 2 * MARGIN, 0.4)]
        headings = (DOSSIER_HEADINGS if self.data.kind == "dossiers"
                    else tuple(heading for _, heading in COLUMNS))
        for (x, _), heading in zip(COLUMNS, headings, strict=True):
            canvas.text(Text(x + 1, top + ROW_H - 2, heading, 3.0, bold=True))
        y = top + ROW_H
        for i in self.rows:
            line = self.data.items[i]
            place = metrics.truncate(f"{line.ward}, {line.province}", 68, 3.3)
            collect = _vnd(line.amount_to_collect_vnd) if line.amount_to_collect_vnd else "—"
            for x, value in zip((c[0] for c in COLUMNS),
                                (str(i + 1), spaced_s10(line.tracking_number), place, collect),
                                strict=True):
                canvas.text(Text(x + 1, y + ROW_H - 2, value, 3.3, bold=x == COLUMNS[1][0]))
            rects.append(Rect(MARGIN, y + ROW_H - 0.2, PAGE_W - 2 * MARGIN, 0.2))
            y += ROW_H
        canvas.rects(rects)
        return y

    def _summary_and_signatures(self, canvas: Canvas, top: float) -> None:
        items = self.data.items
        collect = [i.amount_to_collect_vnd for i in items if i.amount_to_collect_vnd]
        summary = (f"Tổng số / Total: {len(items)} hồ sơ / dossiers" if self.data.kind == "dossiers"
                   else f"Tổng số / Total: {len(items)} bưu gửi / items — "
                        f"thu hộ / to collect: {len(collect)} ({_vnd(sum(collect))})")
        canvas.text(Text(MARGIN, top + 4, summary, 3.6, bold=True))
        half = (PAGE_W - 2 * MARGIN) / 2
        # the giver signs for what they hand over, the taker for what they received and when
        (giver, taker), (giver_name, taker_name) = (WORDING[self.data.kind][2:],
                                                    self.data.signatories())
        blocks = ((giver, giver_name, "(Ký, ghi rõ họ tên / sign, full name)"),
                  (taker, taker_name,
                   "(Ký, ghi rõ họ tên, giờ nhận / sign, full name, time received)"))
        for n, (heading, name, how) in enumerate(blocks):
            x = MARGIN + n * half + half / 2
            canvas.text(Text(x, top + 14, heading, 3.2, bold=True, anchor="middle"))
            canvas.text(Text(x, top + 19, how, 2.6, anchor="middle"))
            canvas.text(Text(x, top + 42, name or "", 3.4, anchor="middle"))
            canvas.rects([Rect(x - half / 2 + 8, top + 44, half - 16, 0.3)])


def _manifest_pages(data: ManifestData) -> Iterator[_ManifestPage]:
    ranges = _pages(len(data.items))
    for index, rows in enumerate(ranges):
        yield _ManifestPage(data, rows, index, len(ranges))


def render_manifest_pdf(data: ManifestData) -> bytes:
    """The manifest as an A4 PDF: header with the number's Code 128, the items (S10, ward),
    the counts and two signature blocks on the last page. Raises ValueError if an item's
    tracking number is not S10-shaped; FontMissing if DejaVu Sans is not installed."""
    return pdf_bytes(_manifest_pages(data), title=f"Biên bản giao nhận {data.number}")
