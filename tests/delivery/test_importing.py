import io

import pytest
from sqlmodel import select

from delivery.errors import ValidationFailed
from delivery.importing import ImportRun, read_rows, row_errors, start_import
from delivery.models import Consignment
from web.tasks import import_spreadsheet as process_import

HEADER = "ma_ho_so,ho_ten,dien_thoai,dia_chi,nguoi_tra,so_tien\n"
GOOD = [
    '000.00.01.H26-250609-0001,Nguyễn Văn An,0912345678,'
    '"Số 1 Lý Thái Tổ, P. Lý Thái Tổ, Q. Hoàn Kiếm, Hà Nội",recipient,22.000\n',
    '000.00.01.H26-250609-0002,Trần Thị Bình,0987654321,'
    '"Số 2 Hàng Gai, Phường Hoàn Kiếm, Hà Nội",,\n',
]
BAD = "000.00.01.H26-250609-0003,Lê Văn Cường,123,nowhere at all,,\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode("utf-8-sig")


@pytest.fixture(autouse=True)
def app_context(request):
    """The import job (web.tasks) runs inside the app, as the worker runs it."""
    if "session" not in request.fixturenames:
        yield
        return
    with request.getfixturevalue("app").app_context():
        yield


def run_file(session, agency, content, filename="ketqua.csv"):
    run = start_import(session, agency, filename, content, "user:1")
    session.commit()
    return process_import(session, run.id, indicator="RR")


def test_it_reads_a_semicolon_csv_with_a_byte_order_mark():
    content = "\ufeffma_ho_so;ho_ten;dien_thoai;dia_chi\nX;An;0912345678;Hà Nội\n".encode()
    assert read_rows("a.csv", content) == [{"dossier_code": "X", "name": "An",
                                            "phone": "0912345678", "address": "Hà Nội"}]


def test_it_reads_an_excel_sheet():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Mã hồ sơ", "Họ tên", "Điện thoại", "Địa chỉ", "Số tiền"])
    book.active.append(["X", "An", "0912345678", "Hà Nội", 22000])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_rows("a.xlsx", buffer.getvalue())[0]["amount_vnd"] == "22000"


def test_it_names_the_missing_columns():
    with pytest.raises(ValidationFailed, match="address, phone"):
        read_rows("a.csv", b"ma_ho_so,ho_ten\nX,An\n")


def test_it_refuses_a_csv_that_is_not_utf8():
    with pytest.raises(ValidationFailed, match="UTF-8"):
        read_rows("a.csv", "ma_ho_so,ho_ten\nX,Trần Thị Bình\n".encode("utf-16"))


def test_it_imports_the_good_rows_and_reports_the_bad_one(session, agency):
    run = run_file(session, agency, csv_bytes(GOOD[0], BAD, GOOD[1]))
    assert (run.state, run.created_count, run.failed_count, run.processed) == ("done", 2, 1, 3)
    assert set(row_errors(run)[3]) == {"recipient.phone", "address"}
    assert len(session.exec(select(Consignment)).all()) == 2


def test_it_creates_nothing_new_when_the_same_file_comes_again(session, agency):
    run_file(session, agency, csv_bytes(*GOOD))
    again = run_file(session, agency, csv_bytes(*GOOD))
    assert (again.created_count, again.existing_count) == (0, 2)
    assert len(session.exec(select(Consignment)).all()) == 2


def test_it_forgets_the_uploaded_file_once_processed(session, agency):
    run = run_file(session, agency, csv_bytes(*GOOD))
    assert session.get(ImportRun, run.id).content is None


def test_it_does_nothing_when_asked_to_process_a_finished_run_again(session, agency):
    run = run_file(session, agency, csv_bytes(*GOOD))
    assert process_import(session, run.id, indicator="RR").created_count == 2
