"""Recording scans: the courier's (or a system's) word that something happened to an item.

Each scan carries a client-chosen ``event_id``: a repeat of the same scan is answered with the
stored result and writes nothing, so offline queues can be replayed safely.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlmodel import Session

from delivery import s10
from delivery.access import Scope, check_office, check_visible
from delivery.bulk import among
from delivery.driver import first_row
from delivery.errors import Conflict, ValidationFailed
from delivery.lifecycle import plan, write_change
from delivery.models import Agency, Consignment, TrackingEvent
from delivery.requested_date import checked_dispatch
from delivery.status_model import SCAN_EVENTS, TO_AGENCY, RecordedEvent, Scan
from delivery.typed_text import first_refusal

from .door_check import check_delivery
from .money import record_collection
from .notify import follow_up_of
from .pickup_proof import CHECKED_EVENTS, check_pickup
from .scan_proof import proof_of_scan

MAX_CLOCK_SKEW = timedelta(minutes=10)
# before the service existed; every date from here on converts to any time zone and back
EARLIEST_SCAN = datetime(2000, 1, 1, tzinfo=UTC)
# The rules of a scan body that the API's document states too (web/api_schema): one place each.
EVENT_ID_PATTERN = r"^[A-Za-z0-9_\-]{8,64}$"  # a UUID, or any id of 8-64 such characters
_EVENT_ID = re.compile(EVENT_ID_PATTERN)
MAX_SCAN_NOTE = 500
# The columns they are kept in: a longer value must be refused here, not fail in the database (500).
MAX_REASON = 40  # TrackingEvent.reason
MAX_LAT, MAX_LON = 90, 180
# What a scan's fingerprint hashes: json.dumps(..., ensure_ascii=False) text, which stored
# fingerprints were made of (a replay compares with them, so the text must never change); one
# encoder, not one built per call.
_FINGERPRINT_JSON = json.JSONEncoder(ensure_ascii=False)


@dataclass(frozen=True)
class ScanResult:
    event: TrackingEvent | RecordedEvent
    status: str
    created: bool
    outbox_ids: tuple[int, ...] = ()


class ScanTarget(NamedTuple):
    """The item a scan is about, as one query reads it: what the status model, the identity and OTP
    checks and the notifications need, with its agency's rules.
    Cheaper than loading Consignment and Agency."""

    id: int
    tracking_number: str
    dossier_code: str | None
    status: str
    attempts: int
    version: int
    agency_id: int
    destination_office_id: int | None
    recipient_phone: str
    tracking_token: str
    recipient_id_last4: str | None
    origin_office_id: int | None
    province_code: int
    requested_date: date | None
    pickup_requested: bool
    payer: str | None
    direction: str
    attempt_limit: int
    webhook_url: str | None

    @classmethod
    def of(cls, consignment: Consignment, agency: Agency) -> ScanTarget:
        """The same view of objects already loaded."""
        return cls(**{name: getattr(consignment, name) for name in _ITEM_FIELDS},
                   attempt_limit=agency.attempt_limit, webhook_url=agency.webhook_url)


_ITEM_FIELDS = ("id", "tracking_number", "dossier_code", "status", "attempts", "version",
                "agency_id", "destination_office_id", "recipient_phone", "tracking_token",
                "recipient_id_last4", "origin_office_id", "province_code", "requested_date",
                "pickup_requested", "payer", "direction")
_C, _A, _E = Consignment.__table__.c, Agency.__table__.c, TrackingEvent.__table__.c
TARGETS = (select(*(_C[name] for name in _ITEM_FIELDS), _A.attempt_limit, _A.webhook_url)
           .join_from(Consignment.__table__, Agency.__table__, _A.id == _C.agency_id))
# One round trip for a single scan: the item, and whether this event_id is already stored.
_TARGET_AND_REPLAY = (TARGETS.add_columns(_E.id.label("stored_event_id"))
                      .outerjoin(TrackingEvent.__table__,
                                 _E.client_event_id == bindparam("event_id"))
                      .where(_C.tracking_number == bindparam("number")))


def scan_targets(session: Session, numbers: set[str]) -> dict[str, ScanTarget]:
    """The items with these (normalised) S10 numbers, by number."""
    rows = session.connection().execute(
        TARGETS.where(among(session, _C.tracking_number, numbers))
    ).all()
    return {row.tracking_number: ScanTarget(*row) for row in rows}


def _occurred_at(value: Any, errors: dict[str, str], now: datetime) -> datetime | None:
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        errors["occurred_at"] = "thời điểm ISO 8601 có múi giờ / ISO 8601 time with offset"
        return None
    # compared, not converted: year 1 or 9999 in another zone is out of datetime's range
    if when - now > MAX_CLOCK_SKEW:
        errors["occurred_at"] = "thời điểm ở tương lai / time is in the future"
    elif when < EARLIEST_SCAN:
        errors["occurred_at"] = (f"thời điểm từ năm {EARLIEST_SCAN.year} / "
                                 f"a time from {EARLIEST_SCAN.year} on")
    return None if "occurred_at" in errors else when.astimezone(UTC)


def _position(payload: dict[str, Any], errors: dict[str, str]) -> tuple[float | None, float | None]:
    lat, lon = payload.get("lat"), payload.get("lon")
    if lat is None and lon is None:
        return None, None
    ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    if not ok or not (-MAX_LAT <= lat <= MAX_LAT and -MAX_LON <= lon <= MAX_LON):
        errors["lat"] = "lat/lon phải là số hợp lệ / lat and lon must both be valid numbers"
        return None, None
    return float(lat), float(lon)


def parse_scan(payload: Any, actor: str, now: datetime, office_id: int | None = None,
               client_address: str | None = None) -> tuple[str, Scan]:
    """Validate one scan body; returns (tracking number, Scan at ``office_id``, the scanning staff
    member's office, from ``client_address``) or raises ValidationFailed with every error."""
    if not isinstance(payload, dict):
        raise ValidationFailed({"body": "cần một đối tượng JSON / a JSON object is required"})
    if refusal := first_refusal(payload):  # for each scan of a batch (web/request_text.py)
        raise ValidationFailed(dict([refusal]))
    errors: dict[str, str] = {}
    event_id = payload.get("event_id")
    if not isinstance(event_id, str) or not _EVENT_ID.fullmatch(event_id):
        errors["event_id"] = "8-64 ký tự chữ, số, '-' (UUID) / 8-64 letters, digits or '-' (a UUID)"
    number = payload.get("tracking_number")
    canonical = s10.canonical(number) if isinstance(number, str) else None
    if canonical is None:
        errors["tracking_number"] = "số hiệu S10 không hợp lệ / not a valid S10 tracking number"
    event = payload.get("event")
    # system events (an expired hold) are the system's to record, not a scanner's
    if event not in SCAN_EVENTS:
        errors["event"] = f"một trong / one of: {', '.join(SCAN_EVENTS)}"
    occurred_at = _occurred_at(payload.get("occurred_at"), errors, now)
    lat, lon = _position(payload, errors)
    proof = proof_of_scan(payload, errors)
    reason, note = payload.get("reason"), payload.get("note")
    if reason is not None and not (isinstance(reason, str) and len(reason) <= MAX_REASON):
        errors["reason"] = (f"chuỗi tối đa {MAX_REASON} ký tự / "
                            f"a string of at most {MAX_REASON} characters")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_SCAN_NOTE):
        errors["note"] = (f"chuỗi tối đa {MAX_SCAN_NOTE} ký tự / "
                          f"a string of at most {MAX_SCAN_NOTE} characters")
    if errors:
        raise ValidationFailed(errors)
    fingerprint = hashlib.sha256(_FINGERPRINT_JSON.encode(
        [canonical, event, occurred_at.isoformat(), lat, lon, reason, note, proof]).encode()
    ).hexdigest()
    return canonical, Scan(event=event, occurred_at=occurred_at, actor=actor,
                           client_event_id=event_id, fingerprint=fingerprint, lat=lat, lon=lon,
                           reason=reason, note=note, proof=proof, office_id=office_id,
                           client_address=client_address)


def replay_of(stored: TrackingEvent, scan: Scan) -> ScanResult:
    """The answer to a scan whose event_id is already stored: the stored result, or Conflict when
    the event_id was used for a different scan."""
    if stored.fingerprint != scan.fingerprint:
        raise Conflict("event_id đã dùng cho lượt quét khác / "
                       "event_id was already used for a different scan")
    return ScanResult(stored, stored.status_after, created=False)


def _stored_event(session: Session, client_event_id: str) -> TrackingEvent | None:
    return session.scalars(
        select(TrackingEvent).where(_E.client_event_id == client_event_id)
    ).first()


def is_recorded(session: Session, client_event_id: str) -> bool:
    """Whether a scan with this event_id is stored already (its repeat writes nothing)."""
    return session.scalars(select(_E.id).where(_E.client_event_id == client_event_id)
                           ).first() is not None


def _otp_of(payload: Any) -> str | None:
    """The OTP the recipient read out, kept apart from the proof: it is checked, never stored."""
    proof = payload.get("proof") if isinstance(payload, dict) else None
    code = proof.get("otp") if isinstance(proof, dict) else None
    return code if isinstance(code, str) else None


def _target_or_replay(session: Session, number: str, scan: Scan, scope: Scope,
                      standalone: bool) -> ScanTarget | ScanResult:
    row = first_row(session, _TARGET_AND_REPLAY,
                    {"event_id": scan.client_event_id, "number": number}, standalone=standalone)
    target = check_visible(scope, ScanTarget(*row[:-1]) if row else None, number)
    if row[-1] is not None:  # the stored event's id
        return replay_of(_stored_event(session, scan.client_event_id), scan)
    check_office(session, scope, target, scan.event)
    return target


def record_scan(session: Session, payload: Any, actor: str, *, scope: Scope,
                office_id: int | None = None, client_address: str | None = None,
                otp_required: bool = True, standalone: bool = False) -> ScanResult:
    """Apply one scan by ``actor`` (at ``office_id``, from ``client_address``; no commit) to an
    item ``scope`` sees (delivery.access: NotFound otherwise, as for an unknown number; WrongOffice
    for a delivery event away from the item's delivery office).
    Idempotent by event_id; raises ValidationFailed, NotFound, TransitionNotAllowed or Conflict.
    What the change sets in motion (OTP round, outbox rows) is written with it:
    plan -> follow-up rows -> one write.

    ``out_for_delivery`` before the day the citizen asked for needs the courier's reason
    (delivery.requested_date). ``out_for_delivery`` and ``held_for_pickup`` issue a fresh OTP
    (sent by SMS); ``delivered``
    must show a verifying factor (tracking.door_check: the OTP in ``proof.otp`` when
    ``otp_required``); a wrong answer raises tracking.otp.WrongTry before anything else is
    written, and the caller commits the try it spent. ``standalone`` lets the read and the write
    each run as a transaction of their own (PostgreSQL, see delivery.driver): only for a caller that
    commits right after this call.

    Two requests racing with the same event_id: the loser's INSERT fails with IntegrityError, which
    leaves the transaction unusable; the caller rolls back and calls again,
    and then gets the winner's result."""
    number, scan = parse_scan(payload, actor, datetime.now(UTC), office_id, client_address)
    target = _target_or_replay(session, number, scan, scope, standalone)
    if isinstance(target, ScanResult):
        return target
    scan = checked_dispatch(scan, target)
    if scan.event in CHECKED_EVENTS and target.direction == TO_AGENCY:
        check_pickup(session, target.id, scan.proof)
    if scan.event == "delivered":
        check_delivery(session, target, scan, _otp_of(payload), otp_required=otp_required)
    standalone = standalone and "collected_vnd" not in (scan.proof or {})  # + its money row
    try:
        event = plan(target, scan, attempt_limit=target.attempt_limit)
        event, outbox_ids = write_change(session, target, event,
                                         follow_up_of(session, target, event),
                                         standalone=standalone)
        record_collection(session, event, scan.proof)
    except Conflict:
        # A concurrent request with the same event_id may have won the race: answer as a repeat.
        if stored := _stored_event(session, scan.client_event_id):
            return replay_of(stored, scan)
        raise
    return ScanResult(event, event.status_after, created=True, outbox_ids=tuple(outbox_ids))
