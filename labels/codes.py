"""Barcode and QR symbol generation as plain data (bit strings / boolean matrices).

The renderers draw these themselves so that module sizes are exact (SVG) or a whole
number of printer dots (PNG); we never let a library rasterise and then scale.
"""

from __future__ import annotations

import re

import barcode
import qrcode
from qrcode.constants import ERROR_CORRECT_M

from labels.qrmask import penalty

_S10 = re.compile(r"[A-Z]{2}[0-9]{9}[A-Z]{2}")  # ASCII only: \d would accept other scripts' digits


def is_s10(text: str) -> bool:
    """True if `text` has the UPU S10 shape: 2 letters, 9 digits, 2 letters (no check-digit
    test)."""
    return _S10.fullmatch(text) is not None


def spaced_s10(number: str) -> str:
    """Human-readable S10: ``RR287043775VN`` -> ``RR 287 043 775 VN``.

    Raises ValueError if `number` is not S10-shaped, rather than printing garbage.
    """
    if not is_s10(number):
        raise ValueError(f"not a UPU S10 tracking number: {number!r}")
    return f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:11]} {number[11:]}"


def code128_modules(text: str) -> str:
    """Code 128 modules for `text` as a '1'/'0' string: start, data, checksum and the
    13-module stop pattern (``1100011101011``). Quiet zones are NOT included.

    python-barcode picks the code sets (B for letters, C for digit pairs). A fresh
    Code128 object is built per call because the class keeps charset state while
    building and is not safe to build twice.
    """
    symbol = barcode.get_barcode_class("code128")(text)
    (modules,) = symbol.build()
    if not modules.endswith("1100011101011"):
        raise RuntimeError("python-barcode returned Code 128 without the stop pattern")
    return modules


def qr_matrix(url: str) -> list[list[bool]]:
    """QR code for `url` (ECC level M, smallest fitting version, mask chosen by qrcode's
    penalty rules) as rows of booleans, True = dark module. The matrix has NO quiet zone
    (``border=0``; qrcode's get_matrix() would otherwise include the border): renderers
    reserve 4 modules. Identical to ``QRCode.make(fit=True)`` followed by ``get_matrix()``.

    Why not make(): it builds all eight masked symbols to score them, forgets them, then
    builds the winner a ninth time. Here the winner's scored symbol is kept, and only its
    format (and version) information, left blank while scoring, is filled in afterwards;
    the scores are qrcode's own, computed on whole lines (labels.qrmask).
    """
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(url)
    qr.best_fit()
    mask, modules = _best_masked(qr)
    qr.modules = modules
    qr.setup_type_info(False, mask)
    if qr.version >= 7:
        qr.setup_type_number(False)
    if len(modules) != 17 + 4 * qr.version:
        raise RuntimeError("qrcode matrix unexpectedly includes a border")
    return [list(row) for row in modules]


def _best_masked(qr: qrcode.QRCode) -> tuple[int, list[list[bool]]]:
    """The mask with the lowest penalty (the first on a tie, as qrcode's best_mask_pattern()
    picks it) and its symbol, whose format information is still blank."""
    best_mask, best, lowest = 0, [], 0
    for mask in range(8):
        qr.makeImpl(True, mask)  # a fresh matrix each time: the one kept is not overwritten
        lost = penalty(qr.modules)  # qrcode's lost_point(), same score, cheaper
        if mask == 0 or lost < lowest:
            best_mask, best, lowest = mask, qr.modules, lost
    return best_mask, best
