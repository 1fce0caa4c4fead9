import uuid
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from delivery.errors import Conflict, TransitionNotAllowed, ValidationFailed
from delivery.lifecycle import apply_event
from delivery.models import Consignment, TrackingEvent
from delivery.status_model import (
    EVENTS,
    STATUSES,
    TRANSITIONS,
    Scan,
    allowed_events,
    target_status,
)
from tests.payloads import COLLECTION_PATH_TO, PATH_TO, PROOF

ALLOWED = [(before, event) for event, moves in TRANSITIONS.items() for before in moves]
FORBIDDEN = [(status, event) for status in STATUSES for event in EVENTS
             if status not in TRANSITIONS.get(event, {})]


def scan(event, **extra):
    defaults = {"reason": "recipient_absent"} if event == "delivery_failed" else {}
    if event == "delivered":
        defaults["proof"] = dict(PROOF)
    return Scan(event=event, occurred_at=datetime.now(UTC), actor="test",
                client_event_id=str(uuid.uuid4()), fingerprint="x", **{**defaults, **extra})


def walk(session, consignment, status, attempt_limit=2):
    for event in PATH_TO[status]:
        apply_event(session, consignment, scan(event), attempt_limit=attempt_limit)
    session.commit()
    assert consignment.status == status


def test_it_has_a_path_to_every_status():
    assert set(PATH_TO) | set(COLLECTION_PATH_TO) == set(STATUSES)


@pytest.mark.parametrize("before, event", ALLOWED)
def test_it_applies_every_allowed_transition(session, new_consignment, before, event):
    consignment = new_consignment()
    walk(session, consignment, before, attempt_limit=3 if before != "returning" else 2)
    stored = apply_event(session, consignment, scan(event), attempt_limit=3)
    session.commit()
    assert (stored.status_before, stored.status_after) == (before, consignment.status)
    attempts_before = consignment.attempts - (event == "delivery_failed")
    assert consignment.status == target_status(before, event, attempts=attempts_before,
                                               attempt_limit=3, reason="recipient_absent")


@pytest.mark.parametrize("status, event", FORBIDDEN)
def test_it_refuses_every_forbidden_transition(status, event):
    with pytest.raises(TransitionNotAllowed, match=f"from status '{status}'"):
        target_status(status, event, attempts=0, attempt_limit=2, reason="recipient_absent")


def test_it_writes_nothing_for_a_forbidden_transition(session, new_consignment):
    consignment = new_consignment()
    with pytest.raises(TransitionNotAllowed):
        apply_event(session, consignment, scan("delivered"), attempt_limit=2)
    session.rollback()
    assert session.get(Consignment, consignment.id).status == "created"
    assert session.exec(select(TrackingEvent)).all() == []


def test_it_starts_the_return_when_the_attempt_limit_is_reached(session, new_consignment):
    consignment = new_consignment()
    walk(session, consignment, "out_for_delivery")
    apply_event(session, consignment, scan("delivery_failed"), attempt_limit=1)
    assert (consignment.status, consignment.attempts) == ("returning", 1)


def test_it_allows_another_attempt_below_the_limit(session, new_consignment):
    consignment = new_consignment()
    walk(session, consignment, "out_for_delivery")
    apply_event(session, consignment, scan("delivery_failed"), attempt_limit=2)
    assert consignment.status == "attempt_failed"
    assert "out_for_delivery" in allowed_events(consignment.status)


def test_it_returns_a_refused_item_at_once(session, new_consignment):
    consignment = new_consignment()
    walk(session, consignment, "out_for_delivery")
    apply_event(session, consignment, scan("delivery_failed", reason="recipient_refused"),
                attempt_limit=5)
    assert consignment.status == "returning"


def test_it_needs_a_reason_for_a_failed_attempt(session, new_consignment):
    consignment = new_consignment()
    walk(session, consignment, "out_for_delivery")
    with pytest.raises(ValidationFailed) as error:
        apply_event(session, consignment, scan("delivery_failed", reason=None), attempt_limit=2)
    assert "reason" in error.value.errors


def test_it_needs_proof_for_a_delivery(session, new_consignment):
    consignment = new_consignment()
    walk(session, consignment, "out_for_delivery")
    with pytest.raises(ValidationFailed) as error:
        apply_event(session, consignment, scan("delivered", proof=None), attempt_limit=2)
    assert "proof" in error.value.errors


def test_it_lets_only_one_of_two_scans_from_the_same_status_win(session, new_consignment, app):
    from sqlmodel import Session

    consignment = new_consignment()
    with Session(app.extensions["db_engine"], expire_on_commit=False) as other:
        stale = other.get(Consignment, consignment.id)
        other.commit()  # keep the stale copy, end the read
        apply_event(session, consignment, scan("accepted"), attempt_limit=2)
        session.commit()
        with pytest.raises(Conflict):
            apply_event(other, stale, scan("cancelled"), attempt_limit=2)
        other.rollback()
    session.refresh(consignment)
    assert consignment.status == "accepted"
    assert consignment.version == 2


def test_it_offers_only_the_events_the_model_allows():
    assert allowed_events("created") == ["accepted", "cancelled"]
    assert allowed_events("delivered") == []


def test_it_has_words_for_every_non_delivery_reason():
    from delivery.status_model import NON_DELIVERY_REASONS
    from tracking.wording import REASON_LABELS

    assert set(REASON_LABELS) == set(NON_DELIVERY_REASONS)
