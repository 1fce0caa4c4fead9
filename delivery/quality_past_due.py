"""Items past their due date and still open, oldest first, with who holds each: the courier who
took it out, the office where it was last scanned, or the agency (not yet handed over)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from .models import Agency, Consignment, PostOffice, TrackingEvent, User
from .status_model import FINAL_STATUSES, STATUSES

OPEN_STATUSES = tuple(s for s in STATUSES if s not in FINAL_STATUSES)


@dataclass(frozen=True)
class PastDueItem:
    """``holder_kind``: courier | office | agency; ``holder``: their username or name."""

    tracking_number: str
    due_at: datetime
    status: str
    holder_kind: str
    holder: str


def _latest(column: Any) -> Any:
    """``column`` of the item's latest event (a correlated subquery: only run for listed rows)."""
    return (select(column).where(TrackingEvent.consignment_id == Consignment.id)
            .order_by(col(TrackingEvent.occurred_at).desc(), col(TrackingEvent.id).desc())
            .limit(1).correlate(Consignment).scalar_subquery())


def past_due_items(session: Session, items: ColumnElement[bool], now: datetime,
                   limit: int) -> list[PastDueItem]:
    """At most ``limit`` open items among ``items`` due before ``now``, oldest due date first."""
    rows = session.exec(
        select(Consignment.tracking_number, Consignment.due_at, Consignment.status,
               Consignment.courier_id, Consignment.agency_id,
               _latest(TrackingEvent.office_id), _latest(TrackingEvent.actor))
        .where(items, col(Consignment.status).in_(OPEN_STATUSES), col(Consignment.due_at) < now)
        .order_by(col(Consignment.due_at), col(Consignment.id)).limit(limit)).all()
    couriers = {row[3] or _user_id(row[6]) for row in rows if row[2] == "out_for_delivery"}
    users = _names(session, User.id, User.username, couriers)
    offices = _names(session, PostOffice.id, PostOffice.name, {row[5] for row in rows})
    agencies = _names(session, Agency.id, Agency.name, {row[4] for row in rows})
    return [_holder(row, users, offices, agencies) for row in rows]


def _holder(row: Any, users: dict[Any, str], offices: dict[Any, str],
            agencies: dict[Any, str]) -> PastDueItem:
    number, due_at, status, courier_id, agency_id, office_id, actor = row
    courier = users.get(courier_id or _user_id(actor)) if status == "out_for_delivery" else None
    if courier:
        return PastDueItem(number, due_at, status, "courier", courier)
    if office_id is not None and status != "created":
        return PastDueItem(number, due_at, status, "office", offices.get(office_id, ""))
    return PastDueItem(number, due_at, status, "agency", agencies.get(agency_id, ""))


def _user_id(actor: str | None) -> int | None:
    kind, _, number = (actor or "").partition(":")
    return int(number) if kind == "user" and number.isdigit() else None


def _names(session: Session, key: Any, name: Any, ids: set[Any]) -> dict[Any, str]:
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    return dict(session.exec(select(key, name).where(col(key).in_(wanted))).all())
