"""What a citizen may ask for from the tracking page: another delivery date (within the agency's
window), collecting the item at the delivery post office, or instructions for the courier. Each
request is kept on the consignment (for the courier and the office) and recorded as an event on the
timeline.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from delivery.errors import LimitReached, ValidationFailed
from delivery.lifecycle import record_request
from delivery.models import Agency, Consignment, TrackingEvent, utcnow
from delivery.vietnam_day import day_start, vietnam_date

ACTOR = "citizen"
MAX_INSTRUCTIONS = 200
DAILY_REQUESTS = 10  # per item and day (Vietnam time): CITIZEN_REQUESTS_PER_DAY


def reschedule_window(agency: Agency, today: date) -> tuple[date, date]:
    """The first and last date a citizen may choose: tomorrow up to the agency's window."""
    return today + timedelta(days=1), today + timedelta(days=max(agency.reschedule_window_days, 1))


def _record(session: Session, consignment: Consignment, event: str, note: str | None,
            client_address: str | None, daily_limit: int) -> TrackingEvent:
    _check_daily_limit(session, consignment, daily_limit)
    return record_request(session, consignment, event, actor=ACTOR,
                          client_event_id=f"citizen-{uuid.uuid4()}",
                          occurred_at=utcnow(), note=note, client_address=client_address)


def _check_daily_limit(session: Session, consignment: Consignment, limit: int) -> None:
    """Raises LimitReached when the item already has ``limit`` citizen requests today (Vietnam
    time). The item's row is locked first, so requests racing for it are counted one after the
    other (SQLite's writers queue anyway)."""
    session.exec(select(Consignment.id).where(Consignment.id == consignment.id)
                 .with_for_update()).one()
    today = day_start(vietnam_date(utcnow()))
    made = session.exec(select(func.count()).select_from(TrackingEvent).where(
        TrackingEvent.consignment_id == consignment.id, TrackingEvent.actor == ACTOR,
        TrackingEvent.occurred_at >= today.astimezone(UTC))).one()
    if made >= limit:
        raise LimitReached(f"bưu gửi đã nhận đủ {limit} yêu cầu hôm nay, mời gửi lại ngày mai / "
                           f"this item has had its {limit} requests for today; "
                           "please try again tomorrow", limit=limit)


def request_date(session: Session, consignment: Consignment, raw: str, today: date, *,
                 client_address: str | None = None,
                 daily_limit: int = DAILY_REQUESTS) -> TrackingEvent:
    """Ask for delivery on ``raw`` (YYYY-MM-DD), a day inside the window and not a Sunday (no
    commit). ``client_address``, here and below: where the request came from (kept on the event for
    the audit). Raises ValidationFailed (field ``date``) or TransitionNotAllowed once delivery is
    over; here and below, LimitReached once the item has ``daily_limit`` requests today, storing
    nothing."""
    first, last = reschedule_window(session.get(Agency, consignment.agency_id), today)
    try:
        day = datetime.strptime(raw or "", "%Y-%m-%d").date()
    except ValueError:
        day = None
    if day is None or not first <= day <= last or day.weekday() == 6:
        raise ValidationFailed({"date": f"chọn ngày từ {first:%d/%m} đến {last:%d/%m}, "
                                        f"trừ Chủ nhật / choose a day from {first:%d/%m} to "
                                        f"{last:%d/%m}, not a Sunday"})
    event = _record(session, consignment, "reschedule_requested", day.isoformat(), client_address,
                    daily_limit)
    consignment.requested_date, consignment.pickup_requested = day, False
    session.flush()
    return event


def request_pickup(session: Session, consignment: Consignment, *,
                   client_address: str | None = None,
                   daily_limit: int = DAILY_REQUESTS) -> TrackingEvent:
    """Ask to collect the item at the delivery post office instead of a delivery at home
    (no commit)."""
    event = _record(session, consignment, "pickup_requested", None, client_address, daily_limit)
    consignment.pickup_requested, consignment.requested_date = True, None
    session.flush()
    return event


def give_instructions(session: Session, consignment: Consignment, text: str, *,
                      client_address: str | None = None,
                      daily_limit: int = DAILY_REQUESTS) -> TrackingEvent:
    """Leave the courier a short instruction ("call before coming"); the text is for staff only,
    never shown on public pages (no commit). Raises ValidationFailed (field ``instructions``)."""
    text = " ".join((text or "").split())
    if not 1 <= len(text) <= MAX_INSTRUCTIONS:
        raise ValidationFailed({"instructions": f"1-{MAX_INSTRUCTIONS} ký tự / "
                                                f"1 to {MAX_INSTRUCTIONS} characters"})
    event = _record(session, consignment, "instructions_given", text, client_address,
                    daily_limit)
    consignment.delivery_instructions = text
    session.flush()
    return event


CHANNELS = ("zns", "sms")  # what a citizen may choose: Zalo (ZNS) or SMS


def choose_channel(session: Session, consignment: Consignment, channel: str, *,
                   client_address: str | None = None,
                   daily_limit: int = DAILY_REQUESTS) -> TrackingEvent:
    """Be told on ``channel`` ("zns" or "sms") first from now on; the agency's order is still the
    fallback (tracking.channels). No commit. Raises ValidationFailed (field ``channel``)."""
    if channel not in CHANNELS:
        raise ValidationFailed({"channel": "chọn Zalo hoặc SMS / choose Zalo or SMS"})
    event = _record(session, consignment, "channel_chosen", channel, client_address, daily_limit)
    consignment.preferred_channel = channel
    session.flush()
    return event
