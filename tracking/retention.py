"""Retention of personal data: some days after a consignment reached its final status (delivered, returned,
cancelled) the recipient's personal data is erased, keeping what statistics need.

Erased: name (and its folded form), phone, the CCCD's last 4 digits, street, the address as written, the
note, the citizen's delivery instructions, and from every event the free-text note, the courier's position
(at the door it is the recipient's home), who received the item, the ID digits and authorisation checked,
and the door photo (its file is deleted). SMS rows of the outbox lose their payload (phone, text).
Kept: number, dossier code, agency, status, every event with its time, place, office and actor, the ward
and province codes and old units, the destination office, payer and amount, attempts, dates.

Lives in ``tracking`` because it spans both packages' tables (consignments, events, the outbox, photos).
Functions take a Session and never commit; the caller commits each batch.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from delivery.audit import Who, record_audit
from delivery.lifecycle import FINAL_STATUSES
from delivery.models import Consignment, TrackingEvent, utcnow

from .models import Outbox
from .proof_files import PHOTO_ID

SYSTEM = Who("system", "retention")
ERASED_FINGERPRINT = "anonymised"  # the intake fingerprint is a hash of the personal data: it goes too
KEPT_PROOF = ("relation",)  # statistics: delivered to the recipient in person, a relative, a proxy


def due_for_anonymisation(session: Session, days: int, now: datetime | None = None,
                          limit: int = 500) -> list[Consignment]:
    """Up to ``limit`` consignments whose final status is more than ``days`` days old and whose data is still
    there, oldest first (``updated_at`` is the time of the last status change)."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    statement = (select(Consignment)
                 .where(col(Consignment.status).in_(FINAL_STATUSES), col(Consignment.anonymised_at).is_(None),
                        Consignment.updated_at < cutoff)
                 .order_by(col(Consignment.updated_at)).limit(limit))
    return list(session.exec(statement).all())


def anonymise_consignment(session: Session, consignment: Consignment, photo_folder: Path | None,
                          now: datetime | None = None) -> None:
    """Erase ``consignment``'s personal data (see the module docstring) and audit it. Idempotent: a second
    call finds nothing left to erase and records nothing. Photo files are deleted before the commit; if the
    commit fails the next run erases the rows again, and a missing file is no error."""
    if consignment.anonymised_at is not None:
        return
    consignment.recipient_name = consignment.recipient_name_folded = ""
    consignment.recipient_phone = consignment.street = consignment.address_text = ""
    consignment.recipient_id_last4 = consignment.note = consignment.delivery_instructions = None
    consignment.request_fingerprint = ERASED_FINGERPRINT
    consignment.anonymised_at = now or utcnow()
    consignment.version += 1  # anything cached by version (the public tracking page) is rendered again
    session.add(consignment)
    events = session.exec(select(TrackingEvent).where(TrackingEvent.consignment_id == consignment.id)).all()
    for event in events:
        _erase_event(session, event, photo_folder)
    for row in session.exec(select(Outbox).where(Outbox.consignment_id == consignment.id, Outbox.kind == "sms")):
        row.payload = json.dumps({"anonymised": True})
        session.add(row)
    record_audit(session, "retention.anonymised", SYSTEM, consignment_id=consignment.id,
                 detail={"status": consignment.status, "events": len(events)})


def _erase_event(session: Session, event: TrackingEvent, photo_folder: Path | None) -> None:
    proof = json.loads(event.proof) if event.proof else None
    if proof:
        photo = proof.get("photo")
        if photo_folder is not None and isinstance(photo, str) and PHOTO_ID.match(photo):
            (photo_folder / photo).unlink(missing_ok=True)
        kept = {k: proof[k] for k in KEPT_PROOF if proof.get(k)}
        event.proof = json.dumps({**kept, "id_checked": bool(proof.get("id_last4")), "anonymised": True})
    event.note = None
    event.lat = event.lon = None
    session.add(event)


def anonymise_due(session: Session, days: int, photo_folder: Path | None, now: datetime | None = None,
                  limit: int = 500) -> int:
    """Anonymise one batch of due consignments (no commit); returns how many. Call again after committing
    until it returns 0."""
    due = due_for_anonymisation(session, days, now, limit)
    for consignment in due:
        anonymise_consignment(session, consignment, photo_folder, now)
    return len(due)
