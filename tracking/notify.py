"""What a status change sets in motion: outbox rows, written in the same transaction as the change.

The rows are pushed to the job queue only after commit (by the caller); a row that never reaches the
queue stays pending and is picked up again by the sweep, so nothing caused by a change can be lost.
Dedupe keys are ``{kind}:{consignment id}:{client event id or purpose}``: at most one row per
(consignment, event, kind), enforced by a unique index.

SMS rows carry what the message needs, not its text: the text is rendered when it is sent, with the
settings of the sending process (gateway, diacritics, public URL).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from delivery.at_risk import FlaggedItem
from delivery.bulk import as_json, insert_returning_ids
from delivery.lifecycle import FollowUp
from delivery.models import Agency, Consignment, PostOffice, utcnow
from delivery.recipient import normalise_phone, phone_e164
from delivery.status_model import RecordedEvent

from .models import Outbox
from .otp import issue_otp
from .webhook_bodies import at_risk_body, at_risk_purpose, dossier_webhook_body, webhook_body

if TYPE_CHECKING:
    from .scans import ScanTarget

# Events the recipient hears about by SMS (plus the creation of the consignment, see below).
SMS_EVENTS = ("out_for_delivery", "delivery_failed", "held_for_pickup", "delivered")
# Events that open a delivery round: a fresh OTP, texted to the recipient (tracking.otp).
ROUND_EVENTS = ("out_for_delivery", "held_for_pickup")


def outbox_payload(payload: dict[str, Any]) -> str:
    """An outbox row's payload as stored: JSON text, sent as it is
    (a webhook's body is these very bytes, signed)."""
    return as_json(payload)


def _office_json(office: PostOffice | None) -> dict[str, str] | None:
    if office is None:
        return None
    return {"name": office.name, "address": office.address, "hours": office.opening_hours}


def sms_payload(consignment: Consignment | ScanTarget, template: str,
                **extra: Any) -> dict[str, Any] | None:
    """What an SMS row stores; None when the recipient has no Vietnamese mobile number to text."""
    phone = normalise_phone(consignment.recipient_phone)
    if phone is None:
        return None
    return {"to": phone_e164(phone), "template": template,
            "tracking_number": consignment.tracking_number,
            "dossier_code": consignment.dossier_code,
            "token": consignment.tracking_token, **extra}


def _sms_row(session: Session, target: ScanTarget, event: RecordedEvent,
             otp: str | None) -> dict | None:
    # a collection's citizen hears of its booking and receipt in their own words, not these
    if target.direction != "to_citizen":
        return _collection_sms_row(target, event)
    if event.event not in SMS_EVENTS or (event.event == "delivery_failed"
                                         and event.status_after != "attempt_failed"):
        return None
    extra: dict[str, Any] = {}
    if event.event in ROUND_EVENTS:
        extra["otp"] = otp
    if event.event == "held_for_pickup":
        office_id = event.office_id or target.destination_office_id
        extra["office"] = _office_json(session.get(PostOffice, office_id) if office_id else None)
    payload = sms_payload(target, event.event, **extra)
    if payload is None:
        return None
    return outbox_row("sms", target.id, event.client_event_id, payload)


# A collection's events its citizen is texted about, with the message kind: the receipt (biên
# nhận) once the bưu tá has the dossier, its link the tracking page that shows it.
COLLECTION_SMS = {"picked_up": "collection_receipt"}


def _collection_sms_row(target: ScanTarget, event: RecordedEvent) -> dict | None:
    kind = COLLECTION_SMS.get(event.event)
    payload = sms_payload(target, kind) if kind else None
    return outbox_row("sms", target.id, event.client_event_id, payload) if payload else None


def new_code_row(session: Session, consignment: Consignment, code: str,
                 purpose: str) -> dict[str, Any] | None:
    """The SMS of a round started by hand (tracking.otp_reach.send_new_code): the round's usual
    text for the item's status (out for delivery, or held at its delivery office) with ``code``.
    None when the recipient has no mobile number."""
    extra: dict[str, Any] = {"otp": code}
    if consignment.status == "held_for_pickup":
        office_id = consignment.destination_office_id
        extra["office"] = _office_json(session.get(PostOffice, office_id) if office_id else None)
    payload = sms_payload(consignment, consignment.status, **extra)
    return outbox_row("sms", consignment.id, purpose, payload) if payload else None


def outbox_row(kind: str, consignment_id: int, purpose: str, payload: dict) -> dict[str, Any]:
    """A pending outbox row (not written), deduplicated by kind, item and ``purpose``."""
    # Keyed by the event's client id, not its row id, so the rows can be made before the event is
    # written.
    return {"kind": kind, "dedupe_key": f"{kind}:{consignment_id}:{purpose}",
            "consignment_id": consignment_id,
            "payload": outbox_payload(payload), "state": "pending", "attempts": 0,
            "created_at": utcnow()}


def outbox_rows(session: Session, target: ScanTarget, event: RecordedEvent,
                otp: str | None) -> list[dict[str, Any]]:
    """The outbox rows one status change causes (not written): the upstream webhook when the agency
    has one, and the recipient's SMS for the events they hear about. ``otp`` is the code issued for
    an ``out_for_delivery`` round (None otherwise): it travels in that SMS only.
    ``event`` needs no id yet."""
    rows = []
    if target.webhook_url:
        rows.append(outbox_row("webhook", target.id, event.client_event_id,
                               webhook_body(target, event)))
        if named := dossier_webhook_body(target, event):
            rows.append(outbox_row("webhook", target.id,
                                   f"{event.client_event_id}:{named['type']}", named))
    if sms := _sms_row(session, target, event, otp):
        rows.append(sms)
    return rows


def follow_up_of(session: Session, target: ScanTarget, event: RecordedEvent) -> FollowUp:
    """What one planned status change sets in motion, to be written with it (see
    delivery.lifecycle): a new OTP round when the item goes out for delivery or is held for
    pick-up (its row is added to the session now), and the outbox rows (webhook, SMS) to push after
    commit."""
    otp = issue_otp(session, target) if event.event in ROUND_EVENTS else None
    return FollowUp(Outbox.__table__, outbox_rows(session, target, event, otp), key="dedupe_key")


def follow_ups_of(session: Session, changes: list[tuple[ScanTarget, RecordedEvent]]) -> FollowUp:
    """``follow_up_of`` for every change of a batch, as one FollowUp whose ``per_event`` says which
    rows belong to which change."""
    per_change = [follow_up_of(session, target, event).rows for target, event in changes]
    return FollowUp(Outbox.__table__, [row for rows in per_change for row in rows],
                    key="dedupe_key", per_event=[len(rows) for rows in per_change])


def queue_sms(session: Session, item: Consignment, template: str, purpose: str,
              **extra: Any) -> list[int]:
    """Write one SMS of ``template`` to ``item``'s citizen, keyed by ``purpose`` (no commit).
    Returns the outbox ids to push after commit (none without a mobile number); rows never pushed
    are found by the sweep."""
    payload = sms_payload(item, template, **extra)
    if payload is None:
        return []
    row = outbox_row("sms", item.id, purpose, payload)
    return insert_returning_ids(session, Outbox.__table__, [row], key="dedupe_key")


def queue_created(session: Session, consignment: Consignment) -> list[int]:
    """The SMS that tells the recipient of a new consignment its tracking link: every way a
    consignment is created (API, counter page, import) calls this in the creating transaction."""
    return queue_sms(session, consignment, "created", "created")


def queue_booked(session: Session, item: Consignment, window: str) -> list[int]:
    """The SMS that tells a citizen their collection is booked: the ``window`` as they read it
    ("08:00-10:00 09/12/2026"), the number and the tracking link."""
    return queue_sms(session, item, "collection_booked", "collection_booked", window=window)


def queue_link_again(session: Session, consignment: Consignment, purpose: str) -> list[int]:
    """The tracking link's SMS once more (the text of ``queue_created``), keyed by ``purpose``:
    counter staff resending it (tracking.link_again)."""
    return queue_sms(session, consignment, "created", purpose)


def queue_at_risk(session: Session, items: list[FlaggedItem]) -> list[int]:
    """Write the ``consignment.at_risk`` webhook of each item just flagged, for agencies with a
    webhook URL, in the flagging transaction (no commit). One row per item and episode: its dedupe
    key names both, so the unique index refuses a second (the job flags an item once per episode,
    so it never writes one). Returns the outbox ids to push after commit."""
    agencies = {item.agency_id for item in items}
    listening = set(session.exec(select(Agency.id).where(
        col(Agency.id).in_(agencies), col(Agency.webhook_url).is_not(None))).all()) \
        if agencies else set()
    rows = [outbox_row("webhook", item.id, at_risk_purpose(item), at_risk_body(item))
            for item in items if item.agency_id in listening]
    return insert_returning_ids(session, Outbox.__table__, rows, key="dedupe_key")


def pending_outbox_ids(session: Session, now: datetime | None = None,
                       limit: int = 500) -> list[int]:
    """Rows still waiting to be sent whose retry time has come (for the periodic sweep)."""
    now = now or utcnow()
    rows = session.exec(
        select(Outbox.id).where(Outbox.state == "pending")
        .where((Outbox.next_attempt_at.is_(None)) | (Outbox.next_attempt_at <= now))
        .order_by(Outbox.id).limit(limit)
    ).all()
    return list(rows)


def release_stuck(session: Session, older_than: timedelta, now: datetime | None = None) -> int:
    """Hand back rows claimed (``sending``) longer than ``older_than`` ago: their sender died
    between the claim and the result. They are sent again with the same id
    (receivers dedupe on it). No commit."""
    cutoff = (now or utcnow()) - older_than
    # Compare-and-set: a sender finishing right now keeps its result.
    return session.exec(
        update(Outbox).where(Outbox.state == "sending", Outbox.claimed_at <= cutoff)
        .values(state="pending", claimed_at=None)
    ).rowcount
