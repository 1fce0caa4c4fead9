from datetime import UTC, datetime

import pytest
from sqlmodel import select

from delivery.access import EVERYTHING
from delivery.errors import Conflict, NotFound, TransitionNotAllowed
from delivery.lifecycle import apply_events
from delivery.models import Consignment, TrackingEvent
from tests.payloads import scan_body
from tracking.batch import record_batch
from tracking.scans import ScanResult, parse_scan, record_scan, scan_targets


def events(session):
    return session.exec(select(TrackingEvent).order_by(TrackingEvent.id)).all()


def test_it_applies_several_scans_of_one_item_in_order(session, consignment):
    number = consignment.tracking_number
    outcomes = record_batch(
        session, [scan_body(number, e) for e in ("accepted", "arrived_hub", "departed_hub")],
        "user:1", scope=EVERYTHING)
    session.commit()
    assert [o.status for o in outcomes] == ["accepted", "in_transit", "in_transit"]
    assert session.get(Consignment, consignment.id).version == 4


def test_it_refuses_one_scan_without_blocking_the_others(session, consignment):
    number = consignment.tracking_number
    bodies = [scan_body(number, "accepted"), scan_body(number, "held_for_pickup"),
              scan_body(number, "arrived_hub"), scan_body("RR287043775IN", "accepted")]
    outcomes = record_batch(session, bodies, "user:1", scope=EVERYTHING)
    assert isinstance(outcomes[1], TransitionNotAllowed) and isinstance(outcomes[3], NotFound)
    assert [e.event for e in events(session)] == ["accepted", "arrived_hub"]


def test_it_answers_stored_and_repeated_event_ids_without_new_events(session, consignment):
    first = scan_body(consignment.tracking_number, "accepted")
    record_scan(session, first, "user:1", scope=EVERYTHING)
    session.commit()
    outcomes = record_batch(session, [first, first], "user:1", scope=EVERYTHING)
    assert [o.created for o in outcomes if isinstance(o, ScanResult)] == [False, False]
    assert len(events(session)) == 1


def test_it_leaves_deliveries_and_their_item_to_the_one_by_one_path(session, consignment):
    number = consignment.tracking_number
    outcomes = record_batch(
        session, [scan_body(number, "accepted"), scan_body(number, "delivered")], "user:1",
            scope=EVERYTHING)
    assert outcomes == [None, None] and events(session) == []


def test_it_issues_an_otp_for_items_going_out_for_delivery(session, consignment):
    from tests.tracking.otp_codes import texted_otp

    number = consignment.tracking_number
    record_batch(session, [scan_body(number, e) for e in ("accepted", "arrived_delivery_office",
                                                          "out_for_delivery")], "user:1",
                                                              scope=EVERYTHING)
    assert len(texted_otp(session, consignment.id)) == 6


def test_it_writes_nothing_when_an_item_changed_since_it_was_read(session, consignment):
    number = consignment.tracking_number
    read_before = scan_targets(session, {number})[number]
    record_scan(session, scan_body(number, "accepted"), "user:1", scope=EVERYTHING)
    session.commit()
    _, cancel = parse_scan(scan_body(number, "cancelled"), "user:1", datetime.now(UTC))
    with pytest.raises(Conflict):
        apply_events(session, [(read_before, cancel)], {read_before.id: 2})
    session.rollback()
    assert [e.event for e in events(session)] == ["accepted"]
    assert session.get(Consignment, consignment.id).status == "accepted"


def test_it_writes_nothing_of_a_batch_when_one_of_its_items_changed(session, consignment, agency):
    from delivery.intake import create_consignment, parse_intake
    from tests.payloads import intake_body

    other, _ = create_consignment(session, parse_intake(intake_body(2)), agency, indicator="RR")
    session.commit()
    read_before = scan_targets(session, {consignment.tracking_number, other.tracking_number})
    record_scan(session, scan_body(consignment.tracking_number, "accepted"), "user:1",
                scope=EVERYTHING)
    session.commit()
    now = datetime.now(UTC)
    scans = [(read_before[c.tracking_number],
              parse_scan(scan_body(c.tracking_number, "cancelled"), "user:1", now)[1])
             for c in (consignment, other)]
    with pytest.raises(Conflict):
        apply_events(session, scans, {target.id: 2 for target, _ in scans})
    session.rollback()
    assert [e.event for e in events(session)] == ["accepted"]
    assert session.get(Consignment, other.id).status == "created"


def test_it_refuses_a_bag_scan_sending_out_early_and_records_one_with_a_reason(
    session, consignment
):
    from datetime import timedelta

    from delivery.errors import ValidationFailed
    from delivery.models import VIETNAM_TIME

    number = consignment.tracking_number
    record_batch(session, [scan_body(number, e) for e in ("accepted", "arrived_delivery_office")],
                 "user:1", scope=EVERYTHING)
    session.get(Consignment, consignment.id).requested_date = (
        datetime.now(VIETNAM_TIME).date() + timedelta(days=3))
    session.commit()
    refused = record_batch(session, [scan_body(number, "out_for_delivery")], "user:1",
                           scope=EVERYTHING)
    sent = record_batch(session, [scan_body(number, "out_for_delivery", note="Người nhận gọi")],
                        "user:1", scope=EVERYTHING)
    assert isinstance(refused[0], ValidationFailed) and "note" in refused[0].errors
    assert (sent[0].status, events(session)[-1].reason) == ("out_for_delivery",
                                                          "before_requested_date")
