"""Whether the code of the delivery round in progress reached the recipient's phone, and a new code
when it did not.

The code's message is the newest ``sms`` outbox row of the item that carries a round's text (out
for delivery, held for pick-up); its sends (tracking.channel_models.MessageSend) say what each
channel did with it. The plain code is scrubbed from that row once it is sent (tracking.outbox), so
the same code can never be sent again: "send again" starts a new round (tracking.otp.issue_otp) and
texts its fresh code, and the old code stops counting. Capped per item and day, and audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import Session, col, select

from delivery.audit import Who, audited_today, record_audit
from delivery.errors import LimitReached, ValidationFailed
from delivery.models import Consignment

from .channel_models import MessageSend
from .channels import REFUSED
from .models import Outbox
from .notify import ROUND_EVENTS, new_code_row
from .otp import ROUND_STATUSES, current_otp, issue_otp

NEW_CODES_PER_DAY = 3  # per item and day (Vietnam time)
NEW_CODE = "otp.new_code"  # the audited action, counted for the cap


@dataclass(frozen=True)
class ChannelState:
    """One channel's answer: ``refused`` (no Zalo, a blocked number), ``retrying``, ``delivered`` or
    ``failed`` (the receipt), ``waiting`` (accepted, no receipt yet), ``sent`` (accepted by a
    channel that reports no receipts: the console, the http gateway, Viettel, eSMS without a
    callback)."""

    channel: str
    state: str


@dataclass(frozen=True)
class OtpReach:
    """The round's code message: its outbox state and each channel's answer. ``reached`` only on a
    "delivered" receipt."""

    outbox_state: str
    channels: tuple[ChannelState, ...]

    @property
    def reached(self) -> bool:
        """A receipt said so, or a channel that never reports receipts took it (nothing more
        will ever be known: warning the courier every time would teach them to ignore it)."""
        return any(c.state in ("delivered", "sent") for c in self.channels)


def code_message(session: Session, consignment: Consignment) -> Outbox | None:
    """The newest message that carried (or carries) a round's code to the recipient."""
    rows = session.exec(select(Outbox).where(Outbox.consignment_id == consignment.id,
                                             Outbox.kind == "sms")
                        .order_by(col(Outbox.id).desc())).all()
    return next((r for r in rows if json.loads(r.payload).get("template") in ROUND_EVENTS), None)


def otp_reach(session: Session, consignment: Consignment,
              receipts_from: frozenset[str] = frozenset({"sms", "zns"})) -> OtpReach | None:
    """How the code of the round in progress fared; None when no round is in progress or it sent
    no message (no mobile number). ``receipts_from``: the channels whose provider reports
    delivery receipts as configured."""
    if consignment.status not in ROUND_STATUSES:
        return None
    row = code_message(session, consignment)
    if row is None:
        return None
    sends = session.exec(select(MessageSend).where(MessageSend.outbox_id == row.id)
                         .order_by(col(MessageSend.id))).all()
    return OtpReach(row.state, tuple(ChannelState(s.channel, _state_of(s, receipts_from))
                                     for s in sends))


def _state_of(send: MessageSend, receipts_from: frozenset[str]) -> str:
    if send.outcome in REFUSED:
        return "refused"
    if send.outcome == "retry":
        return "retrying"
    if send.receipt in ("delivered", "failed"):
        return send.receipt
    return "waiting" if send.channel in receipts_from else "sent"


def send_new_code(session: Session, consignment: Consignment, who: Who, *,
                  daily_limit: int = NEW_CODES_PER_DAY) -> list[int]:
    """Start a new round for an item out for delivery or held for pick-up and text its fresh code
    (no commit); audited as ``otp.new_code``. Returns the outbox ids to push after commit (none
    without a mobile number). Raises ValidationFailed when no round is in progress, LimitReached
    after ``daily_limit`` new codes today."""
    if consignment.status not in ROUND_STATUSES:
        raise ValidationFailed({"otp": "bưu gửi không đang phát hay chờ nhận / "
                                       "the item is not out for delivery or held for pick-up"})
    _check_daily_limit(session, consignment, daily_limit)
    code = issue_otp(session, consignment)
    otp = current_otp(session, consignment)
    record_audit(session, NEW_CODE, who, consignment_id=consignment.id,
                 detail={"round": otp.round})
    row = new_code_row(session, consignment, code, f"new-code-{otp.round}")
    if row is None:
        return []
    outbox = Outbox(**row)
    session.add(outbox)
    session.flush()
    return [outbox.id]


def _check_daily_limit(session: Session, consignment: Consignment, limit: int) -> None:
    """Raises LimitReached once the item had ``limit`` new codes today (Vietnam time)."""
    if audited_today(session, consignment.id, NEW_CODE) >= limit:
        raise LimitReached(f"đã gửi {limit} mã mới hôm nay; hãy kiểm tra lại số điện thoại hoặc "
                           f"dùng 4 số cuối CCCD / {limit} new codes sent today already; check "
                           "the number or use the CCCD digits", limit=limit)
