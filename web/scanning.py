"""Recording a scan from any entry point (API, batch, courier page): one transaction, then notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.exc import IntegrityError

from tracking.scans import ScanResult, record_scan

from .auth import current_actor
from .db import get_session
from .outbox_push import push_outbox


def record_and_notify(payload: Any) -> ScanResult:
    """Apply one scan as the current actor, commit, then enqueue what it caused. Domain errors propagate
    after the transaction is rolled back, so a failed scan leaves nothing behind."""
    actor = current_actor()
    session = get_session()
    try:
        try:
            result = record_scan(session, payload, actor.ref, office_id=actor.office_id)
        except IntegrityError:  # a concurrent request stored the same event_id first: answer as its repeat
            session.rollback()
            result = record_scan(session, payload, actor.ref, office_id=actor.office_id)
        if session.in_transaction():  # on PostgreSQL a plain scan ran standalone: nothing is left to commit
            session.commit()
    except Exception:
        session.rollback()
        raise
    send_notifications(result.outbox_ids)
    return result


def send_notifications(outbox_ids: Iterable[int]) -> None:
    """Push committed outbox rows to the queue (or send them now, without Redis)."""
    push_outbox(outbox_ids)
