"""Delivery receipts from the providers: recorded against the message's send when signed and
naming a known message, refused (and logged without personal data) otherwise; shown on the
outbox page."""

import hashlib
import json
import logging

import pytest

from tests.tracking.channel_fixtures import providers, sends, sms_rows
from tests.web.public_helpers import create_item
from tests.web.test_pages import login
from tracking.esms import receipt_signature

NO_ZALO = ("84912345678",)


@pytest.fixture
def texted(demo, client, api_headers):
    """One item whose message went by SMS (the number has no Zalo): eSMS's stand-in and the
    callback URL eSMS was given."""
    with providers(demo, without_zalo=NO_ZALO) as (esms, _):
        create_item(client, api_headers)
    [message] = esms.sent()
    return message


def esms_callback(message, **changes):
    params = {"SMSID": message["SMSID"], "SendFailed": "0", "SendStatus": "5",
              "SendSuccess": "1", "TotalPrice": "750", "TotalReceiver": "1", "TotalSent": "1",
              "RequestId": message["RequestId"], "TypeId": "2", "telcoid": "1",
              "phonenumber": "0912345678", **changes}
    return message["CallbackUrl"].replace("http://localhost", "") + "&" + "&".join(
        f"{key}={value}" for key, value in params.items())


def test_it_records_esms_saying_the_sms_reached_the_phone(demo, client, texted):
    assert client.get(esms_callback(texted)).status_code == 200
    sms = sends(demo)[-1]
    assert (sms.channel, sms.receipt, sms.receipt_code) == ("sms", "delivered", "5")


def test_it_records_a_failed_delivery_and_ignores_a_late_waiting_report(demo, client, texted):
    client.get(esms_callback(texted, SendSuccess="0", SendFailed="1"))
    late = client.get(esms_callback(texted, SendStatus="7", SendSuccess="0", SendFailed="0"))
    assert late.status_code == 200 and sends(demo)[-1].receipt == "failed"


def test_it_refuses_a_receipt_with_a_bad_signature_and_logs_no_number(demo, client, texted,
                                                                      caplog):
    url = esms_callback(texted).replace("sig=", "sig=0")
    with caplog.at_level(logging.WARNING):
        assert client.get(url).status_code == 400
    assert sends(demo)[-1].receipt is None
    assert "bad signature" in caplog.text and "912345678" not in caplog.text


def test_it_refuses_a_signed_receipt_for_an_unknown_message(demo, client, texted, caplog):
    url = (f"/hooks/esms?sig={receipt_signature('receipts', 'sms-999')}&RequestId=sms-999"
           "&SendStatus=5&SendSuccess=1&phonenumber=0912345678")
    with caplog.at_level(logging.WARNING):
        assert client.get(url).status_code == 404
    assert "unknown message sms-999" in caplog.text and "912345678" not in caplog.text


def zalo_event(msg_id: str, event: str = "user_received_message") -> dict:
    return {"app_id": "zalo-app", "event_name": event, "timestamp": "1733600000000",
            "sender": {"id": "oa-1"}, "recipient": {"id": "user-1"},
            "message": {"msg_id": msg_id, "delivery_time": "1733600000000"}}


def post_zalo(client, event: dict, secret: str = "oa-secret"):
    body = json.dumps(event).encode()
    mac = hashlib.sha256(b"zalo-app" + body + f"{event['timestamp']}{secret}".encode())
    return client.post("/hooks/zalo", data=body, content_type="application/json",
                       headers={"X-ZEvent-Signature": f"mac={mac.hexdigest()}"})


def test_it_records_zalo_saying_the_message_was_received(demo, client, api_headers):
    with providers(demo) as (_, zns):
        create_item(client, api_headers)
    assert post_zalo(client, zalo_event(zns.delivered[0]["msg_id"])).status_code == 200
    [send] = sends(demo)
    assert (send.channel, send.receipt, send.receipt_code) == ("zns", "delivered", "received")


@pytest.mark.parametrize("secret, msg_id, status", [("wrong", "zns-1", 400),
                                                    ("oa-secret", "zns-404", 404)])
def test_it_refuses_a_zalo_event_unsigned_or_for_an_unknown_message(demo, client, api_headers,
                                                                    secret, msg_id, status):
    with providers(demo):
        create_item(client, api_headers)
    assert post_zalo(client, zalo_event(msg_id), secret).status_code == status
    assert sends(demo)[0].receipt is None


def test_it_shows_each_channel_its_receipt_and_price_on_the_outbox_page(demo, client, texted):
    client.get(esms_callback(texted))
    login(client, "supervisor")
    page = client.get(f"/staff/outbox/{sms_rows(demo)[0].id}").get_data(as_text=True)
    assert "Số không có tài khoản" in page and "-118" in page
    assert "Đã tới máy" in page and f"{sends(demo)[-1].price_vnd} đ" in page


def test_it_counts_the_days_sends_and_receipts_per_channel(demo, client, texted):
    client.get(esms_callback(texted))
    login(client, "supervisor")
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert "Kênh gửi trong 24 giờ" in page
    assert "<tr><td>Zalo ZNS</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td>" \
        in page
    assert "<tr><td>SMS</td><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td>" in page
