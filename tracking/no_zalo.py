"""A ZNS message Zalo turned down after accepting it goes by SMS, once.

Zalo's own API refuses at once a message it can never deliver ("no Zalo account", a user who
refuses messages, a bad number: tracking.channels then moves on to SMS). Through eSMS the send is
only accepted, and Zalo's answer comes later in the receipt (tracking.esms_zns.zalo_error): this
module finishes the same fallback then, for the same codes (zalo_zns.NO_ACCOUNT and PERMANENT).
Exactly once: the SMS send row (one per message and channel, unique) is claimed in a commit of its
own before the SMS is sent, so two receipts for the same message (eSMS repeats a callback that
timed out) or two workers send one SMS; a worker killed between the claim and the send leaves the
claim, and the message unsent on SMS, rather than risk a second text.

A delivery code whose payload no longer holds the code (tracking.otp_fallback scrubbed it) is not
sent: that module has either sent it by SMS already or found the round over.
"""

from __future__ import annotations

import json

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from delivery.models import Consignment

from .channel_models import MessageSend
from .channels import provider_of, send_claimed_sms
from .models import Outbox
from .providers import SendResult
from .sms import SmsSettings
from .zalo_zns import NO_ACCOUNT, PERMANENT

CLAIMED = "claimed"
TURNED_DOWN = frozenset(str(code) for code in NO_ACCOUNT | PERMANENT)


def turned_down(send: MessageSend) -> bool:
    """Whether ``send``'s receipt says Zalo will never deliver it (the number has no Zalo, the
    user refuses OA messages, ...): what a direct send would have been refused for."""
    return (send.channel == "zns" and send.receipt == "failed"
            and send.receipt_code in TURNED_DOWN)


def claim_sms(session: Session, outbox_id: int, settings: SmsSettings) -> MessageSend | None:
    """The SMS send of a message whose ZNS send Zalo turned down, claimed (the caller commits
    before sending); None when none is due: no such refusal, an SMS already sent or claimed, or a
    delivery code already scrubbed."""
    zns = session.exec(select(MessageSend).where(MessageSend.outbox_id == outbox_id,
                                                 MessageSend.channel == "zns")).first()
    row = session.get(Outbox, outbox_id)
    if zns is None or row is None or not turned_down(zns):
        return None
    payload = json.loads(row.payload)
    if "otp" in payload and payload["otp"] is None:
        return None
    claim = MessageSend(outbox_id=outbox_id, agency_id=zns.agency_id, channel="sms",
                        provider=provider_of("sms", settings), request_id=f"sms-{outbox_id}",
                        outcome=CLAIMED)
    try:
        with session.begin_nested():
            session.add(claim)
    except IntegrityError:
        return None
    return claim


def send_instead(session: Session, claim: MessageSend, settings: SmsSettings) -> SendResult:
    """Send the claimed message by SMS and record the answer on the claim (no commit)."""
    row = session.get(Outbox, claim.outbox_id)
    if row.consignment_id is not None and session.get(Consignment, row.consignment_id) is None:
        return SendResult("permanent", error="the item is gone")
    return send_claimed_sms(session, row, json.loads(row.payload), claim, settings)
