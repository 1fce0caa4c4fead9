"""A generated month for the service quality figures: September 2026 (2 and 3 September are the
National Day holiday, which is why some due dates jump them), two agencies, three delivery
offices and a hub, four couriers, failures, returns and ratings. Every row is written as it is:
the tests compute the expected figures by hand from the table below (see the comments there).

Items (times in Vietnam; "d" delivered, "f" failed with reason, "r" returned to the agency):
 n  office agency created       due            what happened                      payer      VND
 1  O1     A1     09-01 08:00   09-04 17:00    d 09-03 10:00 c1                   recipient 20000
 2  O1     A1     09-01 09:00   09-07 17:00    f absent 09-04 c1, d 09-05 10:00 c1 recipient 30000
 3  O1     A1     09-04 08:00   09-08 17:00    f address 09-07 c2, f absent 09-08 c2, r 09-10
 4  O1     A1     09-10 08:00   09-14 17:00    d 09-16 09:00 c2 (late)            agency
 5  O1     A1     09-20 08:00   09-23 17:00    out for delivery with c1 since 09-23 recipient 15000
 6  O1     A1     09-25 08:00   10-20 17:00    at the office                      recipient 10000
 7  O1     A1     08-28 08:00   09-01 17:00    d 09-01 09:00 c1                   recipient 25000
 8  O1     A1     09-15 08:00   09-18 17:00    f refused 09-17 c1 -> returning    recipient  9000
 9  O1     A1     09-30 23:30   10-03 17:00    created (not handed over)          recipient  5000
10  O1     A1     10-01 00:30   10-30 17:00    created                            recipient  7000
11  O1     A1     09-02 10:00   (none)         d 09-08 10:00 c1                   prepaid
12  O1     A1     09-11 08:00   09-15 17:00    f closed 09-12 c1, d 09-14 10:00 c1 recipient 12000
13  O1     A1     09-28 08:00   10-01 17:00    d 10-01 00:30 c1 (October)         agency
14  O1     A1     08-31 08:00   09-02 17:00    d 09-01 00:10 c2                   agency
15  O2     A1     09-05 08:00   09-09 17:00    f absent 09-09 c3, f moved 09-10 c3, r 09-12
16  O2     A1     09-06 08:00   09-10 17:00    d 09-10 18:00 c3 (late by an hour) recipient 40000
17  O2     A1     09-14 08:00   09-17 17:00    f absent 09-15 c3 (attempt failed) recipient  8000
18  O3     A2     09-03 08:00   09-05 17:00    d 09-04 07:00 c4                   recipient 50000
19  O3     A2     09-03 09:00   09-06 17:00    f identity 09-04 c4, f other 09-05 c4, r 09-07
20  O3     A2     09-21 08:00   09-24 17:00    in transit, last scanned at the HCM hub H3
Ratings: 1 ★5 "Rất nhanh" 09-04, 2 ★4 09-06, 4 ★2 "Phát muộn" 09-17, 7 ★5 "Tốt" 09-02,
16 ★3 "Bình thường" 09-11, 18 ★1 "Không gọi trước" 09-05, 13 ★4 "Ổn" 10-02 (October).
"Now" is 2026-10-05 00:00 in Vietnam.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlmodel import Session, select

from delivery.accounts import create_user
from delivery.models import Agency, Consignment, PostOffice, TrackingEvent, Ward
from delivery.s10 import compose
from delivery.status_model import UPU_CODES
from tracking.models import Rating

VN = timezone(timedelta(hours=7))
NOW = datetime(2026, 10, 5, 0, 0, tzinfo=VN)
PASSWORD = "test-password-123"
HANOI, HCMC = 1, 79


def at(month_day: str, hour_minute: str = "08:00") -> datetime:
    """A Vietnam time in 2026 from "MM-DD" and "HH:MM"."""
    return datetime.fromisoformat(f"2026-{month_day}T{hour_minute}:00+07:00")


# n: (office, agency, created, due, status, attempts, payer, amount, courier on the round)
ITEMS = {
    1: ("O1", "A1", at("09-01"), at("09-04", "17:00"), "delivered", 0, "recipient", 20000),
    2: ("O1", "A1", at("09-01", "09:00"), at("09-07", "17:00"), "delivered", 1, "recipient",
        30000),
    3: ("O1", "A1", at("09-04"), at("09-08", "17:00"), "returned", 2, "agency", 0),
    4: ("O1", "A1", at("09-10"), at("09-14", "17:00"), "delivered", 0, "agency", 0),
    5: ("O1", "A1", at("09-20"), at("09-23", "17:00"), "out_for_delivery", 0, "recipient", 15000),
    6: ("O1", "A1", at("09-25"), at("10-20", "17:00"), "at_delivery_office", 0, "recipient",
        10000),
    7: ("O1", "A1", at("08-28"), at("09-01", "17:00"), "delivered", 0, "recipient", 25000),
    8: ("O1", "A1", at("09-15"), at("09-18", "17:00"), "returning", 1, "recipient", 9000),
    9: ("O1", "A1", at("09-30", "23:30"), at("10-03", "17:00"), "created", 0, "recipient", 5000),
    10: ("O1", "A1", at("10-01", "00:30"), at("10-30", "17:00"), "created", 0, "recipient", 7000),
    11: ("O1", "A1", at("09-02", "10:00"), None, "delivered", 0, "prepaid", 0),
    12: ("O1", "A1", at("09-11"), at("09-15", "17:00"), "delivered", 1, "recipient", 12000),
    13: ("O1", "A1", at("09-28"), at("10-01", "17:00"), "delivered", 0, "agency", 0),
    14: ("O1", "A1", at("08-31"), at("09-02", "17:00"), "delivered", 0, "agency", 0),
    15: ("O2", "A1", at("09-05"), at("09-09", "17:00"), "returned", 2, "agency", 0),
    16: ("O2", "A1", at("09-06"), at("09-10", "17:00"), "delivered", 0, "recipient", 40000),
    17: ("O2", "A1", at("09-14"), at("09-17", "17:00"), "attempt_failed", 1, "recipient", 8000),
    18: ("O3", "A2", at("09-03"), at("09-05", "17:00"), "delivered", 0, "recipient", 50000),
    19: ("O3", "A2", at("09-03", "09:00"), at("09-06", "17:00"), "returned", 2, "agency", 0),
    20: ("O3", "A2", at("09-21"), at("09-24", "17:00"), "in_transit", 0, "agency", 0),
}
# n: [(event, when, actor's username or office code, reason)]
EVENTS = {
    1: [("delivered", at("09-03", "10:00"), "c1", None)],
    2: [("delivery_failed", at("09-04", "10:00"), "c1", "recipient_absent"),
        ("delivered", at("09-05", "10:00"), "c1", None)],
    3: [("delivery_failed", at("09-07", "10:00"), "c2", "address_incorrect"),
        ("delivery_failed", at("09-08", "10:00"), "c2", "recipient_absent"),
        ("returned_to_agency", at("09-10", "10:00"), "s1", None)],
    4: [("delivered", at("09-16", "09:00"), "c2", None)],
    5: [("out_for_delivery", at("09-23", "08:00"), "c1", None)],
    7: [("delivered", at("09-01", "09:00"), "c1", None)],
    8: [("delivery_failed", at("09-17", "10:00"), "c1", "recipient_refused")],
    11: [("delivered", at("09-08", "10:00"), "c1", None)],
    12: [("delivery_failed", at("09-12", "10:00"), "c1", "premises_closed"),
         ("delivered", at("09-14", "10:00"), "c1", None)],
    13: [("delivered", at("10-01", "00:30"), "c1", None)],
    14: [("delivered", at("09-01", "00:10"), "c2", None)],
    15: [("delivery_failed", at("09-09", "10:00"), "c3", "recipient_absent"),
         ("delivery_failed", at("09-10", "10:00"), "c3", "recipient_moved"),
         ("returned_to_agency", at("09-12", "10:00"), "s2", None)],
    16: [("delivered", at("09-10", "18:00"), "c3", None)],
    17: [("delivery_failed", at("09-15", "10:00"), "c3", "recipient_absent")],
    18: [("delivered", at("09-04", "07:00"), "c4", None)],
    19: [("delivery_failed", at("09-04", "10:00"), "c4", "identity_not_verified"),
         ("delivery_failed", at("09-05", "10:00"), "c4", "other"),
         ("returned_to_agency", at("09-07", "10:00"), "s3", None)],
    20: [("arrived_hub", at("09-22", "06:00"), "H3", None)],
}
RATINGS = {1: (5, "Rất nhanh", at("09-04")), 2: (4, None, at("09-06")),
           4: (2, "Phát muộn", at("09-17")), 7: (5, "Tốt", at("09-02")),
           16: (3, "Bình thường", at("09-11")), 18: (1, "Không gọi trước", at("09-05")),
           13: (4, "Ổn", at("10-02"))}
# office code: (name, kind, province); user: (role, office)
OFFICES = {"O1": ("Bưu cục phát Hoàn Kiếm", "delivery_office", HANOI),
           "O2": ("Bưu cục phát Ba Đình", "delivery_office", HANOI),
           "O3": ("Bưu cục phát Sài Gòn", "delivery_office", HCMC),
           "H3": ("Trung tâm khai thác TP. Hồ Chí Minh", "hub", HCMC)}
USERS = {"c1": ("courier", "O1"), "c2": ("courier", "O1"), "c3": ("courier", "O2"),
         "c4": ("courier", "O3"), "s1": ("supervisor", "O1"), "s2": ("supervisor", "O2"),
         "s3": ("supervisor", "O3")}
AGENCIES = {"A1": ("000.00.01.H26", "Trung tâm PVHCC Hà Nội", HANOI),
            "A2": ("000.00.01.H29", "Trung tâm PVHCC TP. Hồ Chí Minh", HCMC)}


@dataclass(frozen=True)
class Month:
    """Ids of what was made: offices and agencies by their short names, users by username,
    items' tracking numbers by n."""

    offices: dict[str, int]
    agencies: dict[str, int]
    users: dict[str, int]
    numbers: dict[int, str]


def make_month(session: Session) -> Month:
    """Write the month (committed)."""
    agencies = {key: _agency(session, *value) for key, value in AGENCIES.items()}
    offices = {key: _office(session, key, *value) for key, value in OFFICES.items()}
    session.commit()
    users = {name: create_user(session, name, PASSWORD, role, office).id
             for name, (role, office) in USERS.items()}
    wards = {p: session.exec(select(Ward.code).where(Ward.province_code == p)).first()
             for p in (HANOI, HCMC)}
    numbers, serials = {}, itertools.count(90_000_001)
    for n, spec in ITEMS.items():
        item = _item(n, spec, next(serials), agencies, offices, wards,
                     courier=users["c1"] if n == 5 else None)
        session.add(item)
        session.flush()
        numbers[n] = item.tracking_number
        for index, (event, when, who, reason) in enumerate(EVENTS.get(n, [])):
            session.add(_event(item, n, index, event, when, who, reason, users, offices))
        if n in RATINGS:
            stars, comment, given = RATINGS[n]
            session.add(Rating(consignment_id=item.id, stars=stars, comment=comment,
                               created_at=given, updated_at=given))
    session.commit()
    return Month(offices, agencies, users, numbers)


def _agency(session: Session, code: str, name: str, province: int) -> int:
    """The agency with ``code`` (the demo's, when the browser tests seeded it), else a new one."""
    agency = session.exec(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        agency = Agency(code=code, name=name, province_code=province)
        session.add(agency)
        session.flush()
    return agency.id


def _office(session: Session, code: str, name: str, kind: str, province: int) -> int:
    office = PostOffice(code=code, name=name, kind=kind, province_code=province)
    session.add(office)
    session.flush()
    return office.id


def _item(n: int, spec: tuple, serial: int, agencies: dict[str, int], offices: dict[str, int],
          wards: dict[int, int], courier: int | None) -> Consignment:
    office, agency, created, due, status, attempts, payer, amount = spec
    province = OFFICES[office][2]
    return Consignment(
        tracking_number=compose("RR", serial), tracking_token=f"quality-token-{n}",
        dossier_code=f"{AGENCIES[agency][0]}-260901-{n:04d}", request_fingerprint=str(n),
        agency_id=agencies[agency], destination_office_id=offices[office],
        recipient_name="Nguyễn Văn An", recipient_phone="0912345678",
        address_text="Số 1 phố Huế", street="Số 1 phố Huế", ward_code=wards[province],
        province_code=province, payer=payer, amount_vnd=amount, status=status,
        attempts=attempts, created_at=created, updated_at=created, due_at=due,
        courier_id=courier)


def _event(item: Consignment, n: int, index: int, event: str, when: datetime, who: str,
           reason: str | None, users: dict[str, int], offices: dict[str, int]) -> TrackingEvent:
    office = offices[who] if who in offices else offices[ITEMS[n][0]]
    actor = f"office:{who}" if who in offices else f"user:{users[who]}"
    return TrackingEvent(
        client_event_id=f"quality-{n}-{index}", consignment_id=item.id, event=event,
        upu_code=UPU_CODES[event] or "", status_before="", status_after="", occurred_at=when,
        recorded_at=when, office_id=office, actor=actor, reason=reason, fingerprint="x")
