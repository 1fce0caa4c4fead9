"""Tables as people exchange them: CSV (UTF-8, comma, semicolon or tab; for the counter's import
also Windows-1252 holding TCVN3 or VNI) or Excel (.xlsx), chosen by the file name's extension.
Cells come back as text: a number Excel stored as a number reads as it was typed (100100, not
100100.0); cells are written as text, so codes keep their leading zeros.

Reading costs what the rows asked for, whatever the file claims: a workbook is refused before
parsing when its parts unpack to more than MAX_UNPACKED_BYTES (a small .xlsx can unpack to
gigabytes), only the first MAX_COLUMNS columns are read, and reading stops at the row limit the
caller gives (blank rows count: a sheet of a million empty rows costs no more than the limit).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time

from .errors import ValidationFailed
from .legacy_encoding import detect

FORMATS = (".csv", ".xlsx")
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_COLUMNS = 100
READ_LIMIT = 100_000  # rows read_table reads at most
UTF8_ONLY = ("tệp CSV phải mã hóa UTF-8 (Excel: lưu dạng CSV UTF-8) / "
             "the CSV file must be UTF-8 (Excel: save as CSV UTF-8)")


def table_format(filename: str) -> str:
    """".csv" or ".xlsx" from the name; raises ValidationFailed ("file") for anything else."""
    suffix = next((s for s in FORMATS if filename.lower().endswith(s)), None)
    if suffix is None:
        raise ValidationFailed({"file": "tệp .csv hoặc .xlsx / a .csv or .xlsx file"})
    return suffix


def read_table(filename: str, content: bytes) -> list[tuple[int, list[str]]]:
    """Every non-blank row with its row number as a spreadsheet shows it (the first is 1), cells
    trimmed. Raises ValidationFailed ("file") for a file that cannot be read or goes on past row
    READ_LIMIT."""
    return list(table_rows(filename, content, max_rows=READ_LIMIT))


def table_rows(filename: str, content: bytes, *, max_rows: int, legacy_csv: bool = False
               ) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows, read as they are asked for, with their row numbers as a spreadsheet
    shows them (the first is 1), cells trimmed. Raises ValidationFailed ("file") for a file that
    cannot be read, and on reaching row ``max_rows`` + 1, blank or not: nothing past it is read.
    With ``legacy_csv``, a CSV may also be Windows-1252 holding TCVN3 or VNI (_csv_text), for a
    caller that converts the cells it uses (delivery.legacy_encoding)."""
    rows = _xlsx_rows(content, max_rows + 1) if table_format(filename) == ".xlsx" \
        else _csv_rows(content, legacy_csv)
    try:
        for number, row in enumerate(rows, start=1):
            if number > max_rows:
                raise ValidationFailed({"file": f"quá {max_rows} dòng, kể cả dòng trống (xoá các "
                                                f"dòng trống ở cuối) / more than {max_rows} rows, "
                                                "blank ones included (delete the empty rows at "
                                                "the end)"})
            cells = [cell.strip() for cell in row]
            if any(cells):
                yield number, cells
    finally:
        rows.close()


def check_workbook(content: bytes) -> None:
    """Refuse (ValidationFailed, "file") what is not a workbook worth opening: not a zip archive,
    or parts that unpack to more than MAX_UNPACKED_BYTES. Reads only the archive's directory (the
    sizes it declares are the most zipfile will unpack)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationFailed({"file": "không đọc được tệp Excel / "
                                        "the Excel file cannot be read"}) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationFailed({"file": f"tệp Excel giải nén quá {MAX_UNPACKED_BYTES // 2**20} MB "
                                        "/ the Excel file unpacks to more than "
                                        f"{MAX_UNPACKED_BYTES // 2**20} MB"})


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


def _csv_text(content: bytes, legacy: bool) -> str:
    """The CSV's text: UTF-8 (a byte order mark allowed), or else, when ``legacy``, Windows-1252
    if all of it reads as Vietnamese typed in TCVN3 or VNI (an old Excel's "CSV" of a sheet set in
    .VnTime or VNI-Times). Anything else raises ValidationFailed ("file")."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if not legacy:
            raise ValidationFailed({"file": UTF8_ONLY}) from None
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: no Windows-1252 text
        text = None
    if text is None or detect(text) is None:
        raise ValidationFailed({"file": UTF8_ONLY})
    return text


def _csv_rows(content: bytes, legacy: bool) -> Iterator[list[str]]:
    text = _csv_text(content, legacy)
    first_line = text.split("\n", 1)[0]
    # The header decides the separator: cells below may hold lists written with ; or ,
    delimiter = max(",;\t", key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(content: bytes, max_rows: int) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    check_workbook(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds for a damaged file)
        raise ValidationFailed({"file": "không đọc được tệp Excel / "
                                        "the Excel file cannot be read"}) from None
    # The sheet's declared size may be anything (A1:XFD1048576): rows are padded to it otherwise.
    sheet.reset_dimensions()
    try:
        for row in sheet.iter_rows(max_row=max_rows, max_col=MAX_COLUMNS, values_only=True):
            yield [_cell_text(value) for value in row]
    except Exception:  # noqa: BLE001 (a damaged sheet fails while it is read)
        raise ValidationFailed({"file": "không đọc được tệp Excel / "
                                        "the Excel file cannot be read"}) from None
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime) and value.time() == time(0, 0):
        return value.date().isoformat()  # a date cell: Excel keeps dates as midnight datetimes
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
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
