"""Place a citizen's address on exactly one post-2025 ward, or say why it cannot be done.

Since 1 July 2025 Vietnam has 34 provinces and 3,321 wards/communes and no districts. Citizens still
write the old three-tier form ("phường, quận, tỉnh"), often without diacritics, abbreviated (P., Q.,
TP., Tp HCM) or with a province that has since been merged; or the new form ("street, ward,
province"). Codes returned are the official GSO codes of ``vietnam_provinces``.

Contract: :func:`resolve_address` never guesses. It returns a :class:`ResolvedAddress` when the text
names one new ward, and raises :class:`~delivery.errors.AddressNotResolved` (with ``candidates``,
each ``{"ward": {"code", "name"}, "province": {"code", "name"}}``) when it names none or several.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ..errors import AddressNotResolved, ValidationFailed
from .corrections import corrected
from .index import AddressIndex, address_index
from .nationwide import resolve_nationwide
from .parse import (
    Part,
    ProvinceHit,
    ProvinceNotFound,
    Reading,
    carve,
    find_province,
    split_parts,
)
from .resolved import LegacyUnits, ResolvedAddress
from .ward_match import Resolution, WardNotFound

__all__ = ["LegacyUnits", "ReferenceUnit", "ResolvedAddress", "iter_reference_provinces",
           "iter_reference_wards", "province_name", "resolve_address", "resolve_structured",
           "ward_name"]

_READINGS: tuple[Reading, ...] = ("coarse", "carve", "carve-short")


class ReferenceUnit(NamedTuple):
    """A row for the reference tables; for a province ``province_code`` is its own code."""

    code: int
    name: str
    province_code: int


def resolve_address(text: str) -> ResolvedAddress:
    """Resolve free text ("street, ward[, district], province") to one new ward.

    Raises AddressNotResolved for an empty text, an unknown province, a ward not found in the
    province (candidates: similar wards, at most 10) or a ward that could be several new wards (all
    of them). The text is read at commas first, then more finely (see
    :mod:`delivery.address.parse`); a reading that finds several wards raises at once, since another
    reading would only be a guess. A reading that had to correct the ward's name (see
    ``ResolvedAddress.corrections``) is taken only when no reading finds the name as written: then
    the end may be an old city named like its province ("Thành phố Thanh Hóa"), and last a name one
    typo away (:mod:`delivery.address.corrections`). Without a province, see
    :mod:`delivery.address.nationwide`.
    """
    index, text = address_index(), text or ""
    failures: list[AddressNotResolved | WardNotFound] = []
    tentative: ResolvedAddress | None = None
    for found in _readings(index, text, failures):
        if not found.corrections:
            return found
        tentative = tentative or found  # read with other marks: a reading as written may follow
    found = _province_as_district(index, text)
    if found and (not found.corrections or tentative is None):
        return found
    for failure in failures:
        tentative = tentative or (corrected(failure) if isinstance(failure, WardNotFound)
                                  else None)
    if tentative:
        return tentative
    raise _best(failures)


def _readings(index: AddressIndex, text: str,
              failures: list[AddressNotResolved | WardNotFound]) -> Iterator[ResolvedAddress]:
    """The resolution of each reading that finds one ward; adds the others' failures to
    ``failures``. Raises AddressNotResolved as soon as a reading finds several wards."""
    seen: list[list[str]] = []
    for reading in _READINGS:
        try:
            province, parts = _parts(index, text, reading)
        except ProvinceNotFound as missing:
            if reading == "coarse":  # the other readings need the province to cut the text
                yield resolve_nationwide(index, text, split_parts(index, text, reading), missing)
                return
            failures.append(missing)
            continue
        except AddressNotResolved as error:
            failures.append(error)
            continue
        if [p.text for p in parts] in seen:
            continue  # this reading cut the text as an earlier one did
        seen.append([p.text for p in parts])
        try:
            yield Resolution(index, text, province, parts).resolve()
        except WardNotFound as missing:
            failures.append(missing)


def _province_as_district(index: AddressIndex, text: str) -> ResolvedAddress | None:
    """"Xã Đông Tiến, Thành phố Thanh Hóa": read the end as the old city of that name (the
    province left out) when reading it as the province found no ward."""
    parts = split_parts(index, text, "coarse")
    if len(parts) < 2:
        return None
    try:
        province, rest = find_province(index, parts)
    except AddressNotResolved:
        return None
    last = parts[-1]
    if len(rest) != len(parts) - 1 or not any(
            (pkey, key) in index.old_by_district
            for pkey in province.old_keys for key, _ in last.name.keys):
        return None
    try:
        return Resolution(index, text, province, parts).resolve()
    except WardNotFound:
        return None


def _parts(index: AddressIndex, text: str, reading: Reading) -> tuple[ProvinceHit, list[Part]]:
    """The province and the parts before it in one reading.

    Raises AddressNotResolved when the text is empty, names no province or nothing before it.
    """
    parts = split_parts(index, text, reading)
    if not parts:
        raise AddressNotResolved("Địa chỉ trống / empty address")
    province, rest = find_province(index, parts, shortest=reading == "carve-short")
    if not rest:
        raise AddressNotResolved(f"Thiếu phường/xã tại {index.provinces[province.code]} "
                                 "/ ward missing")
    rest = rest if reading == "coarse" else carve(index, province, rest)
    # a writer who uses diacritics means "Thanh An" as written, not "Thạnh An"
    if not text.isascii():
        rest = [part._replace(name=part.name._replace(accented=True)) for part in rest]
    return province, rest


def _best(failures: list[AddressNotResolved | WardNotFound]) -> AddressNotResolved:
    """The first failure that offers candidates, else the first one; candidates are built only as
    needed."""
    first: AddressNotResolved | None = None
    for failure in failures:
        error = failure.error() if isinstance(failure, WardNotFound) else failure
        if error.candidates:
            return error
        first = first or error
    assert first is not None  # every reading either resolves or adds a failure
    return first


def resolve_structured(street: str, ward_code: int, province_code: int) -> ResolvedAddress:
    """Check a ward code and province code chosen from the reference lists; confidence 1.0.

    Raises ValidationFailed with ``address.province_code`` / ``address.ward_code`` /
    ``address.street`` errors when a code is unknown, the ward is not in that province, or the
    street is not a string.
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
