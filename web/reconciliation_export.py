"""The reconciliation as XLSX: one row per item, a total row per courier and one for the office,
amounts as numbers (VND) so the sheet adds them up again; flags in words."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from delivery.models import VIETNAM_TIME
from tracking.reconciliation import (
    FLAG_LABELS,
    CourierReconciliation,
    ReconciledItem,
    Reconciliation,
)

from .quality_exports import safe_cell

HEADERS = ("Bưu tá / Courier", "Số hiệu / Tracking number", "Giờ phát / Delivered at",
           "Phải thu (VND) / Expected", "Tiền mặt (VND) / Cash", "Chuyển khoản (VND) / Transfer",
           "Đã thu (VND) / Collected", "Chênh lệch (VND) / Difference", "Ghi chú / Flags")
WIDTHS = (22, 18, 18, 16, 16, 18, 16, 18, 50)


def flag_words(flags: tuple[str, ...]) -> str:
    """Flags as people read them: "Thu thiếu / collected less than expected; ..."."""
    return "; ".join(" / ".join(FLAG_LABELS[f]) for f in flags)


def _item_row(courier: CourierReconciliation, item: ReconciledItem) -> list[object]:
    collected = item.collected_vnd
    return [courier.name, item.tracking_number,
            item.delivered_at.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M"),
            item.expected_vnd, collected if item.method == "cash" else None,
            collected if item.method == "transfer" else None, collected,
            (collected or 0) - item.expected_vnd, flag_words(item.flags)]


def _total_row(label: str, expected: int, cash: int, transfer: int, flags: str) -> list[object]:
    return [label, "Cộng / Total", "", expected, cash, transfer, cash + transfer,
            cash + transfer - expected, flags]


def reconciliation_rows(reconciliation: Reconciliation) -> list[list[object]]:
    """The sheet's rows under its headers: each courier's items, then their total; the office's
    total last."""
    rows: list[list[object]] = []
    for courier in reconciliation.couriers:
        rows.extend(_item_row(courier, item) for item in courier.items)
        rows.append(_total_row(courier.name, courier.expected_vnd, courier.collected_by("cash"),
                               courier.collected_by("transfer"), flag_words(courier.flags)))
    totals = reconciliation.totals
    rows.append(_total_row(f"Bưu cục / Office {reconciliation.office.code}", totals.expected_vnd,
                           totals.cash_vnd, totals.transfer_vnd, ""))
    return rows


def reconciliation_xlsx(reconciliation: Reconciliation) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"Doi soat {reconciliation.day}"
    office = reconciliation.office
    sheet.append([f"Đối soát thu hộ / Cash reconciliation · {office.code} {office.name} · "
                  f"{reconciliation.day:%d/%m/%Y}"])
    sheet.append(list(HEADERS))
    for row in reconciliation_rows(reconciliation):
        sheet.append([safe_cell(value) for value in row])
        if row[1] == "Cộng / Total":
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for cell in (*sheet[1], *sheet[2]):
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHI", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3, min_col=4, max_col=8):
        for cell in row:
            cell.number_format = "#,##0"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
