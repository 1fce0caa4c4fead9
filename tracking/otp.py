"""The delivery OTP: a fresh 6-digit code per delivery round, sent to the recipient by SMS and asked
for by the courier at the door. Only a salted hash is stored; the plain code lives only in the SMS
on its way out (the outbox payload, scrubbed once the SMS is sent) and in the recipient's phone.

A wrong code counts against the round even though the refused scan's transaction is rolled back: the
caller that rolls back writes the try again with ``keep_wrong_try`` (web.scanning does so).
After MAX_WRONG_TRIES the round is locked and the courier has to start a new ``out_for_delivery``
round.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import func, update
from sqlmodel import Session, select

from delivery.errors import ValidationFailed
from delivery.models import utcnow
from delivery.status_model import Item

from .models import DeliveryOtp

MAX_WRONG_TRIES = 5
WRONG_OTP = "Mã OTP không đúng / wrong OTP"


class WrongOtp(ValidationFailed):
    """A wrong code (field ``proof.otp``). The scan is refused, but the try must count: after
    rolling the scan back, the caller passes this error to ``keep_wrong_try``."""

    def __init__(self, otp_id: int) -> None:
        super().__init__({"proof.otp": WRONG_OTP})
        self.otp_id = otp_id


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def issue_otp(session: Session, consignment: Item) -> str:
    """Start a new delivery round for ``consignment`` and return its fresh 6-digit code (no commit).

    Earlier rounds' codes stop counting: only the newest round is checked.
    """
    last_round = session.exec(
        select(func.max(DeliveryOtp.round)).where(DeliveryOtp.consignment_id == consignment.id)
    ).one()
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    session.add(DeliveryOtp(consignment_id=consignment.id, round=(last_round or 0) + 1, salt=salt,
                            code_hash=_hash(salt, code)))
    session.flush()
    return code


def current_otp(session: Session, consignment: Item) -> DeliveryOtp | None:
    """The OTP of the round in progress: only while the item is out for delivery."""
    if consignment.status != "out_for_delivery":
        return None
    return session.exec(
        select(DeliveryOtp).where(DeliveryOtp.consignment_id == consignment.id)
        .order_by(DeliveryOtp.round.desc())
    ).first()


def verify_otp(session: Session, consignment: Item, code: str | None) -> None:
    """Accept ``code`` for the current round, or raise ValidationFailed (field ``proof.otp``).

    Does nothing when no OTP was issued for the current round (e.g. an item collected at the
    office). A wrong code raises WrongOtp (a ValidationFailed): the scan is refused and rolled back,
    and the caller then counts the try with ``keep_wrong_try``. After MAX_WRONG_TRIES every code is
    refused.
    """
    otp = current_otp(session, consignment)
    if otp is None:
        return
    if otp.failed_tries >= MAX_WRONG_TRIES:
        raise ValidationFailed({"proof.otp": "Nhập sai OTP quá nhiều lần, "
                                             "cần đi phát lại để có mã mới / too many wrong OTPs; "
                                             "start a new out_for_delivery round for a new code"})
    if not isinstance(code, str) or not hmac.compare_digest(otp.code_hash, _hash(otp.salt, code)):
        raise WrongOtp(otp.id)
    otp.used_at = utcnow()


def keep_wrong_try(session: Session, wrong: WrongOtp) -> None:
    """Count the wrong try of a refused scan, after its rollback (no commit): one atomic
    increment, so concurrent wrong tries all count."""
    session.exec(update(DeliveryOtp).where(DeliveryOtp.id == wrong.otp_id)
                 .values(failed_tries=DeliveryOtp.failed_tries + 1))
