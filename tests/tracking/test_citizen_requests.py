from datetime import date, timedelta

import pytest
from sqlalchemy import update

from delivery.errors import LimitReached, TransitionNotAllowed, ValidationFailed
from delivery.lifecycle import record_request
from delivery.models import TrackingEvent, utcnow
from tracking.citizen_requests import give_instructions, request_date, request_pickup

MONDAY = date(2030, 1, 7)


def test_it_records_a_request_without_changing_the_status(session, consignment):
    event = request_pickup(session, consignment)
    assert (event.status_before, event.status_after, consignment.status) == (
        "created", "created", "created")
    assert consignment.pickup_requested and consignment.version == 2


def test_it_takes_a_date_inside_the_agencys_window(session, consignment):
    request_date(session, consignment, "2030-01-09", MONDAY)
    assert consignment.requested_date == date(2030, 1, 9)


@pytest.mark.parametrize("raw", ["2030-01-07", "2030-01-15", "2030-01-13", "soon"])
def test_it_refuses_today_beyond_the_window_a_sunday_or_nonsense(session, consignment, raw):
    with pytest.raises(ValidationFailed, match="date"):
        request_date(session, consignment, raw, MONDAY)


def test_it_keeps_the_instructions_for_staff(session, consignment):
    event = give_instructions(session, consignment, "  Gọi trước   khi đến ")
    assert event.note == consignment.delivery_instructions == "Gọi trước khi đến"


def test_it_refuses_empty_instructions(session, consignment):
    with pytest.raises(ValidationFailed):
        give_instructions(session, consignment, "   ")


def test_it_refuses_requests_once_delivery_is_over(session, consignment):
    consignment.status = "returning"
    session.commit()
    with pytest.raises(TransitionNotAllowed):
        record_request(session, consignment, "pickup_requested", actor="citizen",
                       client_event_id="citizen-x1234567",
                       occurred_at=utcnow() - timedelta(seconds=1))


def test_it_refuses_a_request_beyond_the_daily_limit_and_stores_nothing(session, consignment):
    for _ in range(2):
        request_pickup(session, consignment, daily_limit=3)
    give_instructions(session, consignment, "Gọi trước", daily_limit=3)
    session.commit()
    with pytest.raises(LimitReached, match="3"):
        request_date(session, consignment, "2030-01-09", MONDAY, daily_limit=3)
    session.rollback()
    assert consignment.requested_date is None and consignment.version == 4


def test_it_counts_only_todays_requests_towards_the_limit(session, consignment):
    request_pickup(session, consignment, daily_limit=1)
    session.exec(update(TrackingEvent).values(occurred_at=utcnow() - timedelta(days=1)))
    session.commit()
    assert request_pickup(session, consignment, daily_limit=1).event == "pickup_requested"
