import threading
from datetime import datetime

import pytest
from sqlmodel import Session, select

from delivery.access import EVERYTHING
from delivery.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed
from delivery.models import VIETNAM_TIME, Consignment, TrackingEvent
from tests.payloads import scan_body
from tracking.scans import record_scan


def events(session):
    return session.exec(select(TrackingEvent)).all()


def test_it_records_a_scan_and_moves_the_status(session, consignment):
    result = record_scan(session, scan_body(consignment.tracking_number, "accepted"), "user:1",
                         scope=EVERYTHING)
    session.commit()
    assert (result.created, result.status, result.event.upu_code) == (True, "accepted", "EMA")


def test_it_answers_a_repeated_event_id_with_the_stored_result(session, consignment):
    body = scan_body(consignment.tracking_number, "accepted")
    first = record_scan(session, body, "user:1", scope=EVERYTHING)
    session.commit()
    again = record_scan(session, body, "user:1", scope=EVERYTHING)
    assert (again.created, again.event.id, again.status) == (False, first.event.id, "accepted")
    assert len(events(session)) == 1


def test_it_replays_an_old_scan_even_after_the_status_moved_on(session, consignment):
    accepted = scan_body(consignment.tracking_number, "accepted")
    record_scan(session, accepted, "user:1", scope=EVERYTHING)
    record_scan(session, scan_body(consignment.tracking_number, "arrived_hub"), "user:1",
                scope=EVERYTHING)
    session.commit()
    assert record_scan(session, accepted, "user:1", scope=EVERYTHING).status == "accepted"


def test_it_refuses_an_event_id_reused_for_another_scan(session, consignment):
    body = scan_body(consignment.tracking_number, "accepted")
    record_scan(session, body, "user:1", scope=EVERYTHING)
    session.commit()
    with pytest.raises(Conflict, match="different scan"):
        record_scan(session, {**body, "event": "cancelled"}, "user:1", scope=EVERYTHING)


def test_it_says_which_transition_is_forbidden(session, consignment):
    with pytest.raises(TransitionNotAllowed) as error:
        record_scan(session, scan_body(consignment.tracking_number, "delivered"), "user:1",
                    scope=EVERYTHING)
    assert error.value.extra == {"from_status": "created", "event": "delivered"}


def test_it_does_not_know_an_unknown_number(session, consignment):
    with pytest.raises(NotFound):
        record_scan(session, scan_body("RR287043775IN", "accepted"), "user:1", scope=EVERYTHING)


def test_it_reports_every_bad_field(session):
    body = {"event_id": "x", "tracking_number": "RR287043774IN", "event": "teleported",
            "occurred_at": "yesterday", "lat": 200, "lon": 0}
    with pytest.raises(ValidationFailed) as error:
        record_scan(session, body, "user:1", scope=EVERYTHING)
    assert set(error.value.errors) == {"event_id", "tracking_number", "event", "occurred_at", "lat"}


def test_it_refuses_a_time_without_offset(session, consignment):
    body = scan_body(consignment.tracking_number, "accepted", occurred_at="2026-11-28T09:15:00")
    with pytest.raises(ValidationFailed, match="offset"):
        record_scan(session, body, "user:1", scope=EVERYTHING)


def _to_out_for_delivery(session, consignment):
    for event in ("accepted", "arrived_delivery_office", "out_for_delivery"):
        record_scan(session, scan_body(consignment.tracking_number, event), "user:1",
                    scope=EVERYTHING)
    session.commit()


def test_it_checks_the_id_digits_against_what_the_agency_sent(session, consignment):
    _to_out_for_delivery(session, consignment)
    body = scan_body(consignment.tracking_number, "delivered")
    body["proof"]["id_last4"] = "9999"
    with pytest.raises(ValidationFailed, match="do not match"):
        record_scan(session, body, "user:1", scope=EVERYTHING)


def test_it_needs_an_authorisation_for_a_proxy(session, consignment):
    _to_out_for_delivery(session, consignment)
    body = scan_body(consignment.tracking_number, "delivered",
                     proof={"received_by": "Trần Văn Bình", "relation": "proxy"})
    with pytest.raises(ValidationFailed) as error:
        record_scan(session, body, "user:1", scope=EVERYTHING)
    assert "proof.authorisation_ref" in error.value.errors


def _race(app, bodies):
    """Send each body from its own thread and session at the same moment; returns outcomes."""
    barrier, outcomes = threading.Barrier(len(bodies)), []

    def worker(body):
        with Session(app.extensions["db_engine"]) as session:
            barrier.wait()
            try:
                outcomes.append(record_scan(session, body, "user:1", scope=EVERYTHING).created)
                session.commit()
            except Conflict as error:
                session.rollback()
                outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=worker, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_it_keeps_a_consistent_state_under_concurrent_conflicting_scans(app, session, consignment):
    number = consignment.tracking_number
    bodies = ([scan_body(number, "accepted") for _ in range(4)]
              + [scan_body(number, "cancelled") for _ in range(4)])
    outcomes = _race(app, bodies)
    stored = events(session)
    final = session.get(Consignment, consignment.id)
    session.refresh(final)
    assert outcomes.count(True) == 1 and len(outcomes) == 8
    assert len(stored) == 1 and stored[0].status_after == final.status
    assert final.version == 2


def test_it_records_a_scan_sent_concurrently_many_times_once(app, session, consignment):
    body = scan_body(consignment.tracking_number, "accepted")
    outcomes = _race(app, [body] * 6)
    assert sorted(outcomes, key=str) == [False] * 5 + [True]
    assert len(events(session)) == 1


def test_it_refuses_a_system_event_sent_as_a_scan(session, consignment):
    with pytest.raises(ValidationFailed) as error:
        record_scan(session, scan_body(consignment.tracking_number, "pickup_expired"), "user:1",
                    scope=EVERYTHING)
    assert "event" in error.value.errors and "pickup_expired" not in error.value.errors["event"]


def test_it_fingerprints_a_scan_as_events_already_stored_were_fingerprinted():
    """A replayed offline queue is compared with fingerprints stored by earlier releases: the hashed
    text is json.dumps(..., ensure_ascii=False) of these fields, and must stay so."""
    import hashlib
    import json
    from datetime import UTC, datetime

    from tracking.scans import parse_scan

    payload = {"event_id": "q-0001-abcdef", "tracking_number": "rr 287 043 775 in",
               "event": "delivery_failed", "occurred_at": "2026-11-28T09:15:00+07:00",
               "lat": 21.0285, "lon": 105.8542, "reason": "other",
               "note": "Nhà đóng cửa \"cả ngày\""}
    _, scan = parse_scan(payload, "user:1", datetime(2026, 11, 28, 3, 0, tzinfo=UTC))
    fields = ["RR287043775IN", "delivery_failed", "2026-11-28T02:15:00+00:00", 21.0285, 105.8542,
              "other", "Nhà đóng cửa \"cả ngày\"", None]
    assert scan.fingerprint == hashlib.sha256(
        json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def test_it_refuses_a_reason_longer_than_its_column(session, consignment):
    body = scan_body(consignment.tracking_number, "accepted", reason="x" * 41)
    with pytest.raises(ValidationFailed) as refused:
        record_scan(session, body, "user:1", scope=EVERYTHING)
    assert list(refused.value.errors) == ["reason"]


def test_it_refuses_an_authorisation_reference_longer_than_it_keeps(session, consignment):
    proof = {"received_by": "Trần Văn Bình", "relation": "proxy", "authorisation_ref": "U" * 201}
    body = scan_body(consignment.tracking_number, "delivered", proof=proof)
    with pytest.raises(ValidationFailed) as refused:
        record_scan(session, body, "user:1", scope=EVERYTHING)
    assert "proof.authorisation_ref" in refused.value.errors


def _asked_for(session, consignment, days_ahead):
    from datetime import timedelta

    for event in ("accepted", "arrived_delivery_office"):
        record_scan(session, scan_body(consignment.tracking_number, event), "user:1",
                    scope=EVERYTHING)
    day = datetime.now(VIETNAM_TIME).date() + timedelta(days=days_ahead)
    session.get(Consignment, consignment.id).requested_date = day
    session.commit()
    return day


def test_it_refuses_sending_an_item_out_before_the_requested_date_without_a_reason(
    session, consignment
):
    day = _asked_for(session, consignment, 2)
    with pytest.raises(ValidationFailed) as refused:
        record_scan(session, scan_body(consignment.tracking_number, "out_for_delivery",
                                       note="  "), "user:1", scope=EVERYTHING)
    assert f"{day:%d/%m}" in refused.value.errors["note"]
    assert session.get(Consignment, consignment.id).status == "at_delivery_office"


def test_it_records_the_couriers_reason_for_sending_an_item_out_early(session, consignment):
    _asked_for(session, consignment, 2)
    result = record_scan(session, scan_body(consignment.tracking_number, "out_for_delivery",
                                            note=" Người nhận gọi xin nhận sớm "),
                         "user:1", scope=EVERYTHING)
    session.commit()
    assert result.status == "out_for_delivery"
    assert (result.event.reason, result.event.note) == ("before_requested_date",
                                                        "Người nhận gọi xin nhận sớm")


def test_it_sends_an_item_out_on_the_requested_date_without_a_reason(session, consignment):
    _asked_for(session, consignment, 0)
    result = record_scan(session, scan_body(consignment.tracking_number, "out_for_delivery"),
                         "user:1", scope=EVERYTHING)
    assert (result.status, result.event.reason) == ("out_for_delivery", None)


def test_it_counts_the_day_an_offline_scan_happened_not_the_day_it_arrived(session, consignment):
    from datetime import timedelta

    day = _asked_for(session, consignment, 1)
    at = datetime.now(VIETNAM_TIME) + timedelta(minutes=5)
    assert at.date() < day  # scanned today, before the requested day
    with pytest.raises(ValidationFailed):
        record_scan(session, scan_body(consignment.tracking_number, "out_for_delivery",
                                       occurred_at=at.isoformat()), "user:1", scope=EVERYTHING)
