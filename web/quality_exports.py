"""The dashboard's tables as files: CSV (UTF-8 with a byte-order mark, which Excel needs to read
Vietnamese) and XLSX (one sheet per table, numbers as numbers)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .quality_tables import Table

# Excel runs a cell starting with one of these as a formula: a citizen's comment must not.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet may hold it: text that would start a formula gets a leading
    apostrophe (OWASP's advice against CSV injection); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_file(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    writer.writerows([safe_cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_file(tables: list[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(list(table.headers))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([safe_cell(v) for v in row])
        for column, header in zip("ABCDEFGH", table.headers, strict=False):
            sheet.column_dimensions[column].width = max(14, min(60, len(header) + 4))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
