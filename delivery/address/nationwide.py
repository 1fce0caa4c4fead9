"""An address that leaves the province out ("Số 3 Lê Lợi, Xã X, Huyện Y"): placed when the rest
names one unit in the whole country, refused with the candidates of every province otherwise.

The last part says where to look: an old district (with a district word, or any part that is one
somewhere) is looked for in the provinces that had it; a ward name in the provinces that have a new
ward of that name, or else an old one. Each such province then reads the text as if it had been
written; one answer in one province is the answer (with the confidence of an inferred unit), more
are the candidates.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import AddressNotResolved
from .index import AddressIndex
from .names import WARD_KINDS
from .parse import Part, ProvinceHit, ProvinceNotFound, carve
from .resolved import ResolvedAddress
from .ward_match import Resolution, WardNotFound

INFERRED_CONFIDENCE = 0.85  # as for any unit inferred (resolved.py)


def resolve_nationwide(index: AddressIndex, text: str, parts: list[Part],
                       missing: ProvinceNotFound) -> ResolvedAddress:
    """The one ward ``parts`` name in the country; raises AddressNotResolved with every province's
    candidates when they name several, or ``missing`` when they name none."""
    found: dict[int, ResolvedAddress] = {}
    candidates: list[dict[str, Any]] = []
    for code in sorted(_provinces_to_search(index, parts[-1])):
        province = ProvinceHit.inferred(index, code)
        for reading in (parts, carve(index, province, parts)):
            try:
                resolved = Resolution(index, text, province, reading).resolve()
            except AddressNotResolved as several:
                candidates += several.candidates
                break
            except WardNotFound:
                continue
            found[resolved.ward_code] = resolved
            break
    if any(not r.corrections for r in found.values()):  # as written somewhere: not "Tân Thanh"
        found = {code: r for code, r in found.items() if not r.corrections}
    if len(found) == 1 and not candidates:
        (resolved,) = found.values()
        return replace(resolved, confidence=min(resolved.confidence, INFERRED_CONFIDENCE))
    candidates = [*(_candidate(r) for r in found.values()), *candidates]
    if not candidates:
        raise missing
    raise AddressNotResolved(
        "Thiếu tỉnh/thành phố, địa chỉ có thể ở nhiều nơi, hãy chọn / "
        "province missing and the address fits several places, choose one",
        candidates=list({c["ward"]["code"]: c for c in candidates}.values()))


def _provinces_to_search(index: AddressIndex, last: Part) -> set[int]:
    """Provinces where the last part is an old district (unless it says it is a ward), and those
    where it is a new ward, or else an old ward (unless it says it is a district)."""
    keys, kind = [key for key, _ in last.name.keys], last.name.kind
    codes: set[int] = set()
    if kind not in WARD_KINDS:
        codes = {code for key in keys for code in index.provinces_by_district_key.get(key, ())}
        # "Quận Tân Phú" is Hồ Chí Minh City's, not Đồng Nai's Huyện Tân Phú
        codes = {code for code in codes if _has_district(index, code, keys, kind)} or codes
    if kind is not None and kind not in WARD_KINDS:
        return codes
    new = {code for key in keys for code in index.provinces_by_ward_key.get(key, ())}
    # "Phường Tân Phú": the provinces with a new Phường Tân Phú, before those with a Xã Tân Phú
    of_kind = {code for code in new for key in keys
               if any(index.wards[c].kind == kind for c in index.wards_by_key.get((code, key), ()))}
    old = {code for key in keys for code in index.provinces_by_old_ward_key.get(key, ())}
    return codes | (of_kind or new or old)


def _has_district(index: AddressIndex, code: int, keys: list[str], kind: str | None) -> bool:
    """The province had an old district of that name and of that kind."""
    return any(unit.district_kind == kind for pkey in index.old_keys_by_province[code]
               for key in keys for unit in index.old_by_district.get((pkey, key), ()))


def _candidate(resolved: ResolvedAddress) -> dict[str, Any]:
    return {"ward": {"code": resolved.ward_code, "name": resolved.ward_name},
            "province": {"code": resolved.province_code, "name": resolved.province_name}}
