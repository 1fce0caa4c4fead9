"""50 conflicting scans of one item at once, through the HTTP API, on SQLite and on PostgreSQL: the
item is in transit; 25 scans say it arrived at a hub (allowed again and again while in transit) and
25 that it arrived at its delivery office (allowed once, after which no hub scan is). Exactly the
legal ones apply, the rest get 409, the events form one legal chain, and the version counts the
applied scans."""

from __future__ import annotations

import threading
from collections import Counter

from sqlmodel import Session, select

from delivery.models import Consignment
from tests.conftest import API_KEY
from tests.faults.counting import events_by_item, items, replayed_status
from tests.payloads import intake_body, scan_body, with_otp
from tracking.models import DeliveryOtp
from tracking.otp import MAX_WRONG_TRIES

HEADERS = {"Authorization": f"Bearer {API_KEY}"}
EACH = 25


def _scan_at_once(app, bodies: list[dict]) -> list[int]:
    """Every body posted from its own thread, all released together."""
    start, codes = threading.Barrier(len(bodies)), [0] * len(bodies)

    def post(i: int) -> None:
        client = app.test_client()
        start.wait()
        codes[i] = client.post("/api/v1/scans", json=bodies[i], headers=HEADERS).status_code

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return codes


def test_it_applies_exactly_the_legal_ones_of_50_conflicting_scans(backend_app):
    client = backend_app.test_client()
    number = client.post(
        "/api/v1/consignments", json=intake_body(1), headers=HEADERS
    ).get_json()["tracking_number"]
    for event in ("accepted", "arrived_hub"):
        assert client.post(
            "/api/v1/scans", json=scan_body(number, event), headers=HEADERS
        ).status_code == 201
    bodies = [scan_body(number, e) for _ in range(EACH)
              for e in ("arrived_hub", "arrived_delivery_office")]
    codes = _scan_at_once(backend_app, bodies)

    applied = {b["event_id"]: b["event"]
               for b, code in zip(bodies, codes, strict=True) if code == 201}
    print(f"answers: {Counter(codes)}, applied: {Counter(applied.values())}")
    assert Counter(codes) == {201: len(applied), 409: len(bodies) - len(applied)}
    assert Counter(applied.values())["arrived_delivery_office"] == 1
    recorded, item = events_by_item(backend_app)[number], items(backend_app)[number]
    assert {e.client_event_id for e in recorded[2:]} == set(applied)
    assert recorded[-1].event == "arrived_delivery_office"  # no hub scan got in after it
    assert replayed_status(recorded) == item.status == "at_delivery_office"
    assert item.version == 1 + len(recorded) == 3 + len(applied)


def test_it_stores_a_repeated_hub_scan_sent_at_once_one_time(demo):
    """A courier's phone retrying on a flaky network: the same scan from six connections at once is
    stored once. arrived_hub is allowed again while in transit, so only the event id tells the
    repeats apart."""
    client = demo.test_client()
    number = client.post(
        "/api/v1/consignments", json=intake_body(1), headers=HEADERS
    ).get_json()["tracking_number"]
    for event in ("accepted", "arrived_hub"):
        client.post("/api/v1/scans", json=scan_body(number, event), headers=HEADERS)
    codes = _scan_at_once(demo, [scan_body(number, "arrived_hub")] * 6)
    assert sorted(codes) == [200] * 5 + [201]
    assert len(events_by_item(demo)[number]) == 3


def test_it_counts_every_one_of_16_concurrent_wrong_otps(backend_app):
    """Issue 17: wrong OTPs sent at once passed the 5-try limit (6 to 16 per round). Every try is
    now spent by one conditional UPDATE before the code is compared: at most MAX_WRONG_TRIES
    answers say 'wrong OTP', the others 'too many', and the right code no longer works."""
    backend_app.config["DELIVERY_OTP_REQUIRED"] = True
    client = backend_app.test_client()
    number = client.post("/api/v1/consignments", json=intake_body(1),
                         headers=HEADERS).get_json()["tracking_number"]
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery"):
        client.post("/api/v1/scans", json=scan_body(number, event), headers=HEADERS)
    guesses = [with_otp(scan_body(number, "delivered"), f"{n:06d}") for n in range(16)]
    codes = _scan_at_once(backend_app, guesses)
    with Session(backend_app.extensions["db_engine"]) as db:
        item_id = db.exec(select(Consignment.id).where(Consignment.tracking_number == number)).one()
        rounds = db.exec(select(DeliveryOtp).where(DeliveryOtp.consignment_id == item_id)).all()
    if codes.count(201) == 0:  # else a guess was the code itself (1 in 62,500)
        assert rounds[-1].failed_tries == MAX_WRONG_TRIES
        assert codes == [422] * len(guesses)
