"""A courier's day: what is out for delivery from an office, in a sensible order, and what waits
there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from geopy.distance import geodesic
from sqlmodel import Session, col, select

from .access import Scope, visible
from .at_risk import AtRiskFlag, at_risk_first, flags_of
from .collection_models import CollectionOrder
from .models import VIETNAM_TIME, Consignment, PostOffice
from .organisation import Beat, BeatWard
from .requested_date import asked_for_later
from .status_model import TO_AGENCY, TO_CITIZEN

OUT = ("out_for_delivery",)
WAITING = ("at_delivery_office", "attempt_failed", "held_for_pickup")
TO_HOLD_FROM = ("at_delivery_office", "attempt_failed")  # may go to held_for_pickup
# a collection still to fetch from the citizen's door (a missed pick-up is tried again)
TO_PICK_UP = ("created", "attempt_failed")
Point = tuple[float, float]


@dataclass(frozen=True)
class Round:
    out_for_delivery: list[Consignment]
    waiting: list[Consignment]
    # the citizen asked for a later day (delivery.requested_date): off the round until then, soonest
    # day first
    later: list[Consignment] = field(default_factory=list)
    # the citizen will collect at the office (delivery.requested_date): to hold for pick-up, not to
    # take out
    to_hold: list[Consignment] = field(default_factory=list)
    # the flags of the items at risk of missing their due date (delivery.at_risk), by item id
    at_risk: dict[int, AtRiskFlag] = field(default_factory=dict)
    # dossiers to collect at citizens' doors today (nhận hồ sơ tại nhà), by window
    pickups: list[PickupStop] = field(default_factory=list)


@dataclass(frozen=True)
class PickupStop:
    """A collection to fetch today: the item (the citizen in its recipient fields) and its
    window ("HH:MM")."""

    item: Consignment
    window_from: str
    window_to: str


def nearest_neighbour(start: Point | None, items: list[Consignment],
                      point_of: Callable[[Consignment], Point | None]) -> list[Consignment]:
    """Visit order: from ``start``, always the closest remaining item (geodesic distance); items
    without a position keep their order at the end. Good enough for a round of tens of stops."""
    placed = [(item, point_of(item)) for item in items]
    remaining = [(item, point) for item, point in placed if point is not None]
    unplaced = [item for item, point in placed if point is None]
    order: list[Consignment] = []
    here = start
    while remaining:
        nearest = (min(remaining, key=lambda pair: geodesic(here, pair[1]).meters) if here
                   else remaining[0])
        remaining.remove(nearest)
        order.append(nearest[0])
        here = nearest[1]
    return order + unplaced


def address_point(consignment: Consignment) -> Point | None:
    """Where the item's address was placed on the map (see delivery.address.locate), if it was."""
    if consignment.lat is None or consignment.lon is None:
        return None
    return consignment.lat, consignment.lon


def delivery_round(session: Session, office: PostOffice, scope: Scope,
                   point_of: Callable[[Consignment], Point | None] = address_point,
                   courier_id: int | None = None, today: date | None = None) -> Round:
    """Items of ``office`` that ``scope`` sees: those out for delivery in visiting order, and those
    waiting at the office. With ``courier_id``, that courier's own items come first: those a
    supervisor put on their round today, then those in their beat's wards (tuyến phát) no one
    else was given; the office's other items follow, so nothing is hidden.

    Items placed on the map are visited nearest first from the office; the others (and all of them
    when the office has no position) follow in ward, then street order, which keeps neighbours
    together. Items at risk of missing their due date (delivery.at_risk) come before all others in
    each list, in that same order among themselves: in practice those waiting at the office, to
    take out first.

    Items whose citizen asked for a day after ``today`` (Vietnam time, by default the current day)
    are in neither list but in ``later``, soonest day first; those still at the office whose
    citizen will collect them there are in ``to_hold``. Collections (dossiers going to the
    agency) are in none of these but in ``pickups``: those to fetch today (``pickup_stops``)."""
    items = session.exec(
        select(Consignment).where(Consignment.destination_office_id == office.id, visible(scope),
                                  Consignment.direction == TO_CITIZEN,
                                  col(Consignment.status).in_(OUT + WAITING))
        .order_by(Consignment.ward_code, Consignment.street)
    ).all()
    today = today or datetime.now(VIETNAM_TIME).date()
    later = sorted((c for c in items if asked_for_later(c.requested_date, today)),
                   key=lambda c: c.requested_date)
    flags = flags_of(session, items)
    items = [c for c in items if not asked_for_later(c.requested_date, today)]
    to_hold = [c for c in items if _to_hold(c)]
    items = [c for c in items if not _to_hold(c)]
    if courier_id is not None:
        items = _mine_first(session, items, courier_id)
    start = (office.lat, office.lon) if office.lat is not None and office.lon is not None else None
    out = nearest_neighbour(start, [c for c in items if c.status in OUT], point_of)
    if courier_id is not None:
        out = _mine_first(session, out, courier_id)
    waiting = [c for c in items if c.status in WAITING]
    return Round(out_for_delivery=at_risk_first(out, flags),
                 waiting=at_risk_first(waiting, flags), later=later, at_risk=flags,
                 to_hold=at_risk_first(to_hold, flags),
                 pickups=pickup_stops(session, office, scope, today))


def pickup_stops(session: Session, office: PostOffice, scope: Scope, today: date
                 ) -> list[PickupStop]:
    """Collections ``office``'s couriers fetch on ``today`` (Vietnam time) that ``scope`` sees,
    still to pick up (booked, or a missed pick-up), earliest window first, then by ward and
    street."""
    rows = session.exec(
        select(Consignment, CollectionOrder.window_from, CollectionOrder.window_to)
        .join(CollectionOrder, CollectionOrder.consignment_id == Consignment.id)
        .where(Consignment.destination_office_id == office.id, visible(scope),
               Consignment.direction == TO_AGENCY, col(Consignment.status).in_(TO_PICK_UP),
               CollectionOrder.window_date == today)
        .order_by(CollectionOrder.window_from, Consignment.ward_code, Consignment.street)
    ).all()
    return [PickupStop(item, start, end) for item, start, end in rows]


def _to_hold(item: Consignment) -> bool:
    """Still at the office, and its citizen will collect it there: to hold, not to take out."""
    return item.pickup_requested and item.status in TO_HOLD_FROM


def beat_wards(session: Session, courier_id: int) -> set[int]:
    """The wards of the beats this courier covers."""
    return set(session.exec(select(BeatWard.ward_code).join(Beat, Beat.id == BeatWard.beat_id)
                            .where(Beat.courier_id == courier_id)).all())


def _mine_first(session: Session, items: list[Consignment], courier_id: int
                ) -> list[Consignment]:
    wards = beat_wards(session, courier_id)

    def rank(item: Consignment) -> int:
        if item.courier_id == courier_id:
            return 0
        return 1 if item.courier_id is None and item.ward_code in wards else 2

    return sorted(items, key=rank)  # stable: the visiting order holds within each rank
