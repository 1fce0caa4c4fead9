"""The handover itself: when the postal clerk signs (or scans) a manifest,
every item on it is accepted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from delivery.access import Scope
from delivery.errors import Conflict, ValidationFailed
from delivery.manifest_models import Manifest
from delivery.manifests import manifest_consignments
from delivery.models import utcnow

from .scans import ScanResult, record_scan

# The event ids of a manifest's scans: "handover-" kept for the results' manifests stored so far.
EVENT_ID_PREFIX = {"accepted": "handover", "departed_hub": "sent", "arrived_delivery_office":
                   "arrived", "handed_to_agency": "to-agency"}


@dataclass
class HandoverResult:
    accepted: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # tracking number -> why
    outbox_ids: list[int] = field(default_factory=list)


def hand_over(session: Session, manifest: Manifest, *, actor: str, received_by: str,
              agency_signatory: str, occurred_at: datetime, scope: Scope,
              office_id: int | None = None) -> HandoverResult:
    """Record ``accepted`` for every item of ``manifest`` and close it (no commit).

    Items are accepted at ``office_id`` (the office the manifest hands them to), as far as the
    caller's ``scope`` sees them. Idempotent: each item's event id derives from the manifest, so
    handing over twice records nothing new. Items that left ``created`` meanwhile (e.g.
    cancelled) are skipped and reported, not failed.
    """
    if not received_by.strip() or not agency_signatory.strip():
        raise ValidationFailed({"received_by": "cần tên người giao và người nhận / "
                                               "both signatories are required"})
    result = scan_each(session, manifest, "accepted", actor=actor, occurred_at=occurred_at,
                       scope=scope, office_id=office_id)
    if manifest.state != "handed_over":
        manifest.state, manifest.handed_over_at = "handed_over", utcnow()
        manifest.received_by, manifest.agency_signatory = (received_by.strip()[:60],
                                                           agency_signatory.strip()[:200])
    session.flush()
    return result


def scan_each(session: Session, manifest: Manifest, event: str, *, actor: str,
              occurred_at: datetime, scope: Scope, office_id: int | None) -> HandoverResult:
    """Record ``event`` at ``office_id`` for every item of ``manifest`` through the scan path
    (tracking.scans: the status model, access, one event, webhooks and SMS each), no commit.

    Idempotent: each item's event id derives from the manifest and the event, so scanning the
    manifest twice records nothing new. Items the event does not fit any more (cancelled, already
    handed over one by one) are skipped and reported, not failed."""
    result = HandoverResult()
    for consignment in manifest_consignments(session, manifest):
        body = {"event_id": f"{EVENT_ID_PREFIX[event]}-{manifest.number}-"
                            f"{consignment.tracking_number}",
                "tracking_number": consignment.tracking_number, "event": event,
                "occurred_at": occurred_at.isoformat(), "note": f"Biên bản {manifest.number}"}
        try:
            scan = _accept(session, body, actor, office_id, scope)
        except Conflict as error:
            result.skipped[consignment.tracking_number] = error.detail
            continue
        result.accepted.append(consignment.tracking_number)
        result.outbox_ids.extend(scan.outbox_ids)
    return result


def _accept(session: Session, body: dict, actor: str, office_id: int | None,
            scope: Scope) -> ScanResult:
    """One item's scan in a savepoint: when a concurrent handover stored it first (the event
    id is taken), only this item's savepoint is lost and the scan is answered as a repeat."""
    try:
        with session.begin_nested():
            return record_scan(session, body, actor, office_id=office_id, scope=scope)
    except IntegrityError:
        return record_scan(session, body, actor, office_id=office_id, scope=scope)
