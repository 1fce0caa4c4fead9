"""Items nobody collected: once an item has waited at the post office for its agency's hold period
(``Agency.pickup_hold_days``) it goes back to the issuing agency. The system records
``pickup_expired`` (held_for_pickup -> returning) through delivery.lifecycle like any scan, with
actor ``system``, and the upstream system hears of it by webhook like any other status change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from delivery.errors import Conflict
from delivery.lifecycle import plan, write_change
from delivery.models import Agency, Consignment, TrackingEvent, utcnow
from delivery.status_model import Scan

from .notify import follow_up_of
from .scans import ScanTarget

ACTOR = "system"
EVENT = "pickup_expired"
BATCH = 200


def overdue_pickups(session: Session, now: datetime,
                    limit: int = BATCH) -> list[tuple[Consignment, Agency, int]]:
    """Items held for pick-up longer than their agency allows: (consignment, agency, id of the event
    that put it on hold), oldest hold first. The hold starts at the latest ``held_for_pickup``
    event."""
    held = select(TrackingEvent.consignment_id, func.max(TrackingEvent.id).label("event_id")) \
        .where(TrackingEvent.event == "held_for_pickup") \
        .group_by(TrackingEvent.consignment_id).subquery()
    rows = session.exec(
        select(Consignment, Agency, TrackingEvent)
        .join(held, held.c.consignment_id == Consignment.id)
        .join(TrackingEvent, TrackingEvent.id == held.c.event_id)
        .join(Agency, Agency.id == Consignment.agency_id)
        .where(Consignment.status == "held_for_pickup")
        .order_by(TrackingEvent.occurred_at)
    ).all()
    due = [(c, a, e.id) for c, a, e in rows
           if e.occurred_at + timedelta(days=a.pickup_hold_days) <= now]
    return due[:limit]


def expire_pickups(session: Session, now: datetime | None = None, limit: int = BATCH) -> list[int]:
    """Send every overdue held item back (``pickup_expired``), each in a savepoint of the caller's
    transaction (no commit). Returns the outbox ids to push after commit.

    Idempotent and safe to run concurrently: the event id derives from the hold it ends, so a second
    run (or a scan that moved the item meanwhile) loses the compare-and-set or the unique event id
    and is skipped.
    """
    now = now or utcnow()
    outbox_ids: list[int] = []
    for consignment, agency, held_event_id in overdue_pickups(session, now, limit):
        event_id = f"pickup-expired-{held_event_id}"
        scan = Scan(event=EVENT, occurred_at=now, actor=ACTOR, client_event_id=event_id,
                    fingerprint=event_id, note=f"giữ quá {agency.pickup_hold_days} ngày / "
                                               f"held over {agency.pickup_hold_days} days")
        target = ScanTarget.of(consignment, agency)
        try:
            with session.begin_nested():
                event = plan(target, scan, attempt_limit=agency.attempt_limit)
                _, ids = write_change(session, target, event, follow_up_of(session, target, event))
                outbox_ids.extend(ids)
        except (Conflict, IntegrityError):
            continue  # another sweep or a scan got there first
    return outbox_ids
