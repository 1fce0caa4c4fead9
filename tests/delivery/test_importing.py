import io
import time
import zipfile

import pytest
from sqlmodel import select

from delivery.errors import ValidationFailed
from delivery.import_file import read_rows
from delivery.importing import ImportRun, row_errors, start_import
from delivery.models import Consignment
from tests.delivery.workbooks import empty_rows_xlsx, xlsx_bytes
from web.tasks import import_spreadsheet as process_import
from web.tasks import process_import as import_job

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
    assert read_rows("a.csv", content).rows == [(2, {"dossier_code": "X", "name": "An",
                                                     "phone": "0912345678", "address": "Hà Nội"})]


def test_it_reads_an_excel_sheet():
    content = xlsx_bytes(["Mã hồ sơ", "Họ tên", "Điện thoại", "Địa chỉ", "Số tiền"],
                         ["X", "An", "0912345678", "Hà Nội", 22000])
    assert read_rows("a.xlsx", content).rows[0][1]["amount_vnd"] == "22000"


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


def test_it_reads_a_csv_whose_header_has_no_separator_as_one_column():
    with pytest.raises(ValidationFailed, match="missing columns"):
        read_rows("a.csv", b"just one column\nvalue\n")


def test_it_numbers_rows_as_the_spreadsheet_shows_them_past_blank_rows():
    content = csv_bytes(GOOD[0], "\n", ",,,\n", GOOD[1])
    assert [number for number, _ in read_rows("a.csv", content).rows] == [2, 5]


def test_it_refuses_the_row_with_a_nul_byte_and_imports_the_others(session, agency):
    rows = [f"000.00.01.H26-250609-{n:04d},Trần Thị Bình,0987654321,\"Số 2 Hàng Gai, Hoàn Kiếm, "
            f"Hà Nội\",,\n" for n in range(1, 11)]
    rows.insert(4, "000.00.01.H26-250609-0099,Lê\x00 Văn Cường,0912345678,Hà Nội,,\n")
    run = run_file(session, agency, csv_bytes(*rows))
    assert (run.state, run.created_count, run.failed_count) == ("done", 10, 1)
    refused = row_errors(run)[6]
    assert list(refused) == ["ho_ten"] and "control character" in refused["ho_ten"]


def test_it_reads_tabs_and_line_breaks_in_a_cell_as_spaces():
    content = csv_bytes('X,"Nguyễn\tVăn\r\nAn",0912345678,"Số 1\nLý Thái Tổ, Hà Nội",,\n')
    assert read_rows("a.csv", content).rows[0][1]["name"] == "Nguyễn Văn An"


def test_it_refuses_the_row_with_a_c1_control_character_in_a_workbook():
    content = xlsx_bytes(["ma_ho_so", "ho_ten", "dien_thoai", "dia_chi"],
                         ["X", "A\x85n", "0912345678", "Hà Nội"])
    assert list(read_rows("a.xlsx", content).refused[2]) == ["ho_ten"]


def test_it_does_not_read_the_rows_when_the_file_is_uploaded(session, agency):
    run = start_import(session, agency, "a.xlsx", empty_rows_xlsx(1_500_000), "user:1")
    assert (run.state, run.total) == ("queued", 0)


def test_it_stops_reading_a_sheet_at_the_row_limit():
    content = empty_rows_xlsx(1_500_000)  # 15 KB that unpack to 1.5 million empty rows
    started = time.process_time()
    with pytest.raises(ValidationFailed, match="more than 10000 rows"):
        read_rows("a.xlsx", content)
    assert time.process_time() - started < 5  # it was 54 s of CPU before the limit was checked


def test_it_reads_no_more_columns_than_a_sheet_can_need():
    from delivery.spreadsheet import MAX_COLUMNS, table_rows

    content = empty_rows_xlsx(10, declared="A1:XFD1048576")
    assert [len(cells) for _, cells in table_rows("a.xlsx", content, max_rows=20)] == [MAX_COLUMNS]


def test_it_refuses_a_workbook_that_unpacks_too_large_before_opening_it():
    from delivery.import_file import check_upload

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (64 * 1024 * 1024))
    with pytest.raises(ValidationFailed, match="unpacks to more than 32 MB"):
        check_upload("a.xlsx", bomb.getvalue())


def test_it_ends_the_run_failed_with_the_reason_when_the_file_cannot_be_imported(session, agency):
    run = start_import(session, agency, "a.xlsx", xlsx_bytes(["ma_ho_so", "ho_ten"], ["X", "An"]),
                       "user:1")
    session.commit()
    assert import_job(run.id) == "failed"
    session.refresh(run)
    assert "missing columns: address, phone" in run.error


def test_it_ends_the_run_failed_on_anything_unexpected(session, agency, monkeypatch):
    import delivery.importing

    def broken(*args, **kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(delivery.importing, "create_consignment", broken)
    run = start_import(session, agency, "a.csv", csv_bytes(*GOOD), "user:1")
    session.commit()
    assert import_job(run.id) == "failed"
    session.refresh(run)
    assert "unexpected error (RuntimeError)" in run.error and "database away" not in run.error


def test_it_forgets_the_file_of_a_failed_run(session, agency):
    run = start_import(session, agency, "a.xlsx", empty_rows_xlsx(20_000), "user:1")
    session.commit()
    import_job(run.id)
    session.refresh(run)
    assert (run.state, run.content) == ("failed", None)


def test_it_leaves_a_run_another_job_is_working_on(session, agency):
    from delivery.background_runs import claim_run

    run = start_import(session, agency, "a.csv", csv_bytes(*GOOD), "user:1")
    session.commit()
    assert claim_run(session, ImportRun, run.id)
    session.commit()
    assert import_job(run.id) == "running"
    assert session.exec(select(Consignment)).all() == []


def test_it_forgets_the_refused_rows_of_runs_finished_before_the_retention(session, agency):
    from datetime import timedelta

    from delivery.importing import forget_refused_rows
    from delivery.models import utcnow

    old = run_file(session, agency, csv_bytes(GOOD[0], BAD))
    assert forget_refused_rows(session, 30, now=utcnow() + timedelta(days=29)) == 0
    assert forget_refused_rows(session, 30, now=utcnow() + timedelta(days=31)) == 1
    session.commit()
    session.refresh(old)
    assert row_errors(old) == {} and (old.created_count, old.failed_count) == (1, 1)
    assert forget_refused_rows(session, 30, now=utcnow() + timedelta(days=31)) == 0
