"""What a delivery must show: at least one verifying factor on every path (at the door or at the
office's counter), with every wrong answer counted against the round's tries (tracking.otp).

Factors: the OTP texted for this round (required when ``otp_required``, the default), the last four
digits of the recipient's CCCD when the agency sent it (``relation`` self), or for someone
receiving on the recipient's behalf (``relation`` proxy) their own CCCD digits together with the
authorisation letter's reference. A delivery with none of them is refused.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlmodel import Session

from delivery.errors import ValidationFailed
from delivery.status_model import Scan

from .otp import WRONG_OTP, WrongTry, current_otp, give_back_try, otp_matches, spend_try

WRONG_DIGITS = "4 số cuối CCCD không khớp / ID digits do not match the recipient"
NO_FACTOR = ("cần mã OTP đã nhắn cho người nhận, hoặc 4 số cuối CCCD khớp hồ sơ / the OTP texted "
             "to the recipient, or ID digits matching the recipient's, is required")


class DoorProof(NamedTuple):
    """What the recipient themself must show for a delivery, as check_delivery decides; someone
    receiving on their behalf shows their own CCCD digits and the authorisation letter instead of
    ``id_last4`` (the OTP, when needed, either way)."""

    otp: bool  # the OTP texted when the item went out or was held for pick-up
    id_last4: bool  # the last 4 digits of the recipient's CCCD, which the agency sent


def proof_needed(item: object, *, otp_required: bool) -> DoorProof:
    """What a delivery of ``item`` (with ``recipient_id_last4``) needs at the door, for the courier
    to know before knocking: the OTP when ``otp_required`` or when it is the only factor left."""
    on_file = bool(getattr(item, "recipient_id_last4", None))
    return DoorProof(otp=otp_required or not on_file, id_last4=on_file)


def check_delivery(session: Session, item: object, scan: Scan, code: str | None, *,
                   otp_required: bool) -> None:
    """Refuse ``scan`` (a delivery of ``item``, a ScanTarget) unless it shows a verifying factor
    (no commit). Raises ValidationFailed for what is missing (nothing counted), WrongTry for a
    wrong OTP or wrong ID digits (a try spent: the caller commits it), ValidationFailed when no try
    is left."""
    proof = scan.proof or {}
    proxy = proof.get("relation") == "proxy"
    if proxy and not proof.get("id_last4"):
        raise ValidationFailed({"proof.id_last4": "người nhận thay: 4 số cuối CCCD của chính họ / "
                                                  "a proxy's own last 4 ID digits"})
    otp = current_otp(session, item)
    if otp is not None:
        spend_try(session, otp)
    wrong: dict[str, str] = {}
    on_file = getattr(item, "recipient_id_last4", None)
    digits_match = not proxy and bool(on_file) and proof.get("id_last4") == on_file
    if not proxy and on_file and not digits_match:
        wrong["proof.id_last4"] = WRONG_DIGITS
    otp_checked = otp is not None and (otp_required or code is not None)
    if otp_checked and not otp_matches(otp, code):
        wrong["proof.otp"] = WRONG_OTP
    if wrong:
        raise WrongTry(wrong)
    if not (otp_checked or digits_match or proxy):
        raise ValidationFailed({"proof.otp": NO_FACTOR})
    if otp is not None:
        give_back_try(session, otp)
