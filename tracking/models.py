"""Tables of the tracking side: the outbox of messages that must leave the machine,
delivery OTPs and the citizens' ratings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from delivery.models import UTCDateTime, created_field


class Outbox(SQLModel, table=True):
    """A message (webhook, SMS) written in the same transaction as the change that caused it.

    ``dedupe_key`` makes "at most once per (consignment, event, kind)" a database rule. A sender
    claims a row (pending -> sending, ``claimed_at`` set) in its own commit before it talks to the
    network, so a worker killed mid-send leaves a row in ``sending`` that the sweep hands back after
    a timeout.
    """

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # webhook | sms
    dedupe_key: str = Field(max_length=120, unique=True)
    consignment_id: int | None = Field(default=None, foreign_key="consignment.id", index=True)
    payload: str = Field(max_length=20000)
    # pending | sending | sent | dead
    state: str = Field(default="pending", max_length=20, index=True)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
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


class DeliveryOtp(SQLModel, table=True):
    """The one-time code of one delivery round (one ``out_for_delivery``):
    only a salted hash is kept."""

    __table_args__ = (UniqueConstraint("consignment_id", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    consignment_id: int = Field(foreign_key="consignment.id", index=True)
    round: int
    code_hash: str = Field(max_length=64)
    salt: str = Field(max_length=32)
    failed_tries: int = Field(default=0)
    issued_at: datetime = created_field()
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)



class Rating(SQLModel, table=True):
    """The citizen's rating of one delivered consignment: at most one per item (the private link is
    the credential), replaced in place while it may still be changed (7 days from the first)."""

    id: int | None = Field(default=None, primary_key=True)
    consignment_id: int = Field(foreign_key="consignment.id", unique=True)
    stars: int
    comment: str | None = Field(default=None, max_length=1000)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
