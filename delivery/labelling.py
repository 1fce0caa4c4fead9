"""What goes on a consignment's label: assembled from the stored consignment for ``labels`` to
render.

Never the procedure or anything about the dossier's contents (Decision 45/2016: the post must not
disclose them); ``LabelData`` has no field for them.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from labels.model import LabelData

from .address import places_of
from .models import Agency, Consignment, PostOffice


def sort_code(consignment: Consignment, office: PostOffice | None) -> str:
    """Short code the hub sorts by: destination province, then the delivery office when known."""
    return (f"{consignment.province_code:02d}-{office.code}" if office
            else f"{consignment.province_code:02d}")


def legacy_line(consignment: Consignment) -> str | None:
    parts = [consignment.legacy_ward, consignment.legacy_district, consignment.legacy_province]
    return ", ".join(p for p in parts if p) or None


# Who pays at the door: a result's recipient on delivery, a collection's citizen on pick-up.
PAYS_AT_THE_DOOR = ("recipient", "citizen")


def amount_to_collect(consignment: Consignment) -> int | None:
    """What the courier collects at the door (thu hộ, VND), None when nothing: the amount of a
    result whose recipient pays, or the fee of a collection whose citizen pays."""
    return (consignment.amount_vnd
            if consignment.payer in PAYS_AT_THE_DOOR and consignment.amount_vnd else None)


def label_data(session: Session, consignment: Consignment, *, qr_url: str, printed_on: date
               ) -> LabelData:
    """The label of ``consignment``; ``qr_url`` opens the courier's scan page for it."""
    ward, province, office = places_of(session, consignment)
    agency = session.get(Agency, consignment.agency_id)
    collect = amount_to_collect(consignment)
    return LabelData(
        tracking_number=consignment.tracking_number, qr_url=qr_url, sender=agency.name,
        recipient_name=consignment.recipient_name, recipient_phone=consignment.recipient_phone,
        street=consignment.street, ward=ward.name if ward else "",
        province=province.name if province else "",
        legacy_line=legacy_line(consignment),
        destination_office=office.name if office else "Chờ phân hướng / To be routed",
        sort_code=sort_code(consignment, office),
        # a collection may be booked before the agency numbers the dossier
        dossier_code=consignment.dossier_code or "Chưa có / not yet numbered",
        amount_to_collect_vnd=collect, printed_on=printed_on,
    )
