
"""Retention: RETENTION_DAYS after the final status the recipient's personal data is erased by the
worker's hourly run (or `flask --app web anonymise-expired`), the statistics stay, and the run is
audited."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from delivery.access import EVERYTHING
from delivery.audit import AuditEntry
from delivery.models import Consignment, TrackingEvent, utcnow
from delivery.search import search_consignments
from tests.payloads import PATH_TO, intake_body, scan_body
from tests.web.public_helpers import move
from tracking.proof_files import store_photo

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def make_item(client, headers, number, status, photo_dir=None):
    body = intake_body(number, recipient={"name": f"Phạm Thị Hoa {number}",
                                          "phone": f"09123456{number:02d}",
                                          "national_id": "001085012345"})
    tracking_number = client.post("/api/v1/consignments", json=body,
                                  headers=headers).get_json()["tracking_number"]
    events = PATH_TO[status]
    move(client, headers, tracking_number, *events[:-1])
    extra = ({"photo": store_photo(photo_dir, PNG)} if photo_dir and events[-1] == "delivered"
             else {})
    response = client.post("/api/v1/scans", json=scan_body(tracking_number, events[-1], **extra),
                           headers=headers)
    assert response.status_code == 201
    return tracking_number


def age(app, tracking_number, days):
    """Pretend the last status change happened ``days`` days ago."""
    with Session(app.extensions["db_engine"]) as db:
        consignment = db.exec(
            select(Consignment).where(Consignment.tracking_number == tracking_number)
        ).one()
        consignment.updated_at = utcnow() - timedelta(days=days)
        db.add(consignment)
        db.commit()


def run(app):
    return app.test_cli_runner().invoke(args=["anonymise-expired"])


def stored(app, tracking_number):
    with Session(app.extensions["db_engine"]) as db:
        consignment = db.exec(
            select(Consignment).where(Consignment.tracking_number == tracking_number)
        ).one()
        events = db.exec(
            select(TrackingEvent).where(TrackingEvent.consignment_id == consignment.id)
        ).all()
        return consignment, events


@pytest.fixture
def delivered(demo, client, api_headers):
    number = make_item(client, api_headers, 1, "delivered", Path(demo.config["PROOF_PHOTO_DIR"]))
    age(demo, number, 181)
    return number


def test_it_erases_the_recipients_personal_data_after_the_retention_period(demo, delivered):
    assert "Anonymised 1 consignment" in run(demo).output
    consignment, _ = stored(demo, delivered)
    kept = (consignment.recipient_name, consignment.recipient_name_folded,
            consignment.recipient_phone, consignment.recipient_id_last4, consignment.street,
            consignment.address_text, consignment.note)
    assert kept == ("", "", "", None, "", "", None) and consignment.anonymised_at is not None


def test_it_keeps_the_statistics(demo, delivered):
    before, events_before = stored(demo, delivered)
    run(demo)
    after, events_after = stored(demo, delivered)
    fields = ("status", "ward_code", "province_code", "destination_office_id", "agency_id",
              "dossier_code", "created_at", "updated_at", "attempts", "amount_vnd")
    assert {f: getattr(after, f) for f in fields} == {f: getattr(before, f) for f in fields}
    assert [(e.event, e.occurred_at, e.office_id, e.actor) for e in events_after] == \
        [(e.event, e.occurred_at, e.office_id, e.actor) for e in events_before]


def test_it_erases_who_received_it_and_deletes_the_door_photo(demo, delivered):
    _, events = stored(demo, delivered)
    photo = Path(demo.config["PROOF_PHOTO_DIR"]) / json.loads(events[-1].proof)["photo"]
    assert photo.is_file()
    run(demo)
    _, events = stored(demo, delivered)
    assert json.loads(events[-1].proof) == {
        "relation": "self", "id_checked": True, "anonymised": True}
    assert not photo.exists()


def test_it_leaves_recent_and_unfinished_consignments_alone(demo, client, api_headers):
    recent = make_item(client, api_headers, 2, "delivered")
    age(demo, recent, 179)
    travelling = make_item(client, api_headers, 3, "out_for_delivery")
    age(demo, travelling, 400)
    assert "Anonymised 0" in run(demo).output
    assert stored(demo, recent)[0].recipient_phone and stored(demo, travelling)[0].recipient_phone


def test_it_covers_returned_and_cancelled_consignments(demo, client, api_headers):
    numbers = [make_item(client, api_headers, 4, "returned"),
               make_item(client, api_headers, 5, "cancelled")]
    for number in numbers:
        age(demo, number, 181)
    assert "Anonymised 2" in run(demo).output


def test_it_follows_the_configured_number_of_days(demo, client, api_headers):
    number = make_item(client, api_headers, 6, "delivered")
    age(demo, number, 11)
    demo.config["RETENTION_DAYS"] = 10
    assert "Anonymised 1" in run(demo).output


def test_it_is_idempotent_and_audits_each_consignment_once(demo, delivered):
    run(demo)
    assert "Anonymised 0" in run(demo).output
    with Session(demo.extensions["db_engine"]) as db:
        rows = db.exec(select(AuditEntry).where(AuditEntry.action == "retention.anonymised")).all()
    assert len(rows) == 1 and rows[0].actor == "system" and rows[0].consignment_id is not None


def test_it_can_no_longer_be_found_by_name_or_phone(demo, delivered):
    run(demo)
    with Session(demo.extensions["db_engine"]) as db:
        assert (search_consignments(db, "Phạm Thị Hoa", EVERYTHING) == []
                and search_consignments(db, "pham thi hoa", EVERYTHING) == [])
        assert search_consignments(db, "0912345601", EVERYTHING) == []
        # by its number it is still there, for statistics
        assert len(search_consignments(db, delivered, EVERYTHING)) == 1


def test_it_runs_in_the_worker_every_hour(queued_app, redis):
    from datetime import timedelta

    from rq import Queue

    from web.tasks import PERIODIC_JOBS, periodic_retention
    from web.worker import enqueue_due

    assert any(p.job is periodic_retention and p.every == timedelta(hours=1)
               for p in PERIODIC_JOBS)
    enqueue_due(redis, PERIODIC_JOBS)
    queued = [job.func for job in Queue("default", connection=redis).jobs]
    assert queued.count(periodic_retention) == 1  # other periodic jobs share the queue


def test_it_moves_the_version_so_cached_tracking_pages_are_rendered_again(demo, delivered):
    before, _ = stored(demo, delivered)
    run(demo)
    assert stored(demo, delivered)[0].version == before.version + 1


def test_it_forgets_the_citizens_network_address_but_keeps_the_staffs(demo, client, api_headers):
    from tracking.citizen_requests import give_instructions

    number = make_item(client, api_headers, 7, "out_for_delivery")
    with Session(demo.extensions["db_engine"]) as db:
        give_instructions(
            db, db.exec(select(Consignment).where(Consignment.tracking_number == number)).one(),
            "Gửi bảo vệ tòa nhà", client_address="10.0.0.99")
        db.commit()
    client.post("/api/v1/scans", json=scan_body(number, "delivered"), headers=api_headers)
    age(demo, number, 181)
    run(demo)
    addresses = {(e.actor, e.client_address) for e in stored(demo, number)[1]}
    assert ("citizen", None) in addresses and ("api:1", "127.0.0.1") in addresses
