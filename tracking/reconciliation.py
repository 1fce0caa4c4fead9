"""The office's cash reconciliation (đối soát thu hộ): for one delivery office and one day (Vietnam
time), what each courier should have collected against what they recorded collecting.

- **Expected** (phải thu): the ``amount_vnd`` of every item the courier delivered that day at the
  office whose recipient pays (``payer == "recipient"``), and the fee of every dossier they
  collected whose citizen pays (``payer == "citizen"``, event ``picked_up``).
- **Collected** (đã thu): the ``Collection`` written with each of those deliveries, cash and
  transfer apart. A collection on an item the recipient does not pay counts as collected with 0
  expected.
- **Flags**: per item, a paying delivery with no collection recorded (an API delivery may lack
  one) and an amount collected that differs from the item's amount; per courier, collected less
  or more than expected.

A delivery belongs to the office where its ``delivered`` event was recorded, or, for an event
recorded with no office (an API client's), to the item's delivery office. Only items within the
caller's scope count (delivery.access ``visible``), and an office outside it is answered as an
unknown one (delivery.quality_scope). Sign-off: tracking.reconciliation_signoff; docs:
docs/reconciliation.md.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from delivery.access import Scope, visible
from delivery.accounts import actor_names
from delivery.errors import ValidationFailed
from delivery.labelling import PAYS_AT_THE_DOOR
from delivery.models import Consignment, PostOffice, TrackingEvent
from delivery.quality_scope import narrowing_of
from delivery.vietnam_day import day_bounds

from .money import Collection

# Where money changes hands at the door: a result delivered, a collected dossier's fee.
DOOR_MONEY_EVENTS = ("delivered", "picked_up")
# What each flag means, Vietnamese first; a page shows the words, never the key alone.
FLAG_LABELS: dict[str, tuple[str, str]] = {
    "short": ("Thu thiếu", "collected less than expected"),
    "over": ("Thu thừa", "collected more than expected"),
    "not_recorded": ("Chưa ghi nhận tiền thu", "no collection recorded"),
    "amount_differs": ("Số tiền thu khác số phải thu", "amount collected differs from the item's"),
}
DAY_FORMAT = "Ngày dạng YYYY-MM-DD, ví dụ 2026-12-07 / a date as YYYY-MM-DD, e.g. 2026-12-07"
DAY_AHEAD = "Chưa đến ngày này / that day has not come yet"
FIRST_DAY = date(2000, 1, 1)


@dataclass(frozen=True)
class ReconciledItem:
    """One delivery: what was to be collected, what was recorded (None: nothing), and flags."""

    tracking_number: str
    delivered_at: datetime
    expected_vnd: int
    collected_vnd: int | None
    method: str | None

    @property
    def flags(self) -> tuple[str, ...]:
        if self.collected_vnd is None:
            return ("not_recorded",) if self.expected_vnd else ()
        return ("amount_differs",) if self.collected_vnd != self.expected_vnd else ()


@dataclass
class CourierReconciliation:
    """One courier's day at the office: their deliveries and the sums over them."""

    actor: str  # "user:7", or "api:3" for deliveries an API client recorded
    name: str
    items: list[ReconciledItem] = field(default_factory=list)

    @property
    def expected_vnd(self) -> int:
        return sum(i.expected_vnd for i in self.items)

    def collected_by(self, method: str) -> int:
        return sum(i.collected_vnd or 0 for i in self.items if i.method == method)

    @property
    def collected_vnd(self) -> int:
        return sum(i.collected_vnd or 0 for i in self.items)

    @property
    def difference_vnd(self) -> int:
        """Collected minus expected: negative when short, positive when over."""
        return self.collected_vnd - self.expected_vnd

    @property
    def flags(self) -> tuple[str, ...]:
        own = ("short",) if self.difference_vnd < 0 else ("over",) if self.difference_vnd else ()
        return own + tuple(sorted({f for i in self.items for f in i.flags}))


@dataclass(frozen=True)
class Totals:
    """The office's day in figures, as a sign-off keeps them."""

    items: int
    expected_vnd: int
    cash_vnd: int
    transfer_vnd: int

    @property
    def collected_vnd(self) -> int:
        return self.cash_vnd + self.transfer_vnd

    @property
    def difference_vnd(self) -> int:
        return self.collected_vnd - self.expected_vnd


@dataclass
class Reconciliation:
    """An office's day: one entry per courier (by name), and what they add up to."""

    office: PostOffice
    day: date
    couriers: list[CourierReconciliation]

    @property
    def totals(self) -> Totals:
        return Totals(sum(len(c.items) for c in self.couriers),
                      sum(c.expected_vnd for c in self.couriers),
                      sum(c.collected_by("cash") for c in self.couriers),
                      sum(c.collected_by("transfer") for c in self.couriers))

    @property
    def digest(self) -> str:
        """A fingerprint of every line (who, item, expected, collected, how): it changes when any
        of them does, even when the totals happen to stay the same."""
        lines = sorted(f"{c.actor}|{i.tracking_number}|{i.expected_vnd}|{i.collected_vnd}|"
                       f"{i.method}" for c in self.couriers for i in c.items)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def reconciliation_day(text: str | None, today: date) -> date:
    """The day asked for (exactly YYYY-MM-DD, empty: ``today``); ValidationFailed on ``day`` for
    a malformed date, one before 2000, or one after ``today`` (Vietnam's today, the caller's)."""
    text = (text or "").strip()
    if not text:
        return today
    try:
        day = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        day = None
    if day is None or day < FIRST_DAY:
        raise ValidationFailed({"day": DAY_FORMAT})
    if day > today:
        raise ValidationFailed({"day": DAY_AHEAD})
    return day


def reconciliation_office(session: Session, scope: Scope, code: str) -> PostOffice:
    """The office of ``code`` when the caller may see it; ValidationFailed on ``office`` with one
    message for an unknown office and for one outside the scope (so neither leaks)."""
    office_id = narrowing_of(session, scope, {"office": code}).office_id
    office = session.get(PostOffice, office_id) if office_id is not None else None
    if office is None:
        raise ValidationFailed({"office": "Cần chọn bưu cục / choose an office"})
    return office


def reconcile(session: Session, scope: Scope, office: PostOffice, day: date) -> Reconciliation:
    """``office``'s reconciliation for ``day`` within ``scope``: each courier who delivered an
    item the recipient pays, or took money at a delivery, with those items, oldest first."""
    couriers: dict[str, CourierReconciliation] = {}
    for event, item, money in session.exec(_deliveries(scope, office.id, day)).all():
        expected = (item.amount_vnd or 0) if item.payer in PAYS_AT_THE_DOOR else 0
        if not expected and money is None:
            continue
        courier = couriers.setdefault(event.actor, CourierReconciliation(event.actor, ""))
        courier.items.append(ReconciledItem(
            item.tracking_number, event.occurred_at, expected,
            money.amount_vnd if money else None, money.method if money else None))
    names = actor_names(session, couriers)
    for actor, courier in couriers.items():
        courier.name = names.get(actor, actor)
    return Reconciliation(office, day, sorted(couriers.values(), key=lambda c: c.name))


def _deliveries(scope: Scope, office_id: int | None, day: date
                ) -> Select[tuple[TrackingEvent, Consignment, Collection | None]]:
    """The day's deliveries and pick-ups at the office within the scope, with their collection if
    any."""
    start, end = day_bounds(day)
    here = or_(TrackingEvent.office_id == office_id,
               and_(col(TrackingEvent.office_id).is_(None),
                    Consignment.destination_office_id == office_id))
    return (select(TrackingEvent, Consignment, Collection)
            .join(Consignment, col(Consignment.id) == TrackingEvent.consignment_id)
            .outerjoin(Collection, col(Collection.event_id) == TrackingEvent.id)
            .where(col(TrackingEvent.event).in_(DOOR_MONEY_EVENTS),
                   TrackingEvent.occurred_at >= start,
                   TrackingEvent.occurred_at < end, here, visible(scope))
            .order_by(TrackingEvent.occurred_at, TrackingEvent.id))

