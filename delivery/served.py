"""What an office serves: the wards of a delivery office (OfficeWard) and the agencies of a counter
office (OfficeAgency). delivery.directory is the way in.

The checks return what they found (and an error message, or None) instead of raising, so that a
caller reports every field's error at once and writes nothing before all of them passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from .models import Agency, OfficeWard, PostOffice, Ward
from .organisation import Beat, BeatWard, OfficeAgency

SHOWN = 5  # wards or agencies named in one message; the rest are counted


@dataclass(frozen=True)
class CheckedWards:
    codes: tuple[int, ...]
    error: str | None = None


@dataclass(frozen=True)
class CheckedAgencies:
    ids: tuple[int, ...]
    error: str | None = None


def ward_label(code: int, name: str) -> str:
    """How a ward is named in messages and reports: its 5-digit GSO code and its name."""
    return f"{code:05d} {name}"


def listing(labels: Iterable[str]) -> str:
    """A few labels, then how many more: messages stay readable for a whole province."""
    labels = list(labels)
    more = f" (+{len(labels) - SHOWN})" if len(labels) > SHOWN else ""
    return ", ".join(labels[:SHOWN]) + more


def check_wards(session: Session, codes: tuple[int, ...], kind: str | None,
                province_code: int | None, office: PostOffice | None) -> CheckedWards:
    """Wards an office of ``kind`` in ``province_code`` may serve: they exist, are in that
    province and no other office serves them. An unknown kind or province skips its check (that
    field has its own error)."""
    if not codes:
        return CheckedWards(())
    if kind is not None and kind != "delivery_office":
        return CheckedWards((), "chỉ bưu cục phát phục vụ phường xã / only a delivery office "
                                "serves wards")
    wards = {w.code: w for w in session.exec(select(Ward).where(col(Ward.code).in_(codes)))}
    unknown = [f"{code:05d}" for code in codes if code not in wards]
    if unknown:
        return CheckedWards((), f"không có phường xã mã / no ward with code: {listing(unknown)}")
    outside = [ward_label(w.code, w.name) for w in wards.values()
               if province_code is not None and w.province_code != province_code]
    if outside:
        return CheckedWards((), f"không thuộc tỉnh {province_code:02d} của bưu cục / not in the "
                                f"office's province {province_code:02d}: {listing(outside)}")
    taken = session.exec(select(OfficeWard.ward_code, PostOffice.code, PostOffice.name)
                         .join(PostOffice, col(PostOffice.id) == OfficeWard.office_id)
                         .where(col(OfficeWard.ward_code).in_(codes),
                                OfficeWard.office_id != (office.id if office else None))).all()
    if taken:
        served = [f"{ward_label(ward, wards[ward].name)} ({code} {name})"
                  for ward, code, name in taken]
        return CheckedWards((), "đã do bưu cục khác phát, bỏ ở bưu cục đó trước / already served "
                                f"by another office, take it off there first: {listing(served)}")
    return CheckedWards(tuple(codes))


def check_agencies(session: Session, codes: tuple[str, ...], kind: str | None) -> CheckedAgencies:
    """Agencies an office of ``kind`` may serve: it is a counter office and they exist."""
    codes = tuple(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))
    if not codes:
        return CheckedAgencies(())
    if kind is not None and kind != "counter":
        return CheckedAgencies((), "chỉ bưu cục tại quầy một cửa (counter) phục vụ cơ quan / "
                                   "only a counter office serves agencies")
    found = dict(session.exec(select(Agency.code, Agency.id)
                              .where(col(Agency.code).in_(codes))).all())
    unknown = [code for code in codes if code not in found]
    if unknown:
        return CheckedAgencies((), f"không có cơ quan / no agency with code: {listing(unknown)}")
    return CheckedAgencies(tuple(found[code] for code in codes))


def write_wards(session: Session, office: PostOffice, codes: tuple[int, ...]) -> bool:
    """Make ``codes`` (checked) the office's wards; wards it no longer serves leave its beats too.
    Returns whether anything changed."""
    current = {row.ward_code: row for row in
               session.exec(select(OfficeWard).where(OfficeWard.office_id == office.id))}
    added, gone = set(codes) - current.keys(), current.keys() - set(codes)
    for code in added:
        session.add(OfficeWard(ward_code=code, office_id=office.id))
    for code in gone:
        session.delete(current[code])
    if gone:
        for beat_ward in session.exec(select(BeatWard).join(Beat, col(Beat.id) == BeatWard.beat_id)
                                      .where(Beat.office_id == office.id,
                                             col(BeatWard.ward_code).in_(gone))):
            session.delete(beat_ward)
    return bool(added or gone)


def write_agencies(session: Session, office: PostOffice, agency_ids: tuple[int, ...]) -> bool:
    """Make ``agency_ids`` (checked) the agencies the office serves; whether anything changed."""
    current = {row.agency_id: row for row in
               session.exec(select(OfficeAgency).where(OfficeAgency.office_id == office.id))}
    added, gone = set(agency_ids) - current.keys(), current.keys() - set(agency_ids)
    for agency_id in added:
        session.add(OfficeAgency(office_id=office.id, agency_id=agency_id))
    for agency_id in gone:
        session.delete(current[agency_id])
    return bool(added or gone)


def served_wards(session: Session, office: PostOffice) -> tuple[int, ...]:
    return tuple(session.exec(select(OfficeWard.ward_code).where(OfficeWard.office_id == office.id)
                              .order_by(OfficeWard.ward_code)).all())


def served_agencies(session: Session, office: PostOffice) -> tuple[str, ...]:
    return tuple(session.exec(select(Agency.code)
                              .join(OfficeAgency, col(OfficeAgency.agency_id) == Agency.id)
                              .where(OfficeAgency.office_id == office.id)
                              .order_by(Agency.code)).all())
