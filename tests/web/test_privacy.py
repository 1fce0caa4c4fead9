"""Every page and endpoint an anonymous visitor can reach, for seeded consignments in every kind of
state, must not show their phones, streets, national ids or full names."""

import unicodedata

import pytest
from sqlmodel import Session, select

from delivery.models import Consignment, Ward
from tests.payloads import intake_body
from tests.web.public_helpers import move

PEOPLE = [("Nguyễn Văn An", "0912345678", "001085012345", "Số 12 Lý Thái Tổ", ("accepted",)),
          ("Trần Thị Bích Ngọc", "0987654321", "079190123456", "Ngõ 7 Phố Huế",
           ("accepted", "arrived_delivery_office", "out_for_delivery", "delivery_failed",
            "held_for_pickup")),
          ("Lê Hoàng Phúc", "0356789012", "031200982345", "Thôn Đông Xá",
           ("accepted", "arrived_delivery_office", "out_for_delivery", "delivered"))]


def folded(text):
    return "".join(c for c in unicodedata.normalize("NFD", text.replace("đ", "d"))
                   if not unicodedata.combining(c))


@pytest.fixture
def seeded(demo, client, api_headers):
    with Session(demo.extensions["db_engine"]) as db:
        ward = db.exec(select(Ward).where(Ward.province_code == 1)).first()
    for n, (name, phone, national_id, street, events) in enumerate(PEOPLE, start=1):
        body = intake_body(n, recipient={"name": name, "phone": phone, "national_id": national_id},
                           address={"street": street, "ward_code": ward.code, "province_code": 1})
        number = client.post("/api/v1/consignments", json=body,
                             headers=api_headers).get_json()["tracking_number"]
        move(client, api_headers, number, *events)
    with Session(demo.extensions["db_engine"]) as db:
        return db.exec(select(Consignment)).all()


def secrets_of(consignments):
    for c in consignments:
        yield from (c.recipient_name, folded(c.recipient_name), c.recipient_phone,
                    "+84" + c.recipient_phone[1:], c.recipient_phone[1:], c.street,
                    folded(c.street), c.address_text)
    yield from (national_id for _, _, national_id, _, _ in PEOPLE)


def public_urls(app, consignments):
    """Every GET route, filled in with each consignment's token and number; staff routes answer
    302/401."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for c in consignments:
            values = {arg: {"token": c.tracking_token,
                            "tracking_number": c.tracking_number}.get(arg, "1")
                      for arg in rule.arguments}
            with app.test_request_context():
                from flask import url_for

                base = url_for(rule.endpoint, **values)
            for query in ("", "?lang=en", f"?tracking_number={c.tracking_number}"
                                          f"&phone_last4={c.recipient_phone[-4:]}"):
                yield base + query


def test_it_shows_no_phone_street_national_id_or_full_name_anywhere_public(demo, seeded):
    client = demo.test_client()
    urls = sorted(set(public_urls(demo, seeded)))
    leaks = {}
    for url in urls:
        with client.get(url, follow_redirects=True) as response:
            body = response.get_data(as_text=True)
        found = [s for s in secrets_of(seeded) if s and s in body]
        if found:
            leaks[url] = found
    assert leaks == {}
    assert (len(urls) > 20 and any("/t/" in u for u in urls)
            and any(u.startswith("/api/v1/track?") for u in urls))


def test_it_would_notice_a_leak(demo, seeded, api_headers):
    body = demo.test_client().get(f"/api/v1/consignments/{seeded[0].tracking_number}",
                                  headers=api_headers)
    assert any(s in body.get_data(as_text=True) for s in secrets_of(seeded))
