"""The status model of an outbound result delivery: the one table of allowed transitions and the one
function that applies an event to a consignment. Nothing else in the code base changes a status.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from .errors import Conflict, DomainError, TransitionNotAllowed, ValidationFailed
from .models import Consignment, TrackingEvent, utcnow

# Our event -> UPU EMSEVT code (domestic subset); None where UPU has no event of its own.
UPU_CODES: dict[str, str | None] = {
    "accepted": "EMA",
    "arrived_hub": "EDD",
    "departed_hub": "EDE",
    "arrived_delivery_office": "EMG",
    "out_for_delivery": "EDG",
    "delivery_failed": "EMH",
    "held_for_pickup": "EDH",
    "delivered": "EMI",
    "returned_to_agency": None,
    "cancelled": None,
    "pickup_expired": None,
}
EVENTS = tuple(UPU_CODES)

# event -> {status before: status after}. A (status, event) pair not listed here is forbidden.
TRANSITIONS: dict[str, dict[str, str]] = {
    "accepted": {"created": "accepted"},
    "arrived_hub": {"accepted": "in_transit", "in_transit": "in_transit", "returning": "returning"},
    "departed_hub": {"accepted": "in_transit", "in_transit": "in_transit", "returning": "returning"},
    # A counter in the delivery office's own area hands items straight to it, skipping any hub.
    "arrived_delivery_office": {"accepted": "at_delivery_office", "in_transit": "at_delivery_office"},
    "out_for_delivery": {"at_delivery_office": "out_for_delivery", "attempt_failed": "out_for_delivery"},
    "delivery_failed": {"out_for_delivery": "attempt_failed"},
    "held_for_pickup": {"at_delivery_office": "held_for_pickup", "attempt_failed": "held_for_pickup"},
    "delivered": {"out_for_delivery": "delivered", "held_for_pickup": "delivered"},
    "returned_to_agency": {"returning": "returned", "attempt_failed": "returned", "held_for_pickup": "returned"},
    "cancelled": {"created": "cancelled"},
    # Recorded by the system (tracking.pickup_expiry) when the agency's hold period at the office has passed.
    "pickup_expired": {"held_for_pickup": "returning"},
}
SYSTEM_EVENTS = frozenset({"pickup_expired"})  # never offered to staff as a scan
STATUSES = (
    "created", "accepted", "in_transit", "at_delivery_office", "out_for_delivery", "attempt_failed",
    "held_for_pickup", "delivered", "returning", "returned", "cancelled",
)
FINAL_STATUSES = frozenset({"delivered", "returned", "cancelled"})

NON_DELIVERY_REASONS = (
    "recipient_absent", "address_incorrect", "recipient_refused", "recipient_moved",
    "identity_not_verified", "recipient_asked_another_date", "premises_closed", "other",
)
# A refusal ends delivery at once: the result goes back to the agency whatever attempts remain.
REASONS_THAT_END_DELIVERY = frozenset({"recipient_refused"})


@dataclass(frozen=True)
class Scan:
    """What a scan says happened. ``proof`` is already validated by the caller (see tracking.scans)."""

    event: str
    occurred_at: datetime
    actor: str
    client_event_id: str
    fingerprint: str
    lat: float | None = None
    lon: float | None = None
    office_id: int | None = None
    reason: str | None = None
    note: str | None = None
    proof: dict[str, Any] | None = field(default=None)


def target_status(status: str, event: str, *, attempts: int, attempt_limit: int, reason: str | None) -> str:
    """The status ``event`` leads to from ``status``; raises TransitionNotAllowed when forbidden."""
    if event not in TRANSITIONS:
        raise ValidationFailed({"event": f"sự kiện không hợp lệ / unknown event; one of {', '.join(EVENTS)}"})
    after = TRANSITIONS[event].get(status)
    if after is None:
        raise TransitionNotAllowed(
            f"không thể ghi '{event}' khi bưu gửi đang '{status}' / event '{event}' is not allowed from "
            f"status '{status}'",
            from_status=status, event=event,
        )
    if event == "delivery_failed" and (attempts + 1 >= attempt_limit or reason in REASONS_THAT_END_DELIVERY):
        return "returning"
    return after


def check_event_details(scan: Scan) -> None:
    """Rules on what an event must carry: a reason for a failed attempt, proof for a delivery."""
    if scan.event == "delivery_failed" and scan.reason not in NON_DELIVERY_REASONS:
        reasons = ", ".join(NON_DELIVERY_REASONS)
        raise ValidationFailed({"reason": f"cần lý do / a reason is required, one of {reasons}"})
    if scan.event == "delivery_failed" and scan.reason == "other" and not (scan.note or "").strip():
        raise ValidationFailed({"note": "lý do 'other' cần mô tả / reason 'other' needs a note"})
    if scan.event == "delivered" and not scan.proof:
        raise ValidationFailed({"proof": "cần bằng chứng giao / delivery needs proof of who received it"})


def apply_event(session: Session, consignment: Consignment, scan: Scan, *, attempt_limit: int) -> TrackingEvent:
    """Move ``consignment`` by ``scan`` and append its event, in the caller's transaction (no commit).

    The status update is a compare-and-set on the status read, so of two concurrent scans from the same
    status only one wins; the loser gets Conflict and nothing of it is written.
    Raises ValidationFailed, TransitionNotAllowed (a Conflict) or Conflict.
    """
    check_event_details(scan)
    before = consignment.status
    after = target_status(before, scan.event, attempts=consignment.attempts,
                          attempt_limit=attempt_limit, reason=scan.reason)
    changed = session.exec(
        update(Consignment)
        .where(Consignment.id == consignment.id, Consignment.status == before)
        .values(status=after, version=Consignment.version + 1, updated_at=utcnow(),
                attempts=Consignment.attempts + (1 if scan.event == "delivery_failed" else 0))
    ).rowcount
    if changed != 1:
        raise Conflict("bưu gửi vừa được cập nhật bởi lượt quét khác / the item was changed by another scan; "
                       "scan again", from_status=before, event=scan.event)
    event = _event_row(consignment.id, scan, before, after)
    session.add(event)
    session.flush()
    session.refresh(consignment)
    return event


def _event_row(consignment_id: int, scan: Scan, before: str, after: str) -> TrackingEvent:
    return TrackingEvent(
        client_event_id=scan.client_event_id, consignment_id=consignment_id, event=scan.event,
        upu_code=UPU_CODES[scan.event] or "", status_before=before, status_after=after,
        occurred_at=scan.occurred_at, lat=scan.lat, lon=scan.lon, office_id=scan.office_id, actor=scan.actor,
        reason=scan.reason, note=scan.note, proof=json.dumps(scan.proof, ensure_ascii=False) if scan.proof else None,
        fingerprint=scan.fingerprint,
    )


def allowed_events(status: str) -> list[str]:
    """The events the status model accepts from ``status``, in lifecycle order (what a page may offer)."""
    return [event for event, moves in TRANSITIONS.items() if status in moves and event not in SYSTEM_EVENTS]


@dataclass
class _Working:
    """A consignment's state while a batch of scans is applied to it in memory."""

    consignment: Consignment
    status: str
    attempts: int
    events: int = 0


def apply_events(session: Session, scans: list[tuple[Consignment, Scan]],
                 attempt_limits: dict[int, int]) -> list[TrackingEvent | DomainError]:
    """The set-based twin of ``apply_event`` for large batches (no commit): the same table and rules, applied
    in order in memory (a later scan sees the effect of an earlier one on the same item), then one
    compare-and-set UPDATE per consignment and one bulk INSERT of the events.

    Returns, per scan, its event or the DomainError that refused it. Raises Conflict (and writes nothing)
    when any consignment changed since it was read; the caller then falls back to scans one by one.
    """
    working: dict[int, _Working] = {}
    outcome: list[TrackingEvent | DomainError] = []
    for consignment, scan in scans:
        state = working.setdefault(consignment.id, _Working(consignment, consignment.status, consignment.attempts))
        outcome.append(_apply_in_memory(state, scan, attempt_limits[consignment.agency_id]))
    for state in working.values():
        if state.events:
            _compare_and_set(session, state)
    session.add_all([e for e in outcome if isinstance(e, TrackingEvent)])
    session.flush()
    return outcome


def _apply_in_memory(state: _Working, scan: Scan, attempt_limit: int) -> TrackingEvent | DomainError:
    try:
        check_event_details(scan)
        after = target_status(state.status, scan.event, attempts=state.attempts, attempt_limit=attempt_limit,
                              reason=scan.reason)
    except DomainError as error:
        return error
    event = _event_row(state.consignment.id, scan, state.status, after)
    state.status, state.events = after, state.events + 1
    state.attempts += scan.event == "delivery_failed"
    return event


def _compare_and_set(session: Session, state: _Working) -> None:
    c = state.consignment
    changed = session.exec(
        update(Consignment).where(Consignment.id == c.id, Consignment.status == c.status,
                                  Consignment.version == c.version)
        .values(status=state.status, attempts=state.attempts, version=Consignment.version + state.events,
                updated_at=utcnow())
    ).rowcount
    if changed != 1:
        raise Conflict(f"{c.tracking_number} vừa thay đổi / changed meanwhile", tracking_number=c.tracking_number)
    session.expire(c)  # the row moved on in the database; read it again when next used


# Citizen requests from the tracking page: kept on the timeline like scans, but never a status change.
REQUEST_EVENTS = ("reschedule_requested", "pickup_requested", "instructions_given")
REQUESTS_CLOSED_IN = FINAL_STATUSES | {"returning"}


def record_request(session: Session, consignment: Consignment, event: str, *, actor: str, client_event_id: str,
                   occurred_at: datetime, note: str | None = None) -> TrackingEvent:
    """Append a citizen request event to ``consignment`` without changing its status (no commit).

    Refused (TransitionNotAllowed) once delivery is over or the item is on its way back; the version bump is a
    compare-and-set on the status read, so a request racing a final scan loses with Conflict.
    """
    if event not in REQUEST_EVENTS:
        raise ValidationFailed({"event": f"một trong / one of: {', '.join(REQUEST_EVENTS)}"})
    status = consignment.status
    if status in REQUESTS_CLOSED_IN:
        raise TransitionNotAllowed(f"không thể yêu cầu khi bưu gửi '{status}' / no requests once the item is "
                                   f"'{status}'", from_status=status, event=event)
    changed = session.exec(
        update(Consignment).where(Consignment.id == consignment.id, Consignment.status == status)
        .values(version=Consignment.version + 1, updated_at=utcnow())
    ).rowcount
    if changed != 1:
        raise Conflict("bưu gửi vừa thay đổi, thử lại / the item just changed; try again", from_status=status,
                       event=event)
    row = TrackingEvent(client_event_id=client_event_id, consignment_id=consignment.id, event=event, upu_code="",
                        status_before=status, status_after=status, occurred_at=occurred_at, actor=actor, note=note,
                        fingerprint=client_event_id)
    session.add(row)
    session.flush()
    session.refresh(consignment)
    return row
