"""Delivery receipts: what a provider reports, after it accepted a message, about whether it
reached the phone, recorded against the message's send (tracking.channel_models.MessageSend).

eSMS calls our CallbackUrl (HTTP GET) with ``SMSID``, ``RequestId``, ``SendStatus`` (1 pending
approval, 2 waiting, 4 refused, 5 sent, 7 at the telco awaiting its report), ``SendSuccess`` and
``SendFailed`` counts (for ZNS sent through eSMS, Zalo's answer in ``error_info``). Zalo posts
OA events to the app's webhook: ``user_received_message`` (and ``user_seen_message``) with the
message's ``msg_id``. A receipt never turns a final answer
(delivered, failed) back into pending: a late "waiting" report changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from delivery.models import utcnow

from .channel_models import MessageSend
from .esms_zns import zalo_error

FINAL = ("delivered", "failed")
ZALO_DELIVERY_EVENTS = {"user_received_message": "received", "user_seen_message": "seen"}


def esms_receipt(query: Mapping[str, str]) -> tuple[str, str]:
    """(receipt, provider code) of eSMS's callback parameters."""
    status = str(query.get("SendStatus", ""))
    success = _count(query.get("SendSuccess"))
    failed = _count(query.get("SendFailed"))
    if success > 0:
        return "delivered", status
    if status == "4" or (status == "5" and failed > 0):
        # a ZNS message sent through eSMS carries Zalo's own reason (-118: no Zalo account)
        zalo = zalo_error(query.get("error_info"))
        return "failed", str(zalo) if zalo is not None else status
    return "pending", status


def _count(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() else 0


def send_named(session: Session, *, request_id: str | None = None,
               provider_id: str | None = None) -> MessageSend | None:
    """The send a receipt names: by our request id (checked against the provider's id when both
    are given), else by the provider's id."""
    if request_id:
        send = session.exec(select(MessageSend).where(
            MessageSend.request_id == request_id)).first()
        if send is not None and provider_id and send.provider_id not in (None, provider_id):
            return None
        return send
    if provider_id:
        return session.exec(select(MessageSend).where(
            MessageSend.provider_id == provider_id)).first()
    return None


def record_receipt(session: Session, send: MessageSend, receipt: str, code: str) -> bool:
    """Record a receipt (no commit); False when it would undo a final one."""
    if send.receipt in FINAL and receipt not in FINAL:
        return False
    send.receipt, send.receipt_code, send.receipt_at = receipt, code[:20], utcnow()
    session.add(send)
    return True
