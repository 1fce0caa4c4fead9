"""Demo data for a first run and for acceptance scripts: one agency, a few offices, three users,
one API client.

Idempotent: running it again changes nothing, except that DEMO_PASSWORD / DEMO_API_KEY, when set,
are applied to the existing demo users and client.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import click
from flask import current_app
from sqlmodel import Session, select

from delivery.accounts import create_api_client, create_user, hash_api_key, set_password
from delivery.models import Agency, ApiClient, OfficeWard, PostOffice, User, Ward
from delivery.organisation import OfficeAgency

DEFAULT_DEMO_PASSWORD = "demo-password"
AGENCY = {"code": "000.00.01.H26", "name": "Trung tâm Phục vụ hành chính công Thành phố Hà Nội"}
# (code, name, kind, province code, names of the wards it delivers to)
OFFICES = [
    ("100000", "Bưu điện Trung tâm Phục vụ HCC Hà Nội", "counter", 1, []),
    ("100900", "Trung tâm Khai thác chia chọn Hà Nội", "hub", 1, []),
    ("100100", "Bưu cục phát Hoàn Kiếm", "delivery_office", 1,
     ["Phường Hoàn Kiếm", "Phường Cửa Nam"]),
    ("700900", "Trung tâm Khai thác chia chọn TP. Hồ Chí Minh", "hub", 79, []),
    ("820000", "Bưu cục phát Dĩ An", "delivery_office", 79,
     ["Phường Dĩ An", "Phường Đông Hòa", "Phường Tân Đông Hiệp"]),
]
# Where and when citizens collect items held for pick-up (told by SMS and on the tracking page).
OFFICE_PLACES = {
    "100000": ("Tầng 1, 258 Võ Chí Công, Phường Phú Thượng, Hà Nội",
               "8:00-17:00, thứ Hai - thứ Sáu"),
    "100100": ("75 Đinh Tiên Hoàng, Phường Hoàn Kiếm, Hà Nội", "7:30-19:00, thứ Hai - thứ Bảy"),
    "820000": ("8 Đường số 10, Phường Dĩ An, TP. Hồ Chí Minh", "7:30-17:30, thứ Hai - thứ Bảy"),
}
USERS = [("counter", "counter", "100000"), ("courier", "courier", "100100"),
         ("supervisor", "supervisor", "100000")]
API_CLIENT = "demo-upstream"


@dataclass
class DemoSummary:
    password: str
    api_key: str | None
    users: list[str] = field(default_factory=list)


def _office(session: Session, code: str, name: str, kind: str, province: int,
            wards: list[str]) -> None:
    office = session.exec(select(PostOffice).where(PostOffice.code == code)).first()
    if office is None:
        office = PostOffice(code=code, name=name, kind=kind, province_code=province)
        session.add(office)
        session.flush()
    address, hours = OFFICE_PLACES.get(code, ("", ""))
    # keep edits
    office.address, office.opening_hours = office.address or address, office.opening_hours or hours
    for ward in session.exec(select(Ward).where(Ward.province_code == province,
                                                Ward.name.in_(wards))).all():
        if session.get(OfficeWard, ward.code) is None:
            session.add(OfficeWard(ward_code=ward.code, office_id=office.id))


def _serves(session: Session, office_code: str, agency: Agency) -> None:
    """The counter office serves the agency: its staff see the agency's items."""
    office = session.exec(select(PostOffice).where(PostOffice.code == office_code)).one()
    if session.get(OfficeAgency, (office.id, agency.id)) is None:
        session.add(OfficeAgency(office_id=office.id, agency_id=agency.id))


def _user(session: Session, username: str, role: str, office: str | None, password: str,
          reset: bool) -> None:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        create_user(session, username, password, role, office)
    elif reset:
        set_password(user, password)


def _api_client(session: Session, agency: Agency, key: str | None) -> str | None:
    client = session.exec(select(ApiClient).where(ApiClient.name == API_CLIENT)).first()
    if client is None:
        return create_api_client(session, API_CLIENT, "intake scan read", agency.id, key=key)[1]
    if key:
        client.key_hash = hash_api_key(key)
    return key


def seed_demo(session: Session) -> DemoSummary:
    """Create what is missing and commit. Returns the logins to show."""
    agency = session.exec(select(Agency).where(Agency.code == AGENCY["code"])).first()
    if agency is None:
        agency = Agency(**AGENCY, webhook_url=os.environ.get("DEMO_WEBHOOK_URL") or None,
                        webhook_secret=os.environ.get("DEMO_WEBHOOK_SECRET") or None)
        session.add(agency)
        session.flush()
    for office in OFFICES:
        _office(session, *office)
    session.flush()
    _serves(session, "100000", agency)
    password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    for username, role, office_code in USERS:
        _user(session, username, role, office_code, password, reset="DEMO_PASSWORD" in os.environ)
    key = _api_client(session, agency, os.environ.get("DEMO_API_KEY") or None)
    session.commit()
    return DemoSummary(password=password, api_key=key, users=[u[0] for u in USERS])


def print_summary(summary: DemoSummary) -> None:
    base = current_app.config["PUBLIC_BASE_URL"]
    click.echo(f"\nDemo ready. Open {base}/login")
    click.echo(f"  Logins (password '{summary.password}'): {', '.join(summary.users)}")
    click.echo(f"  Counter: {base}/counter   Courier: {base}/courier   "
               f"API: {base}/api/v1/openapi.json")
    if summary.api_key:
        click.echo(f"  API key of '{API_CLIENT}' (scopes intake scan read): {summary.api_key}")
    else:
        click.echo(f"  API client '{API_CLIENT}' already exists; "
                   "set DEMO_API_KEY to choose its key")
    click.echo(f"  Health: {base}/healthz   Readiness: {base}/readyz\n")
