"""ZNS first, SMS when the number has no Zalo: each message at most once per channel, on a second
channel only when the first refused it; the price of each send recorded."""

from sqlmodel import Session

from tests.tracking.channel_fixtures import (
    SMS_TARIFF,
    ZNS_TARIFF,
    providers,
    sends,
    sms_rows,
)
from tests.web.public_helpers import create_item
from tracking.channel_models import ProviderToken
from tracking.channels import set_agency_channels


def test_it_tells_a_citizen_with_zalo_on_zns_only(demo, client, api_headers):
    with providers(demo) as (esms, zns):
        _, token = create_item(client, api_headers)
    [message] = zns.delivered
    assert message["phone"] == "84912345678" and message["template_data"]["duong_dan"].endswith(
        f"/t/{token}")
    assert esms.received == [] and sms_rows(demo)[0].state == "sent"
    [send] = sends(demo)
    assert (send.channel, send.outcome, send.provider_id, send.price_vnd) == (
        "zns", "accepted", "zns-1", ZNS_TARIFF)


def test_it_falls_back_to_sms_exactly_once_when_the_number_has_no_zalo(demo, client,
                                                                       api_headers):
    from web.tasks import send_outbox, sweep_outbox

    with providers(demo, without_zalo=("84912345678",)) as (esms, zns):
        create_item(client, api_headers)
        row = sms_rows(demo)[0]
        with demo.app_context():  # the job and the sweep again: nothing more goes out
            assert send_outbox(row.id) == "sent" and sweep_outbox() == 0
    assert len(zns.received) == 1 and zns.delivered == [] and len(esms.received) == 1
    zns_send, sms_send = sends(demo)
    assert (zns_send.channel, zns_send.outcome, zns_send.provider_code, zns_send.price_vnd) == (
        "zns", "no_account", "-118", 0)
    assert (sms_send.channel, sms_send.outcome, sms_send.request_id) == (
        "sms", "accepted", f"sms-{row.id}")
    assert sms_send.price_vnd == sms_send.segments * SMS_TARIFF > 0


def test_it_waits_for_zalo_rather_than_texting_as_well_when_zalo_is_down(demo, client,
                                                                          api_headers):
    with providers(demo, statuses=[503]) as (esms, zns):
        create_item(client, api_headers)
        row = sms_rows(demo)[0]
    assert (row.state, row.attempts, esms.received) == ("pending", 1, [])
    assert [(s.channel, s.outcome) for s in sends(demo)] == [("zns", "retry")]


def test_it_follows_the_agencys_own_channels(demo, client, api_headers):
    with Session(demo.extensions["db_engine"]) as db:
        set_agency_channels(db, 1, ("sms",))
        db.commit()
    with providers(demo) as (esms, zns):
        create_item(client, api_headers)
    assert zns.received == [] and len(esms.sent()) == 1


def test_it_refreshes_the_oa_token_once_and_keeps_the_new_pair(demo, client, api_headers):
    with providers(demo, access_token="oa-token-9") as (_, zns):
        zns.access_token = "oa-token-9"  # Zalo no longer takes the configured one
        create_item(client, api_headers, 1)
        create_item(client, api_headers, 2)
    with Session(demo.extensions["db_engine"]) as db:
        stored = db.get(ProviderToken, "zalo")
    assert zns.refreshes == 1 and len(zns.delivered) == 2
    assert (stored.access_token, stored.refresh_token) == ("oa-token-2", "refresh-2")
