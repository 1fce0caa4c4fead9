"""Placing the parts of an address on one post-2025 ward of a known province, or refusing with
candidates.

The old three-tier form (ward, district) is read through the old -> new mapping; the new two-tier
form (ward) through the current ward names. When the two readings disagree, or an old ward was
split, the text names several wards and :class:`AmbiguousAddress` is raised with all of them:
nothing is guessed.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from ..errors import AddressNotResolved
from .index import AddressIndex, OldUnit, WardRef
from .names import WARD_KINDS, NameKey, canonical_key
from .parse import Part, ProvinceHit
from .resolved import MARKS_CONFIDENCE, Correction, LegacyUnits, ResolvedAddress

T = TypeVar("T")
_MAX_LOOSE = 10


class AmbiguousAddress(AddressNotResolved):
    """The text names several new wards exactly (a split old ward, or old and new readings
    disagree)."""


class WardNotFound(Exception):
    """No ward of the province matched one reading of the text.

    :meth:`error` builds the AddressNotResolved with similar wards as candidates; that costs a fuzzy
    search over the province, so it is built only for the failure that is finally reported.
    """

    def __init__(self, resolution: Resolution, part: Part, district: Part | None) -> None:
        super().__init__(part.text)
        self.resolution, self.part, self.district = resolution, part, district

    def error(self) -> AddressNotResolved:
        return self.resolution.not_found(self.part, self.district)


# --- resolution inside one province ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resolution:
    index: AddressIndex
    text: str
    province: ProvinceHit
    parts: list[Part]

    def resolve(self) -> ResolvedAddress:
        """Old form (ward, district) first when the part before the province is an old district.

        A district without a prefix ("Hoàn Kiếm") may also be a new ward of that name: when the old
        form finds nothing and no part says it is a ward, the district part is tried as the ward.
        So is one whose unit word may be the start of a ward name written without diacritics ("Quan
        Ba").
        """
        last = len(self.parts) - 1
        district = self.parts[last] if self._is_district(self.parts[last]) else None
        if district is not None and last >= 1:
            found = self._search(last - 1, district)
            if found:
                return found
            if (self._says_district(district)
                    or any(p.name.kind in WARD_KINDS for p in self.parts[:last])):
                raise WardNotFound(self, self.parts[last - 1], district)
        found = self._search(last, None)
        if found:
            return found
        raise WardNotFound(self, self.parts[last - 1] if district and last else self.parts[last],
                           district)

    def _says_district(self, part: Part) -> bool:
        """Written with a district word, and not also a ward's whole name ("quan ba" may be Xã Quản
        Bạ)."""
        whole = part.name.keys[-1][0]
        return (part.name.kind is not None
                and (self.province.code, whole) not in self.index.wards_by_key)

    def _is_district(self, part: Part) -> bool:
        return part.name.kind not in WARD_KINDS and any(
            (pkey, key) in self.index.old_by_district for pkey in self.province.old_keys
            for key, _ in part.name.keys)

    def _search(self, start: int, district: Part | None) -> ResolvedAddress | None:
        """Try the part at ``start`` as the ward, then earlier parts that say they are a ward."""
        for i in [start, *(j for j in range(start - 1, -1, -1)
                           if self.parts[j].name.kind in WARD_KINDS)]:
            part = self.parts[i]
            old, new = self._old_units(part, district), self._new_wards(part)
            if part.name.kind not in (None, *WARD_KINDS):
                # "Quận 1" is no ward, but an island district became one; and in "Quán Thánh" or
                # "Tinh Tuc" the first word only looks like a unit word: read the whole name as a
                # ward name too.
                part = part._replace(name=NameKey(None, part.name.keys[-1:], part.name.accented))
                old = [u for u in old if not u.ward] + self._old_units(part, district)
                new = self._new_wards(part)
            if old or new:
                return self._decide(i, part, district, old, new)
        return None

    def _decide(self, i: int, part: Part, district: Part | None, old: list[OldUnit],
                new: list[WardRef]) -> ResolvedAddress:
        """New two-tier name wins when no district is given; otherwise old and new must agree."""
        if (district is None and new and self.province.current
                and self._plainly_new(i, part, new[0])):
            exact = new[0].exact in _exacts(part)
            return self._one(i, part, [w.code for w in new], [], 1.0 if exact else 0.95)
        if old:
            new = self._rivals(part, district, new)
        codes = _unique([u.new_code for u in old] + [w.code for w in new])
        confident = bool(old) if district is not None else bool(new)
        return self._one(i, part, codes, old, 0.9 if confident else 0.85)

    def _plainly_new(self, i: int, part: Part, ward: WardRef) -> bool:
        """A two-tier reading is sure only when the unit word written agrees with the new ward's
        ("P. Nguyễn Nghiêm" is no "Xã Nguyễn Nghiêm") and no other part is a district left unread (a
        typo, or the parts written in another order): otherwise old names must agree too, or the
        answer is the candidates."""
        unread_district = any(p.name.kind not in (None, *WARD_KINDS)
                              for j, p in enumerate(self.parts) if j != i)
        return part.name.kind in (None, ward.kind) and not unread_district

    def _one(self, i: int, part: Part, codes: list[int], old: list[OldUnit], confidence: float
             ) -> ResolvedAddress:
        if len(codes) != 1:
            names = ", ".join(self.index.wards[c].name for c in codes)
            raise AmbiguousAddress(
                f"'{self.parts[i].text}' ứng với nhiều phường/xã mới: {names} / "
                f"matches several new wards, choose one", candidates=self.candidates(codes, old))
        ward = self.index.wards[codes[0]]
        street = self.text[:self.parts[i].start].strip().rstrip(",;-–—").strip()
        resolved = ResolvedAddress(ward.province_code, self.index.provinces[ward.province_code],
                                   ward.code, ward.name, street, _legacy(old, ward.code),
                                   confidence)
        return _marks_checked(resolved, part, [u for u in old if u.new_code == ward.code], ward)

    def _rivals(self, part: Part, district: Part | None, new: list[WardRef]) -> list[WardRef]:
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

    def _new_wards(self, part: Part) -> list[WardRef]:
        for key, _ in part.name.keys:
            codes = self.index.wards_by_key.get((self.province.code, key))
            if codes:
                wards = _prefer([self.index.wards[c] for c in codes],
                                lambda w: w.kind == part.name.kind)
                return _prefer(wards, lambda w: w.exact in _exacts(part))
        return []

    def _old_units(self, part: Part, district: Part | None) -> list[OldUnit]:
        units = [u for pkey in self.province.old_keys
                 for u in self._old_lookup(pkey, part, district)]
        units = _prefer(units, lambda u: u.province == self.province.old_name)
        if district is not None:
            units = _prefer(units, lambda u: u.district_kind == district.name.kind)
            units = _prefer(units, lambda u: u.district_exact in _exacts(district))
        units = _prefer(units, lambda u: u.ward_kind == part.name.kind)
        return _prefer(units, lambda u: u.ward_exact in _exacts(part))

    def _old_lookup(self, pkey: str, part: Part, district: Part | None) -> list[OldUnit]:
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

    def not_found(self, part: Part, district: Part | None) -> AddressNotResolved:
        """The error for ``part`` not found, with similar wards (or the old district's) as
        candidates."""
        codes = self._district_codes(part, district) if district else self._similar_codes(part)
        return AddressNotResolved(
            f"Không xác định được phường/xã: '{part.text}' "
            f"({self.index.provinces[self.province.code]}) "
            f"/ ward not found", candidates=self.candidates(codes[:_MAX_LOOSE]))

    def _district_codes(self, part: Part, district: Part) -> list[int]:
        """New wards the old district became, the most similar to what was written first."""
        units = self._district_units(district)
        wanted = part.name.keys[0][0]
        units.sort(
            key=lambda u: -difflib.SequenceMatcher(None, wanted, canonical_key(u.ward)[1]).ratio())
        return _unique([u.new_code for u in units])

    def _district_units(self, district: Part) -> list[OldUnit]:
        return [u for pkey in self.province.old_keys for key, _ in district.name.keys
                for u in self.index.old_by_district.get((pkey, key), [])]

    def _similar_codes(self, part: Part) -> list[int]:
        """Wards of the province (new names, or old names now inside it) that look like ``part``."""
        by_key = _names_in_province(self.index, self.province.code, self.province.old_keys)
        close = difflib.get_close_matches(part.name.keys[0][0], by_key, n=_MAX_LOOSE, cutoff=0.6)
        return _unique([code for key in close for code in by_key[key]])

    def candidates(self, codes: Iterable[int], old: Sequence[OldUnit] = ()
                   ) -> list[dict[str, Any]]:
        """The candidates of a refusal: each ward with its province, in the order given, and
        ``former``: the old units written (``old``) it took parts of, when it did (an old ward
        split between new wards)."""
        found = []
        for c in codes:
            ward = self.index.wards[c]
            candidate = {"ward": {"code": c, "name": ward.name},
                         "province": {"code": ward.province_code,
                                      "name": self.index.provinces[ward.province_code]}}
            if (legacy := _legacy(list(old), c)) and legacy.ward:
                candidate["former"] = {"ward": legacy.ward, "district": legacy.district,
                                       "province": legacy.province}
            found.append(candidate)
        return found


@functools.lru_cache(maxsize=128)
def _names_in_province(index: AddressIndex, code: int, old_keys: tuple[str, ...]
                       ) -> dict[str, list[int]]:
    """Name key -> new ward codes, for the new wards of a province and the old wards of
    ``old_keys``.

    Cached per (index, province): a full scan of the index costs far more than a lookup, and an
    address that fails should not pay it again.
    """
    by_key: dict[str, list[int]] = {}
    for ward in index.wards.values():
        if ward.province_code == code:
            by_key.setdefault(ward.key, []).append(ward.code)
    for (pkey, wkey), units in index.old_by_province_ward.items():
        if pkey in old_keys:
            by_key.setdefault(wkey, []).extend(u.new_code for u in units)
    return by_key


# --- small pure functions -------------------------------------------------------------------------


def _prefer(items: list[T], keep: Callable[[T], bool]) -> list[T]:
    """The items ``keep`` accepts, or all of them when it accepts none (a preference, not a
    filter)."""
    kept = [item for item in items if keep(item)]
    return kept or items


def _unique(codes: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(codes))


def _exacts(part: Part) -> set[str]:
    """Exact (diacritic) keys of a part written with diacritics; none for one written without."""
    return {exact for _, exact in part.name.keys} if part.name.accented else set()


def _marks_checked(resolved: ResolvedAddress, part: Part, old: list[OldUnit], ward: WardRef
                   ) -> ResolvedAddress:
    """In a text written with diacritics, a ward name with other marks than the unit it was read as
    ("Bến Nghẹ", "Binh Long") is a correction for a person to confirm; a text written without any
    is only a plainer spelling."""
    if not part.name.accented:
        return resolved
    officials = [(u.ward_exact, u.ward) for u in old if u.ward] or [(ward.exact, ward.name)]
    if any(exact in _exacts(part) for exact, _ in officials):
        return resolved
    return replace(resolved, confidence=min(resolved.confidence, MARKS_CONFIDENCE),
                   corrections=(Correction(part.text, officials[0][1]),))


def _legacy(old: list[OldUnit], code: int) -> LegacyUnits | None:
    """Canonical old names of the units that became ``code``; a name they disagree on is left
    empty."""
    mine = [u for u in old if u.new_code == code]
    if not mine:
        return None

    def common(values: set[str]) -> str:
        return values.pop() if len(values) == 1 else ""

    return LegacyUnits(common({u.province for u in mine}), common({u.district for u in mine}),
                       common({u.ward for u in mine}))
