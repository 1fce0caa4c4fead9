"""Reference data: the 34 provinces and 3,321 wards (official GSO codes) from
``vietnam-provinces``."""

from __future__ import annotations

from sqlmodel import Session, select

from ..models import Province, Ward
from .resolve import iter_reference_provinces, iter_reference_wards


def load_reference_data(session: Session) -> tuple[int, int]:
    """Insert missing units and correct renamed ones (no commit); idempotent. Returns (provinces,
    wards)."""
    provinces = {p.code: p for p in session.exec(select(Province)).all()}
    province_rows = list(iter_reference_provinces())
    for code, name, _ in province_rows:
        _upsert(session, provinces.get(code), Province(code=code, name=name))
    session.flush()
    wards = {w.code: w for w in session.exec(select(Ward)).all()}
    ward_rows = list(iter_reference_wards())
    for code, name, province_code in ward_rows:
        _upsert(session, wards.get(code), Ward(code=code, name=name, province_code=province_code))
    session.flush()
    return len(province_rows), len(ward_rows)


def _upsert(session: Session, existing: Province | Ward | None, fresh: Province | Ward) -> None:
    if existing is None:
        session.add(fresh)
    elif existing.name != fresh.name:
        existing.name = fresh.name
