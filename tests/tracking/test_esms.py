"""The eSMS adapter against its stand-in: what is sent, and how each answer is read."""

from tests.stand_ins_channels import EsmsStandIn
from tracking.esms import EsmsSettings, receipt_signature, send_esms
from tracking.sms import SmsMessage

PHONE = "+84912345678"


def settings(stand_in: EsmsStandIn, **changes) -> EsmsSettings:
    values = {"api_key": "esms-key", "secret_key": "esms-secret", "brandname": "BUUDIEN",
              "url": stand_in.url, "callback_url": "https://buudien.example/hooks/esms",
              "callback_secret": "receipts", "timeout": 0.5, **changes}
    return EsmsSettings(**values)


def message(text: str = "Buu dien: da tao buu gui RR123456789VN", id: str = "sms-1") -> SmsMessage:
    return SmsMessage(id, PHONE, text)


def test_it_sends_a_customer_care_brandname_sms_with_its_request_id():
    with EsmsStandIn() as esms:
        result = send_esms(settings(esms), message())
    [sent] = esms.sent()
    assert (result.outcome, result.provider_code, result.provider_id) == ("accepted", "100",
                                                                         "esms-1")
    assert (sent["SmsType"], sent["Brandname"], sent["Phone"], sent["RequestId"],
            sent["IsUnicode"]) == ("2", "BUUDIEN", "0912345678", "sms-1", "0")


def test_it_marks_accented_text_as_unicode():
    with EsmsStandIn() as esms:
        send_esms(settings(esms), message("Bưu điện: đã tạo bưu gửi"))
    assert esms.sent()[0]["IsUnicode"] == "1"


def test_it_signs_each_message_receipt_url_on_its_own():
    with EsmsStandIn() as esms:
        send_esms(settings(esms), message())
    callback = esms.sent()[0]["CallbackUrl"]
    assert callback == ("https://buudien.example/hooks/esms?sig="
                        + receipt_signature("receipts", "sms-1"))
    assert receipt_signature("receipts", "sms-2") not in callback


def test_it_takes_a_duplicate_request_id_as_sent_once():
    with EsmsStandIn() as esms:
        first = send_esms(settings(esms), message())
        again = send_esms(settings(esms), message())
    assert first.ok and again.ok and again.provider_code == "124" and len(esms.sent()) == 1


def test_it_retries_after_wrong_credentials_without_keeping_them():
    with EsmsStandIn() as esms:
        result = send_esms(settings(esms, secret_key="wrong"), message())
    assert (result.outcome, result.provider_code) == ("retry", "101")
    assert "wrong" not in (result.error or "") and esms.sent() == []


def test_it_gives_up_on_a_blocked_number():
    with EsmsStandIn(blocked=("0912345678",)) as esms:
        result = send_esms(settings(esms), message())
    assert (result.outcome, result.provider_code) == ("permanent", "99")


def test_it_retries_after_a_server_error():
    with EsmsStandIn(statuses=[503]) as esms:
        result = send_esms(settings(esms), message())
    assert (result.outcome, result.status) == ("retry", 503) and esms.sent() == []


def test_it_retries_after_a_timeout_and_the_repeat_is_not_sent_twice():
    with EsmsStandIn(delay=1.0) as esms:
        timed_out = send_esms(settings(esms), message())
        esms.delay = 0
        repeat = send_esms(settings(esms), message())
    assert timed_out.outcome == "retry" and "timed out" in timed_out.error
    # the slow first request did reach eSMS: the repeat answers 124, one SMS in all
    assert repeat.ok and repeat.provider_code == "124" and len(esms.sent()) == 1
