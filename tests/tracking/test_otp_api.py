import logging
import re

from tests.payloads import intake_body, scan_body, with_otp
from tracking.sms import SmsMessage, SmsSettings
from tracking.sms_gateways import console_gateway


def to_out_for_delivery(client, headers):
    number = client.post("/api/v1/consignments", json=intake_body(),
                         headers=headers).get_json()["tracking_number"]
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery"):
        assert client.post("/api/v1/scans", json=scan_body(number, event),
                           headers=headers).status_code == 201
    return number


def logged_otp(caplog):
    """What a demo courier does: read the code in the console gateway's log (development only)."""
    return re.findall(r"OTP nhận: (\d{6})", caplog.text)[-1]


def test_it_answers_a_delivery_without_the_otp_with_422(demo, client, api_headers):
    demo.config["DELIVERY_OTP_REQUIRED"] = True
    number = to_out_for_delivery(client, api_headers)
    response = client.post("/api/v1/scans", json=scan_body(number, "delivered"),
                           headers=api_headers)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"proof.otp": "Mã OTP không đúng / wrong OTP"}


def test_it_delivers_with_the_code_the_console_gateway_printed(demo, client, api_headers, caplog):
    demo.config["DELIVERY_OTP_REQUIRED"] = True
    caplog.set_level(logging.INFO, "tracking.sms")
    number = to_out_for_delivery(client, api_headers)
    body = with_otp(scan_body(number, "delivered"), logged_otp(caplog))
    assert client.post("/api/v1/scans", json=body, headers=api_headers).status_code == 201


def test_it_delivers_without_a_code_when_the_setting_is_off(demo, client, api_headers):
    demo.config["DELIVERY_OTP_REQUIRED"] = False
    number = to_out_for_delivery(client, api_headers)
    assert client.post("/api/v1/scans", json=scan_body(number, "delivered"),
                       headers=api_headers).status_code == 201


def test_it_masks_the_otp_in_the_log_outside_development(caplog):
    caplog.set_level(logging.INFO, "tracking.sms")
    console_gateway(SmsSettings(reveal_otp_in_log=False))(
        SmsMessage("sms-1", "+84912345678", "OTP: 123456", "123456"))
    assert ("123456" not in caplog.text and "******" in caplog.text
            and "0912345678" not in caplog.text)
