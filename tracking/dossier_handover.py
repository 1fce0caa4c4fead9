"""Collected dossiers changing hands by manifest (delivery.dossier_manifests): a transfer leaves
its office, the receiving counter takes it with one scan of the manifest's number, and the agency's
officer takes a "to_agency" manifest the same way. Every item gets its own event through the scan
path (tracking.handover.scan_each), so each is tracked, audited and announced (webhooks
``dossier.handed_to_agency``) exactly as a scan of the item itself would be.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from delivery.access import Scope
from delivery.dossier_manifests import TO_AGENCY_MANIFEST, TRANSFER
from delivery.errors import Conflict, ValidationFailed
from delivery.manifest_models import Manifest
from delivery.models import PostOffice, utcnow

from .handover import HandoverResult, hand_over, scan_each


def dispatch(session: Session, manifest: Manifest, *, actor: str, occurred_at: datetime,
             scope: Scope, office_id: int | None) -> HandoverResult:
    """Send a transfer on its way: ``departed_hub`` at the sending office for each item
    (no commit), by a clerk of that office (``office_id``; None: an admin). Raises Conflict for
    another kind of manifest, one already sent, or a clerk of another office."""
    _check_office(session, manifest.office_id, office_id)
    if manifest.direction != TRANSFER:
        raise Conflict("chỉ gửi đi biên bản chuyển tiếp / only a transfer is dispatched")
    if manifest.state != "open":
        raise Conflict(f"biên bản {manifest.number} đã gửi đi / already dispatched")
    result = scan_each(session, manifest, "departed_hub", actor=actor, occurred_at=occurred_at,
                       scope=scope, office_id=manifest.office_id)
    manifest.state, manifest.dispatched_at = "dispatched", utcnow()
    session.flush()
    return result


def take_over(session: Session, manifest: Manifest, *, actor: str, actor_name: str,
              occurred_at: datetime, scope: Scope, office_id: int | None,
              agency_signatory: str = "", received_by: str = "") -> HandoverResult:
    """The one scan of a manifest's number by whoever takes it (no commit), by its direction:
    a transfer arrives (``arrived_delivery_office``) at its receiving office; a "to_agency"
    manifest is taken by the agency's officer ``agency_signatory`` (``handed_to_agency`` for each
    item, the clerk ``actor_name`` gives it); both must be scanned by a clerk of that office
    (``office_id``; None: an admin);
    a results' manifest is accepted by the post office (tracking.handover.hand_over).

    Raises ValidationFailed for a missing name, Conflict for a scan at another office. Scanning
    again records nothing new."""
    if manifest.direction == TRANSFER:
        return _arrive(session, manifest, actor=actor, actor_name=actor_name,
                       occurred_at=occurred_at, scope=scope, office_id=office_id)
    if manifest.direction == TO_AGENCY_MANIFEST:
        return _to_agency(session, manifest, actor=actor, actor_name=actor_name,
                          occurred_at=occurred_at, scope=scope, office_id=office_id,
                          agency_signatory=agency_signatory)
    return hand_over(session, manifest, actor=actor, received_by=received_by,
                     agency_signatory=agency_signatory, occurred_at=occurred_at, scope=scope,
                     office_id=manifest.office_id)


def _arrive(session: Session, manifest: Manifest, *, actor: str, actor_name: str,
            occurred_at: datetime, scope: Scope, office_id: int | None) -> HandoverResult:
    _check_office(session, manifest.to_office_id, office_id)
    result = scan_each(session, manifest, "arrived_delivery_office", actor=actor,
                       occurred_at=occurred_at, scope=scope, office_id=manifest.to_office_id)
    _close(manifest, received_by=actor_name)
    session.flush()
    return result


def _to_agency(session: Session, manifest: Manifest, *, actor: str, actor_name: str,
               occurred_at: datetime, scope: Scope, office_id: int | None,
               agency_signatory: str) -> HandoverResult:
    _check_office(session, manifest.office_id, office_id)
    if not agency_signatory.strip():
        raise ValidationFailed({"agency_signatory": "cần tên cán bộ cơ quan nhận hồ sơ / the "
                                                    "name of the agency's officer is required"})
    result = scan_each(session, manifest, "handed_to_agency", actor=actor,
                       occurred_at=occurred_at, scope=scope, office_id=manifest.office_id)
    _close(manifest, received_by=actor_name, agency_signatory=agency_signatory)
    session.flush()
    return result


def _check_office(session: Session, where: int | None, office_id: int | None) -> None:
    """A manifest is scanned at the office it names (``where``) by its clerks; an admin
    (``office_id`` None) anywhere."""
    if office_id is not None and office_id != where:
        office = session.get(PostOffice, where)
        raise Conflict(f"biên bản này được quét tại bưu cục {office.code} {office.name}, không "
                       f"phải bưu cục của bạn / this manifest is scanned at office {office.code}")


def _close(manifest: Manifest, *, received_by: str, agency_signatory: str | None = None) -> None:
    """The manifest handed over, with the names as first signed (a repeat scan keeps them)."""
    if manifest.state == "handed_over":
        return
    manifest.state, manifest.handed_over_at = "handed_over", utcnow()
    manifest.received_by = received_by.strip()[:60]
    if agency_signatory is not None:
        manifest.agency_signatory = agency_signatory.strip()[:200]
