"""Collected dossiers by manifest: transfer between two offices, the agency taking them with one
scan, each item its own event."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from delivery.access import EVERYTHING
from delivery.dossier_manifests import create_dossier_manifest, waiting_at
from delivery.errors import Conflict, ValidationFailed
from delivery.models import Consignment, PostOffice, TrackingEvent
from tests.payloads import collection_body, scan_body
from tracking.dossier_handover import dispatch, take_over

NOW = datetime.now(UTC)


def collected(client, headers, count=2):
    numbers = []
    for n in range(1, count + 1):
        number = client.post("/api/v1/collections", json=collection_body(n),
                             headers=headers).get_json()["tracking_number"]
        assert client.post("/api/v1/scans", json=scan_body(number, "picked_up"),
                           headers=headers).status_code == 201
        numbers.append(number)
    return numbers


@pytest.fixture
def db(demo):
    with Session(demo.extensions["db_engine"]) as session:
        yield session


def office(db, code):
    return db.exec(select(PostOffice).where(PostOffice.code == code)).one()


def events(db, number):
    item = db.exec(select(Consignment).where(Consignment.tracking_number == number)).one()
    return [(e.event, e.office_id) for e in db.exec(select(TrackingEvent).where(
        TrackingEvent.consignment_id == item.id).order_by(TrackingEvent.id)).all()]


def take(db, manifest, office_id, **names):
    return take_over(db, manifest, actor="user:1", actor_name="Hòa", occurred_at=NOW,
                     scope=EVERYTHING, office_id=office_id, **names)


def test_it_lists_the_dossiers_waiting_at_the_collecting_office(db, client, api_headers):
    numbers = collected(client, api_headers)
    waiting = waiting_at(db, office(db, "100100").id, "transfer")
    assert [c.tracking_number for c in waiting] == numbers
    assert waiting_at(db, office(db, "100000").id, "transfer") == []


def test_it_refuses_a_to_agency_manifest_at_an_office_not_serving_the_agency(db, client,
                                                                             api_headers):
    numbers = collected(client, api_headers, 1)
    with pytest.raises(ValidationFailed) as refused:
        create_dossier_manifest(db, office(db, "100100"), numbers, "user:1")
    assert "to_office_code" in refused.value.errors


def test_it_transfers_then_the_receiving_counter_takes_all_with_one_scan(db, client,
                                                                         api_headers):
    numbers = collected(client, api_headers)
    sender, receiver = office(db, "100100"), office(db, "100000")
    manifest = create_dossier_manifest(db, sender, numbers, "user:1", to_office=receiver)
    assert manifest.direction == "transfer" and manifest.number.startswith("BK")
    dispatch(db, manifest, actor="user:1", occurred_at=NOW, scope=EVERYTHING,
             office_id=sender.id)
    result = take(db, manifest, receiver.id)
    db.commit()
    assert result.accepted == numbers and manifest.state == "handed_over"
    assert events(db, numbers[0])[1:] == [("departed_hub", sender.id),
                                          ("arrived_delivery_office", receiver.id)]
    assert [c.tracking_number for c in waiting_at(db, receiver.id, "to_agency")] == numbers


def test_it_refuses_a_dossier_manifest_scanned_at_another_office(db, client, api_headers):
    numbers = collected(client, api_headers, 1)
    manifest = create_dossier_manifest(db, office(db, "100100"), numbers, "user:1",
                                       to_office=office(db, "100000"))
    with pytest.raises(Conflict):
        take(db, manifest, office(db, "100100").id)
    with pytest.raises(Conflict):
        dispatch(db, manifest, actor="user:1", occurred_at=NOW, scope=EVERYTHING,
                 office_id=office(db, "100000").id)


def test_it_hands_every_dossier_to_the_agency_with_one_scan_once(db, client, api_headers):
    numbers = collected(client, api_headers)
    counter = office(db, "100000")
    transfer = create_dossier_manifest(db, office(db, "100100"), numbers, "user:1",
                                       to_office=counter)
    take(db, transfer, counter.id)
    manifest = create_dossier_manifest(db, counter, numbers, "user:1")
    take(db, manifest, counter.id, agency_signatory="Cán bộ Lê Văn Cường")
    again = take(db, manifest, counter.id, agency_signatory="Cán bộ Lê Văn Cường")
    db.commit()
    assert again.accepted == numbers  # a repeat answers as before, writes nothing
    assert [e for e in events(db, numbers[1]) if e[0] == "handed_to_agency"] == [
        ("handed_to_agency", counter.id)]
    assert manifest.agency_signatory == "Cán bộ Lê Văn Cường" and manifest.received_by == "Hòa"


def test_it_needs_the_agency_officers_name(db, client, api_headers):
    numbers = collected(client, api_headers, 1)
    counter = office(db, "100000")
    take(db, create_dossier_manifest(db, office(db, "100100"), numbers, "user:1",
                                     to_office=counter), counter.id)
    with pytest.raises(ValidationFailed):
        take(db, create_dossier_manifest(db, counter, numbers, "user:1"), counter.id)


def test_it_skips_a_dossier_already_handed_over_by_its_own_scan(db, client, api_headers):
    numbers = collected(client, api_headers)
    counter = office(db, "100000")
    take(db, create_dossier_manifest(db, office(db, "100100"), numbers, "user:1",
                                     to_office=counter), counter.id)
    manifest = create_dossier_manifest(db, counter, numbers, "user:1")
    db.commit()
    client.post("/api/v1/scans", json=scan_body(numbers[0], "handed_to_agency"),
                headers=api_headers)
    db.expire_all()
    result = take(db, manifest, counter.id, agency_signatory="Cán bộ")
    assert result.accepted == numbers[1:] and list(result.skipped) == numbers[:1]
