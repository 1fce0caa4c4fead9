"""A ward name with one typo, read as the one official name one edit away, or refused with the
names it could be.

Searched only inside what the text names: the wards of the old district written, else the new and
old wards of the province written. Only when nothing else reads the text (see
:func:`delivery.address.resolve.resolve_address`): a name that is right is never "corrected". The
answer is below ``CONFIDENT`` and says what was corrected, for the clerk to confirm.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from ..errors import AddressNotResolved
from .index import AddressIndex
from .names import NameKey
from .parse import Part
from .resolved import TYPO_CONFIDENCE, Correction, ResolvedAddress
from .typos import deletion_index, one_edit_away
from .ward_match import Resolution, WardNotFound

_MAX_CANDIDATES = 10


def corrected(failure: WardNotFound) -> ResolvedAddress | None:
    """The address read with the ward name of ``failure`` corrected, when one name fits.

    Returns None when no name in scope is one edit away. Names one edit away that all lead to
    the same ward are that ward. Raises AddressNotResolved when they lead to several wards
    (candidates: theirs first, then the similar wards of the failure) or when the corrected name
    itself names several wards (a split old ward).
    """
    resolution, part, district = failure.resolution, failure.part, failure.district
    keys = _keys_in_scope(resolution, district, part.name.keys[0][0])
    readings = [_read_as(resolution, part, key) for key in keys[:1]] if len(keys) == 1 else []
    if len(keys) > 1:
        try:
            readings = [_read_as(resolution, part, key) for key in keys]
        except AddressNotResolved:
            raise _several(failure, keys) from None
        if len({r.ward_code for r in readings if r}) > 1:
            raise _several(failure, keys)
    # one ward through a new and an old name ("Tậ Sơn": Tập Sơn, once Tân Sơn): show the new one
    found = next((r for r in readings if r and r.legacy is None), None) or next(
        (r for r in readings if r), None)
    if found is None:
        return None
    official = found.legacy.ward if found.legacy and found.legacy.ward else found.ward_name
    return replace(found, confidence=min(found.confidence, TYPO_CONFIDENCE),
                   corrections=(Correction(part.text, official),))


def _keys_in_scope(resolution: Resolution, district: Part | None, written: str) -> list[str]:
    """Ward keys one edit from ``written``: of the old district written, else of the province."""
    index, province = resolution.index, resolution.province
    keys = one_edit_away(_typo_index(index, province.code, province.old_keys), written)
    if district is None:
        return keys
    district_keys = [key for key, _ in district.name.keys]
    return [key for key in keys
            if any((pkey, dkey, key) in index.old_by_ward
                   for pkey in province.old_keys for dkey in district_keys)]


def _read_as(resolution: Resolution, part: Part, key: str) -> ResolvedAddress | None:
    """The resolution with ``part`` read as the ward key ``key`` (None if that reads no ward)."""
    fixed = part._replace(name=NameKey(part.name.kind, ((key, key),), False))
    parts = [fixed if p is part else p for p in resolution.parts]
    try:
        return replace(resolution, parts=parts).resolve()
    except WardNotFound:
        return None


def _several(failure: WardNotFound, keys: list[str]) -> AddressNotResolved:
    """Refusal for a name one edit from several: each reading's wards, then the similar ones."""
    codes: list[int] = []  # the wards one edit away first, in the order of their names
    for key in keys:
        try:
            found = _read_as(failure.resolution, failure.part, key)
        except AddressNotResolved as several:
            codes += [c["ward"]["code"] for c in several.candidates]
            continue
        codes += [found.ward_code] if found else []
    near = list(dict.fromkeys(codes))
    names = ", ".join(failure.resolution.index.wards[c].name for c in near)
    codes += [c["ward"]["code"] for c in failure.error().candidates]
    return AddressNotResolved(
        f"'{failure.part.text}' gần giống nhiều phường/xã ({names}), hãy chọn / "
        f"is one letter away from several wards, choose one",
        candidates=failure.resolution.candidates(list(dict.fromkeys(codes))[:_MAX_CANDIDATES]))


@functools.lru_cache(maxsize=64)
def _typo_index(index: AddressIndex, code: int, old_keys: tuple[str, ...]
                ) -> dict[str, tuple[str, ...]]:
    """Deletion neighbourhood of the province's new ward keys and its old provinces' ward keys.

    Built on the first typo in the province (a few milliseconds) and kept: a cold start pays
    nothing for it, and a province's later typos cost one probe per letter.
    """
    keys = {key for (province, key) in index.wards_by_key if province == code}
    keys.update(wkey for (pkey, wkey) in index.old_by_province_ward if pkey in old_keys)
    return deletion_index(keys)
