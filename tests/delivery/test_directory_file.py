import csv
import io
import unicodedata

import pytest
from openpyxl import Workbook
from sqlmodel import select

from delivery.directory import find_office, office_entry
from delivery.directory_file import (
    column_of,
    directory_rows,
    export_directory,
    import_directory,
    read_directory,
)
from delivery.errors import ValidationFailed
from delivery.models import Agency, OfficeWard, PostOffice
from delivery.organisation import Beat

HEADER = ["record", "code", "name", "kind", "province", "wards", "serves", "office", "courier"]
AGENCY = ["agency", "000.00.01.H26", "TT PVHCC Hà Nội", "", "01", "", "", "", ""]
HUB = ["office", "100900", "Trung tâm Khai thác chia chọn Hà Nội", "hub", "01", "", "", "", ""]
HOAN_KIEM = ["office", "100100", "Bưu cục phát Hoàn Kiếm", "delivery", "01", "00070;00073", "",
             "", ""]
BEAT = ["beat", "T01", "Tuyến Hoàn Kiếm", "", "", "00070", "", "100100", ""]


def csv_file(*rows, header=HEADER, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerows([header, *rows])
    return out.getvalue().encode("utf-8-sig")


def run(session, content, filename="danhba.csv"):
    report = import_directory(session, read_directory(filename, content))
    session.commit()
    return report


@pytest.fixture
def example(repo_root):
    return (repo_root / "docs" / "directory-example.csv").read_bytes()


def test_it_imports_the_example_file(session, example):
    report = run(session, example)
    assert (report.created, report.errors) == (16, {})
    assert set(report.webhook_secrets) == {"000.00.01.H26", "000.00.01.H29"}


def test_it_changes_nothing_when_the_same_file_is_imported_again(session, example):
    run(session, example)
    again = run(session, example)
    assert (again.created, again.updated, again.unchanged, again.webhook_secrets) == (0, 0, 16, {})


def test_it_exports_the_example_as_it_was_written(session, example):
    run(session, example)
    assert export_directory(session, "danhba.csv") == example


def test_it_round_trips_through_excel(session, example):
    run(session, example)
    before = directory_rows(session)
    again = run(session, export_directory(session, "danhba.xlsx"), "danhba.xlsx")
    assert (again.unchanged, again.errors, directory_rows(session)) == (16, {}, before)


def test_it_refuses_an_unknown_ward_on_its_row_and_imports_the_others(session):
    bad = ["office", "100200", "Bưu cục phát Ba Đình", "delivery", "01", "00004;99999", "", "",
           ""]
    report = run(session, csv_file(AGENCY, bad, HOAN_KIEM))
    assert list(report.errors) == [3] and "99999" in report.errors[3]["wards"]
    assert report.created == 2 and find_office(session, "100200") is None


def test_it_writes_nothing_from_a_bad_row_for_a_record_already_there(session):
    run(session, csv_file(HOAN_KIEM))
    renamed = HOAN_KIEM.copy()
    renamed[2], renamed[5] = "Tên mới", "00070;00073;99999"
    run(session, csv_file(renamed))
    office = find_office(session, "100100")
    assert office.name == "Bưu cục phát Hoàn Kiếm"
    assert office_entry(session, office).wards == (70, 73)


def test_it_refuses_a_code_repeated_in_the_file_naming_the_first_row(session):
    report = run(session, csv_file(HOAN_KIEM, HUB, HOAN_KIEM))
    assert report.errors == {4: {"code": "trùng với dòng 2 / the same office as row 2"}}


def test_it_refuses_a_beat_of_a_hub(session):
    beat = BEAT.copy()
    beat[7] = "100900"
    report = run(session, csv_file(HUB, beat))
    assert "delivery offices" in report.errors[3]["office"]
    assert session.exec(select(Beat)).all() == []


def test_it_refuses_agencies_served_by_a_delivery_office(session):
    serving = HOAN_KIEM.copy()
    serving[6] = "000.00.01.H26"
    report = run(session, csv_file(AGENCY, serving))
    assert "counter" in report.errors[3]["serves"]


def test_it_refuses_a_beat_ward_outside_its_offices_wards(session):
    beat = BEAT.copy()
    beat[5] = "00004"
    report = run(session, csv_file(HOAN_KIEM, beat))
    assert "00004 Phường Ba Đình" in report.errors[3]["wards"]


def test_it_refuses_a_value_in_a_column_the_record_does_not_use(session):
    office = HOAN_KIEM.copy()
    office[8] = "lan"
    report = run(session, csv_file(office))
    assert report.errors[2] == {"courier": "không dùng cho bưu cục / not used for an office"}


def test_it_refuses_an_unknown_record(session):
    assert "record" in run(session, csv_file(["kho", "1", "x", "", "", "", "", "", ""])).errors[2]


def test_it_refuses_ward_codes_that_are_not_numbers(session):
    office = HOAN_KIEM.copy()
    office[5] = "Phường Hoàn Kiếm"
    assert "numbers" in run(session, csv_file(office)).errors[2]["wards"]


def test_it_saves_beats_and_counters_before_the_rows_they_need(session):
    counter = ["office", "100000", "Bưu điện TT PVHCC", "counter", "01", "", "000.00.01.H26", "",
               ""]
    report = run(session, csv_file(BEAT, counter, HOAN_KIEM, AGENCY))
    assert (report.created, report.errors) == (4, {})


def test_it_reads_words_in_vietnamese(session):
    agency = ["cơ quan", *AGENCY[1:]]
    office = ["Bưu cục", *HOAN_KIEM[1:3], "bưu cục phát", *HOAN_KIEM[4:]]
    beat = ["tuyến phát", *BEAT[1:]]
    assert run(session, csv_file(agency, office, beat)).created == 3


@pytest.mark.parametrize("header", ["Mã phường xã / wards", "wards", "Mã phường xã", "WARDS",
                                    unicodedata.normalize("NFD", "Mã phường xã"),
                                    "Ma phuong xa"])
def test_it_knows_a_column_however_its_header_is_written(header):
    assert column_of(header) == "wards"


def test_it_ignores_columns_it_does_not_use(session):
    report = run(session, csv_file([*HOAN_KIEM, "ghi chú"], header=[*HEADER, "Ghi chú / note"]))
    assert report.created == 1


def test_it_reads_a_csv_separated_by_semicolons(session):
    assert run(session, csv_file(HOAN_KIEM, delimiter=";")).created == 1


def test_it_reads_codes_excel_stored_as_numbers(session):
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["office", 100100, "Bưu cục phát Hoàn Kiếm", "delivery", 1, 70.0])
    out = io.BytesIO()
    workbook.save(out)
    run(session, out.getvalue(), "danhba.xlsx")
    office = find_office(session, "100100")
    assert (office.province_code, office_entry(session, office).wards) == (1, (70,))


def test_it_refuses_a_file_without_a_record_column():
    with pytest.raises(ValidationFailed) as caught:
        read_directory("danhba.csv", csv_file(HOAN_KIEM[1:], header=HEADER[1:]))
    assert "record" in caught.value.errors["file"]


def test_it_refuses_a_csv_that_is_not_utf8():
    with pytest.raises(ValidationFailed) as caught:
        read_directory("danhba.csv", "record,code\noffice,Tên\n".encode("cp1258"))
    assert "UTF-8" in caught.value.errors["file"]


def test_it_refuses_a_file_that_is_neither_csv_nor_xlsx():
    with pytest.raises(ValidationFailed):
        read_directory("danhba.ods", b"record,code\n")


def test_it_numbers_rows_as_the_spreadsheet_does(session):
    content = csv_file(HOAN_KIEM) + b",,,,,,,,\r\n" + csv_file(HOAN_KIEM).split(b"\n", 1)[1]
    assert list(run(session, content).errors) == [4]


def test_it_deletes_nothing_a_file_leaves_out(session, example):
    run(session, example)
    run(session, csv_file(HUB))
    assert len(session.exec(select(PostOffice)).all()) == 8
    assert len(session.exec(select(Agency)).all()) == 2
    assert len(session.exec(select(OfficeWard)).all()) == 14
