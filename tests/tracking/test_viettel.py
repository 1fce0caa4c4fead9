"""Viettel's bulk SMS SOAP service against its stand-in, and as the outbox's SMS gateway."""

from sqlmodel import Session, select

from tests.stand_ins_channels import ViettelStandIn
from tests.web.public_helpers import create_item
from tracking.channel_models import MessageSend
from tracking.sms import SmsMessage
from tracking.viettel import ViettelSettings, send_viettel

MESSAGE = SmsMessage("sms-7", "+84912345678", "Bưu điện: <đã tạo> & theo dõi")


def settings(viettel: ViettelStandIn, **changes) -> ViettelSettings:
    values = {"url": viettel.url, "user": "vt-user", "password": "vt-pass",
              "cp_code": "BUUDIEN", "brandname": "BUU-DIEN", "timeout": 0.5, **changes}
    return ViettelSettings(**values)


def test_it_queues_a_brandname_sms_with_viettel():
    with ViettelStandIn() as viettel:
        result = send_viettel(settings(viettel), MESSAGE)
    [sent] = viettel.received
    assert (result.outcome, result.provider_code) == ("accepted", "1")
    assert (sent["ServiceID"], sent["ReceiverID"], sent["RequestID"], sent["CommandCode"],
            sent["ContentType"], sent["Content"]) == ("BUU-DIEN", "84912345678", "sms-7",
                                                      "bulksms", "1", MESSAGE.text)


def test_it_retries_when_viettel_refuses_the_account():
    with ViettelStandIn() as viettel:
        result = send_viettel(settings(viettel, password="old"), MESSAGE)
    assert (result.outcome, result.provider_code) == ("retry", "0")
    assert "old" not in result.error


def test_it_retries_after_a_server_error_or_a_timeout():
    with ViettelStandIn(statuses=[500]) as viettel:
        failed = send_viettel(settings(viettel), MESSAGE)
        viettel.delay = 1.0
        slow = send_viettel(settings(viettel), MESSAGE)
    assert (failed.outcome, failed.status) == ("retry", 500)
    assert slow.outcome == "retry" and "timed out" in slow.error


def test_it_texts_the_new_item_through_viettel(demo, client, api_headers):
    with ViettelStandIn() as viettel:
        demo.config.update(SMS_GATEWAY="viettel", SMS_VIETTEL=settings(viettel),
                           SMS_TARIFF_VND=800)
        _, token = create_item(client, api_headers)
    [sent] = viettel.received
    assert f"/t/{token}" in sent["Content"]
    with Session(demo.extensions["db_engine"]) as db:
        send = db.exec(select(MessageSend)).one()
    assert (send.provider, send.outcome, send.price_vnd) == ("viettel", "accepted",
                                                             800 * send.segments)
