"""The delivery OTP: a fresh 6-digit code per delivery round (out for delivery, or held at the
office for pick-up), sent to the recipient by SMS and asked for at the door or the counter. Only a
salted hash is stored; the plain code lives only in the message on its way out (the outbox
payload, scrubbed once it is sent; when Zalo took it, once its SMS fallback is over:
tracking.otp_fallback) and in the recipient's phone.

Every delivery attempted in a round spends one of its MAX_WRONG_TRIES tries first, with one
conditional UPDATE (concurrent attempts queue on the row and cannot pass the limit); a right answer
gives the try back. A wrong one raises WrongTry before anything else of the scan is written, and
the caller commits so that the spent try stays (web.scanning does so). After MAX_WRONG_TRIES wrong
answers the round is locked and a new round (going out again, or held again) is needed.
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


class WrongTry(ValidationFailed):
    """A wrong OTP or wrong ID digits at the door. The scan is refused, but the try was spent and
    must stay: the caller commits instead of rolling back (nothing else of the scan was written)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)


WrongOtp = WrongTry  # the name earlier callers used


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


ROUND_STATUSES = ("out_for_delivery", "held_for_pickup")  # where a delivery may happen


def current_otp(session: Session, consignment: Item) -> DeliveryOtp | None:
    """The OTP of the round in progress: only while the item is out or held for pick-up."""
    if consignment.status not in ROUND_STATUSES:
        return None
    return session.exec(
        select(DeliveryOtp).where(DeliveryOtp.consignment_id == consignment.id)
        .order_by(DeliveryOtp.round.desc())
    ).first()


def spend_try(session: Session, otp: DeliveryOtp) -> None:
    """Take one try of the round (no commit), or raise ValidationFailed when none is left."""
    spent = session.exec(update(DeliveryOtp).where(DeliveryOtp.id == otp.id,
                                                   DeliveryOtp.failed_tries < MAX_WRONG_TRIES)
                         .values(failed_tries=DeliveryOtp.failed_tries + 1)).rowcount
    if spent != 1:
        raise ValidationFailed({"proof.otp": "Nhập sai quá nhiều lần, cần đi phát lại (hoặc lưu "
                                             "lại bưu cục) để có mã mới / too many wrong tries; "
                                             "a new round gives a new code"})


def give_back_try(session: Session, otp: DeliveryOtp) -> None:
    """A right answer: the try does not count, and the round's code is used (no commit)."""
    session.exec(update(DeliveryOtp).where(DeliveryOtp.id == otp.id)
                 .values(failed_tries=DeliveryOtp.failed_tries - 1, used_at=utcnow()))


def otp_matches(otp: DeliveryOtp, code: str | None) -> bool:
    return isinstance(code, str) and hmac.compare_digest(otp.code_hash, _hash(otp.salt, code))
