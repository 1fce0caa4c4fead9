"""Redis stopped during 1,000 scans: every scan is accepted (the outbox rows wait in the database),
and once Redis is back the sweep hands them to the workers and every notification is delivered
exactly once."""

from __future__ import annotations

import time

import pytest

from tests.conftest import run_jobs
from tests.payloads import scan_body
from tests.stand_ins import Receiver, SmsGateway
from tests.tracking.notified import HEADERS, SECRET, outbox_states, wire
from tests.tracking.test_notification_faults import EVENTS, create_items

# ITEMS x 5 events = 1,000 scans; 1,000 webhooks and 400 SMS (the link at intake, the OTP out
# for delivery)
ITEMS = 200


def deliver_everything(app) -> None:
    """Sweep and work until nothing is pending, as the periodic sweep would (500 rows a sweep)."""
    from web.tasks import sweep_outbox

    while True:
        with app.app_context():
            if not sweep_outbox():
                return
        run_jobs(app)


def scan_all(client, numbers: list[str]) -> list[int]:
    """The first two events scan by scan, the other three in batches of 200: both paths enqueue."""
    codes = [client.post("/api/v1/scans", json=scan_body(n, e), headers=HEADERS).status_code
             for e in EVENTS[:2] for n in numbers]
    for event in EVENTS[2:]:
        for i in range(0, len(numbers), 200):
            scans = [scan_body(n, event) for n in numbers[i:i + 200]]
            results = client.post("/api/v1/scans/batch", json={"scans": scans},
                                  headers=HEADERS).get_json()["results"]
            codes += [r["http_status"] for r in results]
    return codes


@pytest.mark.long
def test_it_accepts_1000_scans_while_redis_is_down_and_delivers_each_notification_once(
    demo, private_redis
):
    demo.config["REDIS_URL"] = f"redis://127.0.0.1:{private_redis.port}/0"
    client = demo.test_client()
    with Receiver(SECRET) as receiver, SmsGateway() as gateway:
        wire(demo, receiver, gateway)
        private_redis.stop()
        started = time.monotonic()
        numbers = create_items(client, ITEMS)
        codes = scan_all(client, numbers)
        print(f"{ITEMS} items and {len(codes)} scans with Redis down in "
              f"{time.monotonic() - started:.1f} s")
        assert (codes == [201] * ITEMS * len(EVENTS)
                and outbox_states(demo) == {"pending": ITEMS * 7})
        private_redis.start()
        deliver_everything(demo)
    demo.extensions["redis"].close()
    assert (len(receiver.received) == len({r["body"]["id"] for r in receiver.received})
            == ITEMS * len(EVENTS))
    assert len(gateway.received) == len({m["id"] for m in gateway.received}) == ITEMS * 2
    assert outbox_states(demo) == {"sent": ITEMS * 7}
