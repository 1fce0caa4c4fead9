"""Recording a scan from any entry point (API, batch, courier page): one transaction,
then notifications."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app, request
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tracking.otp import WrongTry
from tracking.scans import ScanResult, record_scan

from .auth import current_actor, current_scope
from .db import get_session
from .outbox_push import push_outbox


def record_and_notify(payload: Any,
                      along: Callable[[Session, ScanResult], None] | None = None) -> ScanResult:
    """Apply one scan as the current actor, commit, then enqueue what it caused. Domain errors
    propagate after the transaction is rolled back, so a failed scan leaves nothing behind but, for
    a wrong OTP or wrong ID digits, the spent try (it must count, or the code could be guessed).
    ``along``: what else a new event writes in its transaction (a pick-up's pages); not called
    for a repeat. Its caller must have the session's transaction open already (a read), so the
    scan does not run standalone."""
    session = get_session()
    try:
        try:
            result = _record(session, payload)
        except IntegrityError:
            # a concurrent request stored the same event_id first: answer as its repeat
            session.rollback()
            result = _record(session, payload)
        if along is not None and result.created:
            along(session, result)
        # on PostgreSQL a plain scan ran standalone: nothing is left to commit
        if session.in_transaction():
            session.commit()
    except WrongTry:
        # the scan wrote nothing before its door check: what is pending is the spent try, kept
        session.commit()
        raise
    except Exception:
        session.rollback()
        raise
    send_notifications(result.outbox_ids)
    return result


def _record(session: Session, payload: Any) -> ScanResult:
    actor = current_actor()
    # standalone=True: this view commits right after, so the scan's read and its one-statement write
    # may each run as a transaction of their own on PostgreSQL (delivery.driver), two round trips of
    # four.
    return record_scan(session, payload, actor.ref, scope=current_scope(),
                       office_id=actor.office_id, client_address=request.remote_addr,
                       otp_required=current_app.config["DELIVERY_OTP_REQUIRED"], standalone=True)


def send_notifications(outbox_ids: Iterable[int]) -> None:
    """Push committed outbox rows to the queue (or send them now, without Redis)."""
    push_outbox(outbox_ids)
