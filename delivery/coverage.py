"""Where the organisation directory leaves gaps, per province: wards no delivery office serves (an
item for them can only go to the province's hub), delivery offices without an active courier, and
agencies no counter office serves. The CLI's coverage-report and the admin pages read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from .models import Agency, OfficeWard, PostOffice, Province, User, Ward
from .organisation import OfficeAgency
from .served import ward_label


@dataclass(frozen=True)
class ProvinceCoverage:
    """One province's gaps. Labels are "code name"; ``code`` is None for agencies that have no
    province set."""

    code: int | None
    name: str
    ward_count: int
    wards_without_office: tuple[str, ...]
    offices_without_couriers: tuple[str, ...]
    agencies_without_counter: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not (self.wards_without_office or self.offices_without_couriers
                    or self.agencies_without_counter)


def coverage_report(session: Session, province_code: int | None = None) -> list[ProvinceCoverage]:
    """Every province (or only ``province_code``) by code, then, when some agency has no province,
    an entry for those. Reads only."""
    wards = _wards_without_office(session)
    offices = _offices_without_couriers(session)
    agencies = _agencies_without_counter(session)
    totals = dict(session.exec(select(Ward.province_code, func.count())
                               .group_by(Ward.province_code)).all())
    report = [ProvinceCoverage(province.code, province.name, totals.get(province.code, 0),
                               tuple(wards.get(province.code, ())),
                               tuple(offices.get(province.code, ())),
                               tuple(agencies.get(province.code, ())))
              for province in session.exec(select(Province).order_by(Province.code))
              if province_code in (None, province.code)]
    if province_code is None and agencies.get(None):
        report.append(ProvinceCoverage(None, "chưa ghi tỉnh / no province", 0, (), (),
                                       tuple(agencies[None])))
    return report


def _wards_without_office(session: Session) -> dict[int, list[str]]:
    rows = session.exec(select(Ward.province_code, Ward.code, Ward.name)
                        .outerjoin(OfficeWard, col(OfficeWard.ward_code) == Ward.code)
                        .where(col(OfficeWard.office_id).is_(None))
                        .order_by(Ward.province_code, Ward.code))
    found: dict[int, list[str]] = {}
    for province, code, name in rows:
        found.setdefault(province, []).append(ward_label(code, name))
    return found


def _offices_without_couriers(session: Session) -> dict[int, list[str]]:
    couriers = (select(User.id).where(User.office_id == PostOffice.id, User.role == "courier",
                                      col(User.active).is_(True)).exists())
    rows = session.exec(select(PostOffice.province_code, PostOffice.code, PostOffice.name)
                        .where(PostOffice.kind == "delivery_office", ~couriers)
                        .order_by(PostOffice.code))
    found: dict[int, list[str]] = {}
    for province, code, name in rows:
        found.setdefault(province, []).append(f"{code} {name}")
    return found


def _agencies_without_counter(session: Session) -> dict[int | None, list[str]]:
    counters = (select(OfficeAgency.office_id)
                .join(PostOffice, col(PostOffice.id) == OfficeAgency.office_id)
                .where(OfficeAgency.agency_id == Agency.id, PostOffice.kind == "counter").exists())
    rows = session.exec(select(Agency.province_code, Agency.code, Agency.name)
                        .where(~counters).order_by(Agency.code))
    found: dict[int | None, list[str]] = {}
    for province, code, name in rows:
        found.setdefault(province, []).append(f"{code} {name}")
    return found
