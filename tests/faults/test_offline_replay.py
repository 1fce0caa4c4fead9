"""A courier's offline queue sent twice to the batch endpoint (the phone lost the first answer): the
second answer is the first one again (201 becomes 200, refusals stay refusals) and nothing is
applied twice."""

from __future__ import annotations

from collections import Counter

from tests.conftest import API_KEY
from tests.faults.counting import duplicates, events_by_item, items, replayed_status
from tests.payloads import intake_body, scan_body

HEADERS = {"Authorization": f"Bearer {API_KEY}"}
ROUND = ("accepted", "arrived_delivery_office", "out_for_delivery")


def offline_queue(numbers: list[str]) -> list[dict]:
    """A day's scans in the order the phone queued them, with a delivery, a failed attempt, a scan
    the status model forbids and one of an unknown number among them."""
    scans = [scan_body(n, e) for n in numbers for e in ROUND]
    scans += [scan_body(numbers[0], "delivered"), scan_body(numbers[1], "delivery_failed"),
              scan_body(numbers[2], "held_for_pickup"), scan_body("RR287043775VN", "accepted")]
    return scans


def test_it_answers_a_replayed_offline_queue_the_same_and_applies_nothing_twice(backend_app):
    client = backend_app.test_client()
    numbers = [client.post("/api/v1/consignments", json=intake_body(n),
                           headers=HEADERS).get_json()["tracking_number"]
               for n in range(1, 11)]
    queue = {"scans": offline_queue(numbers)}
    first = client.post("/api/v1/scans/batch", json=queue, headers=HEADERS).get_json()["results"]
    after_first = events_by_item(backend_app)
    second = client.post("/api/v1/scans/batch", json=queue, headers=HEADERS).get_json()["results"]
    recorded, stored = events_by_item(backend_app), items(backend_app)

    assert Counter(r["http_status"] for r in first) == {201: 32, 409: 1, 404: 1}
    assert [r["http_status"] for r in second] == [
        200 if r["http_status"] == 201 else r["http_status"] for r in first]
    assert [r.get("event") for r in second] == [r.get("event") for r in first]
    assert [r.get("problem", {}).get("title") for r in second] == [
        r.get("problem", {}).get("title") for r in first]
    assert {k: [e.id for e in v] for k, v in recorded.items()} == {
        k: [e.id for e in v] for k, v in after_first.items()}
    assert sum(len(e) for e in recorded.values()) == 32
    assert not duplicates([e.client_event_id for events in recorded.values() for e in events])
    finals = Counter(replayed_status(recorded[n]) for n in numbers)
    assert finals == {"delivered": 1, "attempt_failed": 1, "out_for_delivery": 8}
    assert finals == Counter(stored[n].status for n in numbers)
