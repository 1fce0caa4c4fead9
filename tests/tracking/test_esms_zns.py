"""ZNS through eSMS against its stand-in: what is sent, how each answer and receipt is read."""

import json

import pytest

from tests.stand_ins_channels import EsmsZnsStandIn
from tracking.esms import EsmsSettings, receipt_signature
from tracking.esms_zns import EsmsZnsSettings, send_esms_zns, zalo_error
from tracking.message_texts import zns_data
from tracking.receipts import esms_receipt
from tracking.zalo_zns import ZnsMessage

PHONE = "+84912345678"
VALUES = {"tracking_number": "RR123456789VN", "link": "https://t.example/t/abc",
          "window": "08:00-10:00 09/12/2026"}


def settings(stand_in: EsmsZnsStandIn, **changes) -> EsmsZnsSettings:
    esms = EsmsSettings("esms-key", changes.pop("secret_key", "esms-secret"), "",
                        callback_url="https://buudien.example/hooks/esms",
                        callback_secret="receipts", timeout=0.5)
    values = {"esms": esms, "oa_id": "oa-123", "url": stand_in.zns_url,
              "template_ids": {"collection_booked": "2056446", "created": "2056440"}, **changes}
    return EsmsZnsSettings(**values)


def message(template: str = "collection_booked", id: str = "zns-1") -> ZnsMessage:
    return ZnsMessage(id, PHONE, template, zns_data(template, VALUES))


def test_it_sends_the_template_values_in_the_templates_order():
    with EsmsZnsStandIn() as esms:
        result = send_esms_zns(settings(esms), message())
    [sent] = esms.zns.values()
    assert (result.outcome, result.provider_code, result.provider_id) == ("accepted", "100",
                                                                         "zns-1")
    assert sent["Params"] == ["RR123456789VN", "08:00-10:00 09/12/2026", "https://t.example/t/abc"]
    assert (sent["TempID"], sent["OAID"], sent["Phone"], sent["RequestId"]) == (
        "2056446", "oa-123", "0912345678", "zns-1")


def test_it_asks_for_a_receipt_signed_for_this_message_alone():
    with EsmsZnsStandIn() as esms:
        send_esms_zns(settings(esms), message())
    [sent] = esms.zns.values()
    assert sent["CallbackUrl"].endswith("sig=" + receipt_signature("receipts", "zns-1"))


def test_it_takes_a_duplicate_request_id_as_sent_once():
    with EsmsZnsStandIn() as esms:
        first = send_esms_zns(settings(esms), message())
        again = send_esms_zns(settings(esms), message())
    assert first.ok and again.ok and again.provider_code == "124" and len(esms.zns) == 1


def test_it_retries_after_wrong_credentials():
    with EsmsZnsStandIn() as esms:
        result = send_esms_zns(settings(esms, secret_key="wrong"), message())
    assert (result.outcome, result.provider_code) == ("retry", "101") and esms.zns == {}


def test_it_gives_the_message_up_to_sms_when_the_template_is_not_set_up():
    with EsmsZnsStandIn(templates=("999",)) as esms:
        result = send_esms_zns(settings(esms), message())
    assert (result.outcome, result.provider_code) == ("permanent", "789")


def test_it_gives_up_at_once_on_a_kind_without_a_template():
    with EsmsZnsStandIn() as esms:
        result = send_esms_zns(settings(esms), message("delivered"))
    assert result.outcome == "permanent" and esms.received == []


def test_it_retries_after_a_server_error_and_a_timeout():
    with EsmsZnsStandIn(statuses=[503]) as esms:
        failed = send_esms_zns(settings(esms), message())
    with EsmsZnsStandIn(delay=1.0) as esms:
        timed_out = send_esms_zns(settings(esms), message())
    assert (failed.outcome, failed.status) == ("retry", 503) and timed_out.outcome == "retry"


@pytest.mark.parametrize("written, code", [
    ('{"error":-118,"message":"Zalo account not existed"}', -118),
    (json.dumps('{"error":-114,"message":"User is inactive"}'), -114),
    ("", None), ("not json", None), ('{"error":"x"}', None), ("[1]", None)])
def test_it_reads_zalos_answer_in_the_receipt(written, code):
    assert zalo_error(written) == code


def test_it_records_a_zns_receipt_with_zalos_reason():
    receipt = esms_receipt({"SendStatus": "5", "SendSuccess": "0", "SendFailed": "1",
                            "TypeId": "25", "error_info": '"{\\"error\\":-118}"'})
    assert receipt == ("failed", "-118")
