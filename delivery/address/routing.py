"""Which post office delivers to a ward: its own delivery office, else the province hub."""

from __future__ import annotations

from sqlmodel import Session, select

from ..models import OfficeWard, PostOffice


def destination_office(session: Session, ward_code: int, province_code: int) -> PostOffice | None:
    """The delivery office serving ``ward_code``; failing that the hub, then any delivery office, of
    the province; None when the province has no office on record yet (the item waits at the
    counter)."""
    served = session.exec(
        select(PostOffice).join(OfficeWard, OfficeWard.office_id == PostOffice.id)
        .where(OfficeWard.ward_code == ward_code)
    ).first()
    if served:
        return served
    for kind in ("hub", "delivery_office"):
        office = session.exec(
            select(PostOffice)
            .where(PostOffice.province_code == province_code, PostOffice.kind == kind)
            .order_by(PostOffice.id)
        ).first()
        if office:
            return office
    return None


def province_hub(session: Session, province_code: int) -> PostOffice | None:
    return session.exec(
        select(PostOffice)
        .where(PostOffice.province_code == province_code, PostOffice.kind == "hub")
        .order_by(PostOffice.id)
    ).first()


def planned_route(session: Session, origin: PostOffice | None, destination: PostOffice | None,
                  destination_province: int) -> list[PostOffice]:
    """Offices the item passes through: the counter that accepted it, its province's hub, the
    destination province's hub when that is another province, and the delivery office. Unknown legs
    are left out, and no office appears twice (a counter inside a hub's province goes straight to
    that hub)."""
    legs: list[PostOffice | None] = [origin]
    if origin is not None:
        legs.append(province_hub(session, origin.province_code))
    legs.append(province_hub(session, destination_province))
    legs.append(destination)
    route: list[PostOffice] = []
    for office in legs:
        if office is not None and all(office.id != seen.id for seen in route):
            route.append(office)
    return route
