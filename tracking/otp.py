"""The delivery OTP: a fresh 6-digit code per delivery round, sent to the recipient by SMS and asked for
by the courier at the door. Only a salted hash is stored; the plain code lives only in the SMS on its way
out (the outbox payload, scrubbed once the SMS is sent) and in the recipient's phone.

A wrong code counts against the round even though the refused scan's transaction is rolled back: the
count is written again in a transaction of its own after the rollback (see ``_keep_wrong_tries``).
After MAX_WRONG_TRIES the round is locked and the courier has to start a new ``out_for_delivery`` round.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import event, func, update
from sqlmodel import Session, select

from delivery.errors import ValidationFailed
from delivery.lifecycle import Item
from delivery.models import utcnow

from .models import DeliveryOtp

MAX_WRONG_TRIES = 5
WRONG_OTP = "Mã OTP không đúng / wrong OTP"
_PENDING_TRIES = "otp_wrong_tries"  # session.info key: OTP rows whose wrong try must survive a rollback


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
        select(DeliveryOtp).where(DeliveryOtp.consignment_id == consignment.id).order_by(DeliveryOtp.round.desc())
    ).first()


def verify_otp(session: Session, consignment: Item, code: str | None) -> None:
    """Accept ``code`` for the current round, or raise ValidationFailed (field ``proof.otp``).

    Does nothing when no OTP was issued for the current round (e.g. an item collected at the office).
    A wrong code is counted even if the caller rolls back; after MAX_WRONG_TRIES every code is refused.
    """
    otp = current_otp(session, consignment)
    if otp is None:
        return
    if otp.failed_tries >= MAX_WRONG_TRIES:
        raise ValidationFailed({"proof.otp": "Nhập sai OTP quá nhiều lần, cần đi phát lại để có mã mới / too many "
                                             "wrong OTPs; start a new out_for_delivery round for a new code"})
    if not isinstance(code, str) or not hmac.compare_digest(otp.code_hash, _hash(otp.salt, code)):
        otp.failed_tries += 1
        session.flush()
        session.info.setdefault(_PENDING_TRIES, []).append(otp.id)
        raise ValidationFailed({"proof.otp": WRONG_OTP})
    otp.used_at = utcnow()


@event.listens_for(Session, "after_commit")
def _forget_wrong_tries(session: Session) -> None:
    session.info.pop(_PENDING_TRIES, None)  # committed with the transaction


@event.listens_for(Session, "after_rollback")
def _keep_wrong_tries(session: Session) -> None:
    """The refused scan is rolled back, but its wrong OTP must still count: write it again on its own."""
    ids = session.info.pop(_PENDING_TRIES, None)
    if not ids:
        return
    with session.get_bind().begin() as connection:
        for otp_id in ids:
            connection.execute(update(DeliveryOtp).where(DeliveryOtp.id == otp_id)
                               .values(failed_tries=DeliveryOtp.failed_tries + 1))
