"""PostgreSQL restarted while couriers scan: requests fail cleanly (503 problem+json with
Retry-After) while it is down, succeed again after without restarting the app (the pool reconnects),
and the couriers' retries with the same event ids leave every scan applied exactly once: nothing
half-written, nothing twice."""

from __future__ import annotations

import threading
import time
from collections import Counter

from tests.conftest import API_KEY, make_app
from tests.faults.conftest import demo_app
from tests.faults.counting import duplicates, events_by_item, items, replayed_status
from tests.payloads import intake_body, scan_body

HEADERS = {"Authorization": f"Bearer {API_KEY}"}
WALK = ("accepted", "arrived_hub", "arrived_delivery_office", "out_for_delivery")
COURIERS, ITEMS_EACH = 8, 6


class Courier(threading.Thread):
    """Scans its items through the HTTP API; a 503 is retried with the same body, as the phone's
    queue does."""

    def __init__(self, app, numbers: list[str]) -> None:
        super().__init__(daemon=True)
        self.client, self.numbers, self.answers = app.test_client(), numbers, []

    def run(self) -> None:
        for number in self.numbers:
            for event in WALK:
                self.send(scan_body(number, event))

    def send(self, body: dict) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            response = self.client.post("/api/v1/scans", json=body, headers=HEADERS)
            self.answers.append(
                (response.status_code, response.mimetype, response.headers.get("Retry-After"))
            )
            if response.status_code != 503:
                return
            time.sleep(0.05)


def test_it_answers_503_while_postgresql_restarts_and_applies_every_scan_once(
    private_postgres, private_postgres_url, monkeypatch
):
    app = demo_app(private_postgres_url, monkeypatch)
    client = app.test_client()
    numbers = [client.post("/api/v1/consignments", json=intake_body(n),
                           headers=HEADERS).get_json()["tracking_number"]
               for n in range(1, COURIERS * ITEMS_EACH + 1)]
    couriers = [Courier(app, numbers[i::COURIERS]) for i in range(COURIERS)]
    for courier in couriers:
        courier.start()
    while sum(len(c.answers) for c in couriers) < 2 * COURIERS:
        time.sleep(0.01)
    private_postgres.stop()
    time.sleep(1.5)  # down long enough for every courier to be refused
    private_postgres.start()
    for courier in couriers:
        courier.join(120)
    answers = [a for c in couriers for a in c.answers]

    refused = [a for a in answers if a[0] == 503]
    print(f"answers while PostgreSQL restarted: {Counter(a[0] for a in answers)}")
    assert {a[0] for a in answers} <= {200, 201, 503}, sorted({a[0] for a in answers})
    assert refused and all(a[1:] == ("application/problem+json", "5") for a in refused)
    recorded, stored = events_by_item(app), items(app)
    app.extensions["db_engine"].dispose()
    assert sum(len(e) for e in recorded.values()) == len(numbers) * len(WALK)
    assert not duplicates([e.client_event_id for events in recorded.values() for e in events])
    for number in numbers:
        assert replayed_status(recorded[number]) == stored[number].status == "out_for_delivery"
        assert stored[number].version == 1 + len(WALK)


def test_it_answers_503_with_retry_after_when_the_database_cannot_be_reached(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}")
    response = app.test_client().get("/api/v1/consignments/RR287043775VN", headers=HEADERS)
    app.extensions["db_engine"].dispose()
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "5" and response.get_json()["status"] == 503
