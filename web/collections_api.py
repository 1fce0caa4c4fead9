"""POST /api/v1/collections (CONTRACT.md "Collections"): an agency's upstream system, or a counter
with a staff session, books the collection of a dossier at the citizen's address. The item is then
read, labelled, scanned and tracked through the consignment endpoints. Once the agency has the
dossier, its system sends its own receipt (POST .../agency-receipt)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from sqlmodel import Session

from delivery.collection_models import CollectionOrder
from delivery.collections import CollectionRequest, create_collection, parse_collection
from delivery.lookup import get_consignment
from delivery.models import Agency, Consignment
from tracking.agency_receipt import parse_receipt, record_receipt, today_in_vietnam
from tracking.notify import queue_booked

from .api import agency_for, json_body
from .auth import current_actor, current_scope, require
from .db import get_session
from .scanning import send_notifications
from .serialise import consignment_json

bp = Blueprint("collections_api", __name__, url_prefix="/api/v1")


def window_words(order: CollectionOrder) -> str:
    """The window as a citizen reads it: "08:00-10:00 09/12/2026"."""
    return f"{order.window_from}-{order.window_to} {order.window_date:%d/%m/%Y}"


def book_and_notify(session: Session, request: CollectionRequest, agency: Agency,
                    booked_by: str, taken_at: int | None = None) -> tuple[Consignment, bool]:
    """Book ``request`` (or find its earlier booking: created False), commit, then text the
    citizen the window and the tracking link (``taken_at``: the booking counter's office, see
    delivery.collections.create_collection). Every way a collection is booked goes through here;
    on a domain error the transaction is rolled back and nothing is left behind."""
    try:
        item, order, created = create_collection(
            session, request, agency, indicator=current_app.config["S10_SERVICE_INDICATOR"],
            booked_by=booked_by, taken_at=taken_at)
        outbox_ids = queue_booked(session, item, window_words(order)) if created else []
        session.commit()
    except Exception:
        session.rollback()
        raise
    send_notifications(outbox_ids)
    return item, created


@bp.post("/collections")
@require("intake", roles=("counter",))
def create() -> tuple[Response, int]:
    body: Any = json_body()
    actor = current_actor()
    agency = agency_for(actor, body)
    booking = ({k: v for k, v in body.items() if k != "agency_code"}
               if isinstance(body, dict) else body)
    request = parse_collection(booking, agency_code=agency.code)
    item, created = book_and_notify(get_session(), request, agency, actor.ref)
    answer = consignment_json(get_session(), item)
    if request.converted_from:
        answer["converted_from"] = request.converted_from
    return jsonify(answer), 201 if created else 200


@bp.post("/consignments/<tracking_number>/agency-receipt")
@require("intake")
def agency_receipt(tracking_number: str) -> tuple[Response, int]:
    """The agency's receipt and appointment date for a dossier handed to it (tracking.
    agency_receipt): 201 when stored (the citizen is texted), 200 for the same receipt again."""
    session = get_session()
    item = get_consignment(session, tracking_number, current_scope())
    receipt = parse_receipt(json_body(), session.get(Agency, item.agency_id), today_in_vietnam())
    try:
        _, created, outbox_ids = record_receipt(session, item, receipt)
        session.commit()
    except Exception:
        session.rollback()
        raise
    send_notifications(outbox_ids)
    return jsonify(consignment_json(session, item)), 201 if created else 200
