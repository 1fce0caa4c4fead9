"""The counter books a collection: /counter/collections/new, through book_and_notify."""

import json
from datetime import datetime, timedelta

from sqlmodel import Session, select

from delivery.collection_models import CollectionOrder
from delivery.models import VIETNAM_TIME, Consignment
from tests.web.test_pages import csrf_of, login
from tracking.models import Outbox

PATH = "/counter/collections/new"
TOMORROW = (datetime.now(VIETNAM_TIME) + timedelta(days=1)).date().isoformat()


def form(**overrides):
    fields = {"agency_code": "000.00.01.H26", "dossier_code": "", "procedure": "Đăng ký khai sinh",
              "name": "Trần Thị Bình", "phone": "0987 654 321", "national_id": "",
              "address": "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội",
              "window_date": TOMORROW, "window_from": "08:00", "window_to": "10:00",
              "doc_name": ["Tờ khai", "", "Giấy chứng sinh", ""], "doc_copies": ["", "", "2", ""],
              "payer": "citizen", "amount_vnd": "15.000", "note": ""}
    fields.update(overrides)
    return fields


def post(client, data):
    token = csrf_of(client.get(PATH).data)
    return client.post(PATH, data={**data, "csrf_token": token})


def stored(app):
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(Consignment, CollectionOrder).join(
            CollectionOrder, CollectionOrder.consignment_id == Consignment.id)).all()


def test_it_books_a_collection_and_shows_it_on_the_items_page(demo, client):
    login(client, "counter")
    response = post(client, form())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thu gom hồ sơ" in page and "08:00-10:00" in page and "Giấy chứng sinh" in page
    assert "15.000" in page and "công dân trả khi bưu tá đến nhận" in page


def test_it_keeps_the_checklist_without_the_empty_rows_and_the_fee(demo, client):
    login(client, "counter")
    post(client, form())
    [(item, order)] = stored(demo)
    assert json.loads(order.checklist) == [{"name": "Tờ khai", "copies": 1},
                                           {"name": "Giấy chứng sinh", "copies": 2}]
    assert (item.payer, item.amount_vnd, item.direction) == ("citizen", 15000, "to_agency")
    assert order.booked_by.startswith("user:")


def test_it_texts_the_citizen_through_the_same_booking_as_the_api(demo, client):
    login(client, "counter")
    post(client, form())
    with Session(demo.extensions["db_engine"]) as db:
        [row] = db.exec(select(Outbox).where(Outbox.kind == "sms")).all()
    assert json.loads(row.payload)["template"] == "collection_booked"


def test_it_books_once_when_the_form_is_sent_twice(demo, client):
    login(client, "counter")
    first, again = post(client, form()), post(client, form())
    assert first.headers["Location"] == again.headers["Location"] and len(stored(demo)) == 1


def test_it_names_a_documents_row_as_the_form_shows_it(demo, client):
    login(client, "counter")
    response = post(client, form(doc_copies=["", "", "99", ""]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Danh mục giấy tờ, dòng 3:" in page and "documents.2" not in page


def test_it_names_a_window_outside_the_offices_hours_as_people_do(demo, client):
    login(client, "counter")
    response = post(client, form(window_from="05:00", window_to="06:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Khung giờ:" in page
    assert "ngoài giờ làm việc" in page and stored(demo) == []


def test_it_names_the_phone_and_the_window_times_as_people_do(demo, client):
    login(client, "counter")
    page = post(client, form(window_to="7 giờ", phone="123")).get_data(as_text=True)
    assert "Điện thoại di động:" in page and "Đến giờ:" in page
    assert "citizen.phone" not in page and "window.to" not in page


def test_it_keeps_everything_typed_after_an_error(demo, client):
    login(client, "counter")
    page = post(client, form(phone="123", note="gọi trước")).get_data(as_text=True)
    assert 'value="Giấy chứng sinh"' in page and 'value="2"' in page
    assert 'value="gọi trước"' in page and 'value="15.000"' in page and 'value="123"' in page


def test_it_refuses_an_amount_that_is_no_amount(demo, client):
    login(client, "counter")
    page = post(client, form(amount_vnd="mười lăm")).get_data(as_text=True)
    assert "Số tiền (đồng):" in page and stored(demo) == []


def test_it_takes_a_dossier_for_an_agency_another_counter_serves(demo, client):
    """Regardless of boundary: Hồ Chí Minh City's shop takes a dossier for Hà Nội's centre, keeps
    seeing it (it starts its route) and may receive it over the counter."""
    login(client, "counter2")
    assert "000.00.01.H26" in client.get(PATH).get_data(as_text=True)
    response = post(client, form())
    assert response.status_code == 302
    [(item, _)] = stored(demo)
    with Session(demo.extensions["db_engine"]) as db:
        from delivery.models import PostOffice

        assert db.get(PostOffice, item.origin_office_id).code == "700000"
    assert client.get(response.headers["Location"]).status_code == 200


def test_it_refuses_an_agency_that_does_not_exist(demo, client):
    login(client, "counter")
    response = post(client, form(agency_code="000.00.01.H99"))
    assert response.status_code == 422 and stored(demo) == []
    assert "Cơ quan giải quyết:" in response.get_data(as_text=True)


def test_it_offers_the_candidate_wards_of_a_split_ward_and_books_the_one_picked(demo, client):
    login(client, "counter2")
    address = "so 5 duong nguyen trai, phuong dong an, tp di an, binh duong"
    page = post(client, form(agency_code="000.00.01.H29", address=address)).get_data(as_text=True)
    assert 'name="candidate"' in page
    picked = next(v for v in page.split('value="')[1:] if v.startswith("2") and ":" in v[:12])
    response = post(client, form(agency_code="000.00.01.H29", address=address,
                                 candidate=picked.split('"')[0]))
    assert response.status_code == 302


def test_it_links_the_booking_page_from_the_counter(demo, client):
    login(client, "counter")
    assert f'href="{PATH}"' in client.get("/counter").get_data(as_text=True)


def test_it_prints_a_collections_label_as_any_items(demo, client):
    login(client, "counter")
    number = post(client, form()).headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/counter/consignments/{number}").data
    response = client.post(f"/print/consignments/{number}",
                           data={"format": "pdf", "csrf_token": csrf_of(page)})
    label = client.get(response.headers["Location"])
    assert response.status_code == 303 and label.data.startswith(b"%PDF")
