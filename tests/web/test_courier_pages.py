import io
from pathlib import Path

from PIL import Image

from delivery.access import EVERYTHING
from tests.payloads import intake_body, scan_body
from tests.web.test_pages import csrf_of, login


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, format="JPEG")
    return out.getvalue()


def out_for_delivery(client, headers):
    number = client.post("/api/v1/consignments", json=intake_body(),
                         headers=headers).get_json()["tracking_number"]
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery"):
        client.post("/api/v1/scans", json=scan_body(number, event), headers=headers)
    return number


def fail_with_photo(client, number, photo: bytes):
    page = client.get(f"/courier/items/{number}")
    return client.post(f"/courier/items/{number}/scan", content_type="multipart/form-data", data={
        "csrf_token": csrf_of(page.data), "event": "delivery_failed", "reason": "premises_closed",
        "photo": (io.BytesIO(photo), "door.jpg")})


def test_it_keeps_a_door_photo_with_a_failed_attempt(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    fail_with_photo(client, number, jpeg())
    event = client.get(f"/api/v1/consignments/{number}",
                       headers=api_headers).get_json()["events"][-1]
    assert event["event"] == "delivery_failed" and event["proof"]["photo"].endswith(".jpg")


def test_it_shows_the_photo_to_counter_staff_only(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    fail_with_photo(client, number, jpeg())
    photo = client.get(f"/api/v1/consignments/{number}",
                       headers=api_headers).get_json()["events"][-1]["proof"]["photo"]
    assert client.get(f"/staff/photos/{photo}").status_code == 403
    login(client, "counter")
    response = client.get(f"/staff/photos/{photo}")
    body = response.data
    response.close()
    assert response.status_code == 200 and body == jpeg()


def test_it_refuses_a_file_that_is_not_a_photo_and_records_nothing(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    page = fail_with_photo(client, number, b"<html>not a photo</html>")
    assert "JPEG" in client.get(page.headers["Location"]).get_data(as_text=True)
    shown = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()
    assert shown["status"] == "out_for_delivery"


def test_it_lists_the_round_of_the_couriers_office(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    page = client.get("/courier").get_data(as_text=True)
    assert number in page and "tel:0912345678" in page and "geo:0,0?q=" in page


def test_it_shows_the_courier_what_the_recipient_asked_for(demo, client, api_headers, session):
    from delivery.lookup import get_consignment
    from tracking.citizen_requests import give_instructions

    number = out_for_delivery(client, api_headers)
    give_instructions(session, get_consignment(session, number, EVERYTHING),
                      "Gọi trước 15 phút, nhà có chó")
    session.commit()
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert "Gọi trước 15 phút, nhà có chó" in page


def test_it_names_the_status_and_each_event_in_vietnamese(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    page = client.get(f"/courier/items/{number}").get_data(as_text=True)
    assert "tone-" in page and ">Đang đi phát</div>" in page
    assert "<summary>Báo phát không thành công</summary>" in page
    assert ">Xác nhận phát thành công</button>" in page and "Confirm delivered" not in page


def test_it_confirms_a_recorded_event_in_vietnamese(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    shown = client.get(
        fail_with_photo(client, number, jpeg()).headers["Location"]
    ).get_data(as_text=True)
    assert "Đã ghi: Phát không thành công → Phát không thành công</div>" in shown


def test_it_keeps_no_photo_of_a_refused_scan(demo, client, api_headers):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    page = client.get(f"/courier/items/{number}")
    client.post(f"/courier/items/{number}/scan", content_type="multipart/form-data", data={
        "csrf_token": csrf_of(page.data), "event": "delivered", "received_by": "An",
        "relation": "self", "id_last4": "2345", "otp": "000000",
        "photo": (io.BytesIO(jpeg()), "door.jpg")})
    shown = client.get(f"/api/v1/consignments/{number}", headers=api_headers).get_json()
    assert shown["status"] == "out_for_delivery"
    assert list(Path(demo.config["PROOF_PHOTO_DIR"]).iterdir()) == []
