"""The whole notification flow over a real Redis and a real RQ worker, against local stand-ins for
the SMS gateway and the upstream system."""

from tests.conftest import run_jobs
from tests.payloads import intake_body, scan_body, with_otp
from tests.stand_ins import Receiver, SmsGateway
from tests.tracking.notified import HEADERS, SECRET, outbox_states, seed, wire


def test_it_tells_the_citizen_and_the_upstream_system_everything_exactly_once(
    queued_app, monkeypatch
):
    seed(queued_app, monkeypatch)
    client = queued_app.test_client()
    with Receiver(SECRET) as receiver, SmsGateway() as gateway:
        wire(queued_app, receiver, gateway)
        number = client.post("/api/v1/consignments", json=intake_body(),
                             headers=HEADERS).get_json()["tracking_number"]
        for event in ("accepted", "arrived_hub", "arrived_delivery_office", "out_for_delivery"):
            assert client.post("/api/v1/scans", json=scan_body(number, event),
                               headers=HEADERS).status_code == 201
        # nothing leaves before a worker runs
        assert receiver.received == [] and gateway.received == []
        run_jobs(queued_app)
        delivered = with_otp(scan_body(number, "delivered"), gateway.otp_for("+84912345678"))
        assert client.post("/api/v1/scans", json=delivered, headers=HEADERS).status_code == 201
        run_jobs(queued_app)
    assert [b["data"]["status"] for b in receiver.applied()] == [
        "accepted", "in_transit", "at_delivery_office", "out_for_delivery", "delivered"]
    assert len(receiver.received) == 5 and all(r["signature_ok"] for r in receiver.received)
    assert len(gateway.received) == 3 and "Theo dõi" in gateway.received[0]["text"]
    assert outbox_states(queued_app) == {"sent": 8}
