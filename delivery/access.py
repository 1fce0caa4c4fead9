"""Who sees which items: the one place that decides it, for every caller and every query.

An item is seen by
- an agency's API key: that agency's items (every scope);
- a postal-network API key: items whose planned route passes one of its offices, or every item
  when an admin created it bound to no office;
- staff with an office: items whose planned route passes their office (the counter that took it,
  the hubs of the origin and destination provinces, the delivery office), and at a counter also
  every item of the agencies that counter serves;
- a supervisor of a province: items going to that province or taken by one of its offices;
- an admin: everything;
- anyone else: nothing.
Outside its scope an item answers exactly as an unknown one does (NotFound), so its existence
never leaks. Delivery at the door (``DELIVERY_EVENTS``) is recorded only at the item's own delivery
office by staff bound to an office.

``Scope`` is computed once per request (``scope_of``); ``visible`` is the rule as SQL for every
query that returns items (one, a list, a search, an export, a batch), and ``Scope.admits`` the
same rule for a row already read (the scan path reads its item anyway).
tests/delivery/test_access.py holds them to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, false, or_, true
from sqlmodel import Session, col, select

from .address.routing import province_hub
from .errors import Conflict, NotFound
from .manifest_models import Manifest
from .models import Agency, Consignment, PostOffice
from .organisation import ApiClientOffice, OfficeAgency

# Events that happen at the item's delivery office or at the door.
DELIVERY_EVENTS = frozenset({"arrived_delivery_office", "out_for_delivery", "delivery_failed",
                             "held_for_pickup", "delivered"})
# A collection's door events, at the office whose couriers collect it; its arrival at an office
# is at the counter serving the agency, anywhere on its way.
COLLECTION_DOOR_EVENTS = frozenset({"picked_up", "delivery_failed"})


@dataclass(frozen=True)
class Caller:
    """What access needs to know of whoever is asking (a user or an API client)."""

    role: str | None = None  # a user's role; None for an API client
    agency_id: int | None = None  # an agency's API key
    office_id: int | None = None  # a user's office
    province_code: int | None = None  # a supervisor of a whole province
    postal_client_id: int | None = None  # a postal-network API client


@dataclass(frozen=True)
class Scope:
    """The items one caller may see, as sets of ids (empty sets: nothing by that rule)."""

    everything: bool = False
    agency_ids: frozenset[int] = frozenset()
    office_ids: frozenset[int] = frozenset()  # the route passes one of these offices
    province_codes: frozenset[int] = frozenset()  # going to one of these provinces...
    province_office_ids: frozenset[int] = frozenset()  # ...or taken by one of their offices
    # staff bound to an office record delivery events only there (None: no such limit)
    delivers_at: int | None = None

    def admits(self, item: Item) -> bool:
        """The rule of ``visible`` for an item already read."""
        return (self.everything or item.agency_id in self.agency_ids
                or item.destination_office_id in self.office_ids
                or item.origin_office_id in self.office_ids
                or item.origin_office_id in self.province_office_ids
                or item.province_code in self.province_codes)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


class Item(Protocol):
    agency_id: int
    destination_office_id: int | None
    origin_office_id: int | None
    province_code: int
    direction: str


class WrongOffice(Conflict):
    """A delivery event recorded away from the item's delivery office (a missent item)."""

    title = "Wrong office"


def visible(scope: Scope) -> ColumnElement[bool]:
    """The scope as a WHERE condition on Consignment."""
    if scope.everything:
        return true()
    conditions = _conditions(scope)
    return or_(*conditions) if conditions else false()


def visible_parts(scope: Scope) -> list[ColumnElement[bool]]:
    """``visible(scope)`` cut into disjoint conditions, each on the columns of one of its rules
    (an item matches at most one part; the parts together match what ``visible`` matches). A
    report summing one query per part lets each read its rule's own index, where the OR of
    ``visible`` makes the database read every row of every rule (delivery.quality). No parts:
    nothing visible."""
    if scope.everything:
        return [true()]
    conditions, parts = _conditions(scope), []
    for index, condition in enumerate(conditions):
        earlier = [c.is_not(True) for c in conditions[:index]]
        parts.append(and_(condition, *earlier) if earlier else condition)
    return parts


def _conditions(scope: Scope) -> list[ColumnElement[bool]]:
    conditions = []
    if scope.agency_ids:
        conditions.append(col(Consignment.agency_id).in_(sorted(scope.agency_ids)))
    if scope.office_ids:
        conditions.append(col(Consignment.destination_office_id).in_(sorted(scope.office_ids)))
    origins = scope.office_ids | scope.province_office_ids
    if origins:
        conditions.append(col(Consignment.origin_office_id).in_(sorted(origins)))
    if scope.province_codes:
        conditions.append(col(Consignment.province_code).in_(sorted(scope.province_codes)))
    return conditions


def visible_manifests(scope: Scope) -> ColumnElement[bool]:
    """Handover records a caller may see: its agency's, or those given or sent to one of its
    offices, or from one."""
    if scope.everything:
        return true()
    return or_(col(Manifest.agency_id).in_(sorted(scope.agency_ids)),
               col(Manifest.office_id).in_(sorted(scope.office_ids)),
               col(Manifest.to_office_id).in_(sorted(scope.office_ids)))


def visible_agencies(scope: Scope) -> ColumnElement[bool]:
    """Agencies a caller acts for (hands over, creates items of): an agency key's own, the
    agencies its counter serves; every agency for an admin."""
    if scope.everything:
        return true()
    return col(Agency.id).in_(sorted(scope.agency_ids))


def scope_of(session: Session, caller: Caller) -> Scope:
    """The scope of ``caller`` (a few small queries; compute it once per request)."""
    if caller.role == "admin":
        return EVERYTHING
    if caller.agency_id is not None:
        return Scope(agency_ids=frozenset({caller.agency_id}))
    if caller.postal_client_id is not None:
        offices = session.exec(select(ApiClientOffice.office_id).where(
            ApiClientOffice.client_id == caller.postal_client_id)).all()
        return _route_scope(session, set(offices)) if offices else EVERYTHING
    if caller.office_id is not None:
        office_scope = _route_scope(session, {caller.office_id})
        return Scope(**{**office_scope.__dict__, "delivers_at": caller.office_id})
    if caller.role == "supervisor" and caller.province_code is not None:
        return _province_scope(session, {caller.province_code})
    return NOTHING


def _route_scope(session: Session, office_ids: set[int]) -> Scope:
    """Items whose planned route (tracking.route) passes one of ``office_ids``, and the items of
    the agencies the counters among them serve."""
    offices = session.exec(select(PostOffice).where(col(PostOffice.id).in_(office_ids))).all()
    agencies = session.exec(select(OfficeAgency.agency_id).where(
        col(OfficeAgency.office_id).in_(office_ids))).all()
    # a hub is on the route of items from and to its province, when it is that province's hub
    hub_provinces = {o.province_code for o in offices if o.kind == "hub"
                     and (hub := province_hub(session, o.province_code)) and hub.id == o.id}
    provinces = _province_scope(session, hub_provinces)
    return Scope(agency_ids=frozenset(agencies), office_ids=frozenset(o.id for o in offices),
                 province_codes=provinces.province_codes,
                 province_office_ids=provinces.province_office_ids)


def _province_scope(session: Session, province_codes: set[int]) -> Scope:
    if not province_codes:
        return NOTHING
    offices = session.exec(select(PostOffice.id).where(
        col(PostOffice.province_code).in_(province_codes))).all()
    return Scope(province_codes=frozenset(province_codes), province_office_ids=frozenset(offices))


def not_found(number: str) -> NotFound:
    """The one answer for a number that does not exist and for an item outside the caller's
    scope. It says what a courier holding a missent item should do, without saying it exists."""
    return NotFound(f"Không có bưu gửi {number} trong phạm vi của bạn (nếu đang cầm bưu gửi này, "
                    "có thể đã chuyển nhầm: báo trưởng bưu cục) / no consignment "
                    f"{number} among the items you may see (holding it? it may be missent: tell "
                    "your supervisor)")


def check_visible(scope: Scope, item: Item | None, number: str) -> Any:
    """``item`` when the scope admits it; NotFound (as for an unknown number) otherwise."""
    if item is None or not scope.admits(item):
        raise not_found(number)
    return item


def may_record_here(scope: Scope, item: Item, event: str) -> bool:
    """Delivery events only at the item's own delivery office, for staff bound to an office (a
    collection's pick-up only at the office that collects it)."""
    door = COLLECTION_DOOR_EVENTS if item.direction == "to_agency" else DELIVERY_EVENTS
    return (event not in door or scope.delivers_at is None
            or item.destination_office_id in (None, scope.delivers_at))


def check_office(session: Session, scope: Scope, item: Item, event: str) -> None:
    """``may_record_here``, or WrongOffice (409) naming where the item should be."""
    if may_record_here(scope, item, event):
        return
    office = session.get(PostOffice, item.destination_office_id)
    where = f"{office.code} {office.name}" if office else ""
    raise WrongOffice(f"Bưu gửi này phát tại bưu cục {where}, không phải bưu cục của bạn; "
                      "chuyển tiếp hoặc báo trưởng bưu cục để chuyển tuyến / this item is "
                      f"delivered by office {where}, not yours: forward it or ask a supervisor "
                      "to re-route it")
