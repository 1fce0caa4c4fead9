"""The two legs of one dossier: the collection taking it from the citizen to the agency
(``to_agency``) and the result coming back (``to_citizen``), found by the agency and the dossier
code across directions (delivery.models.Consignment: the code is unique per direction).

Each leg's tracking page shows the other only when both carry the same citizen's phone number: a
dossier code typed wrong must never show one person another person's item. What is shown is the
public view of tracking.timeline (status, places, times), never personal data.
"""

from __future__ import annotations

from sqlmodel import Session, select

from delivery.models import Consignment
from delivery.recipient import normalise_phone


def other_leg(session: Session, item: Consignment) -> Consignment | None:
    """The other leg of ``item``'s dossier, when there is one for the same phone number."""
    if not item.dossier_code:
        return None
    other = session.exec(select(Consignment).where(
        Consignment.agency_id == item.agency_id, Consignment.dossier_code == item.dossier_code,
        Consignment.direction != item.direction)).first()
    if other is None:
        return None
    mine, theirs = (normalise_phone(item.recipient_phone), normalise_phone(other.recipient_phone))
    return other if mine is not None and mine == theirs else None
