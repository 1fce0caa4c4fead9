"""Committed outbox rows reach the queue through the per-process pusher, in batches, without a
flush."""

import time

from tests.conftest import run_jobs
from tests.payloads import intake_body, scan_body
from tests.stand_ins import Receiver, SmsGateway
from tests.tracking.notified import HEADERS, SECRET, seed, wire
from web.jobs import queue


def wait_for_jobs(app, count: int, seconds: float = 5) -> int:
    deadline = time.monotonic() + seconds
    with app.app_context():
        while (waiting := queue("notifications").count) < count and time.monotonic() < deadline:
            time.sleep(0.02)
    return waiting


def test_it_pushes_a_requests_rows_on_its_own_thread(queued_app, monkeypatch):
    seed(queued_app, monkeypatch)
    client = queued_app.test_client()
    number = client.post("/api/v1/consignments", json=intake_body(),
                         headers=HEADERS).get_json()["tracking_number"]
    assert client.post("/api/v1/scans", json=scan_body(number, "accepted"),
                       headers=HEADERS).status_code == 201
    assert wait_for_jobs(queued_app, 1) >= 1  # nobody flushed: the pusher's thread enqueued it


def test_it_sends_each_row_of_a_burst_of_scans_once(queued_app, monkeypatch):
    seed(queued_app, monkeypatch)
    client = queued_app.test_client()
    numbers = [client.post("/api/v1/consignments", json=intake_body(i),
                           headers=HEADERS).get_json()["tracking_number"]
               for i in range(1, 21)]
    with Receiver(SECRET) as receiver, SmsGateway() as gateway:
        wire(queued_app, receiver, gateway)
        for number in numbers:
            client.post("/api/v1/scans", json=scan_body(number, "accepted"), headers=HEADERS)
        run_jobs(queued_app)
    assert sorted(b["data"]["tracking_number"] for b in receiver.applied()) == sorted(numbers)
    assert len(receiver.received) == 20


def test_it_enqueues_one_job_per_five_hundred_rows(queued_app):
    pusher = queued_app.extensions["outbox_pusher"]
    with queued_app.test_request_context():
        pusher.push(range(1, 1201))
    pusher.flush()
    with queued_app.app_context():
        assert queue("notifications").count == 3
