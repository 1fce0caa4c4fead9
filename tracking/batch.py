"""Recording a large batch of scans (an offline queue, a bag scanned at the hub) in one transaction.

Set-based: one query for the event ids already stored, one for the consignments; then plan (the
status model, in memory) -> follow-up rows (OTP rounds, outbox rows) -> one ``write_batch``; the
caller commits once. What needs the one-by-one checks of ``record_scan`` (deliveries: proof,
identity, OTP) is handed back to the caller for that path, together with every other scan of the
same consignment so that their order is kept.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from delivery.access import Scope, check_office, not_found
from delivery.bulk import among
from delivery.errors import Conflict, DomainError
from delivery.lifecycle import write_batch
from delivery.models import TrackingEvent
from delivery.requested_date import checked_dispatch
from delivery.status_model import TO_AGENCY, Scan, plan_events

from .notify import follow_ups_of
from .pickup_proof import CHECKED_EVENTS, check_pickup
from .scans import ScanResult, ScanTarget, parse_scan, replay_of, scan_targets

ONE_BY_ONE_EVENTS = frozenset({"delivered"})
MAX_SCANS = 500  # scans in one batch (POST /api/v1/scans/batch)
Outcome = ScanResult | DomainError | None  # None: send this scan through record_scan


def _parse(payload: Any, actor: str, now: datetime, office_id: int | None,
           client_address: str | None) -> tuple[str, Scan] | DomainError:
    try:
        return parse_scan(payload, actor, now, office_id, client_address)
    except DomainError as error:
        return error


def _replay(stored: TrackingEvent, scan: Scan) -> Outcome:
    try:
        return replay_of(stored, scan)
    except Conflict as error:
        return error


def record_batch(session: Session, payloads: list[Any], actor: str, *, scope: Scope,
                 office_id: int | None = None, client_address: str | None = None
                 ) -> list[Outcome]:
    """Outcomes in the order of ``payloads`` (no commit); items ``scope`` does not see answer
    NotFound as unknown ones do (delivery.access). Raises Conflict when a consignment changed
    meanwhile: then nothing is written and the caller should record the scans one by one."""
    parsed = [_parse(p, actor, datetime.now(UTC), office_id, client_address) for p in payloads]
    good = [(i, *item) for i, item in enumerate(parsed) if not isinstance(item, DomainError)]
    stored = {e.client_event_id: e for e in session.exec(select(TrackingEvent).where(among(
        session, TrackingEvent.__table__.c.client_event_id,
        {scan.client_event_id for _, _, scan in good}))).all()}
    items = {number: item for number, item in
             scan_targets(session, {number for _, number, _ in good}).items()
             if scope.admits(item)}
    one_by_one = _one_by_one(good)
    outcomes: list[Outcome] = [item if isinstance(item, DomainError) else None for item in parsed]
    to_apply = []
    for i, number, scan in good:
        if number not in items:
            outcomes[i] = not_found(number)
        elif scan.client_event_id in stored:
            outcomes[i] = _replay(stored[scan.client_event_id], scan)
        elif number not in one_by_one:
            checked = _checked(session, scope, items[number], scan)
            if isinstance(checked, DomainError):
                outcomes[i] = checked
            else:
                to_apply.append((i, items[number], checked))
    _apply(session, to_apply, outcomes)
    return outcomes


def _checked(session: Session, scope: Scope, item: ScanTarget, scan: Scan) -> Scan | DomainError:
    """``scan`` as it is to be recorded, or why it is refused: an event away from the item's
    office, a collected dossier not checked against its checklist (tracking.pickup_proof), or sent
    out before the citizen's day without a reason (delivery.requested_date)."""
    try:
        check_office(session, scope, item, scan.event)
        if scan.event in CHECKED_EVENTS and item.direction == TO_AGENCY:
            check_pickup(session, item.id, scan.proof)
        return checked_dispatch(scan, item)
    except DomainError as error:
        return error


def _one_by_one(good: list[tuple[int, str, Scan]]) -> set[str]:
    """The items whose scans all take ``record_scan``'s path, in their order: those with a delivery
    (proof, identity and OTP checks), and those with an event id sent twice in the batch (the second
    answers as a replay of whatever the first became,
    which the set-based pass cannot know in advance)."""
    sent = Counter(scan.client_event_id for _, _, scan in good)
    return {number for _, number, scan in good
            if scan.event in ONE_BY_ONE_EVENTS or sent[scan.client_event_id] > 1}


def _apply(session: Session, to_apply: list[tuple[int, ScanTarget, Scan]],
           outcomes: list[Outcome]) -> None:
    planned = plan_events([(target, scan) for _, target, scan in to_apply],
                          {target.id: target.attempt_limit for _, target, _ in to_apply})
    targets = {target.id: target for _, target, _ in to_apply}
    follow = follow_ups_of(session, [(targets[event.consignment_id], event)
                                     for event in planned.events])
    events, outbox_ids = write_batch(session, planned, follow)
    written = iter(zip(events, outbox_ids, strict=True))
    for (i, _, _), outcome in zip(to_apply, planned.outcomes, strict=True):
        if isinstance(outcome, DomainError):
            outcomes[i] = outcome
        else:
            event, ids = next(written)
            outcomes[i] = ScanResult(event, event.status_after, created=True, outbox_ids=ids)
