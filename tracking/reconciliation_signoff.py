"""The supervisor's sign-off of an office's day (ký xác nhận đối soát): who signed, when, the
figures they signed for and an optional note; one per office and day.

A sign-off keeps the totals and a fingerprint of every line (tracking.reconciliation
``Reconciliation.digest``), so the page can say when the figures changed after signing (a late
API delivery, a collection recorded afterwards). Signing again is allowed only then: it replaces
the figures, and every signing is in the audit log (``reconciliation.signed``) with what was
signed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from delivery.audit import Who, record_audit
from delivery.errors import Conflict, ValidationFailed
from delivery.models import UTCDateTime, utcnow

from .reconciliation import Reconciliation, Totals

NOTE_MAX = 500
NOTE_TOO_LONG = (f"Ghi chú tối đa {NOTE_MAX} ký tự / a note of at most {NOTE_MAX} characters")
ALREADY_SIGNED = ("Ngày này đã được ký xác nhận và số liệu không đổi / this day is already "
                  "signed off and its figures have not changed")


class ReconciliationSignoff(SQLModel, table=True):
    """A supervisor's sign-off of one office's day, with the figures as they were signed."""

    __tablename__ = "reconciliation_signoff"
    __table_args__ = (UniqueConstraint("office_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="postoffice.id")
    day: date
    signed_by: int = Field(foreign_key="staff_user.id")
    signed_at: datetime = Field(sa_type=UTCDateTime)
    items: int
    expected_vnd: int = Field(sa_type=BigInteger)
    cash_vnd: int = Field(sa_type=BigInteger)
    transfer_vnd: int = Field(sa_type=BigInteger)
    digest: str = Field(max_length=64)
    note: str | None = Field(default=None, max_length=NOTE_MAX)

    @property
    def totals(self) -> Totals:
        return Totals(self.items, self.expected_vnd, self.cash_vnd, self.transfer_vnd)

    def matches(self, reconciliation: Reconciliation) -> bool:
        """Whether the figures are still those signed for."""
        return self.digest == reconciliation.digest and self.totals == reconciliation.totals


def signoff_of(session: Session, office_id: int, day: date) -> ReconciliationSignoff | None:
    return session.exec(select(ReconciliationSignoff).where(
        ReconciliationSignoff.office_id == office_id, ReconciliationSignoff.day == day)).first()


def sign_off(session: Session, reconciliation: Reconciliation, user_id: int, who: Who,
             note: str | None = None) -> ReconciliationSignoff:
    """Record ``user_id``'s sign-off of ``reconciliation`` as it stands, and its audit row (no
    commit). Raises ValidationFailed (``note``) for a note over 500 characters, and Conflict when
    the day is signed already with the same figures (also when another supervisor signed it at
    the same moment)."""
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise ValidationFailed({"note": NOTE_TOO_LONG})
    office_id, day = reconciliation.office.id, reconciliation.day
    assert office_id is not None
    row = signoff_of(session, office_id, day)
    if row is not None and row.matches(reconciliation):
        raise Conflict(ALREADY_SIGNED)
    again = row is not None
    row = row or ReconciliationSignoff(office_id=office_id, day=day, signed_by=user_id,
                                       signed_at=utcnow(), items=0, expected_vnd=0, cash_vnd=0,
                                       transfer_vnd=0, digest="")
    _stamp(row, reconciliation, user_id, note)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as error:
        raise Conflict(ALREADY_SIGNED) from error
    totals = reconciliation.totals
    record_audit(session, "reconciliation.signed", who, subject=f"office:{office_id}:{day}",
                 detail={"day": day.isoformat(), "again": again, "items": totals.items,
                         "expected_vnd": totals.expected_vnd, "cash_vnd": totals.cash_vnd,
                         "transfer_vnd": totals.transfer_vnd, "note": note})
    return row


def _stamp(row: ReconciliationSignoff, reconciliation: Reconciliation, user_id: int,
           note: str | None) -> None:
    totals = reconciliation.totals
    row.signed_by, row.signed_at, row.note = user_id, utcnow(), note
    row.items, row.expected_vnd = totals.items, totals.expected_vnd
    row.cash_vnd, row.transfer_vnd = totals.cash_vnd, totals.transfer_vnd
    row.digest = reconciliation.digest
