"""Where an item has been and where it is going: the planned route with the legs already reached."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from delivery.address import destination_office_of, planned_route
from delivery.manifest_models import Manifest, ManifestItem
from delivery.models import Consignment, PostOffice, TrackingEvent

AT_OR_PAST_DELIVERY_OFFICE = frozenset({"at_delivery_office", "out_for_delivery", "attempt_failed",
                                        "held_for_pickup", "delivered"})


@dataclass(frozen=True)
class RouteLeg:
    code: str
    name: str
    kind: str
    reached: bool


def origin_office(session: Session, consignment: Consignment) -> PostOffice | None:
    """The post office that took the item: the one its handover manifest went to, else the office of
    the scan that accepted it; None while it is still at the agency."""
    manifest = session.exec(
        select(Manifest).join(ManifestItem, ManifestItem.manifest_id == Manifest.id)
        .where(ManifestItem.consignment_id == consignment.id, Manifest.state == "handed_over")
    ).first()
    if manifest:
        return session.get(PostOffice, manifest.office_id)
    accepted = session.exec(
        select(TrackingEvent).where(TrackingEvent.consignment_id == consignment.id,
                                    TrackingEvent.event == "accepted")
    ).first()
    return session.get(PostOffice, accepted.office_id) if accepted and accepted.office_id else None


def route_of(session: Session, consignment: Consignment) -> list[RouteLeg]:
    """The planned route with ``reached`` set for the offices the item was scanned at (its
    delivery office too, once it is there or beyond). An office on the plan that the item went
    past without a scan (a counter in the delivery office's area hands items straight to it) is
    left out: the citizen sees only places the item passed, and those still ahead."""
    origin = origin_office(session, consignment)
    offices = planned_route(session, origin, destination_office_of(session, consignment),
                            consignment.province_code)
    visited = set(session.exec(
        select(TrackingEvent.office_id).where(TrackingEvent.consignment_id == consignment.id)
    ).all())
    if offices and consignment.status in AT_OR_PAST_DELIVERY_OFFICE:
        visited.add(offices[-1].id)  # it is at (or beyond) its delivery office
    if origin is not None:
        visited.add(origin.id)  # the office that took it, by manifest or by scan
    last_reached = max((i for i, o in enumerate(offices) if o.id in visited), default=-1)
    return [RouteLeg(o.code, o.name, o.kind, o.id in visited) for i, o in enumerate(offices)
            if o.id in visited or i > last_reached]
