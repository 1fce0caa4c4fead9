"""The person a result goes to: phone numbers, identity numbers and the masked name shown in
public."""

from __future__ import annotations

import re
import unicodedata

_GAP = r"[\s.\-()]*"  # what people put between digits: spaces, dots, dashes, brackets
# A Vietnamese mobile number as written (ten digits since the 2018 renumbering): 0, +84 or 84, then
# 3, 5, 7, 8 or 9 and eight more ASCII digits, gaps anywhere. The API's document states it too.
PHONE_PATTERN = rf"^{_GAP}(?:0|\+{_GAP}8{_GAP}4|8{_GAP}4){_GAP}[35789](?:{_GAP}[0-9]){{8}}{_GAP}$"
_PHONE = re.compile(PHONE_PATTERN)
# A CCCD (12 digits) or an old CMND (9 digits), spaces allowed; ASCII digits only.
NATIONAL_ID_PATTERN = r"^\s*(?:[0-9]\s*){9}(?:(?:[0-9]\s*){3})?$"
_NATIONAL_ID = re.compile(NATIONAL_ID_PATTERN)


def normalise_phone(raw: str) -> str | None:
    """A mobile number in national form (``0912345678``) from ``+84 912 345 678``, ``84912...``,
    ``0912.345.678``; None when it is not a Vietnamese mobile number (SMS needs one)."""
    if not _PHONE.fullmatch(raw or ""):
        return None
    return "0" + re.sub(r"[^0-9]", "", raw)[-9:]


def phone_e164(national: str) -> str:
    """``0912345678`` -> ``+84912345678`` (what SMS gateways expect)."""
    return "+84" + national[1:]


def national_id_last4(raw: str) -> str | None:
    """Last four digits of a CCCD (12 digits) or old CMND (9 digits); None if it is neither.

    Only these four digits are kept: the courier compares them with the document shown at the door.
    """
    return re.sub(r"\s", "", raw)[-4:] if _NATIONAL_ID.fullmatch(raw or "") else None


def mask_name(full_name: str) -> str:
    """``Nguyễn Văn An`` -> ``N*** V** A``: initials only, never the length of a long word, given
    name bare. Counted in letters as people read them, whatever the normalisation: NFD ``Vũ`` is
    ``V*``, and ``Ưng`` keeps its ``Ư``."""
    words = [_letters(word) for word in unicodedata.normalize("NFC", full_name).split()]
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "***"
    masked = [w[0] + "*" * min(len(w) - 1, 3) for w in words[:-1]]
    return " ".join([*masked, words[-1][0]])


def _letters(word: str) -> list[str]:
    """``word``'s letters, each with the combining marks that follow it (those NFC could not
    compose)."""
    letters: list[str] = []
    for ch in word:
        if letters and unicodedata.combining(ch):
            letters[-1] += ch
        else:
            letters.append(ch)
    return letters


def fold_name(name: str) -> str:
    """``Nguyễn Văn Ân`` -> ``nguyen van an``: how staff type a name without diacritics, for
    searching."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
