"""The same scan sent at once from several connections (a courier's phone retrying on a flaky network) is
stored once: the first request records it, the others get the stored result."""

import threading

from sqlmodel import Session, func, select

from delivery.models import TrackingEvent
from tests.conftest import API_KEY
from tests.payloads import intake_body, scan_body

HEADERS = {"Authorization": f"Bearer {API_KEY}"}


def post_at_once(app, body: dict, times: int) -> list[int]:
    start, codes = threading.Barrier(times), [0] * times

    def post(i: int) -> None:
        client = app.test_client()
        start.wait()
        codes[i] = client.post("/api/v1/scans", json=body, headers=HEADERS).status_code

    threads = [threading.Thread(target=post, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return codes


def test_it_stores_a_repeated_hub_scan_sent_at_once_one_time(demo):
    client = demo.test_client()
    number = client.post("/api/v1/consignments", json=intake_body(), headers=HEADERS).get_json()["tracking_number"]
    for event in ("accepted", "arrived_hub"):
        client.post("/api/v1/scans", json=scan_body(number, event), headers=HEADERS)
    # arrived_hub is allowed again while in transit, so only the event id can tell the repeats apart
    codes = post_at_once(demo, scan_body(number, "arrived_hub"), 6)
    assert sorted(codes) == [200] * 5 + [201]
    with Session(demo.extensions["db_engine"]) as session:
        assert session.exec(select(func.count()).select_from(TrackingEvent)).one() == 3
