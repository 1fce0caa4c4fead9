"""What the fault tests count in the database after the fault: events per item, statuses,
versions."""

from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlmodel import Session, select

from delivery.models import Consignment, TrackingEvent
from delivery.status_model import TRANSITIONS


def events_by_item(app: Flask) -> dict[str, list[TrackingEvent]]:
    """Each consignment's events in the order they were recorded."""
    with Session(app.extensions["db_engine"]) as db:
        rows = db.exec(select(Consignment.tracking_number, TrackingEvent)
                       .join(TrackingEvent, TrackingEvent.consignment_id == Consignment.id)
                       .order_by(TrackingEvent.id)).all()
    grouped: dict[str, list[TrackingEvent]] = {}
    for number, event in rows:
        grouped.setdefault(number, []).append(event)
    return grouped


def items(app: Flask) -> dict[str, Consignment]:
    with Session(app.extensions["db_engine"], expire_on_commit=False) as db:
        return {c.tracking_number: c for c in db.exec(select(Consignment)).all()}


def replayed_status(events: list[TrackingEvent], start: str = "created") -> str:
    """The status the recorded events lead to, checking that they form one chain (each starts where
    the one before ended) of transitions the table allows: two scans applied from the same status
    fail here."""
    status = start
    for event in events:
        assert event.status_before == status, (
            f"{event.event} recorded from {event.status_before}, not {status}"
        )
        allowed = TRANSITIONS[event.event].get(status)
        assert allowed is not None, f"{event.event} is not allowed from {status}"
        assert event.status_after in (allowed, "returning"), (
            f"{event.event}: {status} -> {event.status_after}"
        )
        status = event.status_after
    return status


def duplicates(values: list[str]) -> list[str]:
    return [value for value, n in Counter(values).items() if n > 1]
