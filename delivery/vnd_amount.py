"""Amounts of Vietnamese dong as people and spreadsheets write them: the one reader for every
place an amount is typed or imported (the counter's form, CSV and XLSX rows, the courier's
"collected" field).

Accepted: ``22000``; thousands grouped by dots as in Vietnam (``22.000``, ``1.000.000``) or by
commas (``22,000``); a trailing ``đ``/``VND``; and, from a spreadsheet's cell only, a zero
fraction as it writes a number (``22000.0``, ``22000,00``, ``22.000,00``). Refused (None): any
other fraction (``22.5``: there is no half dong), a fraction typed by a person (``22.00`` is more
likely a mistyped ``22.000`` than 22 dong), a group that is not three digits, the same mark used
for both thousands and fraction, signs, words. Never a silent multiplication: ``22000.00`` is
22,000 or refused, never 2,200,000.
"""

from __future__ import annotations

import re

MAX_DIGITS = 13  # the VietQR amount field's 13 characters (labels.vietqr.MAX_AMOUNT_VND)
_CURRENCY = re.compile(r"(?:đ|d|vnđ|vnd)$", re.IGNORECASE)
_FRACTION = re.compile(r"(?P<whole>.+?)(?P<mark>[.,])(?P<fraction>\d{1,2})")
_GROUPED = re.compile(r"\d{1,3}(?P<mark>[.,])\d{3}(?:(?P=mark)\d{3})*")
AMOUNT_FORMS = ("số đồng nguyên, vd 22000 hoặc 22.000 / a whole number of dong, "
                "e.g. 22000 or 22.000")


def parse_vnd(text: str, *, from_spreadsheet: bool = False) -> int | None:
    """The whole number of dong ``text`` writes, or None when it does not write one (see the
    module's docstring); a zero fraction only ``from_spreadsheet``. Spaces anywhere (a thousands
    space, a non-breaking one) are ignored."""
    written = _CURRENCY.sub("", "".join(text.split()))
    if not written.isascii():
        return None
    thousands_mark = None
    if found := _FRACTION.fullmatch(written):  # a 3-digit tail is a thousands group, not this
        if (not from_spreadsheet or int(found["fraction"]) != 0
                or found["mark"] in found["whole"]):
            return None
        written = found["whole"]
    if grouped := _GROUPED.fullmatch(written):
        thousands_mark = grouped["mark"]
    digits = written.replace(thousands_mark, "") if thousands_mark else written
    if not digits.isdigit() or len(digits) > MAX_DIGITS:
        return None
    return int(digits)
