"""Dossier codes (mã hồ sơ, Circular 01/2018/TT-VPCP): ``<unit code>-YYMMDD-NNNN``.

The unit code follows QCVN 102:2016 (``000.00.01.H26``); we check its shape, never a list of units.
"""

from __future__ import annotations

import re
from datetime import date

from .errors import ValidationFailed

# An electronic unit code (QCVN 102:2016): three digit groups, then the level-1 letter and two
# digits (H26 = Hà Nội). An agency's code has this shape (delivery.directory).
UNIT_CODE_PATTERN = r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}"
# The shape, surrounding spaces allowed; ASCII digits only (\d would take any script's). The API's
# document states this very pattern (web/api_schema).
DOSSIER_CODE_PATTERN = (rf"^\s*({UNIT_CODE_PATTERN})"  # the unit code
                        r"-([0-9]{2})([0-9]{2})([0-9]{2})-([0-9]{4})\s*$")  # -YYMMDD-number
_SHAPE = re.compile(DOSSIER_CODE_PATTERN)


def parse_dossier_code(code: str, *, today: date | None = None) -> tuple[str, date, int]:
    """Return (unit code, date received, number that day); raise ValidationFailed on a bad code.

    A code dated after ``today`` (plus a day of slack for time zones) is refused: results of
    dossiers not yet received cannot exist.
    """
    match = _SHAPE.fullmatch(code or "")
    if not match:
        raise ValidationFailed({"dossier_code": "phải có dạng 000.00.01.H26-250609-0001 / "
                                                "must look like 000.00.01.H26-250609-0001"})
    unit, yy, mm, dd, number = match.groups()
    try:
        received = date(2000 + int(yy), int(mm), int(dd))
    except ValueError:
        raise ValidationFailed(
            {"dossier_code": "ngày trong mã không có thật / "
                             "the date in the code is not a real date"}) from None
    today = today or date.today()
    if (received - today).days > 1:
        raise ValidationFailed({"dossier_code": "ngày nhận hồ sơ ở tương lai / "
                                                "the date received is in the future"})
    if int(number) == 0:
        raise ValidationFailed({"dossier_code": "số thứ tự bắt đầu từ 0001 / "
                                                "the daily number starts at 0001"})
    return unit, received, int(number)


def unit_code_of(code: str) -> str:
    """The unit code a dossier code starts with: the part before the first ``-``."""
    return code.strip().split("-", 1)[0]


def check_unit_code(code: str, agency_code: str) -> None:
    """Raise ValidationFailed (field ``dossier_code``) unless ``code`` starts with ``agency_code``,
    the unit code of the agency the item is created for: an agency registers only its own dossiers.
    The message names the expected prefix and nothing else (never another agency's items)."""
    if unit_code_of(code) != agency_code:
        message = (f"Mã hồ sơ / Dossier code: phải bắt đầu bằng {agency_code}, mã đơn vị của cơ "
                   f"quan giải quyết / must start with {agency_code}, the issuing agency's unit "
                   "code")
        raise ValidationFailed({"dossier_code": message}, detail=message)
