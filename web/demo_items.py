"""Items at every status for the demo, so that a newcomer opening the counter, the courier's round
or a tracking page sees real work rather than empty lists.

Made through the same domain calls as real ones (intake, then scans by the demo's counter clerk and
courier at their offices), with fixed dossier codes and event ids: running it again changes
nothing. Their SMS go through the outbox like any other (the demo prints them in its console).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from delivery.access import EVERYTHING
from delivery.intake import parse_intake
from delivery.models import Agency, Consignment, PostOffice, User
from tracking.scans import record_scan

from .creating import create_with_sms

RECEIVED = "261201"  # the dossiers' date in their codes (YYMMDD): fixed, so a re-run finds them
TO_OFFICE = ["accepted", "arrived_hub", "arrived_delivery_office"]
# (daily number, recipient, street, the events that bring it to its status)
ITEMS: list[tuple[int, str, str, list[str]]] = [
    (1, "Nguyễn Văn An", "Số 12 Lý Thái Tổ", []),
    (2, "Trần Thị Bình", "Số 5 Hàng Bài", ["accepted"]),
    (3, "Lê Văn Cường", "Số 18 Tràng Tiền", ["accepted", "arrived_hub"]),
    (4, "Phạm Thị Dung", "Số 7 Đinh Tiên Hoàng", TO_OFFICE),
    (5, "Hoàng Văn Em", "Số 21 Hàng Khay", [*TO_OFFICE, "out_for_delivery"]),
    (6, "Vũ Thị Giang", "Số 3 Lê Thái Tổ", [*TO_OFFICE, "out_for_delivery", "delivery_failed"]),
    (7, "Đỗ Văn Hùng", "Số 40 Hàng Gai", [*TO_OFFICE, "held_for_pickup"]),
    (8, "Bùi Thị Lan", "Số 9 Hàng Đào", [*TO_OFFICE, "out_for_delivery", "delivered"]),
    (9, "Ngô Văn Minh", "Số 14 Hàng Bạc", [*TO_OFFICE, "out_for_delivery", "refused",
                                           "returned_to_agency"]),
    (10, "Đặng Thị Ngọc", "Số 2 Hàng Ngang", ["cancelled"]),
]
# who records each event, and where: the counter clerk at the counter and the hub, the courier at
# the delivery office
COUNTER, HUB, DELIVERY = ("counter", "100000"), ("counter", "100900"), ("courier", "100100")
WHERE = {"accepted": COUNTER, "arrived_hub": HUB, "arrived_delivery_office": DELIVERY,
         "out_for_delivery": DELIVERY, "delivery_failed": DELIVERY, "held_for_pickup": DELIVERY,
         "delivered": DELIVERY, "returned_to_agency": COUNTER, "cancelled": COUNTER}
STEP = timedelta(minutes=15)
PROOF = {"received_by": "Bùi Thị Lan", "relation": "self", "id_last4": "2345",
         "collected_vnd": 22000, "payment_method": "cash"}


def _body(number: int, name: str, street: str) -> dict[str, Any]:
    return {"dossier_code": f"000.00.01.H26-{RECEIVED}-{number:04d}",
            "procedure": "Cấp giấy phép xây dựng",
            "recipient": {"name": name, "phone": f"09123456{number:02d}",
                          "national_id": "001085012345"},
            "address": f"{street}, Phường Hoàn Kiếm, Hà Nội",
            "payment": {"payer": "recipient", "amount_vnd": 22000},
            "note": "Gọi trước 30 phút" if number % 2 else None}


def _scan(session: Session, item: Consignment, step: int, event: str) -> None:
    """One scan of the demo's path, by the user and at the office that would record it."""
    refused = event == "refused"
    event = "delivery_failed" if refused else event
    username, office_code = WHERE[event]
    user = session.exec(select(User).where(User.username == username)).one()
    office = session.exec(select(PostOffice).where(PostOffice.code == office_code)).one()
    payload: dict[str, Any] = {
        "event_id": f"demo-{item.tracking_number}-{step}", "tracking_number": item.tracking_number,
        "event": event,
        "occurred_at": (item.created_at + (step + 1) * STEP).isoformat()}
    if event == "delivery_failed":
        payload["reason"] = "recipient_refused" if refused else "recipient_absent"
    if event == "delivered":
        payload["proof"] = PROOF
    record_scan(session, payload, f"user:{user.id}", scope=EVERYTHING, office_id=office.id,
                otp_required=False)


def seed_demo_items(session: Session) -> int:
    """Create what is missing of ITEMS and commit; returns how many items there are."""
    agency = session.exec(select(Agency).where(Agency.code == "000.00.01.H26")).one()
    for number, name, street, events in ITEMS:
        request = parse_intake(_body(number, name, street), agency_code=agency.code)
        item, created, _ = create_with_sms(session, request, agency)
        if created:  # an item found again already went its way
            # its path took place over the last few hours, each step a quarter of an hour apart
            item.created_at -= (len(ITEMS) + 1) * STEP
            session.flush()
            for step, event in enumerate(events):
                _scan(session, item, step, event)
        session.commit()
    return len(ITEMS)
