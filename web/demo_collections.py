"""Collections for the demo: one on today's round of the demo courier (a pick-up stop at Hoàn
Kiếm), one already collected with its page photos, receipt and dossier PDF, so a newcomer sees the
other direction at work too.

Made through the same calls as real ones (book_and_notify's domain part, the pick-up's pages and
scan), with fixed dossier codes and event ids: running it again changes nothing.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from flask import current_app
from PIL import Image, ImageDraw
from sqlmodel import Session, select

from delivery.access import EVERYTHING
from delivery.collections import create_collection, parse_collection
from delivery.models import VIETNAM_TIME, Agency, PostOffice, User, utcnow
from tracking.digitised_dossier import keep_pages, pages_folder, write_pages
from tracking.notify import queue_booked
from tracking.scans import record_scan

from .collections_api import window_words

RECEIVED = "261201"
DOCUMENTS = [{"name": "Tờ khai đăng ký khai sinh", "copies": 1},
             {"name": "Giấy chứng sinh", "copies": 1},
             {"name": "Giấy chứng nhận kết hôn của cha mẹ (bản sao)", "copies": 2}]
# (daily number, citizen, street, collected already)
COLLECTIONS = [(21, "Lý Thị Oanh", "Số 6 Hàng Bông", False),
               (22, "Mai Văn Phúc", "Số 11 Hàng Trống", True)]


def _body(number: int, name: str, street: str) -> dict:
    tomorrow = (utcnow().astimezone(VIETNAM_TIME) + timedelta(days=1)).date()
    return {"dossier_code": f"000.00.01.H26-{RECEIVED}-{number:04d}",
            "procedure": "Đăng ký khai sinh",
            "citizen": {"name": name, "phone": f"09876543{number:02d}"},
            "address": f"{street}, Phường Hoàn Kiếm, Hà Nội",
            "window": {"date": tomorrow.isoformat(), "from": "08:00", "to": "11:00"},
            "documents": DOCUMENTS, "fee": {"payer": "citizen", "amount_vnd": 15000}}


def _sheet(number: int, title: str) -> bytes:
    """A photographed sheet: a page with its title written on it."""
    image = Image.new("RGB", (600, 850), (250, 250, 245))
    ImageDraw.Draw(image).text((40, 40), f"{number}. {title}", fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _collect(session: Session, item_id: int, number: str) -> None:
    """The demo courier's pick-up an hour ago: two documents of three, two pages."""
    courier = session.exec(select(User).where(User.username == "courier")).one()
    office = session.exec(select(PostOffice).where(PostOffice.code == "100100")).one()
    folder = pages_folder(Path(current_app.config["PROOF_PHOTO_DIR"]))
    pages = write_pages(folder, (_sheet(n, d["name"]) for n, d in enumerate(DOCUMENTS[:2], 1)),
                        title=number)
    record_scan(session, {
        "event_id": f"demo-{number}-pickup", "tracking_number": number, "event": "picked_up",
        "occurred_at": (utcnow() - timedelta(hours=1)).astimezone(VIETNAM_TIME).isoformat(),
        "documents": [{"present": True}, {"present": True}, {"present": False}], "pages": 2,
        "proof": {"received_by": "Mai Văn Phúc", "relation": "self", "collected_vnd": 15000,
                  "payment_method": "cash"}}, f"user:{courier.id}", scope=EVERYTHING,
        office_id=office.id)
    keep_pages(session, item_id, pages, taken_by=f"user:{courier.id}")


def seed_demo_collections(session: Session) -> int:
    """Book what is missing of COLLECTIONS (the window moved to today: on today's round) and
    commit; returns how many there are."""
    agency = session.exec(select(Agency).where(Agency.code == "000.00.01.H26")).one()
    for number, name, street, collected in COLLECTIONS:
        request = parse_collection(_body(number, name, street), agency_code=agency.code)
        item, order, created = create_collection(
            session, request, agency, indicator=current_app.config["S10_SERVICE_INDICATOR"],
            booked_by="citizen")
        if created:
            queue_booked(session, item, window_words(order))
            order.window_date = utcnow().astimezone(VIETNAM_TIME).date()
            session.add(order)
            session.flush()
            if collected:
                _collect(session, item.id, item.tracking_number)
        session.commit()
    return len(COLLECTIONS)

