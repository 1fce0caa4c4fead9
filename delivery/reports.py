"""The delivery office's daily report: what happened at one office on one day, and what it holds
now.

A day is the calendar day in Vietnam (UTC+7, no daylight saving), so an office's 23:30 scan belongs
to the day the staff worked it. Both queries are single index range scans: events by (office_id,
occurred_at), items by (destination_office_id, status); `bench/data_scale.py` measures them on a
million consignments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from .models import Consignment, TrackingEvent
from .vietnam_day import day_bounds


@dataclass(frozen=True)
class OfficeDayReport:
    """`events`: for each event type recorded at the office that day, (events, distinct items).
    `statuses`: how many items bound for the office are in each status now."""

    office_id: int
    day: date
    events: dict[str, tuple[int, int]]
    statuses: dict[str, int]


def office_day_report(session: Session, office_id: int, day: date) -> OfficeDayReport:
    """Counts for office `office_id` on `day` (read only; an unknown office gives empty counts)."""
    start, end = day_bounds(day)
    events = session.exec(
        select(TrackingEvent.event, func.count(),
               func.count(func.distinct(TrackingEvent.consignment_id)))
        .where(TrackingEvent.office_id == office_id, col(TrackingEvent.occurred_at) >= start,
               col(TrackingEvent.occurred_at) < end)
        .group_by(TrackingEvent.event)
    ).all()
    statuses = session.exec(
        select(Consignment.status, func.count())
        .where(Consignment.destination_office_id == office_id)
        .group_by(Consignment.status)
    ).all()
    return OfficeDayReport(office_id, day,
                           {event: (count, items) for event, count, items in events},
                           dict(statuses))
