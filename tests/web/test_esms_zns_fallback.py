"""ZNS through eSMS end to end: a message goes by Zalo through the eSMS account; when the receipt
says the number has no Zalo, the same message goes by SMS exactly once."""

from contextlib import contextmanager

from tests.stand_ins_channels import EsmsZnsStandIn
from tests.tracking.channel_fixtures import sends
from tests.web.public_helpers import create_item
from tests.web.test_receipt_hooks import esms_callback
from tracking.esms import EsmsSettings
from tracking.esms_zns import EsmsZnsSettings
from tracking.message_texts import KINDS


@contextmanager
def esms_for_both(app):
    with EsmsZnsStandIn() as esms:
        account = EsmsSettings("esms-key", "esms-secret", "BUUDIEN", url=esms.url,
                               callback_url="http://localhost/hooks/esms",
                               callback_secret="receipts", timeout=0.5)
        app.config.update(
            SMS_GATEWAY="esms", NOTIFY_CHANNELS=("zns", "sms"), SMS_ESMS=account, ZALO=None,
            ZNS_ESMS=EsmsZnsSettings(account, "oa-123", url=esms.zns_url,
                                     template_ids={k: f"20564{i}" for i, k in enumerate(KINDS)}))
        yield esms


def test_it_sends_zns_through_the_esms_account(demo, client, api_headers):
    with esms_for_both(demo) as esms:
        create_item(client, api_headers)
    [zns] = sends(demo)
    assert (zns.channel, zns.provider, zns.outcome) == ("zns", "esms", "accepted")
    assert len(esms.zns) == 1 and esms.sent() == []


def test_it_texts_by_sms_once_when_the_receipt_says_the_number_has_no_zalo(
        demo, client, api_headers):
    with esms_for_both(demo) as esms:
        create_item(client, api_headers)
        [zns] = esms.zns.values()
        refusal = esms_callback(zns, SendSuccess="0", SendFailed="1", TypeId="25",
                                error_info='{"error":-118,"message":"Zalo account not existed"}')
        assert client.get(refusal).status_code == 200
        assert client.get(refusal).status_code == 200  # eSMS repeats a callback it thinks lost
    assert [(s.channel, s.outcome) for s in sends(demo)] == [("zns", "accepted"),
                                                             ("sms", "accepted")]
    assert len(esms.sent()) == 1 and sends(demo)[0].receipt_code == "-118"


def test_it_texts_by_sms_when_the_citizen_refuses_oa_messages(demo, client, api_headers):
    with esms_for_both(demo) as esms:
        create_item(client, api_headers)
        [zns] = esms.zns.values()
        client.get(esms_callback(zns, SendSuccess="0", SendFailed="1", TypeId="25",
                                 error_info='{"error":-114,"message":"User is inactive"}'))
    assert [s.channel for s in sends(demo)] == ["zns", "sms"] and len(esms.sent()) == 1


def test_it_sends_no_sms_after_a_failure_zalo_may_still_overcome(demo, client, api_headers):
    with esms_for_both(demo) as esms:
        create_item(client, api_headers)
        [zns] = esms.zns.values()
        client.get(esms_callback(zns, SendSuccess="0", SendFailed="1", TypeId="25",
                                 error_info='{"error":-100,"message":"Unknown error"}'))
    assert [s.channel for s in sends(demo)] == ["zns"] and esms.sent() == []
