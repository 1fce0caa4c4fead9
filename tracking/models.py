"""Tables of the tracking side: the outbox of messages that must leave the machine."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from delivery.models import UTCDateTime, created_field


class Outbox(SQLModel, table=True):
    """A message (webhook, SMS) written in the same transaction as the change that caused it.

    ``dedupe_key`` makes "at most once per (consignment, event, kind)" a database rule.
    """

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # webhook | sms
    dedupe_key: str = Field(max_length=120, unique=True)
    consignment_id: int | None = Field(default=None, foreign_key="consignment.id", index=True)
    payload: str = Field(max_length=20000)
    state: str = Field(default="pending", max_length=20, index=True)  # pending | sending | sent | dead
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_field()
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DeliveryAttempt(SQLModel, table=True):
    """Every try at sending an outbox row, kept for staff to read."""

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="outbox.id", index=True)
    at: datetime = created_field()
    status_code: int | None = None
    error: str | None = Field(default=None, max_length=500)
