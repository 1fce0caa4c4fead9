import io

import pytest

from tests.conftest import run_jobs
from tests.delivery.test_importing import BAD, GOOD, csv_bytes
from tests.web.test_pages import csrf_of, login


def upload(client, content, filename="ketqua.csv"):
    page = client.get("/counter/imports/new")
    return client.post("/counter/imports/new", data={
        "csrf_token": csrf_of(page.data), "agency_code": "000.00.01.H26",
        "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data")


def test_it_imports_a_file_at_once_without_redis_and_lists_the_bad_rows(demo, client):
    login(client, "counter")
    response = upload(client, csv_bytes(GOOD[0], BAD))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hoàn tất" in page and "Lê Văn Cường" in page
    progress = client.get(response.headers["Location"] + ".json").get_json()
    assert progress == {"state": "done", "total": 2, "processed": 2, "created": 1, "existing": 0,
                        "failed": 1}


def test_it_imports_in_the_background_with_redis(queued_app, monkeypatch):
    from sqlmodel import Session

    from tests.conftest import PASSWORD
    from web.demo import seed_demo

    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    with Session(queued_app.extensions["db_engine"]) as db:
        seed_demo(db)
    client = queued_app.test_client()
    login(client, "counter")
    location = upload(client, csv_bytes(*GOOD)).headers["Location"]
    assert client.get(location + ".json").get_json()["state"] == "queued"
    run_jobs(queued_app)
    assert client.get(location + ".json").get_json()["created"] == 2


def test_it_texts_each_imported_recipient_their_tracking_link(demo, client):
    from sqlmodel import Session, select

    from delivery.models import Consignment
    from tracking.models import Outbox

    login(client, "counter")
    upload(client, csv_bytes(GOOD[0], BAD))
    with Session(demo.extensions["db_engine"]) as db:
        created = db.exec(select(Consignment)).all()
        texts = db.exec(select(Outbox).where(Outbox.kind == "sms")).all()
    assert (len(created) == 1
            and [row.dedupe_key for row in texts] == [f"sms:{created[0].id}:created"])
    assert texts[0].state == "sent"  # without Redis it was sent once the import committed


def test_it_explains_an_unusable_file(demo, client):
    login(client, "counter")
    response = upload(client, b"just,some\nwords,here\n")
    assert response.status_code == 422 and "thiếu cột" in response.get_data(as_text=True)


def test_it_keeps_the_batches_committed_before_a_crash(session, agency, monkeypatch):
    import delivery.importing
    from delivery.importing import BATCH_ROWS, ImportRun, start_import
    from web.tasks import import_spreadsheet

    address = '"Số 2 Hàng Gai, Hoàn Kiếm, Hà Nội"'
    rows = [f"000.00.01.H26-250609-{n:04d},Trần Thị Bình,0987654321,{address},,\n"
            for n in range(1, BATCH_ROWS + 6)]
    run = start_import(session, agency, "ketqua.csv", csv_bytes(*rows), "user:1")
    session.commit()
    create, calls = delivery.importing.create_consignment, []

    def crash_in_the_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) > BATCH_ROWS + 2:
            raise RuntimeError("worker killed")
        return create(*args, **kwargs)

    monkeypatch.setattr(delivery.importing, "create_consignment", crash_in_the_second_batch)
    with pytest.raises(RuntimeError):
        import_spreadsheet(session, run.id, indicator="RR")
    session.rollback()
    kept = session.get(ImportRun, run.id)
    assert (kept.state, kept.processed, kept.created_count) == ("running", BATCH_ROWS, BATCH_ROWS)


def upload_for(client, agency_code, content):
    page = client.get("/counter/imports/new")
    return client.post("/counter/imports/new", data={
        "csrf_token": csrf_of(page.data), "agency_code": agency_code,
        "file": (io.BytesIO(content), "ketqua.csv")}, content_type="multipart/form-data")


def test_it_refuses_a_row_of_another_agencys_dossier_code_naming_the_prefix(demo, client):
    login(client, "counter")
    other = GOOD[1].replace("000.00.01.H26", "000.00.01.H29")
    location = upload(client, csv_bytes(GOOD[0], other)).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert client.get(location + ".json").get_json()["failed"] == 1
    assert "Mã hồ sơ: phải bắt đầu bằng 000.00.01.H26" in page


def test_it_refuses_an_import_for_an_agency_the_office_does_not_serve(demo, client):
    login(client, "counter")
    response = upload_for(client, "000.00.01.H29", csv_bytes(*GOOD))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "không phải cơ quan mà bưu cục này phục vụ" in page
    assert "agency_code" not in page.split('role="alert"')[1].split("</div>")[0]


def test_it_offers_only_the_served_agencies_for_an_import(demo, client):
    login(client, "counter2")
    page = client.get("/counter/imports/new").get_data(as_text=True)
    assert "000.00.01.H29" in page and "000.00.01.H26" not in page


def test_it_explains_a_csv_without_a_separator(demo, client):
    login(client, "counter")
    response = upload(client, b"just one column\nvalue\n")
    assert response.status_code == 422 and "thiếu cột" in response.get_data(as_text=True)


def test_it_refuses_a_file_name_with_a_nul_byte(demo, client):
    login(client, "counter")
    response = upload(client, csv_bytes(*GOOD), filename="ket\x00qua.csv")
    assert response.status_code == 422 and "tên tệp" in response.get_data(as_text=True)


def test_it_shows_why_an_import_failed(demo, client):
    from tests.delivery.workbooks import xlsx_bytes

    login(client, "counter")
    response = upload(client, xlsx_bytes(["ma_ho_so", "ho_ten"], ["X", "An"]), "ketqua.xlsx")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Không nhập được: thiếu cột: address, phone" in page


def test_it_keeps_the_file_unread_in_the_web_request(queued_app, monkeypatch):
    import time

    from sqlmodel import Session

    from tests.conftest import PASSWORD
    from tests.delivery.workbooks import empty_rows_xlsx
    from web.demo import seed_demo

    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    with Session(queued_app.extensions["db_engine"]) as db:
        seed_demo(db)
    client = queued_app.test_client()
    login(client, "counter")
    started = time.process_time()
    location = upload(client, empty_rows_xlsx(1_500_000), "ketqua.xlsx").headers["Location"]
    assert time.process_time() - started < 3  # it read the 1.5 M rows: 54 s of CPU
    progress = client.get(location + ".json").get_json()
    assert (progress["state"], progress["total"]) == ("queued", 0)  # the job reads it
