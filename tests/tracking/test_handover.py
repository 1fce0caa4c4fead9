from datetime import UTC, datetime

import pytest
from sqlmodel import select

from delivery.access import EVERYTHING
from delivery.errors import ValidationFailed
from delivery.intake import create_consignment, parse_intake
from delivery.manifests import create_manifest, ready_for_handover
from delivery.models import PostOffice, TrackingEvent
from tests.payloads import intake_body, scan_body
from tracking.handover import hand_over
from tracking.scans import record_scan


@pytest.fixture
def office(session):
    office = PostOffice(code="100000", name="Bưu điện TTHCC", kind="counter", province_code=1)
    session.add(office)
    session.commit()
    return office


@pytest.fixture
def three(session, agency):
    made = [create_consignment(session, parse_intake(intake_body(i)), agency, indicator="RR")[0]
            for i in (1, 2, 3)]
    session.commit()
    return made


def handover(session, manifest):
    return hand_over(session, manifest, actor="user:1", scope=EVERYTHING, received_by="Hòa",
                     agency_signatory="Cán bộ", occurred_at=datetime.now(UTC))


def test_it_lists_what_is_ready_and_not_yet_on_a_manifest(session, agency, office, three):
    create_manifest(session, agency, office, [three[0].tracking_number], "user:1")
    assert [c.id for c in ready_for_handover(session, agency.id)] == [three[1].id, three[2].id]


def test_it_refuses_items_that_are_not_ready(session, agency, office, three):
    record_scan(session, scan_body(three[0].tracking_number, "cancelled"), "user:1",
                scope=EVERYTHING)
    with pytest.raises(ValidationFailed, match=three[0].tracking_number):
        create_manifest(session, agency, office,
                        [three[0].tracking_number, three[1].tracking_number], "user:1")


def test_it_numbers_manifests_for_a_barcode(session, agency, office, three):
    manifest = create_manifest(session, agency, office, [three[0].tracking_number], "user:1")
    assert manifest.number.startswith("BK") and manifest.number.endswith(f"-{manifest.id:05d}")


def test_it_accepts_every_item_once_even_when_handed_over_twice(session, agency, office, three):
    manifest = create_manifest(session, agency, office, [c.tracking_number for c in three],
                               "user:1")
    first = handover(session, manifest)
    session.commit()
    handover(session, manifest)
    session.commit()
    assert len(first.accepted) == 3 and manifest.state == "handed_over"
    assert len(session.exec(select(TrackingEvent)).all()) == 3


def test_it_skips_an_item_cancelled_after_the_manifest_was_made(session, agency, office, three):
    manifest = create_manifest(session, agency, office, [c.tracking_number for c in three],
                               "user:1")
    record_scan(session, scan_body(three[1].tracking_number, "cancelled"), "user:1",
                scope=EVERYTHING)
    result = handover(session, manifest)
    assert list(result.skipped) == [three[1].tracking_number] and len(result.accepted) == 2
