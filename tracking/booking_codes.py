"""A citizen's own booking of a collection, confirmed by a code texted to their phone.

The public booking form is kept server-side as a pending booking (BookingCode) until the citizen
types the 6-digit code sent to the phone they gave; only then is the collection booked (web's
``book_and_notify``), and the pending row is deleted in that same transaction. A row rather than a
signed cookie: the code's hash, its spent tries and its expiry must be the server's (a cookie can
be replayed to get its tries back or to confirm twice), and a row is deleted once used, expired or
swept, so the citizen's data does not outlive the booking attempt.

The code: 6 digits, only a salted hash stored, valid CODE_MINUTES; at most MAX_WRONG_TRIES wrong
answers per code (spent with one conditional UPDATE, as tracking.otp does); a new code (resend)
replaces the old one, at most SENDS_PER_BOOKING per pending booking. The plain code travels only in
the outbox row's payload, scrubbed once sent (tracking.outbox). Nothing here commits.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, Text, delete, update
from sqlmodel import Field, Session, SQLModel, col, select

from delivery.bulk import insert_returning_ids
from delivery.errors import DomainError, LimitReached
from delivery.models import UTCDateTime, created_field, utcnow
from delivery.recipient import normalise_phone, phone_e164

from .models import Outbox
from .notify import outbox_payload
from .sms import mask_phone

CODE_MINUTES = 10
KEEP_MINUTES = 60  # a pending booking not confirmed by then is deleted (and swept)
MAX_WRONG_TRIES = 5
SENDS_PER_BOOKING = 3
TEMPLATE = "booking_code"


class BookingCode(SQLModel, table=True):
    """A booking the citizen typed on the public site, waiting for the code texted to them."""

    __tablename__ = "booking_code"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=40, unique=True)  # the confirmation page's address
    agency_id: int = Field(foreign_key="agency.id")
    request_fingerprint: str = Field(max_length=64, index=True)
    body: str = Field(sa_column=Column(Text, nullable=False))  # as POST /api/v1/collections
    salt: str = Field(max_length=16)
    code_hash: str = Field(max_length=64)
    failed_tries: int = Field(default=0)
    sends: int = Field(default=1)
    code_expires_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    created_at: datetime = created_field()


class CodeRefused(DomainError):
    """The code cannot confirm the booking: ``reason`` is "wrong" (``tries_left`` more),
    "expired" (a new one may be sent) or "spent" (no tries left on this code)."""

    title = "Code refused"

    def __init__(self, reason: str, detail: str, tries_left: int = 0) -> None:
        super().__init__(detail, reason=reason, tries_left=tries_left)
        self.reason, self.tries_left = reason, tries_left


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _new_code(booking: BookingCode, now: datetime) -> str:
    code = f"{secrets.randbelow(10**6):06d}"
    booking.salt = secrets.token_hex(8)
    booking.code_hash = _hash(booking.salt, code)
    booking.failed_tries = 0
    booking.code_expires_at = now + timedelta(minutes=CODE_MINUTES)
    return code


def phone_of(body: dict[str, Any]) -> str | None:
    """The citizen's mobile number in a booking body, normalised (None when it is none)."""
    citizen = body.get("citizen")
    phone = citizen.get("phone") if isinstance(citizen, dict) else None
    return normalise_phone(phone) if isinstance(phone, str) else None


def start_booking(session: Session, body: dict[str, Any], agency_id: int, fingerprint: str,
                  now: datetime | None = None) -> tuple[BookingCode, list[int]]:
    """Keep ``body`` (already validated: delivery.collections.parse_collection) as a pending
    booking and text its code (no commit). The same booking submitted again while its code is
    valid returns the same pending row and texts nothing (a double submit). Returns the row and
    the outbox ids to push after commit."""
    now = now or utcnow()
    earlier = session.exec(select(BookingCode).where(
        BookingCode.agency_id == agency_id, BookingCode.request_fingerprint == fingerprint,
        col(BookingCode.code_expires_at) > now,
        col(BookingCode.failed_tries) < MAX_WRONG_TRIES)).first()
    if earlier is not None:
        return earlier, []
    booking = BookingCode(token=secrets.token_urlsafe(24), agency_id=agency_id,
                          request_fingerprint=fingerprint,
                          body=json.dumps(body, ensure_ascii=False),
                          salt="", code_hash="", code_expires_at=now,
                          expires_at=now + timedelta(minutes=KEEP_MINUTES), created_at=now)
    code = _new_code(booking, now)
    session.add(booking)
    session.flush()
    return booking, _queue_code(session, booking, code)


def send_new_code(session: Session, booking: BookingCode, now: datetime | None = None
                  ) -> list[int]:
    """Replace the booking's code with a fresh one and text it (no commit); its tries start again.
    Raises LimitReached after SENDS_PER_BOOKING codes. Returns the outbox ids to push."""
    if booking.sends >= SENDS_PER_BOOKING:
        raise LimitReached(f"đã gửi {SENDS_PER_BOOKING} mã cho lần đặt này, xin đặt lại từ đầu / "
                           f"{SENDS_PER_BOOKING} codes sent already: please start again",
                           limit=SENDS_PER_BOOKING)
    code = _new_code(booking, now or utcnow())
    booking.sends += 1
    session.add(booking)
    session.flush()
    return _queue_code(session, booking, code)


def _queue_code(session: Session, booking: BookingCode, code: str) -> list[int]:
    phone = phone_of(json.loads(booking.body))
    if phone is None:  # parse_collection made sure there is one
        return []
    payload = {"to": phone_e164(phone), "template": TEMPLATE, "otp": code}
    row = {"kind": "sms", "dedupe_key": f"sms:booking:{booking.token}:{booking.sends}",
           "consignment_id": None, "payload": outbox_payload(payload), "state": "pending",
           "attempts": 0, "created_at": utcnow()}
    return insert_returning_ids(session, Outbox.__table__, [row], key="dedupe_key")


def find_booking(session: Session, token: str, now: datetime | None = None
                 ) -> BookingCode | None:
    """The pending booking at ``token``; None when there is none or it has expired (then it is
    deleted: no commit)."""
    booking = session.exec(select(BookingCode).where(BookingCode.token == token)).first()
    if booking is not None and booking.expires_at <= (now or utcnow()):
        session.exec(delete(BookingCode).where(col(BookingCode.id) == booking.id))
        return None
    return booking


def confirm_code(session: Session, booking: BookingCode, code: str,
                 now: datetime | None = None) -> dict[str, Any] | None:
    """Check ``code`` against the booking (no commit). Right: the pending row is deleted and its
    body returned, to be booked in the same transaction; None when a concurrent request used it
    first. Raises CodeRefused (expired, spent, or wrong: the try is spent, and the caller commits
    so that it stays)."""
    if booking.code_expires_at <= (now or utcnow()):
        raise CodeRefused("expired", "mã đã hết hạn / the code has expired")
    spent = session.exec(update(BookingCode).where(
        col(BookingCode.id) == booking.id, col(BookingCode.failed_tries) < MAX_WRONG_TRIES)
        .values(failed_tries=BookingCode.failed_tries + 1)).rowcount
    if spent != 1:
        if session.get(BookingCode, booking.id, populate_existing=True) is None:
            return None  # a concurrent request with the right code used it meanwhile
        raise CodeRefused("spent", "nhập sai quá nhiều lần / too many wrong tries")
    written = code.strip() if isinstance(code, str) else ""
    if not hmac.compare_digest(booking.code_hash, _hash(booking.salt, written)):
        session.refresh(booking)
        left = MAX_WRONG_TRIES - booking.failed_tries
        raise CodeRefused("wrong" if left else "spent", "mã không đúng / wrong code", left)
    claimed = session.exec(delete(BookingCode).where(
        col(BookingCode.id) == booking.id, col(BookingCode.code_hash) == booking.code_hash))
    return json.loads(booking.body) if claimed.rowcount == 1 else None


def forget_expired(session: Session, now: datetime | None = None) -> int:
    """The sweep (no commit): delete the pending bookings past their time, and mask the phone
    number of the code messages sent or given up on before then (no item's retention ever erases
    them: they belong to no item). Returns how many pending bookings went."""
    now = now or utcnow()
    gone = session.exec(delete(BookingCode).where(col(BookingCode.expires_at) <= now)).rowcount
    for row in session.exec(select(Outbox).where(
            col(Outbox.consignment_id).is_(None), Outbox.kind == "sms",
            col(Outbox.state).in_(("sent", "dead")),
            col(Outbox.created_at) <= now - timedelta(minutes=KEEP_MINUTES),
            col(Outbox.payload).contains(f'"template":"{TEMPLATE}"'))).all():
        payload = json.loads(row.payload)
        if "*" not in payload.get("to", "*"):
            row.payload = outbox_payload({**payload, "to": mask_phone(payload["to"])})
            session.add(row)
    return gone
