"""What a citizen may ask for from the tracking page: another delivery date (within the agency's
window), collecting the item at the delivery post office, or instructions for the courier. Each
request is kept on the consignment (for the courier and the office) and recorded as an event on the
timeline.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlmodel import Session

from delivery.errors import ValidationFailed
from delivery.lifecycle import record_request
from delivery.models import Agency, Consignment, TrackingEvent, utcnow

ACTOR = "citizen"
MAX_INSTRUCTIONS = 200


def reschedule_window(agency: Agency, today: date) -> tuple[date, date]:
    """The first and last date a citizen may choose: tomorrow up to the agency's window."""
    return today + timedelta(days=1), today + timedelta(days=max(agency.reschedule_window_days, 1))


def _record(session: Session, consignment: Consignment, event: str, note: str | None,
            client_address: str | None) -> TrackingEvent:
    return record_request(session, consignment, event, actor=ACTOR,
                          client_event_id=f"citizen-{uuid.uuid4()}",
                          occurred_at=utcnow(), note=note, client_address=client_address)


def request_date(session: Session, consignment: Consignment, raw: str, today: date, *,
                 client_address: str | None = None) -> TrackingEvent:
    """Ask for delivery on ``raw`` (YYYY-MM-DD), a day inside the window and not a Sunday (no
    commit). ``client_address``, here and below: where the request came from (kept on the event for
    the audit). Raises ValidationFailed (field ``date``) or TransitionNotAllowed once delivery is
    over."""
    first, last = reschedule_window(session.get(Agency, consignment.agency_id), today)
    try:
        day = datetime.strptime(raw or "", "%Y-%m-%d").date()
    except ValueError:
        day = None
    if day is None or not first <= day <= last or day.weekday() == 6:
        raise ValidationFailed({"date": f"chọn ngày từ {first:%d/%m} đến {last:%d/%m}, "
                                        f"trừ Chủ nhật / choose a day from {first:%d/%m} to "
                                        f"{last:%d/%m}, not a Sunday"})
    event = _record(session, consignment, "reschedule_requested", day.isoformat(), client_address)
    consignment.requested_date, consignment.pickup_requested = day, False
    session.flush()
    return event


def request_pickup(session: Session, consignment: Consignment, *,
                   client_address: str | None = None) -> TrackingEvent:
    """Ask to collect the item at the delivery post office instead of a delivery at home
    (no commit)."""
    event = _record(session, consignment, "pickup_requested", None, client_address)
    consignment.pickup_requested, consignment.requested_date = True, None
    session.flush()
    return event


def give_instructions(session: Session, consignment: Consignment, text: str, *,
                      client_address: str | None = None) -> TrackingEvent:
    """Leave the courier a short instruction ("call before coming"); the text is for staff only,
    never shown on public pages (no commit). Raises ValidationFailed (field ``instructions``)."""
    text = " ".join((text or "").split())
    if not 1 <= len(text) <= MAX_INSTRUCTIONS:
        raise ValidationFailed({"instructions": f"1-{MAX_INSTRUCTIONS} ký tự / "
                                                f"1 to {MAX_INSTRUCTIONS} characters"})
    event = _record(session, consignment, "instructions_given", text, client_address)
    consignment.delivery_instructions = text
    session.flush()
    return event
