"""Sending status webhooks to the upstream one-stop-shop system, signed with the agency's secret."""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session

from delivery.models import Agency, Consignment, utcnow

from .models import DeliveryAttempt, Outbox

TIMEOUT_SECONDS = 10
# Backoff between tries, then dead-letter: about 24 hours in all.
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30),
           timedelta(hours=1), timedelta(hours=2), timedelta(hours=4), timedelta(hours=8), timedelta(hours=8))


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the body>``, the X-Signature header's value."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_json(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body``; returns the HTTP status (raises OSError on network failure)."""
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (configured URL)
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def claim(session: Session, outbox_id: int) -> bool:
    """Take a pending row for sending (compare-and-set): only one worker can hold it."""
    return session.exec(
        update(Outbox).where(Outbox.id == outbox_id, Outbox.state == "pending").values(state="sending")
    ).rowcount == 1


def send_webhook(session: Session, outbox_id: int) -> str:
    """Send one claimed webhook row and record the attempt (caller commits). Returns the row's new state.

    Idempotent: a row already sent (or held by another worker) is left alone and reported as it is.
    """
    row = session.get(Outbox, outbox_id)
    if row is None or row.kind != "webhook" or not claim(session, outbox_id):
        return row.state if row else "missing"
    session.refresh(row)
    agency = session.get(Agency, session.get(Consignment, row.consignment_id).agency_id)
    body = row.payload.encode()
    status, error = None, None
    try:
        status = post_json(agency.webhook_url, body, {"X-Signature": signature(agency.webhook_secret or "", body)})
    except OSError as e:
        error = str(e)[:500]
    session.add(DeliveryAttempt(outbox_id=row.id, status_code=status, error=error))
    _settle(row, ok=status is not None and 200 <= status < 300, error=error or f"HTTP {status}")
    return row.state


def _settle(row: Outbox, *, ok: bool, error: str) -> None:
    row.attempts += 1
    if ok:
        row.state, row.sent_at, row.last_error = "sent", utcnow(), None
        return
    row.last_error = error
    if row.attempts > len(BACKOFF):
        row.state = "dead"
        return
    row.state, row.next_attempt_at = "pending", utcnow() + BACKOFF[row.attempts - 1]
