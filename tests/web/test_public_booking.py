"""The citizen books a collection on the public site, confirmed by a code texted to their phone."""

import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from delivery.collection_models import CollectionOrder
from delivery.models import VIETNAM_TIME, Consignment
from tests.stand_ins import SmsGateway
from tests.web.test_pages import csrf_of
from tracking.booking_codes import BookingCode

TOMORROW = (datetime.now(VIETNAM_TIME) + timedelta(days=1)).date().isoformat()
PHONE = "+84987654321"


def form(**overrides):
    fields = {"agency_code": "000.00.01.H26", "procedure": "Đăng ký khai sinh",
              "name": "Trần Thị Bình", "phone": "0987654321",
              "address": "Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội",
              "window_date": TOMORROW, "window_from": "08:00", "window_to": "10:00",
              "doc_name": ["Tờ khai", "Giấy chứng sinh"], "doc_copies": ["1", "2"], "note": ""}
    fields.update(overrides)
    return fields


@pytest.fixture
def gateway(demo):
    with SmsGateway() as stand_in:
        demo.config.update(SMS_GATEWAY="http", SMS_HTTP_URL=stand_in.url,
                           SMS_HTTP_TOKEN=stand_in.token)
        yield stand_in


def start(client, **overrides):
    token = csrf_of(client.get("/collect").data)
    return client.post("/collect", data={**form(**overrides), "csrf_token": token})


def send_code(client, location, code):
    token = csrf_of(client.get(location).data)
    return client.post(location, data={"code": code, "csrf_token": token})


def pending(app):
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(BookingCode)).all()


def items(app):
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(Consignment, CollectionOrder).join(
            CollectionOrder, CollectionOrder.consignment_id == Consignment.id)).all()


def wrong(code):
    return "000000" if code != "000000" else "111111"


def test_it_links_the_booking_from_the_public_front_door(demo, client):
    assert 'href="/collect"' in client.get("/").get_data(as_text=True)


def test_it_keeps_the_booking_pending_and_texts_a_code(demo, client, gateway):
    response = start(client)
    assert response.status_code == 302 and response.headers["Location"].startswith("/collect/")
    assert re.fullmatch(r"\d{6}", gateway.otp_for(PHONE))
    assert len(pending(demo)) == 1 and items(demo) == []


def test_it_stores_only_a_hash_of_the_code(demo, client, gateway):
    start(client)
    [row] = pending(demo)
    assert gateway.otp_for(PHONE) not in row.code_hash + row.salt + row.body


def test_it_books_with_the_right_code_and_shows_the_tracking_link(demo, client, gateway):
    location = start(client).headers["Location"]
    response = send_code(client, location, gateway.otp_for(PHONE))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    [(item, order)] = items(demo)
    assert item.tracking_number in page and f"/t/{item.tracking_token}" in page
    assert order.booked_by == "citizen" and "08:00-10:00" in page
    assert pending(demo) == []


def test_it_texts_the_citizen_the_booking_after_the_code(demo, client, gateway):
    location = start(client).headers["Location"]
    send_code(client, location, gateway.otp_for(PHONE))
    assert any("khung giờ 08:00-10:00" in m["text"] for m in gateway.sent())


def test_it_says_a_code_is_wrong_and_how_many_tries_are_left(demo, client, gateway):
    location = start(client).headers["Location"]
    response = send_code(client, location, wrong(gateway.otp_for(PHONE)))
    assert response.status_code == 422
    assert "Còn 4 lần thử" in response.get_data(as_text=True) and items(demo) == []


def test_it_refuses_the_right_code_after_five_wrong_ones(demo, client, gateway):
    location = start(client).headers["Location"]
    code = gateway.otp_for(PHONE)
    for _ in range(5):
        send_code(client, location, wrong(code))
    response = send_code(client, location, code)
    assert response.status_code == 422 and "quá nhiều lần" in response.get_data(as_text=True)
    assert items(demo) == []


def test_it_offers_a_new_code_once_the_code_expired(demo, client, gateway):
    location = start(client).headers["Location"]
    with Session(demo.extensions["db_engine"]) as db:
        row = db.exec(select(BookingCode)).one()
        row.code_expires_at = datetime.now(VIETNAM_TIME) - timedelta(seconds=1)
        db.add(row)
        db.commit()
    page = send_code(client, location, gateway.otp_for(PHONE)).get_data(as_text=True)
    assert "Mã đã hết hạn" in page and 'id="resend-form"' in page


def test_it_books_with_a_new_code_and_not_with_the_old_one(demo, client, gateway):
    location = start(client).headers["Location"]
    old = gateway.otp_for(PHONE)
    client.post(location + "/resend", data={"csrf_token": csrf_of(client.get(location).data)})
    new = gateway.otp_for(PHONE)
    if new != old:
        assert send_code(client, location, old).status_code == 422
    assert send_code(client, location, new).status_code == 302 and len(items(demo)) == 1


def test_it_sends_at_most_three_codes_for_one_booking(demo, client, gateway):
    location = start(client).headers["Location"]
    for _ in range(3):
        response = client.post(location + "/resend",
                               data={"csrf_token": csrf_of(client.get(location).data)})
    assert response.status_code == 429 and len(gateway.sent()) == 3


def test_it_limits_the_codes_texted_to_one_phone_in_an_hour(demo, client, gateway):
    for day in range(1, 5):
        date = (datetime.now(VIETNAM_TIME) + timedelta(days=day)).date().isoformat()
        response = start(client, window_date=date)
    assert response.status_code == 429 and len(gateway.sent()) == 3
    assert "thử lại sau" in response.get_data(as_text=True)


def test_it_texts_one_code_when_the_form_is_sent_twice(demo, client, gateway):
    first, again = start(client), start(client)
    assert first.headers["Location"] == again.headers["Location"] and len(gateway.sent()) == 1


def test_it_books_once_when_the_code_is_sent_twice(demo, client, gateway):
    location = start(client).headers["Location"]
    data = {"code": gateway.otp_for(PHONE), "csrf_token": csrf_of(client.get(location).data)}
    first, again = client.post(location, data=data), client.post(location, data=data)
    assert first.headers["Location"] == again.headers["Location"] and len(items(demo)) == 1


def test_it_shows_every_error_by_the_fields_name_and_keeps_what_was_typed(demo, client, gateway):
    response = start(client, phone="123", doc_name=["Tờ khai", "x" * 201])
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Điện thoại di động:" in page
    assert "Danh mục giấy tờ, dòng 2:" in page and "citizen.phone" not in page
    assert 'value="Tờ khai"' in page and "Trần Thị Bình" in page and gateway.sent() == []


def test_it_checks_the_window_against_the_offices_hours_before_texting(demo, client, gateway):
    response = start(client, window_from="05:00", window_to="06:00")
    assert response.status_code == 422 and "Khung giờ:" in response.get_data(as_text=True)
    assert gateway.sent() == [] and pending(demo) == []


def test_it_refuses_a_form_without_the_csrf_token(demo, client):
    client.get("/collect")
    assert client.post("/collect", data=form()).status_code == 400


def test_it_says_an_unknown_or_expired_booking_is_gone(demo, client):
    response = client.get("/collect/not-a-booking")
    assert response.status_code == 404 and "Đặt lịch lại" in response.get_data(as_text=True)


def test_it_deletes_a_pending_booking_past_its_time(demo, client, gateway):
    from tracking.booking_codes import forget_expired

    start(client)
    with Session(demo.extensions["db_engine"]) as db:
        assert forget_expired(db, datetime.now(VIETNAM_TIME) + timedelta(hours=2)) == 1
        db.commit()
    assert pending(demo) == []


def test_it_keeps_the_staffs_outbox_page_working_and_free_of_the_code(demo, client, gateway):
    from tests.web.test_pages import login

    start(client)
    code = gateway.otp_for(PHONE)
    staff = demo.test_client()
    login(staff, "supervisor")
    response = staff.get("/staff/outbox")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and code not in page
