"""Workbooks for import tests: an ordinary one (openpyxl), and one written by hand the way a
hostile or broken writer would (many empty rows, a declared size of the whole sheet)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

HEADER = ["ma_ho_so", "ho_ten", "dien_thoai", "dia_chi"]
PARTS = {
    "[Content_Types].xml":
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>',
    "_rels/.rels":
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml":
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def xlsx_bytes(*rows: list[object]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def empty_rows_xlsx(empty_rows: int, declared: str | None = None) -> bytes:
    """A header row (HEADER) then ``empty_rows`` empty rows; the sheet declares its size as
    ``declared`` (what it holds, by default)."""
    header = "".join(f'<c r="{column}1" t="inlineStr"><is><t>{name}</t></is></c>'
                     for column, name in zip("ABCD", HEADER, strict=True))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="{declared or f"A1:D{empty_rows + 1}"}"/><sheetData>'
             f'<row r="1">{header}</row>{"<row/>" * empty_rows}</sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in {**PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, part)
    return out.getvalue()
