"""The person a result goes to: phone numbers, identity numbers and the masked name shown in public."""

from __future__ import annotations

import re
import unicodedata

# Vietnamese mobile numbers after the 2018 renumbering: 03x, 05x, 07x, 08x, 09x, ten digits in all.
_MOBILE = re.compile(r"^0[35789]\d{8}$")


def normalise_phone(raw: str) -> str | None:
    """A mobile number in national form (``0912345678``) from ``+84 912 345 678``, ``84912...``, ``0912.345.678``;
    None when it is not a Vietnamese mobile number (SMS needs one)."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.match(digits) else None


def phone_e164(national: str) -> str:
    """``0912345678`` -> ``+84912345678`` (what SMS gateways expect)."""
    return "+84" + national[1:]


def national_id_last4(raw: str) -> str | None:
    """Last four digits of a CCCD (12 digits) or old CMND (9 digits); None if it is neither.

    Only these four digits are kept: the courier compares them with the document shown at the door.
    """
    digits = re.sub(r"\s", "", raw or "")
    return digits[-4:] if re.fullmatch(r"\d{12}|\d{9}", digits) else None


def mask_name(full_name: str) -> str:
    """``Nguyễn Văn An`` -> ``N*** V** A``: initials only, never the length of a long word, given name bare."""
    words = full_name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "***"
    masked = [w[0] + "*" * min(len(w) - 1, 3) for w in words[:-1]]
    return " ".join([*masked, words[-1][0]])


def fold_name(name: str) -> str:
    """``Nguyễn Văn Ân`` -> ``nguyen van an``: how staff type a name without diacritics, for searching."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
