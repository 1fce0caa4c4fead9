"""The organisation directory: agencies and postal offices, the wards a delivery office serves and
the agencies a counter office serves. Beats (tuyến phát) are in delivery.beats, the directory file
in delivery.directory_file, the coverage report in delivery.coverage.

What the CLI, the directory file and the admin pages share:
- an *entry* (AgencyEntry, OfficeEntry, delivery.beats.BeatEntry) is the whole wanted state of one
  record, in people's words (office kind ``counter | hub | delivery``, codes as written);
- ``save_*`` checks an entry, then creates or updates the record to match it and returns
  ``Saved(record, created, changed)``; the same entry again changes nothing (idempotent);
- ``*_entry`` reads a record back as an entry: to fill a form, to export, or to change one field
  with ``dataclasses.replace``;
- errors are ValidationFailed whose ``errors`` are keyed by the directory's field names
  (delivery.directory_fields.FIELD_LABELS says how people name them, and its parse_* functions
  read codes as people type them), or NotFound for a record asked for by its code;
- every check runs before the first write, so a refused entry writes nothing; nothing commits.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from sqlmodel import Session, select

from .directory_fields import assign, check_province, checked_text, text
from .dossier import UNIT_CODE_PATTERN
from .errors import NotFound, ValidationFailed
from .models import Agency, PostOffice
from .organisation import OFFICE_KINDS, Beat
from .served import (
    check_agencies,
    check_wards,
    served_agencies,
    served_wards,
    write_agencies,
    write_wards,
)

# The stored kind -> the word people use (OFFICE_KINDS the other way round).
KIND_WORDS = {stored: word for word, stored in OFFICE_KINDS.items()}
_UNIT_CODE = re.compile(UNIT_CODE_PATTERN)
_OFFICE_CODE = re.compile(r"[0-9]{5,6}")
# The agency's delivery settings and the largest value each may take (the least is 1).
AGENCY_SETTINGS = {"attempt_limit": 10, "return_within_days": 60, "pickup_hold_days": 60}

T = TypeVar("T")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What a save did. ``webhook_secret`` is set only when an agency was just given a secret: it
    is shown once, from here, and never read back."""

    record: T
    created: bool
    changed: bool
    webhook_secret: str | None = None


@dataclass(frozen=True)
class AgencyEntry:
    """An agency's wanted state. The delivery settings (not in the directory file) left None keep
    what is stored; a new agency then gets the defaults (2 attempts, 5 days, 7 days)."""

    code: str  # electronic unit code, e.g. 000.00.01.H26
    name: str
    province_code: int | None = None
    webhook_url: str | None = None
    attempt_limit: int | None = None  # delivery attempts before the item goes back
    return_within_days: int | None = None  # working days to return an undeliverable item
    pickup_hold_days: int | None = None  # days an item waits at the office for pick-up


@dataclass(frozen=True)
class OfficeEntry:
    code: str  # 5 or 6 digits
    name: str
    kind: str  # counter | hub | delivery (the stored names are accepted too)
    province_code: int | None
    address: str = ""
    hours: str = ""
    wards: tuple[int, ...] = ()  # GSO codes of the wards a delivery office serves
    serves: tuple[str, ...] = ()  # codes of the agencies a counter office serves


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


def find_agency(session: Session, code: str) -> Agency | None:
    return session.exec(select(Agency).where(Agency.code == text(code).upper())).first()


def find_office(session: Session, code: str) -> PostOffice | None:
    return session.exec(select(PostOffice).where(PostOffice.code == text(code))).first()


def get_office(session: Session, code: str) -> PostOffice:
    """The office with this code; raises NotFound."""
    office = find_office(session, code)
    if office is None:
        raise NotFound(f"không có bưu cục / no post office with code {code!r}")
    return office


# --- agencies ------------------------------------------------------------------------------------

def save_agency(session: Session, entry: AgencyEntry, *, new: bool = False) -> Saved[Agency]:
    """Create or update the agency ``entry.code`` to match ``entry``; with ``new`` (a creation
    form, which must not overwrite) an existing code is refused instead. A new agency, or one
    without a webhook secret yet, is given one: returned once in ``Saved.webhook_secret``. Raises
    ValidationFailed (code, name, province, webhook_url, attempt_limit, return_within_days,
    pickup_hold_days)."""
    code, values = _agency_values(session, entry, new)
    agency = find_agency(session, code)
    secret = new_webhook_secret() if agency is None or not agency.webhook_secret else None
    created = agency is None
    if agency is None:
        agency = Agency(code=code, **values)
        session.add(agency)
    changed = assign(agency, values) | created
    if secret:
        agency.webhook_secret, changed = secret, True
    session.flush()
    return Saved(agency, created, changed, secret)


def rotate_webhook_secret(session: Session, code: str) -> str:
    """Give the agency a new webhook secret and return it (shown once); the old one stops signing
    at once. Raises NotFound."""
    agency = find_agency(session, code)
    if agency is None:
        raise NotFound(f"không có cơ quan / no agency with code {code!r}")
    agency.webhook_secret = new_webhook_secret()
    session.flush()
    return agency.webhook_secret


def agency_entry(agency: Agency) -> AgencyEntry:
    return AgencyEntry(agency.code, agency.name, agency.province_code, agency.webhook_url,
                       agency.attempt_limit, agency.return_within_days, agency.pickup_hold_days)


def _agency_values(session: Session, entry: AgencyEntry,
                   new: bool) -> tuple[str, dict[str, Any]]:
    errors: dict[str, str] = {}
    code = text(entry.code).upper()
    if not _UNIT_CODE.fullmatch(code):
        errors["code"] = ("mã đơn vị điện tử có dạng 000.00.01.H26 / an electronic unit code "
                          "looks like 000.00.01.H26")
    elif new and find_agency(session, code) is not None:
        errors["code"] = f"đã có cơ quan mã {code} / agency {code} already exists"
    name = checked_text(errors, "name", entry.name, 200, required=True)
    url = checked_text(errors, "webhook_url", entry.webhook_url, 500) or None
    if url and "webhook_url" not in errors and not _is_web_address(url):
        errors["webhook_url"] = ("phải là địa chỉ http:// hoặc https:// / must be an http:// or "
                                 "https:// address")
    check_province(session, errors, entry.province_code, required=False)
    settings = _agency_settings(entry, errors)
    if errors:
        raise ValidationFailed(errors)
    return code, {"name": name, "province_code": entry.province_code, "webhook_url": url,
                  **settings}


def _agency_settings(entry: AgencyEntry, errors: dict[str, str]) -> dict[str, int]:
    """The delivery settings the entry sets (None keeps the stored one), each from 1 to its
    limit."""
    settings = {}
    for field, limit in AGENCY_SETTINGS.items():
        value = getattr(entry, field)
        if value is not None and not 1 <= value <= limit:
            errors[field] = f"từ 1 đến {limit} / from 1 to {limit}"
        elif value is not None:
            settings[field] = value
    return settings


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return (parts.scheme in ("http", "https") and bool(parts.hostname)
                and not any(c.isspace() for c in url))
    except ValueError:  # e.g. an unclosed [ in the host
        return False


# --- offices -------------------------------------------------------------------------------------

def save_office(session: Session, entry: OfficeEntry, *,
                new: bool = False) -> Saved[PostOffice]:
    """Create or update the office ``entry.code``, with the wards it serves (a delivery office
    only) and the agencies it serves (a counter office only), to match ``entry``; with ``new`` (a
    creation form) an existing code is refused instead. Wards dropped from a delivery office are
    dropped from its beats too. Raises ValidationFailed (code, name, kind, province, address,
    hours, wards, serves): a ward served by another office names that office; moving a ward
    means taking it off its office first."""
    code, values, errors = _office_values(session, entry)
    office = find_office(session, code) if "code" not in errors else None
    if new and office is not None:
        errors["code"] = f"đã có bưu cục mã {code} / office {code} already exists"
    kind, province = values["kind"], values["province_code"]
    if office is not None and kind != "delivery_office" and _has_beats(session, office):
        errors["kind"] = ("bưu cục còn tuyến phát, xóa tuyến trước / the office still has beats: "
                          "remove them first")
    wards = check_wards(session, entry.wards, kind, province, office)
    agencies = check_agencies(session, entry.serves, kind)
    errors |= {"wards": wards.error, "serves": agencies.error}
    errors = {field: message for field, message in errors.items() if message}
    if errors:
        raise ValidationFailed(errors)
    created = office is None
    if office is None:
        office = PostOffice(code=code, **values)
        session.add(office)
        session.flush()
    changed = assign(office, values) | created
    changed |= write_wards(session, office, wards.codes)
    changed |= write_agencies(session, office, agencies.ids)
    session.flush()
    return Saved(office, created, changed)


def set_office_wards(session: Session, office: PostOffice, ward_codes: tuple[int, ...]) -> bool:
    """Make ``ward_codes`` exactly the wards the delivery office serves (the admin page's ward
    picker); returns whether anything changed. Raises ValidationFailed ("wards") as save_office."""
    wards = check_wards(session, ward_codes, office.kind, office.province_code, office)
    if wards.error:
        raise ValidationFailed({"wards": wards.error})
    return write_wards(session, office, wards.codes)


def set_counter_agencies(session: Session, office: PostOffice,
                         agency_codes: tuple[str, ...]) -> bool:
    """Make ``agency_codes`` exactly the agencies the counter office serves; returns whether
    anything changed. Raises ValidationFailed ("serves") as save_office."""
    agencies = check_agencies(session, agency_codes, office.kind)
    if agencies.error:
        raise ValidationFailed({"serves": agencies.error})
    return write_agencies(session, office, agencies.ids)


def office_entry(session: Session, office: PostOffice) -> OfficeEntry:
    return OfficeEntry(office.code, office.name, KIND_WORDS.get(office.kind, office.kind),
                       office.province_code, office.address, office.opening_hours,
                       served_wards(session, office), served_agencies(session, office))


def _office_values(session: Session, entry: OfficeEntry
                   ) -> tuple[str, dict[str, Any], dict[str, str | None]]:
    errors: dict[str, str | None] = {}
    code = text(entry.code)
    if not _OFFICE_CODE.fullmatch(code):
        errors["code"] = "mã bưu cục gồm 5 hoặc 6 chữ số / an office code is 5 or 6 digits"
    kind = OFFICE_KINDS.get(text(entry.kind).lower())
    if kind is None and text(entry.kind).lower() in KIND_WORDS:
        kind = text(entry.kind).lower()
    if kind is None:
        errors["kind"] = "một trong / one of: counter, hub, delivery"
    province = check_province(session, errors, entry.province_code, required=True)
    values = {"name": checked_text(errors, "name", entry.name, 200, required=True),
              "kind": kind, "province_code": province,
              "address": checked_text(errors, "address", entry.address, 300),
              "opening_hours": checked_text(errors, "hours", entry.hours, 100)}
    return code, values, errors


def _has_beats(session: Session, office: PostOffice) -> bool:
    return session.exec(select(Beat.id).where(Beat.office_id == office.id)).first() is not None
