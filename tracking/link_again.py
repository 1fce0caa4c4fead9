"""Counter staff sending the recipient's tracking link again (the citizen lost the SMS, or changed
phones): the creation SMS once more, through the outbox, capped per item and day and audited."""

from __future__ import annotations

from datetime import UTC, date

from sqlalchemy import func
from sqlmodel import Session, select

from delivery.audit import AuditEntry, Who, record_audit
from delivery.errors import LimitReached, ValidationFailed
from delivery.models import Consignment, utcnow
from delivery.vietnam_day import day_start, vietnam_date

from .notify import queue_link_again

LINKS_PER_DAY = 3  # per item and day (Vietnam time)
ACTION = "sms.link_resent"


def send_link_again(session: Session, consignment: Consignment, who: Who, *,
                    daily_limit: int = LINKS_PER_DAY) -> list[int]:
    """Queue the tracking link's SMS again (no commit), audited as ``sms.link_resent``. Its dedupe
    key names the day and the count (``link-<date>-<n>``), so each resend is one message and a
    repeated request cannot add more than ``daily_limit`` in a day. Returns the outbox ids to push
    after commit. Raises LimitReached after ``daily_limit`` resends today, ValidationFailed when
    the recipient has no mobile number to text."""
    today = vietnam_date(utcnow())
    made = _made_today(session, consignment, today)
    if made >= daily_limit:
        raise LimitReached(f"đã gửi lại {daily_limit} lần hôm nay / the link was sent "
                           f"again {daily_limit} times today already", limit=daily_limit)
    ids = queue_link_again(session, consignment, f"link-{today.isoformat()}-{made + 1}")
    if not ids:
        raise ValidationFailed({"recipient.phone": "người nhận không có số di động / "
                                                   "the recipient has no mobile number"})
    record_audit(session, ACTION, who, consignment_id=consignment.id,
                 detail={"outbox": ids[0]})
    return ids


def _made_today(session: Session, consignment: Consignment, today: date) -> int:
    """Resends of the item today (Vietnam time), counted under a lock on the item's row, so two
    staff pressing at once are counted one after the other."""
    session.exec(select(Consignment.id).where(Consignment.id == consignment.id)
                 .with_for_update()).one()
    since = day_start(today).astimezone(UTC)
    return session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.consignment_id == consignment.id, AuditEntry.action == ACTION,
        AuditEntry.at >= since)).one()
