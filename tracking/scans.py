"""Recording scans: the courier's (or a system's) word that something happened to an item.

Each scan carries a client-chosen ``event_id``: a repeat of the same scan is answered with the stored
result and writes nothing, so offline queues can be replayed safely.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from delivery import s10
from delivery.errors import Conflict, ValidationFailed
from delivery.lifecycle import EVENTS, Scan, apply_event
from delivery.lookup import get_consignment
from delivery.models import Agency, Consignment, TrackingEvent

from .notify import queue_status_change
from .otp import issue_otp, verify_otp
from .proof_files import PHOTO_ID

MAX_CLOCK_SKEW = timedelta(minutes=10)
_EVENT_ID = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")
RELATIONS = ("self", "proxy")
# session.info key the web layer sets from DELIVERY_OTP_REQUIRED; a session without it requires the OTP.
OTP_REQUIRED = "delivery_otp_required"


@dataclass(frozen=True)
class ScanResult:
    event: TrackingEvent
    status: str
    created: bool
    outbox_ids: tuple[int, ...] = ()


def _occurred_at(value: Any, errors: dict[str, str], now: datetime) -> datetime | None:
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        errors["occurred_at"] = "thời điểm ISO 8601 có múi giờ / ISO 8601 time with offset"
        return None
    if when - now > MAX_CLOCK_SKEW:
        errors["occurred_at"] = "thời điểm ở tương lai / time is in the future"
    return when.astimezone(UTC)


def _position(payload: dict[str, Any], errors: dict[str, str]) -> tuple[float | None, float | None]:
    lat, lon = payload.get("lat"), payload.get("lon")
    if lat is None and lon is None:
        return None, None
    ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    if not ok or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors["lat"] = "lat/lon phải là số hợp lệ / lat and lon must both be valid numbers"
        return None, None
    return float(lat), float(lon)


def _proof(value: Any, errors: dict[str, str]) -> dict[str, str] | None:
    """Who received the item and how identity was checked; never a copy of the document."""
    if value is None:
        return None
    if not isinstance(value, dict):
        errors["proof"] = "phải là đối tượng / must be an object"
        return None
    received_by, relation = value.get("received_by"), value.get("relation", "self")
    if not isinstance(received_by, str) or not 1 <= len(received_by.strip()) <= 200:
        errors["proof.received_by"] = "tên người nhận / name of the person who received it"
    if relation not in RELATIONS:
        errors["proof.relation"] = f"một trong / one of: {', '.join(RELATIONS)}"
    id_last4 = value.get("id_last4")
    if id_last4 is not None and not (isinstance(id_last4, str) and re.fullmatch(r"\d{4}", id_last4)):
        errors["proof.id_last4"] = "4 chữ số cuối giấy tờ / last 4 digits of the document"
    authorisation = value.get("authorisation_ref")
    if relation == "proxy" and not (isinstance(authorisation, str) and authorisation.strip()):
        errors["proof.authorisation_ref"] = "người nhận thay cần giấy ủy quyền / a proxy needs the authorisation letter"
    keep = {"received_by": received_by, "relation": relation, "id_last4": id_last4,
            "authorisation_ref": authorisation}
    return {k: v.strip() for k, v in keep.items() if isinstance(v, str)}


def _with_photo(proof: dict[str, str] | None, photo: Any, errors: dict[str, str]) -> dict[str, str] | None:
    """A door photo (the id tracking.proof_files gave the upload) joins the proof kept with the event."""
    if photo is None:
        return proof
    if not isinstance(photo, str) or not PHOTO_ID.match(photo):
        errors["photo"] = "mã ảnh không hợp lệ / not a photo id from the upload"
        return proof
    return {**(proof or {}), "photo": photo}


def parse_scan(payload: Any, actor: str, now: datetime, office_id: int | None = None) -> tuple[str, Scan]:
    """Validate one scan body; returns (tracking number, Scan at ``office_id``, the scanning staff member's
    office) or raises ValidationFailed with every error."""
    if not isinstance(payload, dict):
        raise ValidationFailed({"body": "cần một đối tượng JSON / a JSON object is required"})
    errors: dict[str, str] = {}
    event_id = payload.get("event_id")
    if not isinstance(event_id, str) or not _EVENT_ID.match(event_id):
        errors["event_id"] = "8-64 ký tự chữ, số, '-' (UUID) / 8-64 letters, digits or '-' (a UUID)"
    number = payload.get("tracking_number")
    if not isinstance(number, str) or not s10.is_valid(number):
        errors["tracking_number"] = "số hiệu S10 không hợp lệ / not a valid S10 tracking number"
    event = payload.get("event")
    if event not in EVENTS:
        errors["event"] = f"một trong / one of: {', '.join(EVENTS)}"
    occurred_at = _occurred_at(payload.get("occurred_at"), errors, now)
    lat, lon = _position(payload, errors)
    proof = _with_photo(_proof(payload.get("proof"), errors), payload.get("photo"), errors)
    reason, note = payload.get("reason"), payload.get("note")
    if reason is not None and not isinstance(reason, str):
        errors["reason"] = "phải là chuỗi / must be a string"
    if note is not None and (not isinstance(note, str) or len(note) > 500):
        errors["note"] = "chuỗi tối đa 500 ký tự / a string of at most 500 characters"
    if errors:
        raise ValidationFailed(errors)
    canonical = s10.normalise(number)
    fingerprint = hashlib.sha256(json.dumps(
        [canonical, event, occurred_at.isoformat(), lat, lon, reason, note, proof], ensure_ascii=False,
    ).encode()).hexdigest()
    return canonical, Scan(event=event, occurred_at=occurred_at, actor=actor, client_event_id=event_id,
                           fingerprint=fingerprint, lat=lat, lon=lon, reason=reason, note=note, proof=proof,
                           office_id=office_id)


def replay_of(stored: TrackingEvent, scan: Scan) -> ScanResult:
    """The answer to a scan whose event_id is already stored: the stored result, or Conflict when the
    event_id was used for a different scan."""
    if stored.fingerprint != scan.fingerprint:
        raise Conflict("event_id đã dùng cho lượt quét khác / event_id was already used for a different scan")
    return ScanResult(stored, stored.status_after, created=False)


def _replay(session: Session, scan: Scan) -> ScanResult | None:
    stored = session.exec(select(TrackingEvent).where(TrackingEvent.client_event_id == scan.client_event_id)).first()
    return replay_of(stored, scan) if stored else None


def after_status_change(session: Session, consignment: Consignment, agency: Agency,
                        event: TrackingEvent) -> tuple[int, ...]:
    """What follows a recorded status change, on every path: a new OTP round when the item goes out for
    delivery, and the outbox rows (SMS, webhook). Returns the outbox ids to enqueue after commit."""
    otp = issue_otp(session, consignment) if event.event == "out_for_delivery" else None
    return queue_status_change(session, consignment, agency, event, otp=otp)


def _check_identity(consignment: Consignment, scan: Scan) -> None:
    """When the agency sent the CCCD, the last four digits shown at the door must match it."""
    proof = scan.proof or {}
    if scan.event != "delivered" or proof.get("relation") != "self" or not consignment.recipient_id_last4:
        return
    if proof.get("id_last4") != consignment.recipient_id_last4:
        raise ValidationFailed({"proof.id_last4": "4 số cuối CCCD không khớp / ID digits do not match the recipient"})


def _otp_of(payload: Any) -> str | None:
    """The OTP the recipient read out, kept apart from the proof: it is checked, never stored."""
    proof = payload.get("proof") if isinstance(payload, dict) else None
    code = proof.get("otp") if isinstance(proof, dict) else None
    return code if isinstance(code, str) else None


def _check_otp(session: Session, consignment: Consignment, scan: Scan, code: str | None) -> None:
    """A delivery at the door needs the OTP texted for this round, when OTPs are required."""
    if scan.event == "delivered" and session.info.get(OTP_REQUIRED, True):
        verify_otp(session, consignment, code)


def record_scan(session: Session, payload: Any, actor: str, *, office_id: int | None = None) -> ScanResult:
    """Apply one scan (no commit). Idempotent by event_id; raises ValidationFailed, NotFound,
    TransitionNotAllowed or Conflict. Outbox rows for the change are written in the same transaction.

    ``out_for_delivery`` issues a fresh OTP (sent by SMS); ``delivered`` from ``out_for_delivery`` must
    carry it in ``proof.otp`` unless ``session.info[OTP_REQUIRED]`` is false (see tracking.otp)."""
    number, scan = parse_scan(payload, actor, datetime.now(UTC), office_id)
    replay = _replay(session, scan)
    if replay:
        return replay
    consignment = get_consignment(session, number)
    _check_identity(consignment, scan)
    _check_otp(session, consignment, scan, _otp_of(payload))
    agency = session.get(Agency, consignment.agency_id)
    try:
        with session.begin_nested():
            event = apply_event(session, consignment, scan, attempt_limit=agency.attempt_limit)
    except (Conflict, IntegrityError):
        # A concurrent request with the same event_id may have won the race: answer as a repeat.
        replay = _replay(session, scan)
        if replay:
            return replay
        raise
    outbox_ids = after_status_change(session, consignment, agency, event)
    return ScanResult(event, event.status_after, created=True, outbox_ids=outbox_ids)
