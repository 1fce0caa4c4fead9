"""JSON shapes of CONTRACT.md for staff and systems
(the public shape lives in tracking.timeline)."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from sqlmodel import Session

from delivery.address import ResolvedAddress, places_of
from delivery.collection_models import CollectionOrder
from delivery.collections import checklist_of, window_of
from delivery.models import VIETNAM_TIME, Consignment, Province, TrackingEvent, Ward
from delivery.status_model import TO_AGENCY
from tracking.route import route_of
from tracking.timeline import events_of

LABEL_FORMATS = ("pdf", "svg", "png", "zpl")


def local_time(value: Any) -> str | None:
    """ISO 8601 with offset, in Vietnam's time,
    which is what counter staff and upstream systems read."""
    return value.astimezone(VIETNAM_TIME).isoformat() if value else None


def base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"]


def tracking_url(consignment: Consignment) -> str:
    return f"{base_url()}/t/{consignment.tracking_token}"


def event_json(event: TrackingEvent) -> dict[str, Any]:
    return {
        "event_id": event.client_event_id, "event": event.event, "upu_code": event.upu_code or None,
        "status": event.status_after, "occurred_at": local_time(event.occurred_at),
        "recorded_at": local_time(event.recorded_at), "lat": event.lat, "lon": event.lon,
        "actor": event.actor, "reason": event.reason, "note": event.note,
        "proof": json.loads(event.proof) if event.proof else None,
    }


def _unit(code: int, unit: Ward | Province | None) -> dict[str, Any]:
    return {"code": code, "name": unit.name if unit else None}


def consignment_json(session: Session, consignment: Consignment) -> dict[str, Any]:
    """The consignment as CONTRACT.md shows it to staff and systems, with its events."""
    ward, province, office = places_of(session, consignment)
    legacy = None
    if consignment.legacy_ward or consignment.legacy_district or consignment.legacy_province:
        legacy = {"province": consignment.legacy_province, "district": consignment.legacy_district,
                  "ward": consignment.legacy_ward}
    number = consignment.tracking_number
    return {
        "tracking_number": number,
        "dossier_code": consignment.dossier_code,
        "status": consignment.status,
        "tracking_url": tracking_url(consignment),
        "label_urls": {fmt: f"{base_url()}/api/v1/consignments/{number}/label.{fmt}"
                       for fmt in LABEL_FORMATS},
        "recipient": {"name": consignment.recipient_name, "phone": consignment.recipient_phone},
        "address": {
            "street": consignment.street,
            "ward": _unit(consignment.ward_code, ward),
            "province": _unit(consignment.province_code, province),
            "legacy": legacy,
            "text": consignment.address_text,
        },
        "destination_office": {"code": office.code, "name": office.name} if office else None,
        "route": [leg.__dict__ for leg in route_of(session, consignment)],
        "payment": ({"payer": consignment.payer, "amount_vnd": consignment.amount_vnd}
                    if consignment.payer else None),
        "attempts": consignment.attempts,
        "created_at": local_time(consignment.created_at),
        "due_at": local_time(consignment.due_at),
        "appointment_date": (consignment.appointment_date.isoformat()
                             if consignment.appointment_date else None),
        "events": [event_json(e) for e in events_of(session, consignment)],
        "direction": consignment.direction,
        **collection_json(session, consignment),
    }


def collection_json(session: Session, item: Consignment) -> dict[str, Any]:
    """What a collection adds to the item (CONTRACT.md "Collections"): its window, its checklist,
    its fee, and the agency's receipt once given; nothing for a result."""
    order = session.get(CollectionOrder, item.id) if item.direction == TO_AGENCY else None
    if order is None:
        return {}
    return {
        "window": window_of(order),
        "documents": checklist_of(order),
        "fee": {"payer": item.payer, "amount_vnd": item.amount_vnd} if item.payer else None,
        "agency_receipt": ({"number": order.agency_receipt_number,
                            "appointment_date": (order.agency_appointment_date.isoformat()
                                                 if order.agency_appointment_date else None)}
                           if order.agency_receipt_number else None),
    }


def resolution_json(resolved: ResolvedAddress) -> dict[str, Any]:
    """An address resolution as CONTRACT.md ("Addresses") shows it."""
    legacy = resolved.legacy
    return {
        "province": {"code": resolved.province_code, "name": resolved.province_name},
        "ward": {"code": resolved.ward_code, "name": resolved.ward_name},
        "street": resolved.street,
        "legacy": ({"province": legacy.province, "district": legacy.district, "ward": legacy.ward}
                   if legacy else None),
        "confidence": resolved.confidence,
        "candidates": resolved.candidates,
        "corrections": [{"written": c.written, "official": c.official}
                        for c in resolved.corrections],
    }
