"""Cutting an address text into parts (street, ward, district, province) before they are looked up.

Readings, tried in order by :func:`delivery.address.resolve.resolve_address` until one resolves:
``coarse`` splits at commas, semicolons, new lines and spaced dashes; ``carve`` splits only at
commas and the like, then cuts unit names that start with a unit word off the end of each part
("tổ 5 thôn 3 Xã A Huyện B", "so 1 le loi phuong ben nghe quan 1"), so it needs the province
first; ``carve-short`` does the same with the shortest province name glued at the end instead of
the longest. Names without a unit word are never cut out of a longer part:
"Số 5 Trần Phú Quận Hoàng Mai" would otherwise read the street as the old ward Trần Phú.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from ..errors import AddressNotResolved
from .index import AddressIndex
from .names import WARD_KINDS, NameKey, name_key

Reading = Literal["coarse", "carve", "carve-short"]

_SEPARATORS = r"[,;\n]+"
_SPLITTERS: dict[Reading, re.Pattern[str]] = {"coarse": re.compile(_SEPARATORS + r"|\s+[-–—]+\s+"),
                                              "carve": re.compile(_SEPARATORS),
                                              "carve-short": re.compile(_SEPARATORS)}
_DASH = re.compile(r"\s+[-–—]+\s+")
_POSTCODE = re.compile(r"\s+\d{5,6}\s*$")
_WORD = re.compile(r"\w+")
_COUNTRY = frozenset({"viet nam", "vietnam", "vn"})
_PROVINCE_KINDS = frozenset({None, "tinh", "thanh pho"})
_MAX_UNITS_PER_PART = 2  # a ward and its old district


class ProvinceNotFound(AddressNotResolved):
    """The end of the text names no province: it may have been left out (see ``nationwide``)."""


class Part(NamedTuple):
    """A trimmed piece of the text, its offset in the whole text, and its parsed name."""

    start: int
    text: str
    name: NameKey


class ProvinceHit(NamedTuple):
    code: int
    old_name: str | None  # the text named this pre-2025 province
    old_keys: tuple[str, ...]  # old provinces whose units the text may be using
    current: bool  # the text named the province by its current name (or an alias of it)

    @classmethod
    def inferred(cls, index: AddressIndex, code: int) -> ProvinceHit:
        """A province the text left out, read as if named by its current name."""
        return cls(code, None, tuple(index.old_keys_by_province[code]), True)


def split_parts(index: AddressIndex, text: str, reading: Reading) -> list[Part]:
    """Non-empty trimmed parts with their offsets in ``text``; trailing "Việt Nam" and postcodes
    dropped.

    A dash does not split a name that has one ("Phan Rang - Tháp Chàm").
    """
    postcode = _POSTCODE.search(text)
    text = text[:postcode.start()] if postcode else text
    spans: list[tuple[int, int]] = []
    start, after_dash = 0, False
    for match in [*_SPLITTERS[reading].finditer(text), None]:
        end = match.start() if match else len(text)
        if after_dash and _is_dashed_name(index, text[spans[-1][0]:end]):
            start = spans.pop()[0]
        spans.append((start, end))
        if match:
            start, after_dash = match.end(), _DASH.fullmatch(match.group()) is not None
    parts = [_part(text, a, b) for a, b in spans if text[a:b].strip()]
    while parts and (parts[-1].name.keys[-1][0] in _COUNTRY or parts[-1].text.isdigit()):
        parts.pop()  # "Việt Nam", a postcode
    return parts


def _part(text: str, start: int, end: int) -> Part:
    piece = text[start:end]
    return Part(start + len(piece) - len(piece.lstrip()), piece.strip(), name_key(piece))


def _is_dashed_name(index: AddressIndex, text: str) -> bool:
    return any(key in index.dashed_keys for key, _ in name_key(text).keys)


def find_province(index: AddressIndex, parts: list[Part], *, shortest: bool = False
                  ) -> tuple[ProvinceHit, list[Part]]:
    """The province named by the last part (or glued to its end), and the parts before it.

    Glued, the longest province name is taken, or with ``shortest`` the shortest: in "TP.Ha Tinh Ha
    Tinh" the longest ("Tinh Ha Tinh") eats the end of the old city's name. Raises
    AddressNotResolved (no candidates) when the end of the text names no province.
    """
    last = parts[-1]
    hit = _province_of(index, last.name)
    if hit:
        return hit, parts[:-1]
    if ((last.name.kind not in _PROVINCE_KINDS and _names_a_unit(index, last.name))
            or _city_not_province(index, last.name)):
        # "Huyện Thạnh Hóa" is an old district, not the province Thanh Hóa glued after "Huyện";
        # "Phường Bình Định" a ward, not the old province Bình Định
        raise ProvinceNotFound(f"Thiếu tỉnh/thành phố sau '{last.text}' / province missing")
    words = list(_WORD.finditer(last.text))
    cuts = range(1, len(words))
    # "Quận 3 TP HCM": province glued to the part before it
    for cut in reversed(cuts) if shortest else cuts:
        hit = _province_of(index, name_key(last.text[words[cut].start():]))
        if hit:
            head = last.text[:words[cut - 1].end()]
            return hit, [*parts[:-1], Part(last.start, head, name_key(head))]
    raise ProvinceNotFound(f"Không xác định được tỉnh/thành phố: '{last.text}' "
                           "/ province not found")


def _names_a_unit(index: AddressIndex, name: NameKey) -> bool:
    """The name, without its unit word, is an old district (for a district word) or a ward (for a
    ward word) somewhere in the country."""
    key = name.keys[0][0]
    if name.kind in WARD_KINDS:
        return key in index.provinces_by_ward_key or key in index.provinces_by_old_ward_key
    return key in index.provinces_by_district_key


def _city_not_province(index: AddressIndex, name: NameKey) -> bool:
    """"Thành phố Thanh Hóa" is the old city: the province is a "Tỉnh" (unlike "Thành phố Huế")."""
    key = name.keys[0][0]
    if name.kind != "thanh pho" or key not in index.provinces_by_district_key:
        return False
    code, old = index.province_by_key.get(key), index.old_province_by_key.get(key)
    official = index.provinces[code] if code is not None else old.name if old else ""
    return not official.startswith("Thành phố")


def _province_of(index: AddressIndex, name: NameKey) -> ProvinceHit | None:
    if _city_not_province(index, name):
        return None
    # Only "Tỉnh"/"Thành phố" may be dropped: "Quan Ninh Binh" is the end of "Nho Quan", not "Quận
    # Ninh Bình".
    keys = name.keys if name.kind in _PROVINCE_KINDS else name.keys[-1:]
    for key, _ in keys:
        code, old = index.province_by_key.get(key), index.old_province_by_key.get(key)
        if code is not None:
            old_keys = tuple(index.old_keys_by_province[code])
            return ProvinceHit(code, old.name if old else None, old_keys, True)
        if old:
            return ProvinceHit(old.code, old.name, (old.key,), False)
    return None


def carve(index: AddressIndex, province: ProvinceHit, parts: list[Part]) -> list[Part]:
    """Cut ward/district names that start with a unit word ("xã", "P.", "H.") off the end of each
    part.

    A part that is a unit name as a whole stays whole; so does one with no such name at its end.
    """
    out: list[Part] = []
    for part in parts:
        out += ([part] if _is_unit(index, province, part.name)
                else _carve_part(index, province, part))
    return out


def _carve_part(index: AddressIndex, province: ProvinceHit, part: Part) -> list[Part]:
    words = [(m.start(), m.end()) for m in _WORD.finditer(part.text)]
    units: list[Part] = []
    end = len(words)
    while end > 0 and len(units) < _MAX_UNITS_PER_PART:
        start = _unit_start(index, province, part, words, end)
        if start is None:
            break
        units.insert(0, _subpart(part, words[start][0], words[end - 1][1]))
        end = start
    if not units:
        return [part]
    return [_subpart(part, 0, words[end - 1][1]), *units] if end else units


def _subpart(part: Part, start: int, end: int) -> Part:
    piece = _part(part.text, start, end)
    return piece._replace(start=part.start + piece.start)


def _unit_start(index: AddressIndex, province: ProvinceHit, part: Part,
                words: list[tuple[int, int]], end: int) -> int | None:
    """Where the longest unit name that starts with a unit word and ends at word ``end`` starts, if
    any."""
    for start in range(end):
        name = name_key(part.text[words[start][0]:words[end - 1][1]])
        # "Tỉnh X" is no ward
        if name.kind and name.kind != "tinh" and _is_unit(index, province, name):
            return start
    return None


def _is_unit(index: AddressIndex, province: ProvinceHit, name: NameKey) -> bool:
    """The name is a new ward of the province, or an old ward or district of an old province in
    it."""
    for key, _ in name.keys:
        if (province.code, key) in index.wards_by_key:
            return True
        for pkey in province.old_keys:
            if (pkey, key) in index.old_by_province_ward or (pkey, key) in index.old_by_district:
                return True
    return False

