"""The status model of an item: which events exist, which status each leads to, and what each must
carry.

Pure rules, no database: ``plan_event`` turns a scan into the event it makes of an item, or raises
why it cannot; the writers in ``delivery.lifecycle`` put planned events in the database. Nothing
else decides a status.

    created --accepted--> accepted --arrived_hub/departed_hub--> in_transit
    accepted/in_transit --arrived_delivery_office--> at_delivery_office
        --out_for_delivery--> out_for_delivery
    out_for_delivery --delivered--> delivered  out_for_delivery --delivery_failed--> attempt_failed
    attempt_failed --out_for_delivery--> ...   (the agency's attempt limit, or a refusal:
                                                -> returning)
    at_delivery_office/attempt_failed --held_for_pickup--> held_for_pickup --delivered--> delivered
    held_for_pickup --pickup_expired--> returning --returned_to_agency--> returned
    created --cancelled--> cancelled

A collection (a dossier going the other way, from the citizen to the agency) has its own table,
``COLLECTION_TRANSITIONS``; the same events where the same thing happens (hub scans, cancelling),
its own where it differs:

    created --picked_up--> picked_up            (collected at the citizen's door)
    created --accepted--> accepted              (handed in at a one-stop shop's counter)
    created/attempt_failed --delivery_failed--> attempt_failed (nobody at the door: try again)
    picked_up/accepted --arrived_hub/departed_hub--> in_transit
    picked_up/accepted/in_transit --arrived_delivery_office--> at_delivery_office
                                                (at the counter office that serves the agency)
    picked_up/accepted/in_transit/at_delivery_office --handed_to_agency--> handed_to_agency
    created/attempt_failed --cancelled--> cancelled
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from .errors import DomainError, TransitionNotAllowed, ValidationFailed

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
    # a collection: UPU's EMA is "posting / collection"; handing to the agency is its final delivery
    "picked_up": "EMA",
    "handed_to_agency": "EMI",
}
EVENTS = tuple(UPU_CODES)
# Which way an item goes: a result to the citizen (every item before collections), or a dossier
# from the citizen to the agency.
TO_CITIZEN, TO_AGENCY = "to_citizen", "to_agency"
DIRECTIONS = (TO_CITIZEN, TO_AGENCY)

# event -> {status before: status after}. A (status, event) pair not listed here is forbidden.
TRANSITIONS: dict[str, dict[str, str]] = {
    "accepted": {"created": "accepted"},
    "arrived_hub": {"accepted": "in_transit", "in_transit": "in_transit", "returning": "returning"},
    "departed_hub": {"accepted": "in_transit", "in_transit": "in_transit",
                     "returning": "returning"},
    # A counter in the delivery office's own area hands items straight to it, skipping any hub.
    "arrived_delivery_office": {"accepted": "at_delivery_office",
                                "in_transit": "at_delivery_office"},
    "out_for_delivery": {"at_delivery_office": "out_for_delivery",
                         "attempt_failed": "out_for_delivery"},
    "delivery_failed": {"out_for_delivery": "attempt_failed"},
    "held_for_pickup": {"at_delivery_office": "held_for_pickup",
                        "attempt_failed": "held_for_pickup"},
    "delivered": {"out_for_delivery": "delivered", "held_for_pickup": "delivered"},
    "returned_to_agency": {"returning": "returned", "attempt_failed": "returned",
                           "held_for_pickup": "returned"},
    "cancelled": {"created": "cancelled"},
    # Recorded by the system (tracking.pickup_expiry) when the agency's hold period at the office
    # has passed.
    "pickup_expired": {"held_for_pickup": "returning"},
}
_ON_THE_WAY = {"picked_up": "in_transit", "accepted": "in_transit", "in_transit": "in_transit"}
COLLECTION_TRANSITIONS: dict[str, dict[str, str]] = {
    "picked_up": {"created": "picked_up", "attempt_failed": "picked_up"},
    "accepted": {"created": "accepted", "attempt_failed": "accepted"},
    "delivery_failed": {"created": "attempt_failed", "attempt_failed": "attempt_failed"},
    "arrived_hub": _ON_THE_WAY,
    "departed_hub": _ON_THE_WAY,
    "arrived_delivery_office": {"picked_up": "at_delivery_office", "accepted": "at_delivery_office",
                                "in_transit": "at_delivery_office"},
    "handed_to_agency": {"picked_up": "handed_to_agency", "accepted": "handed_to_agency",
                         "in_transit": "handed_to_agency",
                         "at_delivery_office": "handed_to_agency"},
    "cancelled": {"created": "cancelled", "attempt_failed": "cancelled"},
}
TRANSITIONS_BY_DIRECTION = {TO_CITIZEN: TRANSITIONS, TO_AGENCY: COLLECTION_TRANSITIONS}
SYSTEM_EVENTS = frozenset({"pickup_expired"})  # never offered to staff as a scan
SCAN_EVENTS = tuple(event for event in EVENTS if event not in SYSTEM_EVENTS)  # what a scan may say
STATUSES = (
    "created", "accepted", "in_transit", "at_delivery_office", "out_for_delivery", "attempt_failed",
    "held_for_pickup", "delivered", "returning", "returned", "cancelled",
    "picked_up", "handed_to_agency",
)
FINAL_STATUSES = frozenset({"delivered", "returned", "cancelled", "handed_to_agency"})

NON_DELIVERY_REASONS = (
    "recipient_absent", "address_incorrect", "recipient_refused", "recipient_moved",
    "identity_not_verified", "recipient_asked_another_date", "premises_closed", "other",
)
# A refusal ends delivery at once: the result goes back to the agency whatever attempts remain.
REASONS_THAT_END_DELIVERY = frozenset({"recipient_refused"})

# Citizen requests from the tracking page: kept on the timeline like scans, but never a status
# change.
REQUEST_EVENTS = ("reschedule_requested", "pickup_requested", "instructions_given",
                  "channel_chosen")
REQUESTS_CLOSED_IN = FINAL_STATUSES | {"returning"}


class Scan(NamedTuple):
    """What a scan says happened, and who says so from where. ``proof`` is already validated by the
    caller (see tracking.scans). A named tuple: a batch builds hundreds of them."""

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
    proof: dict[str, Any] | None = None
    client_address: str | None = None  # the request's address, for the audit trail; None for jobs


class Item(Protocol):
    """What the status model reads of an item: a Consignment, or any lighter view of its row."""

    id: int
    status: str
    attempts: int
    version: int
    direction: str


class RecordedEvent(NamedTuple):
    """An event as planned (``id`` None) or just appended: the columns of TrackingEvent, without the
    cost of building an ORM object."""

    client_event_id: str
    consignment_id: int
    event: str
    upu_code: str
    status_before: str
    status_after: str
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    fingerprint: str
    lat: float | None = None
    lon: float | None = None
    office_id: int | None = None
    reason: str | None = None
    note: str | None = None
    proof: str | None = None  # JSON text
    client_address: str | None = None
    id: int | None = None


def target_status(status: str, event: str, *, attempts: int, attempt_limit: int,
                  reason: str | None, direction: str = TO_CITIZEN) -> str:
    """The status ``event`` leads to from ``status`` for an item going ``direction``; raises
    TransitionNotAllowed when forbidden."""
    transitions = TRANSITIONS_BY_DIRECTION[direction]
    if event not in EVENTS:
        raise ValidationFailed({"event": "sự kiện không hợp lệ / "
                                         f"unknown event; one of {', '.join(EVENTS)}"})
    after = transitions.get(event, {}).get(status)
    if after is None and event not in transitions:
        raise TransitionNotAllowed(
            f"không ghi '{event}' cho {_DIRECTION_WORDS[direction]} / event '{event}' is not "
            f"allowed from status '{status}' of an item going {direction.replace('_', ' ')}",
            from_status=status, event=event)
    if after is None:
        raise TransitionNotAllowed(
            f"không thể ghi '{event}' khi bưu gửi đang '{status}' / "
            f"event '{event}' is not allowed from status '{status}'",
            from_status=status, event=event,
        )
    ends_delivery = attempts + 1 >= attempt_limit or reason in REASONS_THAT_END_DELIVERY
    # a missed pick-up ends nothing: the citizen books another window or cancels
    if event == "delivery_failed" and ends_delivery and direction == TO_CITIZEN:
        return "returning"
    return after


_DIRECTION_WORDS = {TO_CITIZEN: "bưu gửi trả kết quả", TO_AGENCY: "hồ sơ thu gom"}


def check_event_details(scan: Scan) -> None:
    """Rules on what an event must carry: a reason for a failed attempt, proof for a delivery."""
    if scan.event == "delivery_failed" and scan.reason not in NON_DELIVERY_REASONS:
        reasons = ", ".join(NON_DELIVERY_REASONS)
        raise ValidationFailed({"reason": f"cần lý do / a reason is required, one of {reasons}"})
    if scan.event == "delivery_failed" and scan.reason == "other" and not (scan.note or "").strip():
        raise ValidationFailed({"note": "lý do 'other' cần mô tả / reason 'other' needs a note"})
    if scan.event == "delivered" and not scan.proof:
        raise ValidationFailed({"proof": "cần bằng chứng giao / "
                                         "delivery needs proof of who received it"})


def allowed_events(status: str, direction: str = TO_CITIZEN) -> list[str]:
    """The events the status model accepts from ``status`` for an item going ``direction``, in
    lifecycle order (what a page may offer)."""
    return [event for event, moves in TRANSITIONS_BY_DIRECTION[direction].items()
            if status in moves and event not in SYSTEM_EVENTS]


def plan_event(item_id: int, status: str, attempts: int, scan: Scan, *, attempt_limit: int,
               direction: str = TO_CITIZEN) -> RecordedEvent:
    """The event ``scan`` makes of the item in ``status`` after ``attempts`` failed attempts, not
    yet written (no id). Raises ValidationFailed or TransitionNotAllowed."""
    check_event_details(scan)
    after = target_status(status, scan.event, attempts=attempts, attempt_limit=attempt_limit,
                          reason=scan.reason, direction=direction)
    return RecordedEvent(
        client_event_id=scan.client_event_id, consignment_id=item_id, event=scan.event,
        upu_code=UPU_CODES[scan.event] or "", status_before=status, status_after=after,
        occurred_at=scan.occurred_at, recorded_at=datetime.now(UTC), lat=scan.lat, lon=scan.lon,
        office_id=scan.office_id, actor=scan.actor, reason=scan.reason, note=scan.note,
        proof=json.dumps(scan.proof, ensure_ascii=False) if scan.proof else None,
        fingerprint=scan.fingerprint,
        client_address=scan.client_address[:64] if scan.client_address else None,
    )


def attempts_after(attempts: int, event: RecordedEvent) -> int:
    """Failed attempts counted after ``event``."""
    return attempts + (event.event == "delivery_failed")


class PlannedMove(NamedTuple):
    """An item's state after the events a batch planned for it: ``events`` of them moved it from
    ``item`` as it was read."""

    item: Item
    status: str
    attempts: int
    events: int


class BatchPlan(NamedTuple):
    """A batch as planned: per scan its event or the error that refused it (in the scans' order),
    the planned events alone (in order), and each moved item's final state."""

    outcomes: list[RecordedEvent | DomainError]
    events: list[RecordedEvent]
    moves: list[PlannedMove]


def plan_events(scans: list[tuple[Item, Scan]], attempt_limits: dict[int, int]) -> BatchPlan:
    """``plan_event`` for many scans at once, in order: a later scan sees the effect of an earlier
    one on the same item. ``attempt_limits`` maps each item's id to its agency's limit."""
    state: dict[int, PlannedMove] = {}
    outcomes: list[RecordedEvent | DomainError] = []
    for item, scan in scans:
        now = state.get(item.id) or PlannedMove(item, item.status, item.attempts, 0)
        try:
            event = plan_event(item.id, now.status, now.attempts, scan,
                               attempt_limit=attempt_limits[item.id], direction=item.direction)
        except DomainError as error:
            outcomes.append(error)
            continue
        outcomes.append(event)
        state[item.id] = now._replace(status=event.status_after,
                                      attempts=attempts_after(now.attempts, event),
                                      events=now.events + 1)
    events = [outcome for outcome in outcomes if isinstance(outcome, RecordedEvent)]
    return BatchPlan(outcomes, events, list(state.values()))
