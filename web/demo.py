"""Demo data for a first run and for acceptance scripts: two agencies (Hà Nội, TP. Hồ Chí Minh),
each served by a counter office of its own, hubs and delivery offices in both cities with a courier
and a beat (tuyến phát) each, a supervisor, and one API client per agency; so a newcomer sees who
sees what (print_summary says it).

Idempotent: running it again changes nothing, except that DEMO_PASSWORD / DEMO_API_KEY /
DEMO_API_KEY_2, when set, are applied to the existing demo users and clients.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import click
from flask import current_app
from sqlmodel import Session, select

from delivery.accounts import create_api_client, create_user, hash_api_key, set_password
from delivery.models import Agency, ApiClient, OfficeWard, PostOffice, User, Ward
from delivery.organisation import Beat, BeatWard, OfficeAgency

DEFAULT_DEMO_PASSWORD = "demo-password"
AGENCY = {"code": "000.00.01.H26", "name": "Trung tâm Phục vụ hành chính công Thành phố Hà Nội",
          "province_code": 1}
AGENCY_2 = {"code": "000.00.01.H29",
            "name": "Trung tâm Phục vụ hành chính công Thành phố Hồ Chí Minh", "province_code": 79}
# (code, name, kind, province code, names of the wards it delivers to)
OFFICES = [
    ("100000", "Bưu điện Trung tâm Phục vụ HCC Hà Nội", "counter", 1, []),
    ("100900", "Trung tâm Khai thác chia chọn Hà Nội", "hub", 1, []),
    ("100100", "Bưu cục phát Hoàn Kiếm", "delivery_office", 1,
     ["Phường Hoàn Kiếm", "Phường Cửa Nam"]),
    ("700900", "Trung tâm Khai thác chia chọn TP. Hồ Chí Minh", "hub", 79, []),
    ("820000", "Bưu cục phát Dĩ An", "delivery_office", 79,
     ["Phường Dĩ An", "Phường Đông Hòa", "Phường Tân Đông Hiệp"]),
    ("700000", "Bưu điện Trung tâm Phục vụ HCC TP. Hồ Chí Minh", "counter", 79, []),
]
# (counter office code, agency code): whose items each counter takes in and sees
SERVES = [("100000", AGENCY["code"]), ("700000", AGENCY_2["code"])]
# Where and when citizens collect items held for pick-up (told by SMS and on the tracking page).
OFFICE_PLACES = {
    "100000": ("Tầng 1, 258 Võ Chí Công, Phường Phú Thượng, Hà Nội",
               "8:00-17:00, thứ Hai - thứ Sáu"),
    "100100": ("75 Đinh Tiên Hoàng, Phường Hoàn Kiếm, Hà Nội", "7:30-19:00, thứ Hai - thứ Bảy"),
    "820000": ("8 Đường số 10, Phường Dĩ An, TP. Hồ Chí Minh", "7:30-17:30, thứ Hai - thứ Bảy"),
}
USERS = [("counter", "counter", "100000"), ("courier", "courier", "100100"),
         ("supervisor", "supervisor", "100000"), ("counter2", "counter", "700000"),
         ("courier2", "courier", "820000")]
# (delivery office code, beat code, beat name, courier, names of some of the office's wards)
BEATS = [("100100", "HK-01", "Tuyến phát 1 Hoàn Kiếm", "courier", ["Phường Hoàn Kiếm"]),
         ("820000", "DA-01", "Tuyến phát 1 Dĩ An", "courier2", ["Phường Dĩ An", "Phường Đông Hòa"])]
API_CLIENT, API_CLIENT_2 = "demo-upstream", "demo-upstream-hcm"
# What each login sees (the access rules of issue 16), as print_summary tells it.
WHO_SEES_WHAT = [
    ("counter", f"quầy 100000: bưu gửi của {AGENCY['code']} (Hà Nội)",
     f"counter 100000: items of {AGENCY['code']}"),
    ("counter2", f"quầy 700000: bưu gửi của {AGENCY_2['code']} (TP. Hồ Chí Minh)",
     f"counter 700000: items of {AGENCY_2['code']}"),
    ("courier", "bưu cục phát 100100 Hoàn Kiếm, tuyến HK-01",
     "delivery office 100100, beat HK-01"),
    ("courier2", "bưu cục phát 820000 Dĩ An, tuyến DA-01", "delivery office 820000, beat DA-01"),
    ("supervisor", f"giám sát quầy 100000: bưu gửi của {AGENCY['code']}, hộp thư đi, nhật ký",
     f"supervisor at counter 100000: items of {AGENCY['code']}, outbox and audit pages"),
]


@dataclass
class DemoSummary:
    password: str
    api_key: str | None
    users: list[str] = field(default_factory=list)
    api_key_2: str | None = None


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


def _users(session: Session, password: str, reset: bool) -> None:
    """The demo users, created with ``password`` (set again when ``reset``). It is hashed once and
    the hash shared: they all have the same printed password anyway, and Argon2 is slow on purpose
    (~0.25 s a hash) while the tests seed the demo hundreds of times."""
    shared: str | None = None
    for username, role, office_code in USERS:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None and shared is None:
            user = create_user(session, username, password, role, office_code)
        elif user is None:
            user = User(username=username, password_hash=shared, role=role,
                        office_id=_office_id(session, office_code) if office_code else None)
            session.add(user)
        elif not reset:
            continue
        elif shared is None:
            set_password(user, password)
        else:
            user.password_hash = shared
        shared = user.password_hash


def _agency(session: Session, values: dict[str, Any], webhook: bool) -> Agency:
    """The demo agency ``values`` (the first one gets DEMO_WEBHOOK_URL / _SECRET when new)."""
    agency = session.exec(select(Agency).where(Agency.code == values["code"])).first()
    if agency is None:
        hook = ({"webhook_url": os.environ.get("DEMO_WEBHOOK_URL") or None,
                 "webhook_secret": os.environ.get("DEMO_WEBHOOK_SECRET") or None}
                if webhook else {})
        agency = Agency(**values, **hook)
        session.add(agency)
        session.flush()
    # an agency seeded before agencies had a province; keep an edited one
    agency.province_code = agency.province_code or values["province_code"]
    return agency


def _office_id(session: Session, code: str) -> int:
    return session.exec(select(PostOffice.id).where(PostOffice.code == code)).one()


def _serves(session: Session, office_code: str, agency_code: str) -> None:
    office_id = _office_id(session, office_code)
    agency_id = session.exec(select(Agency.id).where(Agency.code == agency_code)).one()
    if session.get(OfficeAgency, (office_id, agency_id)) is None:
        session.add(OfficeAgency(office_id=office_id, agency_id=agency_id))


def _beat(session: Session, office_code: str, code: str, name: str, courier: str,
          wards: list[str]) -> None:
    """The beat with its courier and wards, when it is not there yet (an admin may have changed
    it since)."""
    office_id = _office_id(session, office_code)
    if session.exec(select(Beat).where(Beat.office_id == office_id, Beat.code == code)).first():
        return
    courier_id = session.exec(select(User.id).where(User.username == courier)).one()
    beat = Beat(office_id=office_id, code=code, name=name, courier_id=courier_id)
    session.add(beat)
    session.flush()
    served = select(OfficeWard.ward_code).join(Ward, Ward.code == OfficeWard.ward_code).where(
        OfficeWard.office_id == office_id, Ward.name.in_(wards))
    for ward_code in session.exec(served).all():
        session.add(BeatWard(beat_id=beat.id, ward_code=ward_code))


def _api_client(session: Session, name: str, agency: Agency, key: str | None) -> str | None:
    client = session.exec(select(ApiClient).where(ApiClient.name == name)).first()
    if client is None:
        return create_api_client(session, name, "intake scan read", agency.id, key=key)[1]
    if key:
        client.key_hash = hash_api_key(key)
    return key


def seed_demo(session: Session) -> DemoSummary:
    """Create what is missing and commit. Returns the logins to show."""
    agency = _agency(session, AGENCY, webhook=True)
    agency_2 = _agency(session, AGENCY_2, webhook=False)
    for office in OFFICES:
        _office(session, *office)
    session.flush()
    for office_code, agency_code in SERVES:
        _serves(session, office_code, agency_code)
    password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    _users(session, password, reset="DEMO_PASSWORD" in os.environ)
    session.flush()
    for beat in BEATS:
        _beat(session, *beat)
    key = _api_client(session, API_CLIENT, agency, os.environ.get("DEMO_API_KEY") or None)
    key_2 = _api_client(session, API_CLIENT_2, agency_2, os.environ.get("DEMO_API_KEY_2") or None)
    session.commit()
    return DemoSummary(password=password, api_key=key, users=[u[0] for u in USERS],
                       api_key_2=key_2)


def _print_key(name: str, agency_code: str, key: str | None, variable: str) -> None:
    if key:
        click.echo(f"  API key of '{name}' (agency {agency_code}, scopes intake scan read): {key}")
    else:
        click.echo(f"  API client '{name}' (agency {agency_code}) already exists; "
                   f"set {variable} to choose its key")


def print_summary(summary: DemoSummary) -> None:
    base = current_app.config["PUBLIC_BASE_URL"]
    click.echo(f"\nDemo ready. Open {base}/login")
    click.echo(f"  Logins (password '{summary.password}'): {', '.join(summary.users)}")
    for username, vietnamese, english in WHO_SEES_WHAT:
        click.echo(f"    {username:<11} {vietnamese} / {english}")
    click.echo(f"  Counter: {base}/counter   Courier: {base}/courier   "
               f"API: {base}/api/v1/openapi.json")
    _print_key(API_CLIENT, AGENCY["code"], summary.api_key, "DEMO_API_KEY")
    _print_key(API_CLIENT_2, AGENCY_2["code"], summary.api_key_2, "DEMO_API_KEY_2")
    config = current_app.config
    if config["DELIVERY_OTP_REQUIRED"] and config["SMS_GATEWAY"] == "console":
        click.echo("  OTP: mỗi lần phát cần mã OTP nhắn cho người nhận; bản demo in tin nhắn ra "
                   "cửa sổ này (tìm 'OTP nhận') / every delivery needs the OTP texted to the "
                   "recipient; the demo prints each SMS in this console (look for 'OTP nhận')")
    click.echo(f"  Health: {base}/healthz   Readiness: {base}/readyz\n")
