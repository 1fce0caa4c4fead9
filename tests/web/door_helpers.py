"""A collection booked for today and picked up at its door through the courier's form."""

import io
import json

from PIL import Image
from sqlmodel import Session, select

from delivery.collection_models import CollectionOrder
from delivery.models import VIETNAM_TIME, Consignment, utcnow
from tests.payloads import collection_body
from tests.web.test_pages import csrf_of


def page_jpeg(number: int, size=(120, 170)) -> bytes:
    """A photographed sheet: a different colour per page, so each has its own hash."""
    out = io.BytesIO()
    Image.new("RGB", size, (40 * number % 256, 90, 200)).save(out, format="JPEG")
    return out.getvalue()


def book_for_today(app, client, headers, number=1):
    """A booking (tomorrow's window, as booking allows) moved to today: on today's round."""
    item = client.post("/api/v1/collections", json=collection_body(number),
                       headers=headers).get_json()
    with Session(app.extensions["db_engine"]) as db:
        order = db.exec(select(CollectionOrder).join(
            Consignment, Consignment.id == CollectionOrder.consignment_id).where(
            Consignment.tracking_number == item["tracking_number"])).one()
        order.window_date = utcnow().astimezone(VIETNAM_TIME).date()
        db.add(order)
        db.commit()
    return item["tracking_number"]


def pick_up(client, number, present=(1, 2), photos=(), **fields):
    """Post the pick-up form as the page gives it: the documents ``present`` ticked."""
    page = client.get(f"/courier/items/{number}")
    data = {"csrf_token": csrf_of(page.data), "event": "picked_up", "document_count": "3",
            "received_by": "Trần Thị Bình", "collected_vnd": "15000", "payment_method": "cash",
            **{f"present_{n}": "1" for n in present}, **fields,
            "pages": [(io.BytesIO(photo), f"page{n}.jpg") for n, photo in enumerate(photos, 1)]}
    return client.post(f"/courier/items/{number}/pickup", data=data,
                       content_type="multipart/form-data")


def item_of(app, number):
    with Session(app.extensions["db_engine"]) as db:
        return db.exec(select(Consignment).where(Consignment.tracking_number == number)).one()


def outbox_payloads(app, kind="sms"):
    from tracking.models import Outbox

    with Session(app.extensions["db_engine"]) as db:
        return [json.loads(r.payload) for r in db.exec(
            select(Outbox).where(Outbox.kind == kind).order_by(Outbox.id))]
