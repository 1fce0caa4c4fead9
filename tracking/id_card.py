"""The citizen's chip ID card (CCCD, and the 2024 "thẻ căn cước") read from its QR at the door.

The QR's text is UTF-8 fields separated by ``|``: the 12-digit ID, the old 9-digit ID (empty when
there was none; cards of some generations leave the field out), the full name, the date of birth
(DDMMYYYY), the sex (Nam/Nữ), the permanent address and the issue date (DDMMYYYY). Each field is
checked by its shape, so a code that is not a card is refused rather than half-read.

Only the ID's last 4 digits and the name leave the parse: the full number is never kept (the
courier's phone runs the same rules in web/static/js/courier/id-card.js and sends no more).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from delivery.errors import ValidationFailed

SEPARATOR = "|"
MAX_TEXT = 1000  # a card's QR holds about 200 characters; more is not a card
_CARD_ID = re.compile(r"[0-9]{12}")
_OLD_ID = re.compile(r"(?:[0-9]{9})?")
_DATE = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})")
_NAME_MARKS = " '.-"
_BLANK = " \t\r\n"  # stripped around each field; the phone strips the same, no more
SEXES = ("Nam", "Nữ")
EARLIEST_YEAR = 1900

# Why a text is refused, by reason; the phone's module has the same reasons and words.
MESSAGES = {
    "fields": "không phải mã QR của CCCD (số trường không đúng) / not an ID card's QR (wrong "
              "number of fields)",
    "id": "số CCCD phải có 12 chữ số / the ID number must have 12 digits",
    "old_id": "số CMND cũ phải có 9 chữ số / the old ID number must have 9 digits",
    "name": "họ và tên không đọc được / the full name is unreadable",
    "birth_date": "ngày sinh không hợp lệ (ngày tháng năm) / the date of birth is not a valid "
                  "date (DDMMYYYY)",
    "sex": "giới tính phải là Nam hoặc Nữ / the sex must be Nam or Nữ",
    "address": "thiếu nơi thường trú / the permanent address is missing",
    "issue_date": "ngày cấp không hợp lệ / the issue date is not a valid date (DDMMYYYY, not "
                  "before the date of birth)",
}


class NotAnIdCard(ValidationFailed):
    """The text read is not a CCCD's QR; ``reason`` says which field's shape is wrong."""

    title = "Not an ID card"

    def __init__(self, reason: str) -> None:
        super().__init__({"id_card": MESSAGES[reason]})
        self.reason = reason


@dataclass(frozen=True)
class IdCardReading:
    """What a card's QR gives the delivery: the ID's last 4 digits and the holder's name."""

    id_last4: str
    name: str


def read_id_card(text: str) -> IdCardReading:
    """The last 4 digits and the name on the card whose QR reads ``text``.

    Accepts cards with or without the old-ID field (6 or 7 fields), text in any Unicode
    normalisation and trailing separators. Raises NotAnIdCard naming the first field of the
    wrong shape."""
    fields = _fields(text)
    if len(fields) not in (6, 7):
        raise NotAnIdCard("fields")
    card_id, rest = fields[0], fields[1:]
    if not _CARD_ID.fullmatch(card_id):
        raise NotAnIdCard("id")
    if _OLD_ID.fullmatch(rest[0]):  # the old ID (or its empty field), by its shape
        rest.pop(0)
    elif len(rest) == 6:
        raise NotAnIdCard("old_id")
    if len(rest) != 5:
        raise NotAnIdCard("fields")
    name, born, sex, address, issued = rest
    birth = _check_person(name, born, sex, address)
    issue = _date(issued)
    if issue is None or issue < birth:
        raise NotAnIdCard("issue_date")
    return IdCardReading(id_last4=card_id[-4:], name=" ".join(filter(None, name.split(" "))))


def _fields(text: str) -> list[str]:
    """The text's fields, stripped, in NFC, without the empty ones a trailing separator leaves."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise NotAnIdCard("fields")
    text = unicodedata.normalize("NFC", text).strip("\ufeff")
    fields = [field.strip(_BLANK) for field in text.split(SEPARATOR)]
    while fields and not fields[-1]:
        fields.pop()
    return fields


def _check_person(name: str, born: str, sex: str, address: str) -> date:
    """The date of birth, once the name, sex and address have the shapes of a card's."""
    if not _is_name(name):
        raise NotAnIdCard("name")
    birth = _date(born)
    if birth is None:
        raise NotAnIdCard("birth_date")
    if sex not in SEXES:
        raise NotAnIdCard("sex")
    if not address:
        raise NotAnIdCard("address")
    return birth


def _is_name(name: str) -> bool:
    """Letters (with their marks), spaces, apostrophes, dots and hyphens, with a letter."""
    kinds = [unicodedata.category(ch)[0] if ch not in _NAME_MARKS else " " for ch in name]
    return "L" in kinds and all(kind in "LM " for kind in kinds)


def _date(text: str) -> date | None:
    """The date written DDMMYYYY, or None when it is not one (from 1900 on)."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    if year < EARLIEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def id_digits_check(tracking_number: str, id_last4: str | None) -> str | None:
    """What the courier's page compares a card's last 4 digits with, for the item's recipient:
    a digest of the item's number and the digits the agency sent (None when it sent none).

    It keeps the digits off the screen; four digits cannot be kept secret from someone who tries
    all 10,000, so the delivery itself is still checked on the server (tracking.door_check)."""
    if not id_last4:
        return None
    return hashlib.sha256(f"{tracking_number}{SEPARATOR}{id_last4}".encode()).hexdigest()
