"""Which post office delivers to a ward: its own delivery office, else the province hub."""

from __future__ import annotations

from sqlmodel import Session, select

from .models import OfficeWard, PostOffice


def destination_office(session: Session, ward_code: int, province_code: int) -> PostOffice | None:
    """The delivery office serving ``ward_code``; failing that the hub, then any delivery office, of the
    province; None when the province has no office on record yet (the item waits at the counter)."""
    served = session.exec(
        select(PostOffice).join(OfficeWard, OfficeWard.office_id == PostOffice.id)
        .where(OfficeWard.ward_code == ward_code)
    ).first()
    if served:
        return served
    for kind in ("hub", "delivery_office"):
        office = session.exec(
            select(PostOffice).where(PostOffice.province_code == province_code, PostOffice.kind == kind)
            .order_by(PostOffice.id)
        ).first()
        if office:
            return office
    return None
