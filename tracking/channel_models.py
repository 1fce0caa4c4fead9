"""Tables of the citizens' message channels: each message's send on each channel (with the
provider's answer, its receipt and its price), each agency's channel order, the Zalo OA token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from delivery.models import UTCDateTime, created_field


class MessageSend(SQLModel, table=True):
    """One outbox message (an ``sms`` row) on one channel: at most one per (message, channel), so
    a message reaches a citizen at most once per channel; a retry on the same channel updates it.

    ``request_id`` is what we gave the provider (eSMS RequestId, Zalo tracking_id), the same on
    every try; ``provider_id`` what it gave back (SMSID, msg_id). Both name the message in a
    receipt. ``price_vnd`` is set when the provider accepted the message (segments x the SMS
    tariff, or the ZNS tariff)."""

    __tablename__ = "message_send"
    # receipts find a message by what the provider calls it; the month's cost is a range per
    # agency; the OTP's SMS fallback (tracking.otp_fallback) reads the last day's sends each minute
    __table_args__ = (UniqueConstraint("outbox_id", "channel"),
                      Index("ix_message_send_provider_id", "provider_id"),
                      Index("ix_message_send_agency_sent", "agency_id", "sent_at"),
                      Index("ix_message_send_sent", "sent_at"))

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="outbox.id")
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    channel: str = Field(max_length=10)  # sms | zns
    provider: str = Field(max_length=20)  # esms | zalo | http | console
    request_id: str = Field(max_length=64, unique=True)
    # accepted | retry | permanent | no_account (tracking.providers)
    outcome: str = Field(max_length=20)
    provider_code: str | None = Field(default=None, max_length=20)
    provider_id: str | None = Field(default=None, max_length=100)
    segments: int = Field(default=0)
    price_vnd: int = Field(default=0)
    sent_at: datetime = created_field()
    # the provider's delivery receipt: delivered | failed | pending
    receipt: str | None = Field(default=None, max_length=20)
    receipt_code: str | None = Field(default=None, max_length=20)
    receipt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AgencyChannels(SQLModel, table=True):
    """The channels an agency's citizens are told on, in order (``zns,sms``); an agency without a
    row uses NOTIFY_CHANNELS."""

    __tablename__ = "agency_channels"

    agency_id: int = Field(foreign_key="agency.id", primary_key=True)
    channels: str = Field(max_length=40)


class ProviderToken(SQLModel, table=True):
    """A provider's current access token and its single-use refresh token (Zalo's OA), shared by
    every worker: a refresh replaces both under a row lock."""

    __tablename__ = "provider_token"

    provider: str = Field(max_length=20, primary_key=True)
    access_token: str = Field(max_length=2000)
    refresh_token: str = Field(max_length=2000)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = created_field()
