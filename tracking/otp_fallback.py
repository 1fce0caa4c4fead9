"""The delivery code's SMS fallback: a code Zalo accepted but did not deliver within
OTP_RECEIPT_WAIT_MINUTES goes by SMS once, so a courier at the door is not left waiting on a phone
that never shows the Zalo message.

Why the plain code is kept in the outbox payload a little longer (rather than a second, encrypted
copy): the code already lives there while the message waits to be sent, and an encrypted copy
would be opened with a key the same process holds, so it would protect against nothing the
payload's short life does not. The code stays only while the fallback may still need it: outbox
rows Zalo accepted keep it (tracking.outbox.settle), and this job scrubs it once the wait is over:
either sending the SMS or finding that Zalo delivered, or that the round is over. Nothing else
holds it. The claim is a compare-and-set that scrubs the code from the row (committed before the
SMS is sent), so two runs never both send it and a run killed mid-way sends nothing more: the
courier's page then offers a new code (tracking.otp_reach).
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from delivery.models import Consignment, utcnow

from .channel_models import MessageSend
from .channels import send_by_sms
from .models import Outbox
from .notify import outbox_payload
from .otp import ROUND_STATUSES
from .otp_reach import code_message
from .sms import SmsSettings

HORIZON = timedelta(days=1)  # codes Zalo took longer ago are looked at no more (scrubbed by then)


def codes_past_wait(session: Session, wait: timedelta) -> list[int]:
    """Outbox ids of sent messages still holding a code that Zalo accepted at least ``wait`` ago
    (within HORIZON)."""
    now = utcnow()
    return list(session.exec(
        select(Outbox.id).join(MessageSend, col(MessageSend.outbox_id) == Outbox.id)
        .where(MessageSend.channel == "zns", MessageSend.outcome == "accepted",
               MessageSend.sent_at <= now - wait, MessageSend.sent_at >= now - HORIZON,
               Outbox.kind == "sms", Outbox.state == "sent",
               col(Outbox.payload).contains('"otp":'))
        .order_by(Outbox.id)).all())


def take_code(session: Session, outbox_id: int) -> dict | None:
    """Claim the row's code for the fallback: scrub it from the row (compare-and-set on the
    payload; the caller commits before sending) and return the payload to send, code included, or
    None when no SMS is due (another run took it, Zalo delivered it, SMS already carried it, or the
    round is over: the code is scrubbed all the same)."""
    row = session.get(Outbox, outbox_id)
    payload = json.loads(row.payload)
    if payload.get("otp") is None:
        return None
    kept = {k: v for k, v in payload.items() if k != "otp"}
    taken = session.exec(update(Outbox).where(Outbox.id == outbox_id,
                                              Outbox.payload == row.payload)
                         .values(payload=outbox_payload(kept))).rowcount
    session.expire(row)
    if taken != 1 or not _sms_due(session, row):
        return None
    return payload


def _sms_due(session: Session, row: Outbox) -> bool:
    sends = session.exec(select(MessageSend).where(MessageSend.outbox_id == row.id)).all()
    if any(s.channel == "sms" or s.receipt == "delivered" for s in sends):
        return False
    consignment = session.get(Consignment, row.consignment_id)
    latest = code_message(session, consignment) if consignment else None
    return latest is not None and latest.id == row.id and consignment.status in ROUND_STATUSES


def send_fallback(session: Session, outbox_id: int, payload: dict,
                  settings: SmsSettings) -> str:
    """Send the taken code by SMS and record the send (no commit). Returns the outcome."""
    row = session.get(Outbox, outbox_id)
    agency_id = session.exec(select(Consignment.agency_id).where(
        Consignment.id == row.consignment_id)).first()
    return send_by_sms(session, row, payload, agency_id, settings).outcome
