"""Tables as people exchange them: CSV (UTF-8, comma, semicolon or tab) or Excel (.xlsx), chosen
by the file name's extension. Cells come back as text: a number Excel stored as a number reads as
it was typed (100100, not 100100.0); cells are written as text, so codes keep their leading zeros.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time

from .errors import ValidationFailed

FORMATS = (".csv", ".xlsx")


def table_format(filename: str) -> str:
    """".csv" or ".xlsx" from the name; raises ValidationFailed ("file") for anything else."""
    suffix = next((s for s in FORMATS if filename.lower().endswith(s)), None)
    if suffix is None:
        raise ValidationFailed({"file": "tệp .csv hoặc .xlsx / a .csv or .xlsx file"})
    return suffix


def read_table(filename: str, content: bytes) -> list[tuple[int, list[str]]]:
    """Every non-blank row with its row number as a spreadsheet shows it (the first is 1), cells
    trimmed. Raises ValidationFailed ("file") for a file that cannot be read."""
    rows = _xlsx_rows(content) if table_format(filename) == ".xlsx" else _csv_rows(content)
    return [(number, [cell.strip() for cell in row])
            for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]


def write_table(filename: str, header: list[str], rows: list[list[str]]) -> bytes:
    """The file's bytes: CSV in UTF-8 with a byte-order mark (so Excel reads the diacritics), or
    an .xlsx workbook of one sheet whose cells are all text."""
    if table_format(filename) == ".xlsx":
        return _xlsx_bytes(header, rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed({"file": "tệp CSV phải mã hóa UTF-8 (Excel: lưu dạng CSV UTF-8) / "
                                        "the CSV file must be UTF-8 (Excel: save as CSV UTF-8)"}
                               ) from None
    first_line = text.split("\n", 1)[0]
    # The header decides the separator: cells below may hold lists written with ; or ,
    delimiter = max(",;\t", key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds for a damaged file)
        raise ValidationFailed({"file": "không đọc được tệp Excel / "
                                        "the Excel file cannot be read"}) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _xlsx_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows():
        for cell in row:
            cell.number_format = "@"  # text: Excel keeps "00070" as typed when edited
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
