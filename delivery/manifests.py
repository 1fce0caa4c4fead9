"""Handover manifests (biên bản giao nhận): the items handed over in one batch, co-signed.

A manifest goes one of three ways (``Manifest.direction``): results an agency hands to a post
office ("from_agency", this module), and collected dossiers a post office hands to the agency
("to_agency") or sends to the post office serving the agency ("transfer"), both in
delivery.dossier_manifests. The number, the items and who may see it are the same for all."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, select

from .access import Scope, visible_manifests
from .errors import NotFound, ValidationFailed
from .manifest_models import Manifest, ManifestItem
from .models import VIETNAM_TIME, Agency, Consignment, PostOffice


def ready_for_handover(session: Session, agency_id: int, limit: int = 500) -> list[Consignment]:
    """Consignments still at the agency (status ``created``) and on no open manifest, oldest
    first."""
    on_open_manifest = (
        select(ManifestItem.consignment_id).join(Manifest, Manifest.id == ManifestItem.manifest_id)
        .where(Manifest.state == "open")
    )
    return list(session.exec(
        select(Consignment)
        .where(Consignment.agency_id == agency_id, Consignment.status == "created",
               Consignment.direction == "to_citizen", Consignment.id.not_in(on_open_manifest))
        .order_by(Consignment.id).limit(limit)
    ).all())


def manifest_number(manifest_id: int, created_at: datetime) -> str:
    """``BK251128-00042``: readable on paper, short enough for a Code 128 the clerk scans."""
    return f"BK{created_at.astimezone(VIETNAM_TIME):%y%m%d}-{manifest_id:05d}"


def create_manifest(session: Session, agency: Agency, office: PostOffice,
                    tracking_numbers: list[str], created_by: str) -> Manifest:
    """A new open manifest of the given consignments, in that order (no commit).

    Raises ValidationFailed naming every number that is unknown, of another agency, no longer at the
    agency, or already on an open manifest.
    """
    if not tracking_numbers:
        raise ValidationFailed({"tracking_numbers": "chọn ít nhất một bưu gửi / "
                                                    "select at least one consignment"})
    ready = {c.tracking_number: c for c in ready_for_handover(session, agency.id, limit=100_000)}
    refused = [n for n in tracking_numbers if n not in ready]
    if refused:
        raise ValidationFailed({"tracking_numbers": "không sẵn sàng bàn giao / "
                                                    "not ready for handover: "
                                                    + ", ".join(refused)})
    return add_manifest(session, Manifest(agency_id=agency.id, office_id=office.id,
                                          created_by=created_by),
                        [ready[number] for number in tracking_numbers])


def add_manifest(session: Session, manifest: Manifest, items: list[Consignment]) -> Manifest:
    """``manifest`` stored with its number and ``items`` in that order, repeats dropped
    (no commit)."""
    manifest.number = uuid.uuid4().hex[:20]
    session.add(manifest)
    session.flush()
    manifest.number = manifest_number(manifest.id, manifest.created_at)
    for position, item in enumerate({c.id: c for c in items}.values()):
        session.add(ManifestItem(manifest_id=manifest.id, consignment_id=item.id,
                                 position=position))
    session.flush()
    return manifest


def get_manifest(session: Session, number: str, scope: Scope) -> Manifest:
    """The handover record with this number when ``scope`` sees it (delivery.access); NotFound
    otherwise."""
    manifest = session.exec(select(Manifest).where(
        Manifest.number == (number or "").strip().upper(), visible_manifests(scope))).first()
    if manifest is None:
        raise NotFound(f"không có biên bản / no manifest {number}")
    return manifest


def manifest_consignments(session: Session, manifest: Manifest) -> list[Consignment]:
    """The manifest's consignments in the order they were listed."""
    return list(session.exec(
        select(Consignment).join(ManifestItem, ManifestItem.consignment_id == Consignment.id)
        .where(ManifestItem.manifest_id == manifest.id).order_by(ManifestItem.position)
    ).all())
