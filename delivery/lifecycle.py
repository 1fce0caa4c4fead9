"""The status model of an outbound result delivery: the one table of allowed transitions and the one
function that applies an event to a consignment. Nothing else in the code base changes a status.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Table, TextClause, bindparam, text, update
from sqlmodel import Session

from .audit import CLIENT_ADDRESS
from .bulk import as_json, execute_each, insert_returning_ids, on_postgresql, recordset
from .driver import first_row
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
SCAN_EVENTS = tuple(event for event in EVENTS if event not in SYSTEM_EVENTS)  # what a scan may say
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


class Scan(NamedTuple):
    """What a scan says happened. ``proof`` is already validated by the caller (see tracking.scans).

    Immutable like the other per-scan records here (RecordedEvent, tracking.scans.ScanTarget): named
    tuples, cheaper to build than frozen dataclasses, and a batch builds hundreds of each
    (bench/README.md)."""

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


class Item(Protocol):
    """What the lifecycle reads of an item: a Consignment, or any lighter view of its row."""

    id: int
    status: str
    attempts: int
    version: int


class RecordedEvent(NamedTuple):
    """An event as just appended (the columns of TrackingEvent, without the ORM's cost of building one)."""

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
    proof: str | None = None
    client_address: str | None = None  # where the request came from (see delivery.audit)
    id: int | None = None


_items = Consignment.__table__
_events = TrackingEvent.__table__
# Core statements, compiled once: the scan path runs them for every scan.
# A single scan needs only the status it read to be unchanged (citizen requests bump the version without
# changing what a scan may do); a batch applied in memory needs the whole row unchanged.
_SET_IF_STATUS = (
    update(_items)
    .where(_items.c.id == bindparam("item_id"), _items.c.status == bindparam("before"))
    .values(status=bindparam("after"), attempts=bindparam("attempts_after"),
            version=_items.c.version + bindparam("events"), updated_at=bindparam("now"))
)
_SET_IF_VERSION = _SET_IF_STATUS.where(_items.c.version == bindparam("version_before"))
# The same compare-and-set for a whole batch in one statement on PostgreSQL (rows as one JSON parameter).
_SET_MANY_IF_VERSION = text(
    "UPDATE consignment SET status = r.after, attempts = r.attempts_after, version = consignment.version + r.events,"
    " updated_at = :now FROM json_to_recordset(CAST(:rows AS json)) AS r(item_id integer, before varchar,"
    " version_before integer, after varchar, attempts_after integer, events integer)"
    " WHERE consignment.id = r.item_id AND consignment.status = r.before AND consignment.version = r.version_before")
_EVENT_COLUMNS = tuple(name for name in RecordedEvent._fields if name != "id")


def apply_event(session: Session, item: Item, scan: Scan, *, attempt_limit: int) -> RecordedEvent:
    """Move ``item`` by ``scan`` and append its event, in the caller's transaction (no commit).

    The status update is a compare-and-set on the status read, so of two concurrent scans only one wins; the
    loser gets Conflict and nothing of it is written. A Consignment of ``item``'s row held by the session is
    expired, so it is read again when next used.
    Raises ValidationFailed, TransitionNotAllowed (a Conflict) or Conflict.
    """
    return apply_event_then(session, item, scan, attempt_limit=attempt_limit, follow_up=_nothing_follows)[0]


@dataclass(frozen=True)
class FollowUp:
    """Rows that exist because a status change happened (its notifications' outbox rows), written with it so
    there is never one without the other. ``key`` is a unique column of ``table`` given in every row."""

    table: Table
    rows: list[dict[str, Any]]
    key: str


def apply_event_then(session: Session, item: Item, scan: Scan, *, attempt_limit: int,
                     follow_up: Callable[[RecordedEvent], FollowUp]) -> tuple[RecordedEvent, list[int]]:
    """``apply_event``, plus the rows ``follow_up`` makes from the new event (called before the event has an
    id, and before anything is written). Returns the event with its id and the new rows' ids; same errors.

    On PostgreSQL the compare-and-set, the event and the rows are ONE statement: the single scan is the hot
    path, and each statement is a round trip to a server that shares the machine's cores with us."""
    event = _planned_event(session, item, scan, attempt_limit)
    follow = follow_up(event)
    if on_postgresql(session):
        return _change_in_one_statement(session, item, event, follow)
    if not _compare_and_set(session, [_moved(item, event)], _SET_IF_STATUS):
        raise _lost_race(item, event)
    event = _insert_events(session, [event])[0]
    return event, insert_returning_ids(session, follow.table, follow.rows, key=follow.key)


def _nothing_follows(_event: RecordedEvent) -> FollowUp:
    return FollowUp(_events, [], key="id")


def _planned_event(session: Session, item: Item, scan: Scan, attempt_limit: int) -> RecordedEvent:
    """The event ``scan`` makes of ``item`` under the rules, not yet written (no id)."""
    check_event_details(scan)
    after = target_status(item.status, scan.event, attempts=item.attempts, attempt_limit=attempt_limit,
                          reason=scan.reason)
    return _event_row(item.id, scan, item.status, after, session.info.get(CLIENT_ADDRESS))


def _moved(item: Item, event: RecordedEvent) -> _Working:
    return _Working(item, event.status_after, item.attempts + (event.event == "delivery_failed"), events=1)


def _lost_race(item: Item, event: RecordedEvent) -> Conflict:
    return Conflict("bưu gửi vừa được cập nhật bởi lượt quét khác / the item was changed by another scan; "
                    "scan again", from_status=item.status, event=event.event)


@cache
def _change_and_append(follower: Table, columns: tuple[str, ...]) -> TextClause:
    """The single-scan write on PostgreSQL: compare-and-set, then the event only if the item moved, then the
    follow-up rows only if the event was written; all or nothing, as one statement is."""
    event_columns, follower_columns = ", ".join(_EVENT_COLUMNS), ", ".join(columns)
    followed = (f", followed AS (INSERT INTO {follower.name} ({follower_columns}) SELECT {follower_columns} FROM "
                f"{recordset(follower, columns, 'rows')} WHERE EXISTS (SELECT FROM appended) RETURNING id)"
                if columns else ", followed AS (SELECT 0 AS id WHERE false)")
    return text(
        f"WITH moved AS (UPDATE {_items.name} SET status = :after, attempts = :attempts_after,"
        f" version = {_items.name}.version + 1, updated_at = :now WHERE id = :item_id AND status = :before"
        f" RETURNING id), appended AS (INSERT INTO {_events.name} ({event_columns}) SELECT {event_columns} FROM"
        f" {recordset(_events, _EVENT_COLUMNS, 'event')} WHERE EXISTS (SELECT FROM moved) RETURNING id)"
        f"{followed} SELECT (SELECT id FROM appended) AS event_id, ARRAY(SELECT id FROM followed) AS follower_ids")


def _change_in_one_statement(session: Session, item: Item, event: RecordedEvent,
                             follow: FollowUp) -> tuple[RecordedEvent, list[int]]:
    moved = _moved(item, event)
    columns = tuple(follow.rows[0]) if follow.rows else ()
    event_id, follower_ids = first_row(session, _change_and_append(follow.table, columns), {
        "item_id": item.id, "before": item.status, "after": moved.status, "attempts_after": moved.attempts,
        "now": utcnow(), "event": as_json([_columns_of(event)]),
        "rows": as_json(follow.rows)})
    if event_id is None:
        raise _lost_race(item, event)
    _forget_held(session, [item.id])
    return event._replace(id=event_id), list(follower_ids)


def _event_row(consignment_id: int, scan: Scan, before: str, after: str, client_address: str | None) -> RecordedEvent:
    return RecordedEvent(
        client_event_id=scan.client_event_id, consignment_id=consignment_id, event=scan.event,
        upu_code=UPU_CODES[scan.event] or "", status_before=before, status_after=after,
        occurred_at=scan.occurred_at, recorded_at=utcnow(), lat=scan.lat, lon=scan.lon, office_id=scan.office_id,
        actor=scan.actor, reason=scan.reason, note=scan.note,
        proof=json.dumps(scan.proof, ensure_ascii=False) if scan.proof else None, fingerprint=scan.fingerprint,
        client_address=client_address[:64] if client_address else None,
    )


def _columns_of(event: RecordedEvent) -> dict[str, Any]:
    """The event as a row to insert (every column but the id the database gives it)."""
    row = event._asdict()
    del row["id"]
    return row


def _insert_events(session: Session, events: list[RecordedEvent]) -> list[RecordedEvent]:
    """One INSERT ... RETURNING for all ``events`` (batched by the driver); returns them with their ids."""
    if not events:
        return []
    rows = [_columns_of(e) for e in events]
    ids = insert_returning_ids(session, _events, rows, key="client_event_id")
    return [RecordedEvent(**row, id=i) for row, i in zip(rows, ids, strict=True)]


def allowed_events(status: str) -> list[str]:
    """The events the status model accepts from ``status``, in lifecycle order (what a page may offer)."""
    return [event for event, moves in TRANSITIONS.items() if status in moves and event not in SYSTEM_EVENTS]


@dataclass
class _Working:
    """An item's state while scans are applied to it in memory."""

    item: Item
    status: str
    attempts: int
    events: int = 0


def apply_events(session: Session, scans: list[tuple[Item, Scan]],
                 attempt_limits: dict[int, int]) -> list[RecordedEvent | DomainError]:
    """The set-based twin of ``apply_event`` for large batches (no commit): the same table and rules, applied
    in order in memory (a later scan sees the effect of an earlier one on the same item), then one
    compare-and-set UPDATE per item sent as one batch, and one INSERT of all the events.

    ``attempt_limits`` maps each item's id to its agency's attempt limit. Returns, per scan, its event or the
    DomainError that refused it. Raises Conflict (and the caller must roll back) when any item changed since
    it was read; the caller then falls back to scans one by one.
    """
    working: dict[int, _Working] = {}
    outcome: list[RecordedEvent | DomainError] = []
    for item, scan in scans:
        state = working.setdefault(item.id, _Working(item, item.status, item.attempts))
        outcome.append(_apply_in_memory(state, scan, attempt_limits[item.id], session.info.get(CLIENT_ADDRESS)))
    if not _compare_and_set(session, [state for state in working.values() if state.events], _SET_IF_VERSION,
                            many_on_postgresql=_SET_MANY_IF_VERSION):
        raise Conflict("một bưu gửi vừa thay đổi / an item changed meanwhile")
    recorded = iter(_insert_events(session, [e for e in outcome if isinstance(e, RecordedEvent)]))
    return [next(recorded) if isinstance(e, RecordedEvent) else e for e in outcome]


def _apply_in_memory(state: _Working, scan: Scan, attempt_limit: int,
                     client_address: str | None) -> RecordedEvent | DomainError:
    try:
        check_event_details(scan)
        after = target_status(state.status, scan.event, attempts=state.attempts, attempt_limit=attempt_limit,
                              reason=scan.reason)
    except DomainError as error:
        return error
    event = _event_row(state.item.id, scan, state.status, after, client_address)
    state.status, state.events = after, state.events + 1
    state.attempts += scan.event == "delivery_failed"
    return event


def _compare_and_set(session: Session, states: list[_Working], statement: Any, many_on_postgresql: Any = None) -> bool:
    """Write every item's new state; False when any changed since it was read (then roll back).
    ``many_on_postgresql``, when given, does the same for many rows in one statement (see delivery.bulk)."""
    if not states:
        return True
    now = utcnow()
    rows = [{"item_id": s.item.id, "before": s.item.status, "version_before": s.item.version, "after": s.status,
             "attempts_after": s.attempts, "events": s.events, "now": now} for s in states]
    if many_on_postgresql is not None and len(rows) > 1 and on_postgresql(session):
        changed = session.connection().execute(many_on_postgresql, {"rows": as_json(rows), "now": now}).rowcount
    else:
        changed = execute_each(session, statement, rows).rowcount
    _forget_held(session, [state.item.id for state in states])
    return changed == len(rows)


def _forget_held(session: Session, item_ids: list[int]) -> None:
    """An ORM copy of a row that moved on is read again when next used."""
    if not session.identity_map:  # the scan paths hold no ORM objects: skip 500 key lookups for a batch
        return
    for item_id in item_ids:
        if (held := session.identity_map.get(session.identity_key(Consignment, item_id))) is not None:
            session.expire(held)


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
