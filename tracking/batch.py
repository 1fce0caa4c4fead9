"""Recording a large batch of scans (an offline queue, a bag scanned at the hub) in one transaction.

Set-based: one query for the event ids already stored, one for the consignments, the lifecycle's
``apply_events`` for all status changes, one commit. What needs the one-by-one checks of
``record_scan`` (deliveries: proof, identity, OTP) is handed back to the caller for that path, together
with every other scan of the same consignment so that their order is kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from delivery.errors import Conflict, DomainError, NotFound
from delivery.lifecycle import Scan, apply_events
from delivery.models import Agency, Consignment, TrackingEvent

from .scans import ScanResult, after_status_change, parse_scan, replay_of

ONE_BY_ONE_EVENTS = frozenset({"delivered"})
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
    stored = {e.client_event_id: e for e in session.exec(select(TrackingEvent).where(
        col(TrackingEvent.client_event_id).in_({scan.client_event_id for _, _, scan in good}))).all()}
    items = {c.tracking_number: c for c in session.exec(select(Consignment).where(
        col(Consignment.tracking_number).in_({number for _, number, _ in good}))).all()}
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


def _apply(session: Session, to_apply: list[tuple[int, Consignment, Scan]], outcomes: list[Outcome]) -> None:
    agencies = {a.id: a for a in session.exec(select(Agency).where(
        col(Agency.id).in_({c.agency_id for _, c, _ in to_apply}))).all()}
    limits = {agency_id: agency.attempt_limit for agency_id, agency in agencies.items()}
    results = apply_events(session, [(c, scan) for _, c, scan in to_apply], limits)
    for (i, consignment, _), result in zip(to_apply, results, strict=True):
        if isinstance(result, DomainError):
            outcomes[i] = result
            continue
        outbox_ids = after_status_change(session, consignment, agencies[consignment.agency_id], result)
        outcomes[i] = ScanResult(result, result.status_after, created=True, outbox_ids=outbox_ids)
