"""Lookups that the API and pages share, each owning its NotFound."""

from __future__ import annotations

from sqlmodel import Session, select

from . import s10
from .access import Scope, not_found, visible
from .errors import NotFound
from .models import Agency, Consignment


def get_consignment(session: Session, tracking_number: str, scope: Scope) -> Consignment:
    """The consignment with this S10 number (spaces and case forgiven) when ``scope`` sees it;
    raises NotFound otherwise, exactly as for a number that does not exist."""
    number = s10.normalise(tracking_number or "")
    consignment = session.exec(select(Consignment).where(
        Consignment.tracking_number == number, visible(scope))).first()
    if consignment is None:
        raise not_found(number)
    return consignment


def get_agency(session: Session, code: str) -> Agency:
    agency = session.exec(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        raise NotFound(f"không có cơ quan / no agency with code {code!r}")
    return agency
