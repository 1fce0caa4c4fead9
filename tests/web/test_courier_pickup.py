"""The pick-up at the door from the courier's pages: the round's stop, the form, the pages kept as
files and rows with the picked_up scan, and nothing kept when anything is refused."""

import hashlib
import io
from pathlib import Path

import pypdfium2
from sqlmodel import Session, select

from delivery.collection_models import CollectionOrder, DossierPage
from delivery.models import TrackingEvent
from tests.payloads import collection_body, scan_body
from tests.web.door_helpers import (
    book_for_today,
    item_of,
    outbox_payloads,
    page_jpeg,
    pick_up,
)
from tests.web.test_pages import csrf_of, login
from tracking.money import Collection

PHOTOS = [page_jpeg(n) for n in (1, 2, 3)]


def pages_dir(app) -> Path:
    return Path(app.config["PROOF_PHOTO_DIR"]) / "pages"


def stored_pages(app, number):
    item = item_of(app, number)
    with Session(app.extensions["db_engine"]) as db:
        rows = db.exec(select(DossierPage).where(DossierPage.consignment_id == item.id)
                       .order_by(DossierPage.number)).all()
        return rows, db.get(CollectionOrder, item.id)


def files(app):
    folder = pages_dir(app)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_it_lists_todays_pick_up_with_its_window_on_the_round(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    html = client.get("/courier").get_data(as_text=True)
    stops = html.split('id="pickups"')[1].split("</ol>")[0]
    assert number in stops and "08:00–10:00" in stops and ">Nhận hồ sơ</span>" in stops
    assert number not in html.split('id="pickups"')[0]  # not among the deliveries


def test_it_leaves_a_pick_up_booked_for_another_day_off_todays_round(demo, client, api_headers):
    number = client.post("/api/v1/collections", json=collection_body(2),
                         headers=api_headers).get_json()["tracking_number"]
    login(client, "courier")
    assert number not in client.get("/courier").get_data(as_text=True)


def test_it_shows_the_pick_up_form_with_the_checklist_the_citizen_and_the_fee(
        demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    html = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert 'href="tel:0987654321"' in html and "Trần Thị Bình" in html
    assert "Đăng ký khai sinh" in html and "08:00–10:00" in html and "15.000" in html
    assert html.count('type="checkbox" name="present_') == 3
    assert 'accept="image/*" capture="environment" multiple' in html
    assert ">Xác nhận đã nhận hồ sơ</button>" in html
    assert "Báo không nhận được hồ sơ" in html
    for counters_own in ("accepted", "cancelled"):
        assert f'name="event" value="{counters_own}"' not in html


def test_it_records_the_pick_up_with_its_pages_missing_document_and_fee(
        demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    response = pick_up(client, number, present=(1, 2), photos=PHOTOS)
    assert response.status_code == 302
    assert item_of(demo, number).status == "picked_up"
    rows, order = stored_pages(demo, number)
    assert [r.sha256 for r in rows] == [hashlib.sha256(p).hexdigest() for p in PHOTOS]
    assert [r.size_bytes for r in rows] == [len(p) for p in PHOTOS]
    pdf = (pages_dir(demo) / order.pages_pdf).read_bytes()
    assert order.pages_pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert len(pypdfium2.PdfDocument(pdf)) == 3
    with Session(demo.extensions["db_engine"]) as db:
        event = db.exec(select(TrackingEvent).where(TrackingEvent.event == "picked_up")).one()
        [money] = db.exec(select(Collection)).all()
    assert '"missing": [3]' in event.proof and '"pages": 3' in event.proof
    assert "Trần Thị Bình" in event.proof
    assert (money.amount_vnd, money.method) == (15000, "cash")


def test_it_texts_the_citizen_the_receipts_link(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    pick_up(client, number, photos=PHOTOS[:1])
    receipt = [p for p in outbox_payloads(demo) if p["template"] == "collection_receipt"]
    assert len(receipt) == 1 and receipt[0]["tracking_number"] == number
    assert receipt[0]["token"] == item_of(demo, number).tracking_token


def test_it_refuses_a_page_that_is_not_a_photo_naming_it_and_keeps_nothing(
        demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    response = pick_up(client, number, present=(1, 3), photos=[PHOTOS[0], b"%PDF-1.4 not"])
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Ảnh trang 2: " in html
    assert 'name="present_1" value="1" checked' in html
    assert 'name="present_2" value="1">' in html and 'name="present_3" value="1" checked' in html
    assert item_of(demo, number).status == "created"
    assert stored_pages(demo, number)[0] == [] and files(demo) == []


def test_it_refuses_a_page_over_the_size_limit(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    demo.config["DOSSIER_PAGE_MAX_BYTES"] = 100 * 1024
    big = PHOTOS[0] + b"\0" * (100 * 1024)
    response = pick_up(client, number, photos=[PHOTOS[0], big])
    assert response.status_code == 422
    assert "Ảnh trang 2: ảnh quá 100 KB" in response.get_data(as_text=True)
    assert files(demo) == [] and item_of(demo, number).status == "created"


def test_it_refuses_a_cut_short_photo_and_deletes_the_pages_before_it(
        demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    response = pick_up(client, number, photos=[PHOTOS[0], PHOTOS[1][:200]])
    assert response.status_code == 422 and "Ảnh trang 2" in response.get_data(as_text=True)
    assert files(demo) == [] and stored_pages(demo, number)[0] == []


def test_it_refuses_a_form_that_does_not_answer_for_every_document(
        demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    response = pick_up(client, number, photos=PHOTOS, document_count="2")
    assert response.status_code == 422
    assert "đối chiếu đủ 3 giấy tờ" in response.get_data(as_text=True)
    assert files(demo) == [] and stored_pages(demo, number)[0] == []
    assert item_of(demo, number).status == "created"


def test_it_asks_for_at_least_one_page(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    response = pick_up(client, number, photos=[])
    assert response.status_code == 422 and "ít nhất một trang" in response.get_data(as_text=True)


def test_it_keeps_one_set_of_pages_when_the_same_pick_up_comes_twice(
        demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    first = pick_up(client, number, photos=PHOTOS, event_id="door-pickup-0001",
                    occurred_at="2026-12-07T08:30:00+07:00")
    again = pick_up(client, number, photos=PHOTOS, event_id="door-pickup-0001",
                    occurred_at="2026-12-07T08:30:00+07:00")
    assert first.status_code == again.status_code == 302
    assert len(files(demo)) == 4 and len(stored_pages(demo, number)[0]) == 3


def test_it_answers_the_offline_queue_in_json(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    page = client.get(f"/courier/items/{number}")
    response = client.post(f"/courier/items/{number}/pickup",
                           headers={"Accept": "application/json"},
                           content_type="multipart/form-data", data={
        "csrf_token": csrf_of(page.data), "document_count": "3", "received_by": "Bình",
        "collected_vnd": "15000", "payment_method": "cash",
        "pages": [(io.BytesIO(b"not a photo"), "p.jpg")]})
    assert response.status_code == 422 and response.get_json()["accepted"] is False
    assert "Ảnh trang 1" in response.get_json()["message"]


def test_it_lets_only_couriers_record_a_pick_up(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "counter")
    assert pick_up(client, number, photos=PHOTOS).status_code == 403
    assert files(demo) == []


def test_it_keeps_a_missed_pick_up_on_the_round_not_among_the_deliveries(
        demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    page = client.get(f"/courier/items/{number}")
    client.post(f"/courier/items/{number}/scan", data={
        "csrf_token": csrf_of(page.data), "event": "delivery_failed",
        "reason": "recipient_absent"})
    assert item_of(demo, number).status == "attempt_failed"
    html = client.get("/courier").get_data(as_text=True)
    before, stops = html.split('id="pickups"')
    assert number in stops.split("</ol>")[0] and "lần trước chưa nhận được" in stops
    assert number not in before and number not in stops.split("</ol>", 1)[1]


def test_it_deletes_the_pages_of_a_pick_up_refused_by_the_status_model(
        demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier")
    pick_up(client, number, photos=PHOTOS)
    again = pick_up(client, number, photos=PHOTOS[:2])  # another event: already picked up
    assert again.status_code == 422 and 'id="pickup-error"' in again.get_data(as_text=True)
    assert len(files(demo)) == 4 and len(stored_pages(demo, number)[0]) == 3


def test_it_hides_a_pick_up_from_a_courier_of_another_office(demo, client, api_headers):
    number = book_for_today(demo, client, api_headers)
    login(client, "courier2")  # Dĩ An's courier: Hoàn Kiếm's pick-ups are not theirs
    assert number not in client.get("/courier").get_data(as_text=True)
    assert client.get(f"/courier/items/{number}").status_code == 404
    assert client.post("/api/v1/scans", json=scan_body(number, "picked_up"),
                       headers={"X-CSRF-Token": csrf_of(client.get("/courier").data)}
                       ).status_code == 404
