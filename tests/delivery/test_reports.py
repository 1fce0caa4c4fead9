import uuid
from datetime import UTC, date, datetime

from delivery.lifecycle import apply_event
from delivery.reports import office_day_report
from delivery.status_model import Scan
from tests.payloads import PATH_TO

DAY = date(2026, 6, 1)


def _scan(consignment, event, when, session):
    scan = Scan(event=event, occurred_at=when, actor="test", client_event_id=str(uuid.uuid4()),
                fingerprint="x", office_id=consignment.destination_office_id)
    apply_event(session, consignment, scan, attempt_limit=2)
    session.commit()


def _to_office(session, consignment, when):
    for event in PATH_TO["at_delivery_office"]:
        _scan(consignment, event, when, session)


def test_it_counts_the_events_of_one_office_on_one_vietnamese_day(session, new_consignment):
    first, second = new_consignment(), new_consignment()
    _to_office(session, first, datetime(2026, 6, 1, 2, 0, tzinfo=UTC))  # 09:00 in Vietnam, 1 June
    # 01:30 in Vietnam, 1 June
    _to_office(session, second, datetime(2026, 5, 31, 18, 30, tzinfo=UTC))
    # 00:30 on 2 June
    _scan(first, "out_for_delivery", datetime(2026, 6, 1, 17, 30, tzinfo=UTC), session)
    report = office_day_report(session, first.destination_office_id, DAY)
    last = PATH_TO["at_delivery_office"][-1]
    assert report.events[last] == (2, 2) and "out_for_delivery" not in report.events


def test_it_counts_the_items_bound_for_the_office_by_status(session, new_consignment):
    moved, waiting = new_consignment(), new_consignment()
    _to_office(session, moved, datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    report = office_day_report(session, moved.destination_office_id, DAY)
    assert report.statuses == {"at_delivery_office": 1, waiting.status: 1}


def test_it_gives_empty_counts_for_an_office_without_items(session):
    report = office_day_report(session, 999_999, DAY)
    assert (report.events, report.statuses) == ({}, {})
