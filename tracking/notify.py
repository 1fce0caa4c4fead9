"""What a status change sets in motion: outbox rows, written in the same transaction as the change.

The rows are pushed to the job queue only after commit (by the caller); a row that never reaches the
queue stays pending and is picked up again by the sweep, so nothing caused by a change can be lost.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlmodel import Session, select

from delivery.models import Agency, Consignment, TrackingEvent, utcnow

from .models import Outbox


def webhook_body(consignment: Consignment, event: TrackingEvent) -> dict:
    """The upstream system's notification, exactly as CONTRACT.md fixes it."""
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"event:{event.client_event_id}")),
        "type": "consignment.status_changed",
        "occurred_at": event.occurred_at.isoformat(),
        "data": {
            "tracking_number": consignment.tracking_number,
            "dossier_code": consignment.dossier_code,
            "status": event.status_after,
            "event": event.event,
        },
    }


def queue_status_change(session: Session, consignment: Consignment, agency: Agency,
                        event: TrackingEvent) -> tuple[int, ...]:
    """Write the outbox rows a status change causes (no commit); returns their ids to enqueue."""
    rows: list[Outbox] = []
    if agency.webhook_url:
        rows.append(Outbox(kind="webhook", dedupe_key=f"webhook:{event.id}", consignment_id=consignment.id,
                           payload=json.dumps(webhook_body(consignment, event), ensure_ascii=False)))
    for row in rows:
        session.add(row)
    session.flush()
    return tuple(row.id for row in rows)


def pending_outbox_ids(session: Session, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Rows still waiting to be sent whose retry time has come (for the periodic sweep)."""
    now = now or utcnow()
    rows = session.exec(
        select(Outbox.id).where(Outbox.state == "pending")
        .where((Outbox.next_attempt_at.is_(None)) | (Outbox.next_attempt_at <= now))
        .order_by(Outbox.id).limit(limit)
    ).all()
    return list(rows)
