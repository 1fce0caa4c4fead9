"""The status model of a collection (direction to_agency): its own table, the same rules."""

import pytest

from delivery.errors import TransitionNotAllowed
from delivery.status_model import (
    COLLECTION_TRANSITIONS,
    EVENTS,
    STATUSES,
    TO_AGENCY,
    allowed_events,
    target_status,
)
from tests.payloads import COLLECTION_PATH_TO

ALLOWED = [(before, event) for event, moves in COLLECTION_TRANSITIONS.items() for before in moves]
FORBIDDEN = [(status, event) for status in STATUSES for event in EVENTS
             if status not in COLLECTION_TRANSITIONS.get(event, {})]


def walk(events):
    status, attempts = "created", 0
    for event in events:
        status = target_status(status, event, attempts=attempts, attempt_limit=2,
                               reason="recipient_absent", direction=TO_AGENCY)
        attempts += event == "delivery_failed"
    return status


@pytest.mark.parametrize("status", sorted(COLLECTION_PATH_TO))
def test_it_reaches_each_collection_status_by_its_path(status):
    assert walk(COLLECTION_PATH_TO[status]) == status


@pytest.mark.parametrize("before, event", ALLOWED)
def test_it_allows_every_listed_collection_move(before, event):
    after = target_status(before, event, attempts=0, attempt_limit=2, reason="recipient_absent",
                          direction=TO_AGENCY)
    assert after == COLLECTION_TRANSITIONS[event][before]


@pytest.mark.parametrize("status, event", FORBIDDEN)
def test_it_refuses_every_other_collection_move(status, event):
    with pytest.raises(TransitionNotAllowed, match=f"from status '{status}'"):
        target_status(status, event, attempts=0, attempt_limit=2, reason="recipient_absent",
                      direction=TO_AGENCY)


def test_it_never_returns_a_missed_pick_up_to_the_agency():
    assert walk(["delivery_failed", "delivery_failed", "delivery_failed"]) == "attempt_failed"


def test_it_offers_a_courier_at_the_door_the_pick_up():
    assert allowed_events("created", TO_AGENCY)[:3] == ["picked_up", "accepted",
                                                        "delivery_failed"]


def test_it_offers_no_delivery_events_for_a_collection():
    offered = {e for status in STATUSES for e in allowed_events(status, TO_AGENCY)}
    assert not offered & {"out_for_delivery", "delivered", "held_for_pickup"}
