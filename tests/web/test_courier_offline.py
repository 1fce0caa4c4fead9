"""Door scans sent from the phone's offline queue (static/js/courier/door.js): the item page's form
with its own event_id and the time the courier pressed the button, answered in JSON. The time is
checked as every scan's is (tracking.scans); a repeat is one event with one photo file."""

import io
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import select

from delivery.models import TrackingEvent
from tests.payloads import VN
from tests.web.test_courier_pages import jpeg, out_for_delivery
from tests.web.test_pages import csrf_of, login

JSON = {"Accept": "application/json"}


def send_queued(client, number, event_id, occurred_at, photo=None, **fields):
    """A door scan as the queue sends it: the form's fields, its event_id and time, the photo."""
    csrf = csrf_of(client.get(f"/courier/items/{number}").data)
    data = {"event": "delivered", "received_by": "Nguyễn Văn An", "relation": "self",
            "id_last4": "2345", "collected_vnd": "22000", "payment_method": "cash", **fields,
            "csrf_token": csrf, "event_id": event_id, "occurred_at": occurred_at.isoformat()}
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), "door.jpg")
    return client.post(f"/courier/items/{number}/scan", data=data, headers={**JSON},
                       content_type="multipart/form-data")


def events(session, event):
    session.expire_all()
    return session.exec(select(TrackingEvent).where(TrackingEvent.event == event)).all()


def test_it_keeps_the_time_the_courier_pressed_the_button(demo, client, api_headers, session):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    pressed = datetime.now(VN).replace(microsecond=0) - timedelta(hours=3)
    answer = send_queued(client, number, str(uuid.uuid4()), pressed)
    assert answer.status_code == 200
    assert answer.get_json()["accepted"] is True and answer.get_json()["status"] == "delivered"
    assert [e.occurred_at for e in events(session, "delivered")] == [pressed]


def test_it_refuses_a_time_in_the_future_saying_why(demo, client, api_headers, session):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    answer = send_queued(client, number, str(uuid.uuid4()), datetime.now(VN) + timedelta(hours=1))
    assert answer.status_code == 422 and answer.get_json() == {
        "accepted": False,
        "message": "Không ghi được: thời điểm ở tương lai"}
    assert events(session, "delivered") == []


def test_it_refuses_a_time_older_than_any_scan_saying_why(demo, client, api_headers, session):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    answer = send_queued(client, number, str(uuid.uuid4()), datetime(1999, 12, 31, tzinfo=VN))
    assert answer.get_json()["accepted"] is False
    assert answer.get_json()["message"] == "Không ghi được: thời điểm từ năm 2000"
    assert events(session, "delivered") == []


def test_it_records_a_door_scan_sent_twice_once_with_one_photo(demo, client, api_headers, session):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    event_id, pressed = str(uuid.uuid4()), datetime.now(VN) - timedelta(minutes=5)
    first = send_queued(client, number, event_id, pressed, photo=jpeg()).get_json()
    again = send_queued(client, number, event_id, pressed, photo=jpeg()).get_json()
    assert (first["accepted"], first["created"]) == (True, True)
    assert (again["accepted"], again["created"]) == (True, False)
    photos = list(Path(demo.config["PROOF_PHOTO_DIR"]).iterdir())
    assert len(events(session, "delivered")) == 1 and len(photos) == 1
    assert photos[0].name in events(session, "delivered")[0].proof


def test_it_refuses_a_failed_attempt_on_an_item_delivered_meanwhile(
    demo, client, api_headers, session
):
    number = out_for_delivery(client, api_headers)
    login(client, "courier")
    send_queued(client, number, str(uuid.uuid4()), datetime.now(VN) - timedelta(minutes=9))
    answer = send_queued(client, number, str(uuid.uuid4()), datetime.now(VN), photo=jpeg(),
                         event="delivery_failed", reason="premises_closed")
    assert answer.status_code == 409 and answer.get_json()["accepted"] is False
    assert answer.get_json()["message"] == (
        "Không ghi được: bưu gửi đang ở trạng thái Đã phát thành công, không ghi "
        "được Phát không thành công")
    assert events(session, "delivery_failed") == []
    assert list(Path(demo.config["PROOF_PHOTO_DIR"]).iterdir()) == []
