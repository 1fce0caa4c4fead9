"""The citizen's receipt (biên nhận) for a dossier collected at the door: what the bưu tá took
(each checklist document present or missing, the pages photographed), the fee, when and by whom.
Read from the booking (delivery.collection_models) and the ``picked_up`` event's proof
(tracking.pickup_proof); printed by labels.collection_receipt, shown on the tracking page.

It names the citizen (theirs to read, behind their private link) but never their phone, address
or ID number.
"""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from delivery.accounts import actor_names
from delivery.collection_models import CollectionOrder
from delivery.collections import checklist_of
from delivery.models import Agency, Consignment, PostOffice, TrackingEvent
from delivery.status_model import TO_AGENCY
from labels.collection_receipt import CollectionReceipt, DossierDocument

FEE_PAYERS = {"citizen": "Công dân / citizen", "agency": "Cơ quan / agency",
              "prepaid": "Đã nộp trước / prepaid"}


def pickup_event(session: Session, item: Consignment) -> TrackingEvent | None:
    """The ``picked_up`` event of a collection, None for a result or before the pick-up."""
    if item.direction != TO_AGENCY:
        return None
    return session.exec(select(TrackingEvent).where(
        TrackingEvent.consignment_id == item.id, TrackingEvent.event == "picked_up")
        .order_by(col(TrackingEvent.id).desc())).first()


def _documents(order: CollectionOrder, proof: dict) -> list[DossierDocument]:
    missing = set(proof.get("missing") or ())
    return [DossierDocument(entry["name"], int(entry.get("copies", 1)), number not in missing)
            for number, entry in enumerate(checklist_of(order), start=1)]


def receipt_of(session: Session, item: Consignment, tracking_url: str
               ) -> CollectionReceipt | None:
    """The receipt of collection ``item`` once picked up at the door, None otherwise (a result,
    not yet collected, or handed in at a counter)."""
    event = pickup_event(session, item)
    order = session.get(CollectionOrder, item.id) if event else None
    if event is None or order is None:
        return None
    proof = json.loads(event.proof) if event.proof else {}
    office = session.get(PostOffice, event.office_id or item.destination_office_id)
    agency = session.get(Agency, item.agency_id)
    courier = actor_names(session, [event.actor]).get(event.actor, "")
    return CollectionReceipt(
        tracking_number=item.tracking_number, dossier_code=item.dossier_code,
        procedure=item.procedure or "", agency=agency.name if agency else "",
        citizen_name=item.recipient_name, collected_at=event.occurred_at, collected_by=courier,
        office=office.name if office else "", documents=_documents(order, proof),
        pages=int(proof.get("pages") or 0), fee_vnd=item.amount_vnd,
        fee_payer=FEE_PAYERS.get(item.payer or "") if item.amount_vnd else None,
        tracking_url=tracking_url)
