"""VietQR: the NAPAS EMVCo merchant-presented payload a Vietnamese bank app pays from, and its QR.

Fields are ID-length-value (2-digit id, 2-digit length, value); the layout is DOMAIN.md's "Money at
the door: VietQR". Pure: builds text and SVG, knows nothing of items or agencies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from labels.codes import qr_matrix

NAPAS_GUID = "A000000727"
TO_ACCOUNT = "QRIBFTTA"  # the service code for a transfer to an account number (not a card)
VND = "704"  # ISO 4217 numeric
MAX_AMOUNT_VND = 10**13 - 1  # field 54 holds at most 13 characters
MAX_PURPOSE = 25  # sub-field 62/08
BANK_BIN_PATTERN = r"^[0-9]{6}$"
ACCOUNT_NUMBER_PATTERN = r"^[0-9]{6,19}$"  # NAPAS account numbers: 6 to 19 digits
_BIN, _ACCOUNT = re.compile(BANK_BIN_PATTERN), re.compile(ACCOUNT_NUMBER_PATTERN)
_PURPOSE = re.compile(rf"[A-Za-z0-9 ]{{1,{MAX_PURPOSE}}}")  # what every bank app shows as typed
QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 asks


@dataclass(frozen=True)
class Transfer:
    """One transfer to ask for: to ``account`` at the bank with ``bank_bin``, ``amount_vnd`` dong,
    with ``purpose`` (e.g. the tracking number) as the transfer's description."""

    bank_bin: str
    account: str
    amount_vnd: int
    purpose: str


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR
    (``b"123456789"`` -> 0x29B1)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        crc &= 0xFFFF
    return crc


def _field(field_id: str, value: str) -> str:
    if not 0 < len(value) < 100:
        raise ValueError(f"field {field_id}: length {len(value)} does not fit two digits")
    return f"{field_id}{len(value):02d}{value}"


def check_transfer(transfer: Transfer) -> None:
    """Raises ValueError naming what is wrong: a BIN that is not 6 digits, an account that is not
    6-19 digits, an amount that is not a positive whole number of dong, a purpose that is not 1-25
    letters, digits or spaces."""
    if not _BIN.fullmatch(transfer.bank_bin):
        raise ValueError("bank BIN must be 6 digits")
    if not _ACCOUNT.fullmatch(transfer.account):
        raise ValueError("account number must be 6-19 digits")
    amount = transfer.amount_vnd
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT_VND:
        raise ValueError("amount must be a positive whole number of dong")
    if not _PURPOSE.fullmatch(transfer.purpose):
        raise ValueError(f"purpose must be 1-{MAX_PURPOSE} letters, digits or spaces")


def vietqr_payload(transfer: Transfer) -> str:
    """The payload text: dynamic (01 = "12") with the amount, ending in field 63, the CRC over
    everything before it including "6304", as 4 upper-case hex digits. Raises ValueError
    (check_transfer) rather than produce a QR a bank app would refuse or misread."""
    check_transfer(transfer)
    beneficiary = _field("00", transfer.bank_bin) + _field("01", transfer.account)
    merchant = _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", TO_ACCOUNT)
    body = "".join((
        _field("00", "01"), _field("01", "12"), _field("38", merchant), _field("53", VND),
        _field("54", str(transfer.amount_vnd)), _field("58", "VN"),
        _field("62", _field("08", transfer.purpose)), "6304",
    ))
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def crc_holds(payload: str) -> bool:
    """True if ``payload`` ends in "6304" + the CRC of everything before the CRC's 4 digits."""
    body, crc = payload[:-4], payload[-4:]
    return body.endswith("6304") and f"{crc16_ccitt_false(body.encode('ascii')):04X}" == crc


def vietqr_svg(payload: str, module_px: int = 6) -> str:
    """An inline <svg> (no XML declaration, no style attribute: fit for a page with a strict CSP)
    of ``payload``'s QR, ``module_px`` CSS pixels a module, with the quiet zone drawn white."""
    matrix = qr_matrix(payload)
    side = len(matrix) + 2 * QUIET_ZONE
    squares = "".join(f"M{col + QUIET_ZONE} {row + QUIET_ZONE}h1v1h-1z"
                      for row, cells in enumerate(matrix)
                      for col, dark in enumerate(cells) if dark)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="vietqr" role="img"'
            f' aria-label="VietQR" width="{side * module_px}" height="{side * module_px}"'
            f' viewBox="0 0 {side} {side}" shape-rendering="crispEdges">'
            f'<rect width="{side}" height="{side}" fill="#fff"/>'
            f'<path fill="#000" d="{squares}"/></svg>')
