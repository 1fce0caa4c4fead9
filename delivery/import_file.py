"""The file of a counter's import: what the upload is checked for, and the rows the job reads.

The request that uploads the file checks only what costs next to nothing whatever the file holds
(check_upload: its name, size and kind, a workbook's unpacked size, a CSV's header); the rows are
read by the import's job (read_rows), never by a web process, through delivery.spreadsheet, which
stops reading at READ_ROWS rows however many the file has.

A cell holding a control character (a NUL byte, say, which PostgreSQL refuses in text) gets its row
refused with a message naming the column as the file names it; the other rows go on. Tabs and line
breaks inside a cell (Alt+Enter in Excel) read as spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import ValidationFailed
from .legacy_encoding import to_unicode
from .spreadsheet import check_workbook, table_format, table_rows

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
# Rows read at most, blank ones included: room for blank rows between and after MAX_ROWS rows.
READ_ROWS = 2 * MAX_ROWS
# Column headers as counters write them (Vietnamese with or without diacritics, or English) -> our
# field.
HEADERS = {
    "dossier_code": ("ma_ho_so", "mã hồ sơ", "ma ho so", "dossier_code"),
    "procedure": ("thu_tuc", "thủ tục", "thu tuc", "procedure"),
    "name": ("ho_ten", "họ tên", "ho ten", "người nhận", "recipient_name", "name"),
    "phone": ("dien_thoai", "điện thoại", "dien thoai", "phone"),
    "national_id": ("cccd", "số cccd", "national_id"),
    "address": ("dia_chi", "địa chỉ", "dia chi", "address"),
    "payer": ("nguoi_tra", "người trả", "payer"),
    "amount_vnd": ("so_tien", "số tiền", "so tien", "amount_vnd"),
    "note": ("ghi_chu", "ghi chú", "ghi chu", "note"),
}
REQUIRED = ("dossier_code", "name", "phone", "address")
SPACES = re.compile(r"[\t\n\r\v\f]+")
# C0 and C1 controls other than the spaces above, and lone surrogates (an xlsx may spell any of
# them as _x0000_): no text column can keep them, and no clerk typed them.
UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
UNPRINTABLE_CELL = ("ô có ký tự điều khiển (không in được), hãy gõ lại ô này / "
                    "the cell holds a control character (not printable): type it again")


@dataclass
class ImportRows:
    """The data rows of a file: those to import as (row number, {field: text}), and those refused
    for their cells as row number -> {column as the file names it: message}."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    refused: dict[int, dict[str, str]] = field(default_factory=dict)


def check_upload(filename: str, content: bytes) -> None:
    """Raise ValidationFailed ("file") for a file the import cannot use, as far as that shows
    without reading its rows: a name with control characters, more than MAX_BYTES, neither .csv nor
    .xlsx, a workbook that unpacks too large, a CSV not in UTF-8 (nor in Windows-1252 holding TCVN3
    or VNI: delivery.spreadsheet) or without the required columns (its header is the first line)."""
    if UNPRINTABLE.search(filename):
        raise ValidationFailed({"file": "tên tệp có ký tự điều khiển, hãy đổi tên tệp / "
                                        "the file name holds a control character: rename the file"})
    if len(content) > MAX_BYTES:
        raise ValidationFailed({"file": "tệp quá 2 MB / the file is larger than 2 MB"})
    if table_format(filename) == ".xlsx":
        check_workbook(content)
    else:
        rows = table_rows(filename, content, max_rows=READ_ROWS, legacy_csv=True)
        _columns(next(rows, (0, []))[1])


def read_rows(filename: str, content: bytes) -> ImportRows:
    """The data rows below the header (the first non-blank row). Raises ValidationFailed ("file")
    for an unusable file: unreadable, without the required columns, with more than MAX_ROWS data
    rows, or going on past row READ_ROWS."""
    table = table_rows(filename, content, max_rows=READ_ROWS, legacy_csv=True)
    header = next(table, (0, []))[1]
    fields = _columns(header)
    found = ImportRows()
    for number, cells in table:
        if len(found.rows) + len(found.refused) == MAX_ROWS:
            raise ValidationFailed({"file": f"tối đa {MAX_ROWS} dòng / at most {MAX_ROWS} rows"})
        named = [(f, h, v) for f, h, v in zip(fields, header, cells, strict=False) if f]
        if refused := {h: UNPRINTABLE_CELL for _, h, v in named if UNPRINTABLE.search(v)}:
            found.refused[number] = refused
        else:
            found.rows.append((number, {f: with_leading_zero(f, SPACES.sub(" ", v))
                                        for f, _, v in named}))
    return found


# A phone or ID number typed into a spreadsheet as a number loses its leading zeros: digits of
# these lengths can only be such a number without them. A mobile is 0 + 9 digits starting 3, 5, 7,
# 8 or 9; a CCCD is 12 digits starting with its province's code 001-096 (one or two zeros lost); a
# CMND 9 digits, which may start with 0.
_FULL_LENGTH = {"phone": lambda d: 10 if len(d) == 9 and d[0] in "35789" else None,
                "national_id": lambda d: 12 if len(d) in (10, 11) else 9 if len(d) == 8 else None}


def with_leading_zero(field: str, value: str) -> str:
    """``value`` of ``field`` with the leading zeros a number cell dropped given back."""
    full = _FULL_LENGTH.get(field)
    length = full(value) if full and value.isascii() and value.isdigit() else None
    return value.zfill(length) if length else value


def _columns(header: list[str]) -> list[str | None]:
    """Our field for each column of ``header``; raises ValidationFailed naming the missing ones."""
    fields = [_field_of(h) for h in header]
    missing = set(REQUIRED) - set(fields)
    if missing:
        raise ValidationFailed({"file": "thiếu cột / missing columns: "
                                        + ", ".join(sorted(missing))})
    return fields


def _field_of(header: str) -> str | None:
    key = to_unicode(header)[0].strip().lower().replace("\ufeff", "")  # "M· hå s¬" in TCVN3
    return next((field for field, names in HEADERS.items() if key in names), None)
