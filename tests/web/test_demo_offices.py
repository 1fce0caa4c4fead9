"""Demo offices say where and when a held item can be collected: in the SMS and on the citizen's
page."""

import json
from datetime import timedelta

from sqlmodel import Session, select

from delivery.models import VIETNAM_TIME, PostOffice, utcnow
from tests.web.public_helpers import create_item, move
from tracking.models import Outbox
from tracking.sms import SmsSettings, render
from web.demo import seed_demo


def office(app, code):
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(PostOffice).where(PostOffice.code == code)).one()


def test_it_gives_the_demo_delivery_offices_an_address_and_opening_hours(demo):
    for code in ("100100", "820000"):
        assert office(demo, code).address and office(demo, code).opening_hours


def test_it_keeps_an_address_edited_after_seeding(demo):
    with Session(demo.extensions["db_engine"]) as db:
        db.exec(
            select(PostOffice).where(PostOffice.code == "100100")
        ).one().address = "Số 1 Tràng Tiền"
        db.commit()
        seed_demo(db)
    assert office(demo, "100100").address == "Số 1 Tràng Tiền"


def test_it_texts_where_and_when_to_collect_a_held_item(demo, client, api_headers):
    number, _ = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "held_for_pickup")
    with Session(demo.extensions["db_engine"]) as db:
        rows = db.exec(select(Outbox).where(Outbox.kind == "sms")).all()
    payload = next(json.loads(r.payload) for r in rows
                   if json.loads(r.payload)["template"] == "held_for_pickup")
    text = render(payload, SmsSettings())
    assert "75 Đinh Tiên Hoàng" in text and "7:30-19:00" in text


def test_it_shows_the_pick_up_place_and_last_day_on_the_page(demo, client, api_headers):
    number, token = create_item(client, api_headers)
    move(client, api_headers, number, "accepted", "arrived_delivery_office", "held_for_pickup")
    html = client.get(f"/t/{token}").get_data(as_text=True)
    last_day = utcnow().astimezone(VIETNAM_TIME).date() + timedelta(days=7)
    assert 'id="pickup"' in html and "75 Đinh Tiên Hoàng" in html and "7:30-19:00" in html
    assert last_day.strftime("%d/%m/%Y") in html
    english = client.get(f"/t/{token}?lang=en").get_data(as_text=True)
    assert "Where to collect it" in english and "Opening hours" in english
