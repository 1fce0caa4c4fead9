
"""A request's writes share one transaction unless its view opts into standalone statements by name
(delivery.driver): two writes in one request stand or fall together, on SQLite and on PostgreSQL."""

from sqlmodel import Session, select

from delivery.access import EVERYTHING
from delivery.models import TrackingEvent
from tests.payloads import intake_body, scan_body
from tracking.scans import record_scan
from web.creating import create_and_notify
from web.db import get_session


def two_items(app, agency):
    from delivery.intake import parse_intake

    with app.test_request_context("/"):
        return [create_and_notify(get_session(), parse_intake(intake_body(n)), agency)[0]
                .tracking_number for n in (1, 2)]


def stored_events(app) -> list[str]:
    with Session(app.extensions["db_engine"]) as db:
        return [e.event for e in db.exec(select(TrackingEvent)).all()]


def test_it_keeps_two_writes_of_one_request_in_one_transaction(app, agency):
    first, second = two_items(app, agency)
    with app.test_request_context("/api/v1/scans", method="POST"):
        session = get_session()
        record_scan(session, scan_body(first, "accepted"), "user:1", scope=EVERYTHING)
        record_scan(session, scan_body(second, "accepted"), "user:1", scope=EVERYTHING)
        session.rollback()  # the view failed after both: neither write may be left
    assert stored_events(app) == []


def test_it_commits_a_standalone_scan_when_the_view_asks_for_it(app, agency):
    """The opt-in's effect, for contrast: on PostgreSQL the scan is written at once, on SQLite at
    commit."""
    first, _ = two_items(app, agency)
    with app.test_request_context("/api/v1/scans", method="POST"):
        session = get_session()
        record_scan(session, scan_body(first, "accepted"), "user:1",
                    scope=EVERYTHING, standalone=True)
        if session.in_transaction():
            session.commit()
    assert stored_events(app) == ["accepted"]
