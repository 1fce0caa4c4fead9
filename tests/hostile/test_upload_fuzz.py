"""The counter's import upload (/counter/imports/new) with generated files, file names and fields:
CSV cells of any Unicode (controls, NUL, lone surrogates as the bytes they stand for, huge
values), any delimiter or none, raw bytes, small spreadsheets: the page answers with a page or a
redirect, never a 5xx (the import runs in the request here: no Redis)."""

from __future__ import annotations

import csv
import io
from typing import Any

from hypothesis import strategies as st
from openpyxl import Workbook

from tests.hostile.test_write_fuzz import ANY_TEXT, NASTY, assert_page, run
from tests.web.test_pages import csrf_of, login

BOUNDARY = "----fuzz-7f3a0c5e9b1d"
HEADER = ("ma_ho_so", "ho_ten", "dien_thoai", "dia_chi")
GOOD_ROW = ("000.00.01.H26-250610-0001", "Trần Thị Bình", "0987654321",
            "Số 2 Hàng Gai, Phường Hoàn Kiếm, Hà Nội")
CELL = st.sampled_from(GOOD_ROW) | st.sampled_from(NASTY) | ANY_TEXT


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _row(draw: st.DrawFn) -> list[str]:
    """A good row (its own dossier code) with up to two cells replaced, or cells left out."""
    row = [f"000.00.01.H26-250610-{draw(st.integers(1, 9999)):04d}", *GOOD_ROW[1:]]
    for index in draw(st.lists(st.integers(0, len(row) - 1), max_size=2, unique=True)):
        row[index] = draw(CELL)
    return row[:draw(st.integers(0, len(row)))] if draw(st.integers(0, 9)) == 0 else row


@st.composite
def csv_file(draw: st.DrawFn) -> bytes:
    """The right header (mostly) and up to four rows, with a comma (mostly) or another
    delimiter, or none."""
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t", "|", ""]))
    header = list(HEADER) if draw(st.integers(0, 4)) else draw(st.lists(CELL, max_size=5))
    rows = [header, *(_row(draw) for _ in range(draw(st.integers(1, 4))))]
    if not delimiter:
        return _bytes("\n".join("".join(row) for row in rows))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return _bytes(out.getvalue())


@st.composite
def xlsx_file(draw: st.DrawFn) -> bytes:
    """A spreadsheet with the right header and up to four rows (openpyxl refuses to write
    control characters, so the cells hold every other character)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    printable = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=30)
    for _ in range(draw(st.integers(1, 4))):
        row = [f"000.00.01.H26-250610-{draw(st.integers(1, 9999)):04d}", *GOOD_ROW[1:]]
        for index in draw(st.lists(st.integers(0, 3), max_size=2, unique=True)):
            row[index] = draw(printable | st.sampled_from(["x" * 100_000, "9" * 5000]))
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


JUNK = {"agency_code": st.sampled_from(["000.00.01.H29", *NASTY]) | ANY_TEXT,
        "filename": st.sampled_from(["ketqua.txt", "", "\x00.csv", "a\ud800.xlsx", "../../x.csv",
                                     "ketqua.csv.xlsx"]) | ANY_TEXT,
        "content": st.binary(max_size=300) | st.sampled_from([b"", b"\xef\xbb\xbf", b"PK\x03\x04"])}


@st.composite
def uploads(draw: st.DrawFn) -> dict[str, Any]:
    """A good upload (a CSV or a spreadsheet) with its agency, name or content maybe replaced."""
    kind = draw(st.sampled_from(["csv", "xlsx"]))
    upload = {"agency_code": "000.00.01.H26", "filename": f"ketqua.{kind}",
              "content": draw(csv_file() if kind == "csv" else xlsx_file())}
    for key in draw(st.lists(st.sampled_from(sorted(JUNK)), max_size=1)):
        upload[key] = draw(JUNK[key])
    return upload


def multipart(fields: dict[str, str], filename: str, content: bytes) -> bytes:
    """A multipart body as a browser sends it, whatever the text (no client library would)."""
    parts = [b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
             % (BOUNDARY.encode(), _bytes(name), _bytes(value)) for name, value in fields.items()]
    parts.append(b'--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
                 b"Content-Type: application/octet-stream\r\n\r\n%s\r\n"
                 % (BOUNDARY.encode(), _bytes(filename).replace(b'"', b"%22"), content))
    return b"".join(parts) + b"--%s--\r\n" % BOUNDARY.encode()


def test_it_answers_every_generated_import_upload_with_a_page(demo, client):
    login(client, "counter")
    token = csrf_of(client.get("/counter/imports/new").data)

    def send(upload: dict[str, Any]) -> None:
        body = multipart({"csrf_token": token, "agency_code": upload["agency_code"]},
                         upload["filename"], upload["content"])
        response = client.post("/counter/imports/new", data=body,
                               content_type=f"multipart/form-data; boundary={BOUNDARY}")
        assert_page(response)
        if response.status_code in (302, 303):  # the run's page, whatever became of the file
            assert_page(client.get(response.headers["Location"]))

    run(uploads(), send)
