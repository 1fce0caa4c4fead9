"""Where a recipient's bank transfer at the door goes: the account an admin configures for an
agency, or for a delivery office that takes the money itself (bank BIN, account number, holder's
name), shown to the recipient as a VietQR (labels.vietqr) on the courier's phone."""

from __future__ import annotations

import re
from typing import NamedTuple

from sqlmodel import Session

from delivery.errors import ValidationFailed
from delivery.models import Agency, PostOffice
from labels.vietqr import ACCOUNT_NUMBER_PATTERN, BANK_BIN_PATTERN

MAX_ACCOUNT_NAME = 100
FIELDS = {
    "payment_bank_bin": "Mã BIN ngân hàng (6 số, NAPAS) / bank BIN (6 digits, NAPAS)",
    "payment_account": "Số tài khoản / account number",
    "payment_account_name": "Tên chủ tài khoản / account holder's name",
}
_BIN, _ACCOUNT = re.compile(BANK_BIN_PATTERN), re.compile(ACCOUNT_NUMBER_PATTERN)


class PaymentAccount(NamedTuple):
    bank_bin: str | None
    account: str | None
    account_name: str | None


def parse_payment_account(bank_bin: str, account: str, name: str) -> PaymentAccount:
    """The account as typed (spaces in the account number forgiven); all three empty clears it.
    Raises ValidationFailed naming each wrong field."""
    bank_bin, name = bank_bin.strip(), " ".join(name.split())
    account = re.sub(r"[ .-]", "", account)
    if not (bank_bin or account or name):
        return PaymentAccount(None, None, None)
    errors = {}
    if not _BIN.fullmatch(bank_bin):
        errors["payment_bank_bin"] = "Mã BIN là 6 chữ số / the BIN is 6 digits (e.g. 970436)"
    if not _ACCOUNT.fullmatch(account):
        errors["payment_account"] = ("Số tài khoản là 6-19 chữ số / "
                                     "the account number is 6-19 digits")
    if not 1 <= len(name) <= MAX_ACCOUNT_NAME:
        errors["payment_account_name"] = (f"Tên chủ tài khoản, tối đa {MAX_ACCOUNT_NAME} ký tự "
                                          f"/ the holder's name, at most {MAX_ACCOUNT_NAME} "
                                          "characters")
    if errors:
        raise ValidationFailed(errors)
    return PaymentAccount(bank_bin, account, name)


def payment_account_of(holder: Agency | PostOffice) -> PaymentAccount:
    return PaymentAccount(holder.payment_bank_bin, holder.payment_account,
                          holder.payment_account_name)


def save_payment_account(session: Session, holder: Agency | PostOffice,
                         account: PaymentAccount) -> bool:
    """Set the agency's or office's account (no commit); True if it changed."""
    if payment_account_of(holder) == account:
        return False
    holder.payment_bank_bin, holder.payment_account, holder.payment_account_name = account
    session.add(holder)
    return True


def receiving_account(session: Session, agency_id: int,
                      office_id: int | None) -> Agency | PostOffice:
    """Whose account an item's money goes to: its delivery office's when it has one, else its
    agency's (which may have none either)."""
    office = session.get(PostOffice, office_id) if office_id is not None else None
    return office if office and office.payment_account else session.get(Agency, agency_id)
