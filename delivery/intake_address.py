"""The address of an intake body: the text as the citizen wrote it (resolved across the 2025
reform) or ``{street, ward_code, province_code}`` (the clerk's pick among candidates), with the
length limits of what is stored."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .address import LegacyUnits, ResolvedAddress, resolve_address, resolve_structured
from .errors import AddressNotResolved, ValidationFailed

MAX_ADDRESS = 500  # the address as written, also for POST /api/v1/addresses/resolve
ADDRESS_REQUIRED = (f"bắt buộc, tối đa {MAX_ADDRESS} ký tự / "
                    f"required, at most {MAX_ADDRESS} characters")
MAX_STREET = 300  # Consignment.street: the street part, given or read from the address as written
STREET_TOO_LONG = (f"phần số nhà, đường tối đa {MAX_STREET} ký tự / "
                   f"the street part is at most {MAX_STREET} characters")


def _structured(value: dict[str, Any]) -> tuple[str, ResolvedAddress]:
    """``{street, ward_code, province_code}`` plus, optionally, ``text``: the address as the citizen
    wrote it (kept when the clerk picked the ward among candidates)."""
    street, ward, province = value.get("street"), value.get("ward_code"), value.get("province_code")
    written = value.get("text")
    if not isinstance(street, str) or not all(isinstance(c, int) and not isinstance(c, bool)
                                              for c in (ward, province)):
        raise ValidationFailed({"address": "cần {street, ward_code, province_code} / needs "
                                           "{street: str, ward_code: int, province_code: int}"})
    if len(street) > MAX_STREET:  # before any work on it
        raise ValidationFailed({"address.street": STREET_TOO_LONG})
    if written is not None and (not isinstance(written, str) or len(written) > MAX_ADDRESS):
        raise ValidationFailed({"address.text": f"chuỗi tối đa {MAX_ADDRESS} ký tự / "
                                                f"a string of at most {MAX_ADDRESS} characters"})
    resolved = resolve_structured(street, ward, province)
    if (written or "").strip():
        return written.strip(), replace(resolved, legacy=_former_units(written, ward))
    return f"{street}, {resolved.ward_name}, {resolved.province_name}", resolved


def _former_units(written: str, ward_code: int) -> LegacyUnits | None:
    """The old units ``written`` names that became ``ward_code`` (the ward picked among its
    candidates: an old ward split between new wards), when the resolver knows them; None
    otherwise. Kept with the item so the former address is not lost with the pick."""
    try:
        resolved = resolve_address(written)
    except AddressNotResolved as error:
        former = next((c["former"] for c in error.candidates
                       if c["ward"]["code"] == ward_code and "former" in c), None)
        return (LegacyUnits(former["province"], former["district"], former["ward"])
                if former else None)
    except ValidationFailed:
        return None
    return resolved.legacy if resolved.ward_code == ward_code else None


def chosen_ward_address(written: str, ward_code: int, province_code: int) -> dict[str, Any]:
    """The structured address for the ward a clerk picked among the candidates of ``written``: the
    street is what comes before its first comma, and the address stays as written."""
    return {"street": written.split(",")[0].strip(), "ward_code": ward_code,
            "province_code": province_code, "text": written}


def confirmed(resolved: ResolvedAddress) -> ResolvedAddress:
    """``resolved``, when it may be stored as it is. A ward read through a correction (a typo, other
    tone marks) is a guess a person must confirm: it is refused as AddressNotResolved with that
    ward as the one candidate, and the correction in its message, so the clerk (or the upstream
    system) picks it, as for any other ambiguous address, rather than the item going to a ward
    nobody checked."""
    if not resolved.corrections:
        return resolved
    fixed = "; ".join(f"{c.written} → {c.official}?" for c in resolved.corrections)
    raise AddressNotResolved(
        f"Đã sửa {fixed} Cần xác nhận phường/xã / corrected {fixed} Confirm the ward",
        [{"ward": {"code": resolved.ward_code, "name": resolved.ward_name},
          "province": {"code": resolved.province_code, "name": resolved.province_name}}])


def is_written_address(value: Any) -> bool:
    """Whether ``value`` can be an address as written: a string, not blank, of at most MAX_ADDRESS
    characters."""
    return isinstance(value, str) and bool(value.strip()) and len(value) <= MAX_ADDRESS


def parse_address(payload: dict[str, Any], errors: dict[str, str]
                  ) -> tuple[str, ResolvedAddress | None]:
    """Resolve the address, text or structured; returns (text as written, resolution or None).
    AddressNotResolved (with candidates) propagates; other address errors go into ``errors``."""
    value = payload.get("address")
    try:
        if is_written_address(value):
            written, resolved = value.strip(), confirmed(resolve_address(value))
        elif isinstance(value, dict):
            written, resolved = _structured(value)
        else:
            errors["address"] = ADDRESS_REQUIRED
            return "", None
    except AddressNotResolved:
        raise
    except ValidationFailed as e:
        errors.update(e.errors)
        return "", None
    # the street's column; a written address of up to MAX_ADDRESS may leave a longer street part
    if len(resolved.street) > MAX_STREET:
        errors["address.street" if isinstance(value, dict) else "address"] = STREET_TOO_LONG
        return "", None
    return written, resolved
