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
from .dossier_manifests import offices_serving
from .models import Agency, Consignment, PostOffice, Province, Ward
from .status_model import TO_AGENCY


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
    if consignment.direction == TO_AGENCY:
        return _collection_label(session, consignment, qr_url=qr_url, printed_on=printed_on)
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


def _collection_label(session: Session, item: Consignment, *, qr_url: str, printed_on: date
                      ) -> LabelData:
    """A collected dossier's envelope goes the other way: from the citizen (name and ward) to the
    agency, through the counter office that serves it. Nothing to collect on it: the fee, if any,
    was taken at the door before the envelope was labelled."""
    agency = session.get(Agency, item.agency_id)
    ward, province, _ = places_of(session, item)
    counter = next(iter(offices_serving(session, {agency.id})), None)
    agency_ward = session.get(Ward, agency.ward_code) if agency.ward_code else None
    agency_province = (session.get(Province, agency.province_code)
                       if agency.province_code else None)
    citizen_place = ", ".join(unit.name for unit in (ward, province) if unit)
    return LabelData(
        tracking_number=item.tracking_number, qr_url=qr_url,
        sender=f"{item.recipient_name} ({citizen_place})" if citizen_place else item.recipient_name,
        recipient_name=agency.name, recipient_phone="—",
        street=counter.address if counter else "",
        ward=agency_ward.name if agency_ward else "",
        province=agency_province.name if agency_province else "",
        legacy_line=None,
        destination_office=counter.name if counter else "Chờ phân hướng / To be routed",
        sort_code=(f"{agency.province_code or item.province_code:02d}-{counter.code}" if counter
                   else f"{agency.province_code or item.province_code:02d}"),
        dossier_code=item.dossier_code or "Chưa có / not yet numbered",
        amount_to_collect_vnd=None, printed_on=printed_on,
    )
