"""Place a citizen's address on exactly one post-2025 ward, or say why it cannot be done.

Since 1 July 2025 Vietnam has 34 provinces and 3,321 wards/communes and no districts. Citizens still
write the old three-tier form ("phường, quận, tỉnh"), often without diacritics, abbreviated (P., Q.,
TP., Tp HCM) or with a province that has since been merged; or the new form ("street, ward, province").
Codes returned are the official GSO codes of ``vietnam_provinces``.

Contract: :func:`resolve_address` never guesses. It returns a :class:`ResolvedAddress` when the text
names one new ward, and raises :class:`~delivery.errors.AddressNotResolved` (with ``candidates``, each
``{"ward": {"code", "name"}, "province": {"code", "name"}}``) when it names none or several.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from .address_index import (
    WARD_KINDS,
    AddressIndex,
    NameKey,
    OldUnit,
    WardRef,
    address_index,
    canonical_key,
    name_key,
)
from .errors import AddressNotResolved, ValidationFailed

T = TypeVar("T")

_SEPARATORS = r"[,;\n]+|\s+[-–—]+\s+"
# Finer, for a retry: also before a unit word inside a part ("Phường 5 Quận 3").
_UNIT_START = (r"\s+(?=(?:phường|quận|huyện|thị trấn|thị xã|thành phố|tỉnh|phuong|quan|huyen|thi tran|thi xa"
               r"|thanh pho)\s|(?:tp|tx|tt|p|q)\.|(?:p|q|f)\s*\d)")
_SPLITTERS = {False: re.compile(_SEPARATORS), True: re.compile(f"{_SEPARATORS}|{_UNIT_START}", re.I)}
_DASH = re.compile(r"\s+[-–—]+\s+")
_POSTCODE = re.compile(r"\s+\d{5,6}\s*$")
_COUNTRY = frozenset({"viet nam", "vietnam", "vn"})
_MAX_LOOSE = 10


@dataclass(frozen=True, slots=True)
class LegacyUnits:
    """The pre-2025 units the address was written with (canonical old names, with diacritics).

    ``ward`` is empty for an island district that became a special zone whole; ``district`` is empty
    when the text left it out and the old ward name alone does not tell which district it was.
    """

    province: str
    district: str
    ward: str


@dataclass(frozen=True)
class ResolvedAddress:
    """One post-2025 ward (GSO codes) plus the street part as written.

    ``confidence`` is 1.0 for structured input or an exact current name, about 0.95 for a current name
    without diacritics, 0.9 for an old three-tier address, 0.85 when a unit had to be skipped or
    inferred. ``candidates`` is empty: an address that is not sure raises instead.
    """

    province_code: int
    province_name: str
    ward_code: int
    ward_name: str
    street: str
    legacy: LegacyUnits | None = None
    confidence: float = 1.0
    candidates: list[dict[str, Any]] = field(default_factory=list)


class ReferenceUnit(NamedTuple):
    """A row for the reference tables; for a province ``province_code`` is its own code."""

    code: int
    name: str
    province_code: int


class _Part(NamedTuple):
    start: int
    text: str
    name: NameKey


class _ProvinceHit(NamedTuple):
    code: int
    old_name: str | None  # the text named this pre-2025 province
    old_keys: tuple[str, ...]  # old provinces whose units the text may be using
    current: bool  # the text named the province by its current name (or an alias of it)


def resolve_address(text: str) -> ResolvedAddress:
    """Resolve free text ("street, ward[, district], province") to one new ward.

    Raises AddressNotResolved for an empty text, an unknown province, a ward not found in the province
    (candidates: similar wards, at most 10) or a ward that could be several new wards (all of them).
    """
    index, text = address_index(), text or ""
    coarse = _split_parts(index, text, fine=False)
    if not coarse:
        raise AddressNotResolved("Địa chỉ trống / empty address")
    try:
        return _resolve_parts(index, text, coarse)
    except AddressNotResolved as first:
        fine = _split_parts(index, text, fine=True)
        if [p.text for p in fine] == [p.text for p in coarse]:
            raise
        try:
            return _resolve_parts(index, text, fine)
        except AddressNotResolved:
            raise first from None


def _resolve_parts(index: AddressIndex, text: str, parts: list[_Part]) -> ResolvedAddress:
    province, rest = _find_province(index, parts)
    name = index.provinces[province.code]
    if not rest:
        raise AddressNotResolved(f"Thiếu phường/xã tại {name} / ward missing")
    return _Resolution(index, text, province, rest).resolve()


def resolve_structured(street: str, ward_code: int, province_code: int) -> ResolvedAddress:
    """Check a ward code and province code chosen from the reference lists; confidence 1.0.

    Raises ValidationFailed with ``address.province_code`` / ``address.ward_code`` / ``address.street``
    errors when a code is unknown, the ward is not in that province, or the street is not a string.
    """
    index = address_index()
    errors = _structured_errors(index, street, ward_code, province_code)
    if errors:
        raise ValidationFailed(errors)
    return ResolvedAddress(province_code, index.provinces[province_code], ward_code,
                           index.wards[ward_code].name, street.strip())


def ward_name(code: int) -> str:
    """Official name of a new ward ("Phường Hoàn Kiếm"); KeyError if the code is unknown."""
    return address_index().wards[code].name


def province_name(code: int) -> str:
    """Official name of a new province ("Thành phố Hà Nội"); KeyError if the code is unknown."""
    return address_index().provinces[code]


def iter_reference_provinces() -> Iterator[ReferenceUnit]:
    """The 34 provinces as (code, name, province_code=code), in GSO code order."""
    for code, name in sorted(address_index().provinces.items()):
        yield ReferenceUnit(code, name, code)


def iter_reference_wards() -> Iterator[ReferenceUnit]:
    """The 3,321 wards as (code, name, province_code), in GSO code order."""
    for code, ward in sorted(address_index().wards.items()):
        yield ReferenceUnit(code, ward.name, ward.province_code)


# --- parsing --------------------------------------------------------------------------------------


def _split_parts(index: AddressIndex, text: str, *, fine: bool) -> list[_Part]:
    """Comma/semicolon/newline/" - " separated parts, trimmed, with their offsets in ``text``.

    A dash does not split a name that has one ("Phan Rang - Tháp Chàm"); ``fine`` also splits before
    unit words inside a part. Trailing "Việt Nam" and postcodes are dropped.
    """
    postcode = _POSTCODE.search(text)
    text = text[:postcode.start()] if postcode else text
    spans: list[tuple[int, int]] = []
    start, after_dash = 0, False
    for match in [*_SPLITTERS[fine].finditer(text), None]:
        end = match.start() if match else len(text)
        if after_dash and _is_dashed_name(index, text[spans[-1][0]:end]):
            start = spans.pop()[0]
        spans.append((start, end))
        if match:
            start, after_dash = match.end(), _DASH.fullmatch(match.group()) is not None
    parts = [_Part(a + len(text[a:b]) - len(text[a:b].lstrip()), text[a:b].strip(), name_key(text[a:b]))
             for a, b in spans if text[a:b].strip()]
    while parts and (parts[-1].name.keys[-1][0] in _COUNTRY or parts[-1].text.isdigit()):
        parts.pop()  # "Việt Nam", a postcode
    return parts


def _is_dashed_name(index: AddressIndex, text: str) -> bool:
    return any(key in index.dashed_keys for key, _ in name_key(text).keys)


def _find_province(index: AddressIndex, parts: list[_Part]) -> tuple[_ProvinceHit, list[_Part]]:
    """The province named by the last part(s), and the parts before it."""
    last = parts[-1]
    hit = _province_of(index, last.name)
    if hit:
        return hit, parts[:-1]
    words = last.text.split()
    for cut in range(1, len(words)):  # "Quận 3 TP HCM": province glued to the part before it
        hit = _province_of(index, name_key(" ".join(words[cut:])))
        if hit:
            head = " ".join(words[:cut])
            return hit, [*parts[:-1], _Part(last.start, head, name_key(head))]
    raise AddressNotResolved(f"Không xác định được tỉnh/thành phố: '{last.text}' / province not found")


def _province_of(index: AddressIndex, name: NameKey) -> _ProvinceHit | None:
    for key, _ in name.keys:
        code, old = index.province_by_key.get(key), index.old_province_by_key.get(key)
        if code is not None:
            old_keys = tuple(index.old_keys_by_province[code])
            return _ProvinceHit(code, old.name if old else None, old_keys, True)
        if old:
            return _ProvinceHit(old.code, old.name, (old.key,), False)
    return None


# --- resolution inside one province ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Resolution:
    index: AddressIndex
    text: str
    province: _ProvinceHit
    parts: list[_Part]

    def resolve(self) -> ResolvedAddress:
        """Old form (ward, district) first when the part before the province is an old district.

        A district without a prefix ("Hoàn Kiếm") may also be a new ward of that name: when the old
        form finds nothing and no part says it is a ward, the district part is tried as the ward.
        """
        last = len(self.parts) - 1
        district = self.parts[last] if self._is_district(self.parts[last]) else None
        if district is not None and last >= 1:
            found = self._search(last - 1, district)
            if found:
                return found
            if district.name.kind or any(p.name.kind in WARD_KINDS for p in self.parts[:last]):
                raise self._not_found(self.parts[last - 1], district)
        found = self._search(last, None)
        if found:
            return found
        raise self._not_found(self.parts[last - 1] if district and last else self.parts[last], district)

    def _is_district(self, part: _Part) -> bool:
        return part.name.kind not in WARD_KINDS and any(
            (pkey, key) in self.index.old_by_district for pkey in self.province.old_keys
            for key, _ in part.name.keys)

    def _search(self, start: int, district: _Part | None) -> ResolvedAddress | None:
        """Try the part at ``start`` as the ward, then earlier parts that say they are a ward."""
        for i in [start, *(j for j in range(start - 1, -1, -1) if self.parts[j].name.kind in WARD_KINDS)]:
            old, new = self._old_units(self.parts[i], district), self._new_wards(self.parts[i])
            if self.parts[i].name.kind not in (None, *WARD_KINDS):  # "Quận 1" is no ward...
                old, new = [u for u in old if not u.ward], []  # ...but an island district became one
            if old or new:
                return self._decide(i, district, old, new)
        return None

    def _decide(self, i: int, district: _Part | None, old: list[OldUnit], new: list[WardRef]
                ) -> ResolvedAddress:
        """New two-tier name wins when no district is given; otherwise old and new must agree."""
        part = self.parts[i]
        if district is None and new and self.province.current:
            exact = new[0].exact in _exacts(part)
            return self._one(i, [w.code for w in new], [], 1.0 if exact else 0.95)
        if old:
            new = self._rivals(part, district, new)
        codes = _unique([u.new_code for u in old] + [w.code for w in new])
        confident = bool(old) if district is not None else bool(new)
        return self._one(i, codes, old, 0.9 if confident else 0.85)

    def _one(self, i: int, codes: list[int], old: list[OldUnit], confidence: float) -> ResolvedAddress:
        if len(codes) != 1:
            names = ", ".join(self.index.wards[c].name for c in codes)
            raise AddressNotResolved(
                f"'{self.parts[i].text}' ứng với nhiều phường/xã mới: {names} / "
                f"matches several new wards, choose one", candidates=self._candidates(codes))
        ward = self.index.wards[codes[0]]
        street = self.text[:self.parts[i].start].strip().rstrip(",;-–—").strip()
        return ResolvedAddress(ward.province_code, self.index.provinces[ward.province_code], ward.code,
                               ward.name, street, _legacy(old, ward.code), confidence)

    def _rivals(self, part: _Part, district: _Part | None, new: list[WardRef]) -> list[WardRef]:
        """Same-named new wards that could also be meant: of the kind written (if any), and made
        (partly) of the old district written, or else of the old province named."""
        if district is not None:
            reachable = {u.new_code for u in self._district_units(district)}
        else:
            old_keys = self.province.old_keys
            reachable = {c for key in old_keys for c in self.index.new_codes_by_old_province[key]}
        exacts = _exacts(part)
        return [w for w in new if w.code in reachable and part.name.kind in (None, w.kind)
                and (not exacts or w.exact in exacts)]

    def _new_wards(self, part: _Part) -> list[WardRef]:
        for key, _ in part.name.keys:
            codes = self.index.wards_by_key.get((self.province.code, key))
            if codes:
                wards = _prefer([self.index.wards[c] for c in codes], lambda w: w.kind == part.name.kind)
                return _prefer(wards, lambda w: w.exact in _exacts(part))
        return []

    def _old_units(self, part: _Part, district: _Part | None) -> list[OldUnit]:
        units = [u for pkey in self.province.old_keys for u in self._old_lookup(pkey, part, district)]
        units = _prefer(units, lambda u: u.province == self.province.old_name)
        if district is not None:
            units = _prefer(units, lambda u: u.district_kind == district.name.kind)
            units = _prefer(units, lambda u: u.district_exact in _exacts(district))
        units = _prefer(units, lambda u: u.ward_kind == part.name.kind)
        return _prefer(units, lambda u: u.ward_exact in _exacts(part))

    def _old_lookup(self, pkey: str, part: _Part, district: _Part | None) -> list[OldUnit]:
        for wkey, _ in part.name.keys:
            if district is None:
                found = self.index.old_by_province_ward.get((pkey, wkey), [])
            else:
                found = [u for dkey, _ in district.name.keys
                         for u in self.index.old_by_ward.get((pkey, dkey, wkey), [])]
            if found:
                return list(found)
        return []

    # --- failures ---------------------------------------------------------------------------------

    def _not_found(self, part: _Part, district: _Part | None) -> AddressNotResolved:
        codes = self._district_codes(part, district) if district else self._similar_codes(part)
        return AddressNotResolved(
            f"Không xác định được phường/xã: '{part.text}' ({self.index.provinces[self.province.code]}) "
            f"/ ward not found", candidates=self._candidates(codes[:_MAX_LOOSE]))

    def _district_codes(self, part: _Part, district: _Part) -> list[int]:
        """New wards the old district became, the most similar to what was written first."""
        units = self._district_units(district)
        wanted = part.name.keys[0][0]
        units.sort(key=lambda u: -difflib.SequenceMatcher(None, wanted, canonical_key(u.ward)[1]).ratio())
        return _unique([u.new_code for u in units])

    def _district_units(self, district: _Part) -> list[OldUnit]:
        return [u for pkey in self.province.old_keys for key, _ in district.name.keys
                for u in self.index.old_by_district.get((pkey, key), [])]

    def _similar_codes(self, part: _Part) -> list[int]:
        """Wards of the province (new names, or old names now inside it) that look like ``part``."""
        by_key: dict[str, list[int]] = {}
        for ward in self.index.wards.values():
            if ward.province_code == self.province.code:
                by_key.setdefault(ward.key, []).append(ward.code)
        for (pkey, wkey), units in self.index.old_by_province_ward.items():
            if pkey in self.province.old_keys:
                by_key.setdefault(wkey, []).extend(u.new_code for u in units)
        close = difflib.get_close_matches(part.name.keys[0][0], list(by_key), n=_MAX_LOOSE, cutoff=0.6)
        return _unique([code for key in close for code in by_key[key]])

    def _candidates(self, codes: Iterable[int]) -> list[dict[str, Any]]:
        return [{"ward": {"code": c, "name": self.index.wards[c].name},
                 "province": {"code": self.index.wards[c].province_code,
                              "name": self.index.provinces[self.index.wards[c].province_code]}}
                for c in codes]


# --- small pure functions -------------------------------------------------------------------------


def _prefer(items: list[T], keep: Callable[[T], bool]) -> list[T]:
    """The items ``keep`` accepts, or all of them when it accepts none (a preference, not a filter)."""
    kept = [item for item in items if keep(item)]
    return kept or items


def _unique(codes: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(codes))


def _exacts(part: _Part) -> set[str]:
    """Exact (diacritic) keys of a part written with diacritics; none for one written without."""
    return {exact for _, exact in part.name.keys} if part.name.accented else set()


def _legacy(old: list[OldUnit], code: int) -> LegacyUnits | None:
    """Canonical old names of the units that became ``code``; a name they disagree on is left empty."""
    mine = [u for u in old if u.new_code == code]
    if not mine:
        return None

    def common(values: set[str]) -> str:
        return values.pop() if len(values) == 1 else ""

    return LegacyUnits(common({u.province for u in mine}), common({u.district for u in mine}),
                       common({u.ward for u in mine}))


def _structured_errors(index: AddressIndex, street: str, ward_code: int, province_code: int
                       ) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not isinstance(street, str):
        errors["address.street"] = "phải là chuỗi / must be a string"
    if not _is_int(province_code) or province_code not in index.provinces:
        errors["address.province_code"] = "mã tỉnh/thành phố không tồn tại / unknown province code"
    ward = index.wards.get(ward_code) if _is_int(ward_code) else None
    if ward is None:
        errors["address.ward_code"] = "mã phường/xã không tồn tại / unknown ward code"
    elif "address.province_code" not in errors and ward.province_code != province_code:
        errors["address.ward_code"] = (f"{ward.name} không thuộc {index.provinces[province_code]} "
                                       f"/ ward is not in that province")
    return errors


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
