"""The citizen's view of a consignment: status, timeline, destination and a masked name, nothing more.

Phone, street, national id and full name never leave through this module (a privacy test checks it).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from delivery.models import VIETNAM_TIME, Consignment, PostOffice, Province, TrackingEvent, Ward
from delivery.recipient import mask_name

from .route import route_of
from .wording import event_label, status_label


def find_by_token(session: Session, token: str) -> Consignment | None:
    if not token or len(token) > 64:
        return None
    return session.exec(select(Consignment).where(Consignment.tracking_token == token)).first()


def events_of(session: Session, consignment: Consignment) -> list[TrackingEvent]:
    return list(session.exec(
        select(TrackingEvent).where(TrackingEvent.consignment_id == consignment.id)
        .order_by(TrackingEvent.occurred_at, TrackingEvent.id)
    ).all())


def _office_names(session: Session, events: list[TrackingEvent]) -> dict[int, str]:
    ids = {e.office_id for e in events if e.office_id}
    if not ids:
        return {}
    return {o.id: o.name for o in session.exec(select(PostOffice).where(PostOffice.id.in_(ids))).all()}


def public_view(session: Session, consignment: Consignment, lang: str = "vi") -> dict[str, Any]:
    """The public tracking document of CONTRACT.md ("Public tracking"), in ``lang`` (vi or en)."""
    events = events_of(session, consignment)
    offices = _office_names(session, events)
    ward = session.get(Ward, consignment.ward_code)
    province = session.get(Province, consignment.province_code)
    return {
        "tracking_number": consignment.tracking_number,
        "status": consignment.status,
        "status_label": status_label(consignment.status, lang),
        "recipient": mask_name(consignment.recipient_name),
        "destination": {"ward": ward.name if ward else None, "province": province.name if province else None},
        "eta": consignment.due_at.astimezone(VIETNAM_TIME).date().isoformat() if consignment.due_at else None,
        "route": [{"name": leg.name, "kind": leg.kind, "reached": leg.reached}
                  for leg in route_of(session, consignment)],
        "events": [
            {"at": e.occurred_at.astimezone(VIETNAM_TIME).isoformat(), "event": e.event,
             "label": event_label(e.event, lang), "place": offices.get(e.office_id, "")}
            for e in events
        ],
    }
