from sqlmodel import select

from delivery.models import Agency
from tests.conftest import run_jobs
from tests.payloads import intake_body, scan_body
from tests.stand_ins import Receiver
from tracking.models import DeliveryAttempt, Outbox
from tracking.webhooks import signature, signed_headers

SECRET = "shared-secret-with-the-one-stop-shop"


def point_webhook_at(app, url):
    from sqlmodel import Session

    with Session(app.extensions["db_engine"]) as db:
        agency = db.exec(select(Agency).where(Agency.code == "000.00.01.H26")).one()
        agency.webhook_url, agency.webhook_secret = url, SECRET
        db.commit()


def create_and_scan(client, headers, events):
    number = client.post("/api/v1/consignments", json=intake_body(),
                         headers=headers).get_json()["tracking_number"]
    for event in events:
        assert client.post("/api/v1/scans", json=scan_body(number, event),
                           headers=headers).status_code == 201
    return number


def test_it_signs_like_the_receiver_checks():
    with Receiver("k") as receiver:
        assert receiver.verify(b'{"a": 1}', signature("k", b'{"a": 1}'))


def test_it_tells_the_upstream_system_of_every_status_change_through_redis(queued_app, api_headers,
                                                                            monkeypatch):
    from tests.conftest import API_KEY, PASSWORD
    from web.demo import seed_demo

    monkeypatch.setenv("DEMO_API_KEY", API_KEY)
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    with queued_app.app_context():
        from web.db import get_session

        seed_demo(get_session())
    with Receiver(SECRET) as receiver:
        point_webhook_at(queued_app, receiver.url)
        number = create_and_scan(queued_app.test_client(), api_headers, ["accepted", "arrived_hub"])
        assert receiver.received == []  # nothing is sent before a worker runs the queue
        run_jobs(queued_app)
    bodies = receiver.accepted()
    assert [b["data"]["status"] for b in bodies] == ["accepted", "in_transit"]
    assert all(r["signature_ok"] for r in receiver.received)
    assert (bodies[0]["type"] == "consignment.status_changed"
            and bodies[0]["data"]["tracking_number"] == number)


def test_it_sends_at_once_without_redis(demo, client, api_headers):
    with Receiver(SECRET) as receiver:
        point_webhook_at(demo, receiver.url)
        create_and_scan(client, api_headers, ["accepted"])
    assert [b["data"]["event"] for b in receiver.accepted()] == ["accepted"]


def test_it_types_an_event_that_changes_no_status_as_such(demo, client, api_headers):
    with Receiver(SECRET) as receiver:
        point_webhook_at(demo, receiver.url)
        create_and_scan(client, api_headers, ["accepted", "arrived_hub", "departed_hub"])
    assert [(b["type"], b["data"]["event"], b["data"]["status"]) for b in receiver.accepted()] == [
        ("consignment.status_changed", "accepted", "accepted"),
        ("consignment.status_changed", "arrived_hub", "in_transit"),
        ("consignment.event_recorded", "departed_hub", "in_transit")]


def test_it_signs_with_a_timestamp_so_receivers_can_refuse_replays(demo, client, api_headers):
    with Receiver(SECRET) as receiver:
        point_webhook_at(demo, receiver.url)
        create_and_scan(client, api_headers, ["accepted"])
    [received] = receiver.received
    assert received["signature_ok"] and received["signature_v2_ok"]


def test_it_signs_the_timestamp_with_the_body():
    headers = signed_headers("k", b'{"a": 1}', 1_700_000_000)
    assert headers["X-Signature"] == signature("k", b'{"a": 1}')
    assert headers["X-Signature-V2"] == signature("k", b'1700000000.{"a": 1}')
    # a copy of a POST from 2023 is refused by a receiver that checks the timestamp
    with Receiver("k") as receiver:
        assert not receiver.verify_v2(b'{"a": 1}', headers)


def test_it_records_a_failed_attempt_and_keeps_the_row_for_a_retry(
    demo, client, api_headers, session
):
    with Receiver(SECRET, statuses=[503]) as receiver:
        point_webhook_at(demo, receiver.url)
        create_and_scan(client, api_headers, ["accepted"])
    row = session.exec(select(Outbox).where(Outbox.kind == "webhook")).one()
    attempts = session.exec(
        select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == row.id)
    ).all()
    assert (row.state, row.attempts, row.next_attempt_at is not None) == ("pending", 1, True)
    assert [a.status_code for a in attempts] == [503]


def test_it_sends_a_row_only_once_even_if_the_job_runs_twice(demo, client, api_headers, session):
    from web.tasks import send_outbox

    with Receiver(SECRET) as receiver:
        point_webhook_at(demo, receiver.url)
        create_and_scan(client, api_headers, ["accepted"])
        row = session.exec(select(Outbox).where(Outbox.kind == "webhook")).one()
        session.commit()  # end the read: SQLite lets one transaction at a time write
        with demo.app_context():
            assert send_outbox(row.id) == "sent"
    assert len(receiver.received) == 1


def test_it_gives_each_notification_the_name_based_uuid_of_its_event():
    """The id receivers dedupe on is uuid5(NAMESPACE_URL, "event:<event_id>"), as before it was made
    by hand."""
    import uuid

    from tracking.webhook_bodies import webhook_id

    for event_id in ("3f2b8c1e-0000-4000-8000-000000000001", "batch-ab12cd34-3-1499",
                     "courier-x" * 7):
        assert webhook_id(event_id) == str(uuid.uuid5(uuid.NAMESPACE_URL, f"event:{event_id}"))
