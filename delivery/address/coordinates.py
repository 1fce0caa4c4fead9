"""Placing a consignment's delivery address on the map, so that a courier's round can follow
distances."""

from __future__ import annotations

from sqlmodel import Session

from ..models import Consignment
from .geocode import Geocoder, GeoPoint
from .places import ward_and_province_of


def locate(session: Session, consignment: Consignment, geocoder: Geocoder) -> GeoPoint | None:
    """Geocode the street in its (new) ward and province and keep the point on ``consignment`` (no
    commit).

    Idempotent: an item already placed is left as it is and None is returned, as when nothing is
    known (the geocoder falls back from the street to the ward on its own, see
    delivery.address.geocode)."""
    if consignment.lat is not None and consignment.lon is not None:
        return None
    ward, province = ward_and_province_of(session, consignment)
    point = geocoder.geocode(consignment.street or consignment.address_text,
                             ward.name if ward else "", province.name if province else "")
    if point is not None:
        consignment.lat, consignment.lon = point.lat, point.lon
        session.add(consignment)
    return point
