"""Retention of personal data: some days after a consignment reached its final status (delivered,
returned, cancelled) the recipient's personal data is erased, keeping what statistics need.

Erased: name (and its folded form), phone, the CCCD's last 4 digits, street, the address as written,
the note, the citizen's delivery instructions; from every event the free-text note, the courier's
position (at the door it is the recipient's home), who received the item, the ID digits and
authorisation checked, the door photo (its file is deleted), and the network address of the
citizen's own requests; the comment of the citizen's rating; a collected dossier's page photos
and its PDF (files and rows: tracking.digitised_dossier). SMS rows of the outbox lose their
payload (phone, text).
Kept: number, dossier code, agency, status, every event with its time, place, office and actor, the
ward and province codes and old units, the destination office, payer and amount, attempts, dates,
the rating's stars.

Lives in ``tracking`` because it spans both packages' tables (consignments, events, the outbox,
photos). Functions take a Session and never commit; the caller commits each batch.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from delivery.audit import Who, record_audit_per_consignment
from delivery.models import Consignment, TrackingEvent, utcnow
from delivery.status_model import FINAL_STATUSES

from .citizen_requests import ACTOR as CITIZEN
from .digitised_dossier import erase_pages
from .models import Outbox, Rating
from .proof_files import PHOTO_ID

SYSTEM = Who("system", "retention")
# the intake fingerprint is a hash of the personal data: it goes too
ERASED_FINGERPRINT = "anonymised"
KEPT_PROOF = ("relation",)  # statistics: delivered to the recipient in person, a relative, a proxy


def due_for_anonymisation(session: Session, days: int, now: datetime | None = None,
                          limit: int = 500) -> list[Consignment]:
    """Up to ``limit`` consignments whose final status is more than ``days`` days old and whose data
    is still there, oldest first (``updated_at`` is the time of the last status change)."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    statement = (select(Consignment)
                 .where(col(Consignment.status).in_(FINAL_STATUSES),
                        col(Consignment.anonymised_at).is_(None), Consignment.updated_at < cutoff)
                 .order_by(col(Consignment.updated_at)).limit(limit))
    return list(session.exec(statement).all())


def anonymise_consignments(session: Session, consignments: list[Consignment],
                           photo_folder: Path | None, now: datetime | None = None) -> int:
    """Erase the personal data of ``consignments`` (see the module docstring) and audit each one;
    returns how many were erased. Idempotent: those already anonymised are skipped and recorded no
    second time. Set-based (a few statements per batch, one per event that carries proof). Photo
    files are deleted before the commit; if the commit fails the next run erases the rows again, and
    a missing file is no error."""
    todo = [c for c in consignments if c.anonymised_at is None]
    ids = [c.id for c in todo]
    if not ids:
        return 0
    session.exec(update(Consignment).where(col(Consignment.id).in_(ids)).values(
        recipient_name="", recipient_name_folded="", recipient_phone="", street="", address_text="",
        recipient_id_last4=None, note=None, delivery_instructions=None,
        request_fingerprint=ERASED_FINGERPRINT,
        anonymised_at=now or utcnow(),
        # anything cached by version (the public tracking page) is rendered again
        version=Consignment.version + 1,
    ).execution_options(synchronize_session=False))
    proofs = session.exec(select(TrackingEvent.id, TrackingEvent.proof).where(
        col(TrackingEvent.consignment_id).in_(ids), col(TrackingEvent.proof).is_not(None))).all()
    if proofs:  # one executemany on the table: no ORM bookkeeping per row
        events = TrackingEvent.__table__
        session.exec(update(events).where(events.c.id == bindparam("event_id"))
                     .values(proof=bindparam("erased")),
                     params=[{"event_id": i, "erased": _erased_proof(p, photo_folder)}
                             for i, p in proofs])
    session.exec(update(TrackingEvent).where(col(TrackingEvent.consignment_id).in_(ids))
                 .values(note=None, lat=None, lon=None)
                 .execution_options(synchronize_session=False))
    # a citizen's request came from the citizen's own network address
    session.exec(update(TrackingEvent)
                 .where(col(TrackingEvent.consignment_id).in_(ids), TrackingEvent.actor == CITIZEN)
                 .values(client_address=None).execution_options(synchronize_session=False))
    session.exec(update(Rating).where(col(Rating.consignment_id).in_(ids)).values(comment=None)
                 .execution_options(synchronize_session=False))
    session.exec(update(Outbox).where(col(Outbox.consignment_id).in_(ids), Outbox.kind == "sms")
                 .values(payload=json.dumps({"anonymised": True}))
                 .execution_options(synchronize_session=False))
    # a collected dossier's photographed pages and their PDF are the citizen's papers
    erase_pages(session, ids, photo_folder)
    record_audit_per_consignment(session, "retention.anonymised", SYSTEM,
                                 {c.id: {"status": c.status} for c in todo})
    for consignment in todo:
        # its attributes were changed in the database, not in this object
        session.expire(consignment)
    return len(ids)


def _erased_proof(proof: str, photo_folder: Path | None) -> str:
    """What is kept of a delivery's proof: the relation of who received it and whether an ID was
    checked; the door photo's file is deleted."""
    data = json.loads(proof)
    photo = data.get("photo")
    if photo_folder is not None and isinstance(photo, str) and PHOTO_ID.fullmatch(photo):
        (photo_folder / photo).unlink(missing_ok=True)
    kept = {k: data[k] for k in KEPT_PROOF if data.get(k)}
    return json.dumps({**kept, "id_checked": bool(data.get("id_last4")), "anonymised": True})


def anonymise_due(session: Session, days: int, photo_folder: Path | None,
                  now: datetime | None = None, limit: int = 500) -> int:
    """Anonymise one batch of due consignments (no commit); returns how many. Call again after
    committing until it returns 0."""
    return anonymise_consignments(session, due_for_anonymisation(session, days, now, limit),
                                  photo_folder, now)
