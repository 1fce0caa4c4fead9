"""The directory as the admin pages list it: agencies with the counters serving them, offices with
what they serve, the wards an office may pick, the couriers a beat may have. Reads only; the
writes are delivery.directory's and delivery.beats'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from .models import Agency, OfficeWard, PostOffice, Province, User, Ward
from .organisation import Beat, OfficeAgency


@dataclass(frozen=True)
class AgencyLine:
    """One agency of the list: its province's name ("" for none) and the codes of the counter
    offices that serve it."""

    agency: Agency
    province: str
    counters: tuple[str, ...]


@dataclass(frozen=True)
class OfficeLine:
    """One office of the list: its province's name, how many wards it serves (a delivery
    office), the codes of the agencies it serves (a counter), its active couriers and beats."""

    office: PostOffice
    province: str
    wards: int
    agencies: tuple[str, ...]
    couriers: int
    beats: int


@dataclass(frozen=True)
class WardChoice:
    """A ward of an office's province as its picker offers it: ``served_by`` is the code of the
    other office that serves it (not to be picked), or None."""

    code: int
    name: str
    served_by: str | None


def agency_lines(session: Session) -> list[AgencyLine]:
    """Every agency, by code."""
    counters: dict[int, list[str]] = {}
    for agency_id, code in session.exec(
            select(OfficeAgency.agency_id, PostOffice.code)
            .join(PostOffice, col(PostOffice.id) == OfficeAgency.office_id)
            .where(PostOffice.kind == "counter").order_by(PostOffice.code)):
        counters.setdefault(agency_id, []).append(code)
    rows = session.exec(select(Agency, Province.name)
                        .outerjoin(Province, col(Province.code) == Agency.province_code)
                        .order_by(Agency.code))
    return [AgencyLine(agency, province or "", tuple(counters.get(agency.id, ())))
            for agency, province in rows]


def office_lines(session: Session, province_code: int | None = None,
                 kind: str | None = None) -> list[OfficeLine]:
    """The offices (of ``province_code`` and of the stored ``kind`` when given), by province,
    kind and code."""
    query = (select(PostOffice, Province.name)
             .join(Province, col(Province.code) == PostOffice.province_code)
             .order_by(PostOffice.province_code, PostOffice.kind, PostOffice.code))
    if province_code is not None:
        query = query.where(PostOffice.province_code == province_code)
    if kind is not None:
        query = query.where(PostOffice.kind == kind)
    rows = session.exec(query).all()
    wards = _counts(session, OfficeWard.office_id)
    beats = _counts(session, Beat.office_id)
    couriers = _counts(session, User.office_id, User.role == "courier",
                       col(User.active).is_(True))
    agencies: dict[int, list[str]] = {}
    for office_id, code in session.exec(
            select(OfficeAgency.office_id, Agency.code)
            .join(Agency, col(Agency.id) == OfficeAgency.agency_id).order_by(Agency.code)):
        agencies.setdefault(office_id, []).append(code)
    return [OfficeLine(office, province, wards.get(office.id, 0),
                       tuple(agencies.get(office.id, ())), couriers.get(office.id, 0),
                       beats.get(office.id, 0)) for office, province in rows]


def ward_choices(session: Session, office: PostOffice) -> list[WardChoice]:
    """Every ward of the office's province, by code, each with the other office serving it."""
    rows = session.exec(select(Ward.code, Ward.name, PostOffice.code)
                        .outerjoin(OfficeWard, col(OfficeWard.ward_code) == Ward.code)
                        .outerjoin(PostOffice, col(PostOffice.id) == OfficeWard.office_id)
                        .where(Ward.province_code == office.province_code)
                        .order_by(Ward.code))
    return [WardChoice(code, name, served_by if served_by != office.code else None)
            for code, name, served_by in rows]


def ward_names(session: Session, codes: Iterable[int]) -> dict[int, str]:
    """Ward code -> name, for the codes that exist."""
    codes = tuple(codes)
    if not codes:
        return {}
    return dict(session.exec(select(Ward.code, Ward.name).where(col(Ward.code).in_(codes))).all())


def office_couriers(session: Session, office: PostOffice) -> list[str]:
    """Usernames of the office's active couriers (those a beat may name), sorted."""
    return list(session.exec(select(User.username)
                             .where(User.office_id == office.id, User.role == "courier",
                                    col(User.active).is_(True))
                             .order_by(User.username)).all())


def _counts(session: Session, office_column: Any, *conditions: Any) -> dict[int, int]:
    """Rows per office of the table ``office_column`` belongs to."""
    return dict(session.exec(select(office_column, func.count())
                             .where(*conditions).group_by(office_column)).all())
