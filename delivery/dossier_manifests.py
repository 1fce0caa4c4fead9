"""Manifests of collected dossiers (delivery.manifests, the other way): a post office hands the
dossiers waiting there to the agency ("to_agency"), or sends them to the counter office that
serves the agency ("transfer").

Where a dossier is waiting is where its last scan with an office was recorded: the collecting
office after the pick-up, the shop after an acceptance at its counter, the receiving counter after
a transfer arrived; the collecting office when no scan named one (a pick-up recorded through the
API by a system). A dossier is on at most one manifest not yet handed over.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from .errors import ValidationFailed
from .manifest_models import Manifest, ManifestItem
from .manifests import add_manifest
from .models import Consignment, PostOffice, TrackingEvent
from .organisation import OfficeAgency
from .status_model import TO_AGENCY

TO_AGENCY_MANIFEST, TRANSFER = "to_agency", "transfer"
# What a dossier may be in to go on each manifest (delivery.status_model COLLECTION_TRANSITIONS:
# a transfer leaves with departed_hub, the agency takes it with handed_to_agency).
SENDABLE = {TRANSFER: ("picked_up", "accepted", "in_transit"),
            TO_AGENCY_MANIFEST: ("picked_up", "accepted", "in_transit", "at_delivery_office")}


def _where_waiting() -> ColumnElement[int]:
    """The office of an item's last event that names one, else its collecting office, as a
    correlated subquery."""
    last = (select(TrackingEvent.office_id)
            .where(TrackingEvent.consignment_id == Consignment.id,
                   col(TrackingEvent.office_id).is_not(None))
            .order_by(col(TrackingEvent.occurred_at).desc(), col(TrackingEvent.id).desc())
            .limit(1).scalar_subquery())
    return func.coalesce(last, Consignment.destination_office_id)


def waiting_at(session: Session, office_id: int, kind: str, limit: int = 500) -> list[Consignment]:
    """Collected dossiers whose last scan was at ``office_id``, that may go on a ``kind``
    manifest and are on no manifest still open or on its way, oldest first."""
    on_a_manifest = (
        select(ManifestItem.consignment_id).join(Manifest, Manifest.id == ManifestItem.manifest_id)
        .where(col(Manifest.state).in_(("open", "dispatched")))
    )
    return list(session.exec(
        select(Consignment)
        .where(Consignment.direction == TO_AGENCY, col(Consignment.status).in_(SENDABLE[kind]),
               col(Consignment.id).not_in(on_a_manifest), _where_waiting() == office_id)
        .order_by(Consignment.id).limit(limit)
    ).all())


def serves(session: Session, office_id: int, agency_id: int) -> bool:
    """Whether the counter office ``office_id`` serves the agency (takes in and gives out its
    items, delivery.organisation.OfficeAgency)."""
    return session.get(OfficeAgency, (office_id, agency_id)) is not None


def create_dossier_manifest(session: Session, office: PostOffice, tracking_numbers: list[str],
                            created_by: str, to_office: PostOffice | None = None) -> Manifest:
    """A new open manifest of dossiers waiting at ``office`` (no commit): to the agency when
    ``to_office`` is None (``office`` must serve the agency), else a transfer to ``to_office``
    (which must). All the dossiers go to one agency.

    Raises ValidationFailed naming the numbers not waiting here, or why the office cannot take
    them."""
    kind = TO_AGENCY_MANIFEST if to_office is None else TRANSFER
    if not tracking_numbers:
        raise ValidationFailed({"tracking_numbers": "chọn ít nhất một hồ sơ / "
                                                    "select at least one dossier"})
    ready = {c.tracking_number: c for c in waiting_at(session, office.id, kind, limit=100_000)}
    refused = [n for n in tracking_numbers if n not in ready]
    if refused:
        raise ValidationFailed({"tracking_numbers": "không có ở bưu cục này hoặc chưa sẵn sàng / "
                                                    "not waiting here: " + ", ".join(refused)})
    items = [ready[n] for n in tracking_numbers]
    agencies = {c.agency_id for c in items}
    if len(agencies) > 1:
        raise ValidationFailed({"tracking_numbers": "mỗi biên bản một cơ quan / "
                                                    "one agency per manifest"})
    agency_id = agencies.pop()
    _check_taker(session, office, to_office, agency_id)
    return add_manifest(session, Manifest(direction=kind, agency_id=agency_id, office_id=office.id,
                                          to_office_id=to_office.id if to_office else None,
                                          created_by=created_by), items)


def _check_taker(session: Session, office: PostOffice, to_office: PostOffice | None,
                 agency_id: int) -> None:
    if to_office is None and not serves(session, office.id, agency_id):
        raise ValidationFailed({"to_office_code": "bưu cục này không phục vụ cơ quan: chuyển "
                                                  "tiếp đến bưu cục phục vụ / this office does "
                                                  "not serve the agency: transfer the dossiers"})
    if to_office is not None and (to_office.id == office.id
                                  or not serves(session, to_office.id, agency_id)):
        raise ValidationFailed({"to_office_code": "chọn bưu cục phục vụ cơ quan / choose the "
                                                  "office that serves the agency"})


def offices_serving(session: Session, agency_ids: set[int]) -> list[PostOffice]:
    """The counter offices serving any of these agencies: where a transfer may go."""
    return list(session.exec(
        select(PostOffice).join(OfficeAgency, OfficeAgency.office_id == PostOffice.id)
        .where(col(OfficeAgency.agency_id).in_(sorted(agency_ids))).distinct()
        .order_by(PostOffice.code)).all())
