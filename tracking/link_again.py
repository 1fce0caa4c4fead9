"""Counter staff sending the recipient's tracking link again (the citizen lost the SMS, or changed
phones): the creation SMS once more, through the outbox, capped per item and day and audited."""

from __future__ import annotations

from sqlmodel import Session

from delivery.audit import Who, audited_today, record_audit
from delivery.errors import LimitReached, ValidationFailed
from delivery.models import Consignment, utcnow
from delivery.vietnam_day import vietnam_date

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
    made = audited_today(session, consignment.id, ACTION)
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

