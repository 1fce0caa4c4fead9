"""What the month's messages to citizens cost, per agency and channel: the sum of the prices
recorded on each accepted send (tracking.channels: SMS segments x SMS_TARIFF_VND, ZNS_TARIFF_VND
per ZNS message), for the items a quality report counts, by calendar month in Vietnam time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from delivery.models import Agency, Consignment
from delivery.quality_scope import QualityQuery, add_months, items_condition
from delivery.vietnam_day import day_start

from .channel_models import MessageSend
from .models import Outbox


@dataclass(frozen=True)
class ChannelCost:
    month: str  # YYYY-MM
    agency_code: str
    agency_name: str
    channel: str
    messages: int
    segments: int
    price_vnd: int


def months_of(first: date, last: date) -> list[date]:
    """The first day of each calendar month the period touches."""
    month, months = first.replace(day=1), []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def message_costs(session: Session, query: QualityQuery) -> list[ChannelCost]:
    """One row per (month, agency, channel) with accepted sends in the period (read only)."""
    start, end = query.period.bounds()
    counted = items_condition(session, query)
    costs = []
    for month in months_of(query.period.first, query.period.last):
        low, high = max(start, day_start(month)), min(end, day_start(add_months(month, 1)))
        rows = session.exec(
            select(Agency.code, Agency.name, MessageSend.channel, func.count(),
                   func.sum(MessageSend.segments), func.sum(MessageSend.price_vnd))
            .join(Outbox, col(Outbox.id) == MessageSend.outbox_id)
            .join(Consignment, col(Consignment.id) == Outbox.consignment_id)
            .join(Agency, col(Agency.id) == MessageSend.agency_id)
            .where(counted, MessageSend.outcome == "accepted",
                   col(MessageSend.sent_at) >= low, col(MessageSend.sent_at) < high)
            .group_by(Agency.code, Agency.name, MessageSend.channel)
            .order_by(Agency.code, MessageSend.channel)).all()
        costs.extend(ChannelCost(month.strftime("%Y-%m"), code, name, channel, int(count),
                                 int(segments or 0), int(price or 0))
                     for code, name, channel, count, segments, price in rows)
    return costs
