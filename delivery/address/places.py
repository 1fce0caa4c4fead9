"""Where an item goes, as recorded at intake: its ward, its province and its destination office.

Labels, manifests, the counter's and the courier's pages, the public timeline and the API all show
these; they read them here rather than each with its own ``session.get``. Every read goes through
``session.get``, so a unit or office the session already holds costs no query, and each function
reads only what it returns.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlmodel import Session

from ..models import Consignment, PostOffice, Province, Ward


class Places(NamedTuple):
    """An item's ward, province and destination office; None for one that is not on record."""

    ward: Ward | None
    province: Province | None
    office: PostOffice | None


def places_of(session: Session, consignment: Consignment) -> Places:
    """The ward, province and destination office of ``consignment`` (at most three reads)."""
    ward, province = ward_and_province_of(session, consignment)
    return Places(ward, province, destination_office_of(session, consignment))


def ward_and_province_of(session: Session, consignment: Consignment
                         ) -> tuple[Ward | None, Province | None]:
    """The (post-2025) ward and province of the item's address; None for a code not on record."""
    ward = session.get(Ward, consignment.ward_code)
    return ward, session.get(Province, consignment.province_code)


def destination_office_of(session: Session, consignment: Consignment) -> PostOffice | None:
    """The office chosen at intake to deliver the item (as stored, not chosen again: see
    :func:`~delivery.address.routing.destination_office`); None while it waits to be routed."""
    office_id = consignment.destination_office_id
    return session.get(PostOffice, office_id) if office_id else None
