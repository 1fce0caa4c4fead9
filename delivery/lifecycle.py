"""Writing status changes: the only code that changes an item's status.

Every path is plan -> rows -> one write. The rules (``delivery.status_model``) plan the event a scan
makes; the caller adds the rows that exist because of it (``FollowUp``: its notifications' outbox
rows, made by tracking); ``write_change`` / ``write_batch`` put the status, the event and those rows
in the database in the caller's transaction (no commit), so there is never one without the others.

The status update is a compare-and-set on what was read
(``... WHERE id = :id AND status = :before``), so of two concurrent scans only one wins; the loser
gets Conflict and nothing of it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Table, TextClause, bindparam, text, update
from sqlmodel import Session

from .bulk import as_json, execute_each, insert_returning_ids, on_postgresql, recordset
from .driver import first_row
from .errors import Conflict, DomainError, TransitionNotAllowed, ValidationFailed
from .models import Consignment, TrackingEvent, utcnow
from .status_model import (
    REQUEST_EVENTS,
    REQUESTS_CLOSED_IN,
    BatchPlan,
    Item,
    PlannedMove,
    RecordedEvent,
    Scan,
    attempts_after,
    plan_event,
    plan_events,
)


@dataclass(frozen=True)
class FollowUp:
    """Rows that exist because a status change happened, written with it: ``rows`` of ``table``
    (dicts with the same columns), ``key`` a unique column given in every row. ``per_event`` says
    how many of the rows belong to each event of a batch, in order (a single change owns them
    all)."""

    table: Table
    rows: list[dict[str, Any]]
    key: str
    per_event: list[int] = field(default_factory=list)


_items = Consignment.__table__
_events = TrackingEvent.__table__
NOTHING_FOLLOWS = FollowUp(_events, [], key="id")
# A single scan needs only the status it read to be unchanged (citizen requests bump the version
# without changing what a scan may do); a batch applied in memory needs the whole row unchanged.
_SET_IF_STATUS = (
    update(_items)
    .where(_items.c.id == bindparam("item_id"), _items.c.status == bindparam("before"))
    .values(status=bindparam("after"), attempts=bindparam("attempts_after"),
            version=_items.c.version + bindparam("events"), updated_at=bindparam("now"))
)
_SET_IF_VERSION = _SET_IF_STATUS.where(_items.c.version == bindparam("version_before"))
# The same compare-and-set for a whole batch in one statement on PostgreSQL (rows as one JSON
# parameter).
_SET_MANY_IF_VERSION = text(
    "UPDATE consignment SET status = r.after, attempts = r.attempts_after,"
    " version = consignment.version + r.events, updated_at = :now"
    " FROM json_to_recordset(CAST(:rows AS json)) AS r(item_id integer, before varchar,"
    " version_before integer, after varchar, attempts_after integer, events integer)"
    " WHERE consignment.id = r.item_id AND consignment.status = r.before"
    " AND consignment.version = r.version_before")
_EVENT_COLUMNS = tuple(name for name in RecordedEvent._fields if name != "id")


def plan(item: Item, scan: Scan, *, attempt_limit: int) -> RecordedEvent:
    """The event ``scan`` makes of ``item`` as it was read (see status_model.plan_event)."""
    return plan_event(item.id, item.status, item.attempts, scan, attempt_limit=attempt_limit,
                      direction=item.direction)


def apply_event(session: Session, item: Item, scan: Scan, *, attempt_limit: int) -> RecordedEvent:
    """Plan and write ``scan`` on ``item`` with nothing following (no commit); returns the event
    with its id. Raises ValidationFailed, TransitionNotAllowed (a Conflict) or Conflict."""
    return write_change(session, item, plan(item, scan, attempt_limit=attempt_limit))[0]


def write_change(session: Session, item: Item, event: RecordedEvent,
                 follow: FollowUp = NOTHING_FOLLOWS, *, standalone: bool = False
                 ) -> tuple[RecordedEvent, list[int]]:
    """Write one planned ``event`` of ``item`` and the ``follow`` rows (no commit). Returns the
    event with its id and the follow rows' ids. Raises Conflict when the item's status changed since
    it was read.

    On PostgreSQL the compare-and-set, the event and the rows are ONE statement, which
    ``standalone`` lets run as a transaction of its own when the session has none open (see
    delivery.driver): only for a caller that commits right after this call. A Consignment of the
    item held by the session is expired."""
    if on_postgresql(session):
        # an acceptance also writes the item's origin: not alone, or half of it could be lost
        standalone = standalone and event.event != "accepted"
        written = _change_in_one_statement(session, item, event, follow, standalone)
        _remember_origins(session, [written[0]])
        return written
    moved = PlannedMove(item, event.status_after, attempts_after(item.attempts, event), events=1)
    if not _compare_and_set(session, [moved], _SET_IF_STATUS):
        raise _lost_race(item, event)
    event = _insert_events(session, [event])[0]
    _remember_origins(session, [event])
    return event, insert_returning_ids(session, follow.table, follow.rows, key=follow.key)


_SET_ORIGIN = (update(_items).where(_items.c.id == bindparam("item_id"),
                                    _items.c.origin_office_id.is_(None))
               .values(origin_office_id=bindparam("office_id")))


def _remember_origins(session: Session, events: list[RecordedEvent]) -> None:
    """The office that accepted an item is where its route starts (delivery.access decides who
    sees it by the route). Once per item, so kept out of the compare-and-set every scan runs."""
    rows = [{"item_id": e.consignment_id, "office_id": e.office_id} for e in events
            if e.event == "accepted" and e.office_id is not None]
    if rows:
        execute_each(session, _SET_ORIGIN, rows)


def _lost_race(item: Item, event: RecordedEvent) -> Conflict:
    return Conflict("bưu gửi vừa được cập nhật bởi lượt quét khác / "
                    "the item was changed by another scan; scan again",
                    from_status=item.status, event=event.event)


@cache
def _change_and_append(follower: Table, columns: tuple[str, ...]) -> TextClause:
    """The single-scan write on PostgreSQL: compare-and-set, then the event only if the item moved,
    then the follow-up rows only if the event was written; all or nothing, as one statement is."""
    event_columns, follower_columns = ", ".join(_EVENT_COLUMNS), ", ".join(columns)
    followed = (f", followed AS (INSERT INTO {follower.name} ({follower_columns})"
                f" SELECT {follower_columns}"
                f" FROM {recordset(follower, columns, 'rows')} WHERE EXISTS (SELECT FROM appended)"
                " RETURNING id)" if columns else ", followed AS (SELECT 0 AS id WHERE false)")
    return text(
        f"WITH moved AS (UPDATE {_items.name} SET status = :after, attempts = :attempts_after,"
        f" version = {_items.name}.version + 1, updated_at = :now"
        " WHERE id = :item_id AND status = :before"
        f" RETURNING id), appended AS (INSERT INTO {_events.name} ({event_columns})"
        f" SELECT {event_columns}"
        f" FROM {recordset(_events, _EVENT_COLUMNS, 'event')} WHERE EXISTS (SELECT FROM moved)"
        f" RETURNING id){followed}"
        " SELECT (SELECT id FROM appended) AS event_id,"
        " ARRAY(SELECT id FROM followed) AS follower_ids")


def _change_in_one_statement(session: Session, item: Item, event: RecordedEvent, follow: FollowUp,
                             standalone: bool) -> tuple[RecordedEvent, list[int]]:
    columns = tuple(follow.rows[0]) if follow.rows else ()
    event_id, follower_ids = first_row(session, _change_and_append(follow.table, columns), {
        "item_id": item.id, "before": item.status, "after": event.status_after,
        "attempts_after": attempts_after(item.attempts, event), "now": utcnow(),
        "event": as_json([_columns_of(event)]), "rows": as_json(follow.rows)},
        standalone=standalone)
    if event_id is None:
        raise _lost_race(item, event)
    _forget_held(session, [item.id])
    return event._replace(id=event_id), list(follower_ids)


def _columns_of(event: RecordedEvent) -> dict[str, Any]:
    """The event as a row to insert (every column but the id the database gives it)."""
    row = event._asdict()
    del row["id"]
    return row


def _insert_events(session: Session, events: list[RecordedEvent]) -> list[RecordedEvent]:
    """One INSERT ... RETURNING for all ``events`` (batched by the driver); returns them with their
    ids."""
    if not events:
        return []
    rows = [_columns_of(e) for e in events]
    ids = insert_returning_ids(session, _events, rows, key="client_event_id")
    return [RecordedEvent(**row, id=i) for row, i in zip(rows, ids, strict=True)]


def apply_events(session: Session, scans: list[tuple[Item, Scan]], attempt_limits: dict[int, int]
                 ) -> list[RecordedEvent | DomainError]:
    """Plan and write many scans with nothing following (no commit): per scan its event (with its
    id) or the DomainError that refused it. Raises Conflict as ``write_batch`` does."""
    planned = plan_events(scans, attempt_limits)
    written = iter(write_batch(session, planned)[0])
    return [next(written) if isinstance(o, RecordedEvent) else o for o in planned.outcomes]


def write_batch(session: Session, planned: BatchPlan, follow: FollowUp = NOTHING_FOLLOWS
                ) -> tuple[list[RecordedEvent], list[tuple[int, ...]]]:
    """Write a planned batch (no commit): one compare-and-set per moved item, sent as one statement,
    one INSERT of all the events, one of all the ``follow`` rows. Returns the events with their ids,
    in the plan's order, and per event the ids of its follow rows (``follow.per_event``).

    Raises Conflict (and the caller must roll back) when any item changed since it was read; the
    caller then records the scans one by one."""
    if not _compare_and_set(session, planned.moves, _SET_IF_VERSION,
                            many_on_postgresql=_SET_MANY_IF_VERSION):
        raise Conflict("một bưu gửi vừa thay đổi / an item changed meanwhile")
    events = _insert_events(session, planned.events)
    _remember_origins(session, events)
    ids = iter(insert_returning_ids(session, follow.table, follow.rows, key=follow.key))
    counts = follow.per_event or [0] * len(events)
    return events, [tuple(next(ids) for _ in range(count)) for count in counts]


def _compare_and_set(session: Session, moves: list[PlannedMove], statement: Any,
                     many_on_postgresql: Any = None) -> bool:
    """Write every item's new state; False when any changed since it was read (then roll back).
    ``many_on_postgresql``, when given, does the same for many rows in one statement (see
    delivery.bulk)."""
    if not moves:
        return True
    now = utcnow()
    rows = [{"item_id": m.item.id, "before": m.item.status, "version_before": m.item.version,
             "after": m.status, "attempts_after": m.attempts, "events": m.events, "now": now}
            for m in moves]
    if many_on_postgresql is not None and len(rows) > 1 and on_postgresql(session):
        params = {"rows": as_json(rows), "now": now}
        changed = session.connection().execute(many_on_postgresql, params).rowcount
    else:
        changed = execute_each(session, statement, rows).rowcount
    _forget_held(session, [m.item.id for m in moves])
    return changed == len(rows)


def _forget_held(session: Session, item_ids: list[int]) -> None:
    """An ORM copy of a row that moved on is read again when next used."""
    if not session.identity_map:  # the scan paths hold no ORM objects: skip the key lookups
        return
    for item_id in item_ids:
        if (held := session.identity_map.get(
                session.identity_key(Consignment, item_id))) is not None:
            session.expire(held)


def record_request(session: Session, consignment: Consignment, event: str, *, actor: str,
                   client_event_id: str, occurred_at: datetime, note: str | None = None,
                   client_address: str | None = None) -> TrackingEvent:
    """Append a citizen request event to ``consignment`` without changing its status (no commit).

    Refused (TransitionNotAllowed) once delivery is over or the item is on its way back; the version
    bump is a compare-and-set on the status read, so a request racing a final scan loses with
    Conflict.
    """
    if event not in REQUEST_EVENTS:
        raise ValidationFailed({"event": f"một trong / one of: {', '.join(REQUEST_EVENTS)}"})
    status = consignment.status
    if status in REQUESTS_CLOSED_IN:
        raise TransitionNotAllowed(f"không thể yêu cầu khi bưu gửi '{status}' / "
                                   f"no requests once the item is '{status}'",
                                   from_status=status, event=event)
    changed = session.exec(
        update(Consignment).where(Consignment.id == consignment.id, Consignment.status == status)
        .values(version=Consignment.version + 1, updated_at=utcnow())
    ).rowcount
    if changed != 1:
        raise Conflict("bưu gửi vừa thay đổi, thử lại / the item just changed; try again",
                       from_status=status, event=event)
    row = TrackingEvent(client_event_id=client_event_id, consignment_id=consignment.id, event=event,
                        upu_code="", status_before=status, status_after=status,
                        occurred_at=occurred_at, actor=actor, note=note,
                        fingerprint=client_event_id,
                        client_address=client_address[:64] if client_address else None)
    session.add(row)
    session.flush()
    session.refresh(consignment)
    return row
