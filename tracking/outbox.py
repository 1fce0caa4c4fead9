"""Sending outbox rows: claim by compare-and-set, send, record the attempt,
retry with backoff, dead-letter.

A row is claimed (pending -> sending) in a commit of its own before anything leaves the machine,
then settled in a second commit. A sender killed in between leaves the row in ``sending``; the sweep
hands it back after a timeout (tracking.notify.release_stuck) and it is sent again with the same id:
webhook receivers dedupe on the body's ``id``, SMS gateways on the message ``id``
(``sms-<outbox id>``, eSMS's RequestId), Zalo on ``zns-<outbox id>``. Which channel an SMS row goes
out on is tracking.channels'. Nothing in here commits; the job (web.tasks) owns the transactions.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, select

from delivery.models import Agency, Consignment, utcnow

from .channels import Route, send_message, waits_for_receipt
from .models import DeliveryAttempt, Outbox
from .notify import outbox_payload
from .providers import SendResult, from_status
from .sms import SmsSettings, quiet_until
from .webhooks import post_json, signed_headers

# Backoff between tries, then dead-letter: about 24 hours in all.
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10),
           timedelta(minutes=30), timedelta(hours=1), timedelta(hours=2), timedelta(hours=4),
           timedelta(hours=8), timedelta(hours=8))


def claim(session: Session, outbox_id: int) -> bool:
    """Take a pending row whose time has come for sending (compare-and-set):
    only one worker can hold it."""
    now = utcnow()
    return session.exec(
        update(Outbox).where(Outbox.id == outbox_id, Outbox.state == "pending")
        .where((Outbox.next_attempt_at.is_(None)) | (Outbox.next_attempt_at <= now))
        .values(state="sending", claimed_at=now)
    ).rowcount == 1


def claim_batch(session: Session, outbox_id: int, limit: int) -> list[Outbox]:
    """Claim (compare-and-set, as ``claim``) the row ``outbox_id`` if it is due, and up to
    ``limit - 1`` other due rows, oldest first, in one statement; returns the rows now held by this
    sender. On PostgreSQL rows another sender is claiming are skipped (SKIP LOCKED) rather than
    waited for. Jobs for the rows taken along find them no longer pending and return at once.
    No commit."""
    now = utcnow()
    due = (Outbox.state == "pending") & (Outbox.next_attempt_at.is_(None)
                                         | (Outbox.next_attempt_at <= now))
    others = select(Outbox.id).where(due, Outbox.id != outbox_id).order_by(Outbox.id) \
        .limit(max(limit - 1, 0)).with_for_update(skip_locked=True)
    claimed = session.scalars(
        update(Outbox).where(due, or_(Outbox.id == outbox_id, Outbox.id.in_(others)))
        .values(state="sending", claimed_at=now).returning(Outbox)
        .execution_options(synchronize_session=False)
    ).all()
    return sorted(claimed, key=lambda row: row.id)


def webhook_agencies(session: Session, rows: list[Outbox]) -> dict[int, Agency]:
    """Consignment id -> its agency, for the webhook rows of a batch, in one query
    (not two per row)."""
    ids = {row.consignment_id for row in rows if row.kind == "webhook" and row.consignment_id}
    if not ids:
        return {}
    pairs = session.exec(select(Consignment.id, Agency)
                         .join(Agency, Agency.id == Consignment.agency_id)
                         .where(Consignment.id.in_(ids))).all()
    return dict(pairs)


def deliver(session: Session, row: Outbox, sms: SmsSettings, now: datetime | None = None,
            agencies: dict[int, Agency] | None = None,
            routes: dict[int, Route] | None = None) -> str:
    """Send a row this worker has claimed, record the attempt and settle it. Returns the new state.
    ``agencies`` (from ``webhook_agencies``) and ``routes`` (from tracking.channels.routes_of)
    save the lookups of a webhook's agency and of an SMS row's channels."""
    if row.kind == "sms":
        payload = json.loads(row.payload)
        if until := quiet_until(payload["template"], now or utcnow(), sms.quiet_hours):
            # not an attempt
            row.state, row.claimed_at, row.next_attempt_at = "pending", None, until
            return row.state
        result = _try(lambda: send_message(session, row, sms, (routes or {}).get(row.id)))
    else:
        agency = (agencies or {}).get(row.consignment_id) or \
            session.get(Agency, session.get(Consignment, row.consignment_id).agency_id)
        body = row.payload.encode()
        result = _try(lambda: from_status(post_json(
            agency.webhook_url, body,
            signed_headers(agency.webhook_secret or "", body, int(time.time())))))
    session.add(DeliveryAttempt(outbox_id=row.id, status_code=result.status, error=result.error))
    settle(row, ok=result.ok, error=result.error or f"HTTP {result.status}",
           permanent=result.outcome in ("permanent", "no_account"),
           keep_otp=row.kind == "sms" and result.ok and waits_for_receipt(session, row, sms))
    return row.state


def _try(send: Callable[[], SendResult]) -> SendResult:
    try:
        return send()
    # network failure, or a row/gateway that cannot be sent
    except (OSError, ValueError, KeyError) as e:
        return SendResult("retry", error=f"{type(e).__name__}: {e}"[:500])


def settle(row: Outbox, *, ok: bool, error: str, permanent: bool = False,
           keep_otp: bool = False) -> None:
    """Record the outcome of one try: sent, pending again after the next backoff step, or dead
    (after the last step, or at once when the provider says it can never be sent). The plain OTP is
    scrubbed once the row is sent or dead, unless ``keep_otp`` (Zalo took the code and its SMS
    fallback may still need it: tracking.otp_fallback scrubs it then)."""
    row.attempts += 1
    row.claimed_at = None
    if ok:
        row.state, row.sent_at, row.last_error = "sent", utcnow(), None
    else:
        row.last_error = error
        row.state, row.next_attempt_at = ("dead", None) if (
            permanent or row.attempts > len(BACKOFF)) else \
            ("pending", utcnow() + BACKOFF[row.attempts - 1])
    if row.state in ("sent", "dead") and row.kind == "sms" and not keep_otp:
        _scrub_otp(row)


def _scrub_otp(row: Outbox) -> None:
    """The plain OTP is kept only while the SMS still has to go out."""
    payload = json.loads(row.payload)
    if payload.pop("otp", None) is not None:
        row.payload = outbox_payload(payload)


def redeliver(session: Session, outbox_id: int) -> bool:
    """Staff's "send again" for a dead (or failing) row: pending now, attempts kept as history.
    No commit.

    Not for a dead OTP SMS: its code was scrubbed and its round is stale;
    a new out_for_delivery issues a new one (a booking's code: the citizen asks for a new one).
    """
    row = session.get(Outbox, outbox_id)
    if row is None or (row.kind == "sms" and json.loads(row.payload).get("template")
                       in ("out_for_delivery", "booking_code")):
        return False
    return session.exec(
        update(Outbox).where(Outbox.id == outbox_id, Outbox.state.in_(("dead", "pending")))
        .values(state="pending", next_attempt_at=None, claimed_at=None)
    ).rowcount == 1
