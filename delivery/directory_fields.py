"""The directory's fields: how people name them, how their text is read, and the checks the
agency, office and beat entries share (delivery.directory, delivery.beats)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlmodel import Session

from .errors import ValidationFailed
from .models import Province

# Field names of the directory (the file's columns, the keys of ValidationFailed.errors), as people
# read them: Vietnamese first, then the English name the file also accepts.
FIELD_LABELS = {
    "record": "Đối tượng / record", "code": "Mã / code", "name": "Tên / name",
    "kind": "Loại bưu cục / kind", "province": "Tỉnh / province", "address": "Địa chỉ / address",
    "hours": "Giờ mở cửa / hours", "wards": "Mã phường xã / wards",
    "serves": "Phục vụ cơ quan / serves", "office": "Bưu cục / office",
    "courier": "Bưu tá / courier", "webhook_url": "Webhook URL / webhook_url",
    # an agency's delivery settings: the admin page's fields, not columns of the file
    "attempt_limit": "Số lần phát tối đa / attempt limit",
    "return_within_days": "Hạn chuyển hoàn, ngày làm việc / return within (working days)",
    "pickup_hold_days": "Số ngày giữ tại bưu cục / pick-up hold days",
}
_LIST_SEPARATORS = re.compile(r"[,;\s]+")


def text(value: str | None) -> str:
    """A cell or form value as stored: trimmed, NFC (so NFD input compares equal)."""
    return unicodedata.normalize("NFC", (value or "").strip())


def _code_digits(word: str, most: int) -> bool:
    """Whether ``word`` is a GSO code as typed: ASCII digits (str.isdigit also admits "²"), at most
    ``most`` of them (thousands of digits are no code, and int() refuses them)."""
    return word.isascii() and word.isdigit() and len(word) <= most


def parse_ward_codes(value: str, field: str = "wards") -> tuple[int, ...]:
    """GSO ward codes separated by commas, semicolons or spaces ("00070; 73"); raises
    ValidationFailed naming ``field`` for anything that is not a number."""
    words = [w for w in _LIST_SEPARATORS.split(text(value)) if w]
    bad = [w for w in words if ward_code(w) is None]
    if bad:
        shown = bad[0] if len(bad[0]) <= 20 else bad[0][:20] + "…"
        raise ValidationFailed({field: f"mã phường xã là số / ward codes are numbers: {shown!r}"})
    return tuple(dict.fromkeys(int(w) for w in words))  # each a code, checked above


def ward_code(word: str) -> int | None:
    """A ward's GSO code as written or ticked ("00070" -> 70); None for anything else."""
    return int(word) if _code_digits(word, 9) else None


def parse_agency_codes(value: str) -> tuple[str, ...]:
    """Agency codes separated by commas, semicolons or spaces, upper-cased, without repeats."""
    return tuple(dict.fromkeys(w.upper() for w in _LIST_SEPARATORS.split(text(value)) if w))


def parse_province_code(value: str) -> int | None:
    """A province's GSO code as written ("01", "79"), None when empty; raises ValidationFailed."""
    value = text(value)
    if not value:
        return None
    if not _code_digits(value, 3):
        raise ValidationFailed({"province": "mã tỉnh là số, ví dụ 01 / the province's code is a "
                                            "number, e.g. 01"})
    return int(value)


def parse_count(value: str, field: str) -> int | None:
    """A whole number of days or attempts as typed ("3"), None when empty; raises
    ValidationFailed naming ``field``."""
    value = text(value)
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 6:
        raise ValidationFailed({field: "là một số nguyên, ví dụ 3 / a whole number, e.g. 3"})
    return int(value)


def checked_text(errors: dict[str, Any], field: str, value: str | None, limit: int, *,
                 required: bool = False) -> str:
    """``value`` as stored (see ``text``); a missing or too long one is noted in ``errors``."""
    value = text(value)
    if required and not value:
        errors[field] = "bắt buộc / required"
    elif len(value) > limit:
        errors[field] = f"tối đa {limit} ký tự / at most {limit} characters"
    return value


def check_province(session: Session, errors: dict[str, Any], code: int | None, *,
                   required: bool) -> int | None:
    """The province code when it exists; else None, with the error noted."""
    if code is None:
        if required:
            errors["province"] = "bắt buộc / required"
        return None
    if session.get(Province, code) is None:
        errors["province"] = f"không có tỉnh mã {code:02d} / no province with code {code:02d}"
        return None
    return code


def assign(record: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; whether any did (so an unchanged save writes nothing)."""
    changed = False
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    return changed
