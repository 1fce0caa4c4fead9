"""Cells as spreadsheets write them: amounts never multiplied, numbers that lost their leading
zero, date cells in text columns, headers typed decomposed (NFD)."""

import datetime
import unicodedata

from delivery.import_file import read_rows
from delivery.intake import body_from_fields
from tests.delivery.workbooks import xlsx_bytes

HEADER = ["Mã hồ sơ", "Họ tên", "Điện thoại", "CCCD", "Địa chỉ", "Người trả", "Số tiền", "Ghi chú"]


def row_of(*cells):
    return read_rows("a.xlsx", xlsx_bytes(HEADER, list(cells))).rows[0][1]


def test_it_gives_back_the_leading_zero_of_a_phone_and_an_id_typed_as_numbers():
    row = row_of("X", "An", 912345678, 1085012345, "Hà Nội", "recipient", 22000, "")
    assert (row["phone"], row["national_id"]) == ("0912345678", "001085012345")


def test_it_reads_a_float_amount_cell_as_the_same_number_of_dong():
    row = row_of("X", "An", "0912345678", "", "Hà Nội", "recipient", 22000.0, "")
    body = body_from_fields(row, from_spreadsheet=True)
    assert body["payment"]["amount_vnd"] == 22000


def test_it_reads_an_amount_a_csv_wrote_with_a_zero_fraction_as_the_same_number():
    content = ("ma_ho_so,ho_ten,dien_thoai,dia_chi,nguoi_tra,so_tien\n"
               'X,An,0912345678,Hà Nội,recipient,"22000.00"\n').encode()
    row = read_rows("a.csv", content).rows[0][1]
    assert body_from_fields(row, from_spreadsheet=True)["payment"]["amount_vnd"] == 22000


def test_it_keeps_a_date_cell_in_a_text_column_as_the_date():
    row = row_of("X", "An", "0912345678", "", "Hà Nội", "", "",
                 datetime.datetime(2026, 12, 7))
    assert row["note"] == "2026-12-07"


def test_it_reads_a_header_row_typed_decomposed():
    header = [unicodedata.normalize("NFD", h) for h in HEADER]
    content = xlsx_bytes(header, ["X", "An", "0912345678", "", "Hà Nội", "", "", ""])
    assert read_rows("a.xlsx", content).rows[0][1]["name"] == "An"
