"""The citizen chooses Zalo or SMS on the tracking page: their choice is tried first, the agency's
order stays the fallback; the page shows the choice at once and never the phone."""

from sqlmodel import Session, select

from delivery.models import Consignment, TrackingEvent
from tests.tracking.channel_fixtures import providers, sends
from tests.web.public_helpers import create_item, move, page_csrf


def choose(client, token: str, channel: str):
    return client.post(f"/t/{token}/requests", data={
        "csrf_token": page_csrf(client, token), "kind": "channel", "channel": channel})


def test_it_texts_a_citizen_who_chose_sms_although_the_agency_puts_zalo_first(
        demo, client, api_headers):
    with providers(demo) as (esms, zns):
        number, token = create_item(client, api_headers)
        assert choose(client, token, "sms").status_code == 302
        move(client, api_headers, number, "accepted", "arrived_delivery_office",
             "out_for_delivery")
    assert len(zns.received) == 1 and len(esms.sent()) == 1  # "created" on Zalo, then SMS
    assert [s.channel for s in sends(demo)] == ["zns", "sms"]


def test_it_falls_back_on_the_agencys_order_when_the_chosen_channel_refuses(
        demo, client, api_headers):
    with providers(demo, without_zalo=("84912345678",)) as (esms, zns):
        number, token = create_item(client, api_headers)
        choose(client, token, "zns")
        move(client, api_headers, number, "accepted", "arrived_delivery_office",
             "out_for_delivery")
    assert [(s.channel, s.outcome) for s in sends(demo)][-2:] == [
        ("zns", "no_account"), ("sms", "accepted")]


def test_it_shows_the_choice_on_the_next_page_and_never_the_phone(demo, client, api_headers):
    with providers(demo):
        _, token = create_item(client, api_headers)
        assert 'value="zns" required>' in client.get(f"/t/{token}").get_data(as_text=True)
        choose(client, token, "zns")
        client.get(f"/t/{token}")  # the flash page, for this visitor only
        html = client.get(f"/t/{token}").get_data(as_text=True)
    assert 'value="zns" required checked>' in html and "Ông/Bà đã chọn Zalo" in html
    assert "0912345678" not in html and "912345678" not in html


def test_it_keeps_the_choice_with_the_audit_of_where_it_came_from(demo, client, api_headers):
    with providers(demo):
        _, token = create_item(client, api_headers)
        choose(client, token, "sms")
    with Session(demo.extensions["db_engine"]) as db:
        item = db.exec(select(Consignment)).one()
        event = db.exec(select(TrackingEvent).where(
            TrackingEvent.event == "channel_chosen")).one()
    assert item.preferred_channel == "sms"
    assert (event.note, event.actor, event.client_address) == ("sms", "citizen", "127.0.0.1")


def test_it_refuses_a_channel_it_does_not_offer(demo, client, api_headers):
    with providers(demo):
        _, token = create_item(client, api_headers)
        choose(client, token, "fax")
        html = client.get(f"/t/{token}").get_data(as_text=True)
    assert "chọn Zalo hoặc SMS" in html


def test_it_refuses_a_choice_without_the_links_form_token(demo, client, api_headers):
    _, token = create_item(client, api_headers)
    response = client.post(f"/t/{token}/requests", data={"kind": "channel", "channel": "sms"})
    assert response.status_code == 400
