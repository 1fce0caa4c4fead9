"""UPU S10 tracking numbers: ``AA NNNNNNNN C CC`` (service indicator, serial, check digit, country).

Serials come from a per-indicator counter row updated in the caller's transaction, so they never
repeat (and never come from randomness) as the standard requires.
"""

from __future__ import annotations

import re
from operator import mul

from sqlalchemy import text
from sqlmodel import Session

from .errors import Conflict, ValidationFailed

WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_ZERO_WEIGHTED = ord("0") * sum(WEIGHTS)
MAX_SERIAL = 99_999_999
RESERVED_FIRST_LETTERS = frozenset("JKSTW")
# The canonical form; ASCII digits only (\d is any script's).
PATTERN = r"^([A-Z]{2})([0-9]{8})([0-9])([A-Z]{2})$"
_SHAPE = re.compile(PATTERN)
_SEPARATORS = re.compile(r"[\s-]")


def check_digit(serial: str) -> int:
    """Check digit over the 8 serial digits: weights 8,6,4,2,3,5,9,7; 11 - (sum mod 11); 10->0,
    11->5."""
    if len(serial) != 8 or not (serial.isascii() and serial.isdigit()):
        raise ValueError(f"an S10 serial is 8 digits, got {serial!r}")
    # The ASCII codes of the digits, weighted, less what their common '0' (48) adds: cheaper than
    # int() per digit, and every scan of a batch checks its number (bench/README.md).
    c = 11 - (sum(map(mul, serial.encode(), WEIGHTS)) - _ZERO_WEIGHTED) % 11
    return 0 if c == 10 else 5 if c == 11 else c


def normalise(number: str) -> str:
    """Upper-case and drop the spaces of the printed form (``rr 287 043 775 in`` ->
    ``RR287043775IN``)."""
    return _SEPARATORS.sub("", number).upper()


def is_valid(number: str) -> bool:
    """True when ``number`` (spaces allowed) is a well-formed S10 with a correct check digit."""
    return canonical(number) is not None


def canonical(number: str) -> str | None:
    """The 13-character form of ``number`` (spaces allowed) when it is a well-formed S10 with a
    correct check digit, else None."""
    normal = normalise(number)
    match = _SHAPE.match(normal)
    return normal if match and check_digit(match.group(2)) == int(match.group(3)) else None


def parse(number: str) -> str:
    """Return the canonical 13-character form; raise ValidationFailed naming what is wrong."""
    if (valid := canonical(number)) is not None:
        return valid
    if not _SHAPE.match(normalise(number)):
        raise ValidationFailed({"tracking_number": "phải có dạng AA123456789VN (S10) / "
                                                   "must look like AA123456789VN"})
    raise ValidationFailed({"tracking_number": "sai số kiểm tra / wrong check digit"})


def validate_indicator(indicator: str) -> str:
    """A service indicator is two letters and may not start with a reserved letter (J, K, S, T,
    W)."""
    if not re.fullmatch(r"[A-Z]{2}", indicator or ""):
        raise ValueError(f"S10 service indicator must be two capital letters, got {indicator!r}")
    if indicator[0] in RESERVED_FIRST_LETTERS:
        raise ValueError(f"S10 service indicators starting with {indicator[0]} are reserved")
    return indicator


def compose(indicator: str, serial: int, country: str = "VN") -> str:
    digits = f"{serial:08d}"
    return f"{indicator}{digits}{check_digit(digits)}{country}"


def allocate(session: Session, indicator: str, country: str = "VN") -> str:
    """Take the next serial for ``indicator`` inside the caller's transaction and return the S10
    number.

    The counter row (table ``s10serial``) is created on first use; the ``UPDATE ... RETURNING``
    holds its row lock until the caller commits, so concurrent allocations are serialised rather
    than duplicated. Raises Conflict when the indicator's 8-digit range is used up.
    """
    validate_indicator(indicator)
    session.exec(
        text("INSERT INTO s10serial (indicator, last_serial) VALUES (:i, 0) "
             "ON CONFLICT (indicator) DO NOTHING"),
        params={"i": indicator},
    )
    serial = session.exec(
        text("UPDATE s10serial SET last_serial = last_serial + 1 WHERE indicator = :i "
             "RETURNING last_serial"),
        params={"i": indicator},
    ).scalar_one()
    if serial > MAX_SERIAL:
        raise Conflict(f"S10 range {indicator} is exhausted; configure another service indicator")
    return compose(indicator, serial, country)
