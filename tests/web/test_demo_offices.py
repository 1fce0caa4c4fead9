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


def test_it_seeds_two_agencies_each_served_by_a_counter_of_its_own(demo):
    from delivery.models import Agency
    from delivery.organisation import OfficeAgency

    with Session(demo.extensions["db_engine"]) as db:
        served = db.exec(select(PostOffice.code, Agency.code, Agency.province_code)
                         .join(OfficeAgency, OfficeAgency.office_id == PostOffice.id)
                         .join(Agency, Agency.id == OfficeAgency.agency_id)).all()
    assert sorted(served) == [("100000", "000.00.01.H26", 1), ("700000", "000.00.01.H29", 79)]


def test_it_puts_the_second_counter_and_courier_at_the_other_offices(demo):
    from delivery.models import User

    with Session(demo.extensions["db_engine"]) as db:
        placed = dict(db.exec(select(User.username, PostOffice.code)
                              .join(PostOffice, PostOffice.id == User.office_id)).all())
    assert placed == {"counter": "100000", "courier": "100100", "counter2": "700000",
                      "courier2": "820000", "supervisor": "100000"}


def test_it_gives_each_demo_courier_a_beat_within_their_office(demo):
    from delivery.models import OfficeWard, User
    from delivery.organisation import Beat, BeatWard

    with Session(demo.extensions["db_engine"]) as db:
        rows = db.exec(select(User.username, Beat.code, BeatWard.ward_code, OfficeWard.office_id,
                              User.office_id)
                       .join(User, User.id == Beat.courier_id)
                       .join(BeatWard, BeatWard.beat_id == Beat.id)
                       .join(OfficeWard, OfficeWard.ward_code == BeatWard.ward_code)).all()
    assert {(name, beat) for name, beat, *_ in rows} == {("courier", "HK-01"),
                                                         ("courier2", "DA-01")}
    assert all(ward_office == courier_office for *_, ward_office, courier_office in rows)


def test_it_seeds_the_directory_only_once(demo):
    from delivery.organisation import Beat, BeatWard, OfficeAgency

    def counts():
        with Session(demo.extensions["db_engine"]) as db:
            return [len(db.exec(select(table)).all()) for table in (OfficeAgency, Beat, BeatWard)]

    before = counts()
    with Session(demo.extensions["db_engine"]) as db:
        seed_demo(db)
    assert counts() == before


def test_it_takes_the_second_agencys_key_from_the_environment(demo, client, monkeypatch):
    monkeypatch.setenv("DEMO_API_KEY_2", "bk_chosen-for-the-second-agency")
    with Session(demo.extensions["db_engine"]) as db:
        seed_demo(db)
    body = {"dossier_code": "000.00.01.H29-250609-0001",
            "recipient": {"name": "Lê Thị Cúc", "phone": "0912345678"},
            "address": "Số 9 Nguyễn Trãi, Phường Đông Hòa, TP Dĩ An, Bình Dương"}
    response = client.post("/api/v1/consignments", json=body,
                           headers={"Authorization": "Bearer bk_chosen-for-the-second-agency"})
    assert response.status_code == 201


def test_it_says_which_login_sees_what(app, monkeypatch):
    monkeypatch.setenv("DEMO_API_KEY_2", "bk_printed-second-key")
    output = app.test_cli_runner().invoke(args=["seed-demo"]).output
    assert "counter2" in output and "courier2" in output and "000.00.01.H29" in output
    assert "bk_printed-second-key" in output and "demo-upstream-hcm" in output
