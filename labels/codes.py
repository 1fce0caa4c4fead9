"""Barcode and QR symbol generation as plain data (bit strings / boolean matrices).

The renderers draw these themselves so that module sizes are exact (SVG) or a whole
number of printer dots (PNG); we never let a library rasterise and then scale.
"""

from __future__ import annotations

import re

import barcode
import qrcode
from qrcode.constants import ERROR_CORRECT_M

_S10 = re.compile(r"[A-Z]{2}[0-9]{9}[A-Z]{2}")  # ASCII only: \d would accept other scripts' digits


def is_s10(text: str) -> bool:
    """True if `text` has the UPU S10 shape: 2 letters, 9 digits, 2 letters (no check-digit test)."""
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
    """QR code for `url` (ECC level M, smallest fitting version) as rows of booleans,
    True = dark module. The matrix has NO quiet zone (``border=0``; qrcode's
    get_matrix() would otherwise include the border): renderers reserve 4 modules.
    """
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    if len(matrix) != 17 + 4 * qr.version:
        raise RuntimeError("qrcode matrix unexpectedly includes a border")
    return [list(row) for row in matrix]
