"""Recording a large batch of scans (an offline queue, a bag scanned at the hub) in one transaction.

Set-based: one query for the event ids already stored, one for the consignments, the lifecycle's
``apply_events`` for all status changes, one commit. What needs the one-by-one checks of
``record_scan`` (deliveries: proof, identity, OTP) is handed back to the caller for that path, together
with every other scan of the same consignment so that their order is kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from delivery.bulk import among
from delivery.errors import Conflict, DomainError, NotFound
from delivery.lifecycle import RecordedEvent, Scan, apply_events
from delivery.models import TrackingEvent

from .notify import queue_status_changes
from .otp import issue_otp
from .scans import ScanResult, ScanTarget, parse_scan, replay_of, scan_targets

ONE_BY_ONE_EVENTS = frozenset({"delivered"})
MAX_SCANS = 500  # scans in one batch (POST /api/v1/scans/batch)
Outcome = ScanResult | DomainError | None  # None: send this scan through record_scan


def _parse(payload: Any, actor: str, now: datetime, office_id: int | None) -> tuple[str, Scan] | DomainError:
    try:
        return parse_scan(payload, actor, now, office_id)
    except DomainError as error:
        return error


def _replay(stored: TrackingEvent, scan: Scan) -> Outcome:
    try:
        return replay_of(stored, scan)
    except Conflict as error:
        return error


def record_batch(session: Session, payloads: list[Any], actor: str, *, office_id: int | None = None) -> list[Outcome]:
    """Outcomes in the order of ``payloads`` (no commit). Raises Conflict when a consignment changed
    meanwhile: then nothing is written and the caller should record the scans one by one."""
    parsed = [_parse(p, actor, datetime.now(UTC), office_id) for p in payloads]
    good = [(i, *item) for i, item in enumerate(parsed) if not isinstance(item, DomainError)]
    stored = {e.client_event_id: e for e in session.exec(select(TrackingEvent).where(among(
        session, TrackingEvent.__table__.c.client_event_id, {scan.client_event_id for _, _, scan in good}))).all()}
    items = scan_targets(session, {number for _, number, _ in good})
    one_by_one = {number for _, number, scan in good if scan.event in ONE_BY_ONE_EVENTS}
    outcomes: list[Outcome] = [item if isinstance(item, DomainError) else None for item in parsed]
    to_apply, taken = [], set()
    for i, number, scan in good:
        if scan.client_event_id in stored:
            outcomes[i] = _replay(stored[scan.client_event_id], scan)
        elif number not in items:
            outcomes[i] = NotFound(f"không có bưu gửi / no consignment {number}")
        elif number not in one_by_one and scan.client_event_id not in taken:
            taken.add(scan.client_event_id)
            to_apply.append((i, items[number], scan))
    _apply(session, to_apply, outcomes)
    return outcomes


def _apply(session: Session, to_apply: list[tuple[int, ScanTarget, Scan]], outcomes: list[Outcome]) -> None:
    results = apply_events(session, [(target, scan) for _, target, scan in to_apply],
                           {target.id: target.attempt_limit for _, target, _ in to_apply})
    changes = [(i, target, result) for (i, target, _), result in zip(to_apply, results, strict=True)]
    for i, _, result in changes:
        if isinstance(result, DomainError):
            outcomes[i] = result
    recorded = [(i, target, event) for i, target, event in changes if isinstance(event, RecordedEvent)]
    # A new delivery round per item sent out; one OTP row each (bags out for delivery are tens, not thousands).
    otps = [issue_otp(session, target) if event.event == "out_for_delivery" else None
            for _, target, event in recorded]
    outbox_ids = queue_status_changes(session, [(t, e, otp) for (_, t, e), otp in zip(recorded, otps, strict=True)])
    for (i, _, event), ids in zip(recorded, outbox_ids, strict=True):
        outcomes[i] = ScanResult(event, event.status_after, created=True, outbox_ids=ids)
