"""Tables of the delivery domain (SQLModel). Behaviour lives in the modules that use them.

Times are stored in UTC and always come back timezone-aware, on SQLite as on PostgreSQL. Other
tables live with the code that uses them (audit, login_throttle, print_models, importing,
manifest_models, collection_models);
web.tables lists every module that defines one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import DateTime, Index, TypeDecorator, UniqueConstraint, text
from sqlmodel import Field, SQLModel

# Vietnam keeps UTC+7 all year (no daylight saving), so a fixed offset is exact.
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
# Row ids are INTEGER columns: on PostgreSQL nothing above this exists (a larger number must not
# reach a query, where it fails as out of range).
MAX_ROW_ID = 2**31 - 1
# The events that end or fail a delivery (what delivery.quality counts), and the partial index's
# condition on them.
OUTCOME_EVENTS = ("delivered", "delivery_failed", "returned_to_agency")
OUTCOME_CONDITION = f"event IN ({', '.join(repr(event) for event in OUTCOME_EVENTS)})"


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that refuses naive datetimes and reads back aware UTC (SQLite forgets
    offsets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; every stored time must carry its offset")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def created_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


# --- reference data: the post-2025 administrative units ---------------------------------------

class Province(SQLModel, table=True):
    code: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str = Field(max_length=100)


class Ward(SQLModel, table=True):
    code: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str = Field(max_length=100)
    province_code: int = Field(foreign_key="province.code", index=True)


# --- organisations ----------------------------------------------------------------------------

class Agency(SQLModel, table=True):
    """An issuing unit (one-stop-shop, service centre) with its delivery settings."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    attempt_limit: int = Field(default=2)
    return_within_days: int = Field(default=5)
    # Working days from intake to the due date, by route (delivery.due_dates): to the delivery
    # office of the agency's own ward, elsewhere in the agency's province, to another province.
    transit_days_same_office: int = Field(default=1)
    transit_days_same_province: int = Field(default=2)
    transit_days_other_province: int = Field(default=4)
    webhook_url: str | None = Field(default=None, max_length=500)
    webhook_secret: str | None = Field(default=None, max_length=200)
    # How far ahead a citizen may ask for another delivery date, in days from today.
    reschedule_window_days: int = Field(default=7)
    # How many days an item waits at the post office for pick-up before it goes back to the agency.
    pickup_hold_days: int = Field(default=7)
    province_code: int | None = Field(default=None, foreign_key="province.code")
    # The ward the agency sits in: its delivery office is the "same delivery office" of a route.
    ward_code: int | None = Field(default=None, foreign_key="ward.code")
    # Where a recipient's payment at the door goes by bank transfer (the VietQR the courier shows):
    # the bank's 6-digit NAPAS BIN, the account number, the holder's name as the bank has it.
    payment_bank_bin: str | None = Field(default=None, max_length=6)
    payment_account: str | None = Field(default=None, max_length=19)
    payment_account_name: str | None = Field(default=None, max_length=100)


class PostOffice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)  # counter | hub | delivery_office
    province_code: int = Field(foreign_key="province.code", index=True)
    address: str = Field(default="", max_length=300)
    # told to citizens collecting an item, e.g. "7:30-17:00"
    opening_hours: str = Field(default="", max_length=100)
    lat: float | None = None
    lon: float | None = None
    # A delivery office's own account for transfers at the door, before its agencies' (optional).
    payment_bank_bin: str | None = Field(default=None, max_length=6)
    payment_account: str | None = Field(default=None, max_length=19)
    payment_account_name: str | None = Field(default=None, max_length=100)


class OfficeWard(SQLModel, table=True):
    """Which delivery office serves which ward (a ward has at most one)."""

    ward_code: int = Field(foreign_key="ward.code", primary_key=True,
                           sa_column_kwargs={"autoincrement": False})
    office_id: int = Field(foreign_key="postoffice.id", index=True)


# --- the consignment ---------------------------------------------------------------------------

class S10Serial(SQLModel, table=True):
    """Last serial handed out per service indicator: the database sequence S10 numbers come from."""

    indicator: str = Field(primary_key=True, max_length=2)
    last_serial: int = Field(default=0)


class Consignment(SQLModel, table=True):
    # the office's daily report counts items per status (delivery.reports) from this index alone; it
    # also serves every lookup by office, so destination_office_id has no index of its own (one less
    # to write per scan)
    # A dossier code is unique within its agency and direction (two agencies' codes never collide:
    # each starts with the agency's own unit code, and an agency cannot squat on another's): the
    # dossier collected from the citizen and its result going back share the code. A collection
    # booked before the agency gave the dossier a code has none (NULLs never collide).
    # The quality report (delivery.quality) reads an office's items from
    # ix_consignment_office_created alone on PostgreSQL: those created in a period, and what it
    # joins to the period's events. Of its columns only attempts changes on a scan, and only with
    # the status (indexed already), so the updates that stayed HOT still do.
    __table_args__ = (Index("ix_consignment_office_status", "destination_office_id", "status"),
                      Index("ix_consignment_office_created", "destination_office_id",
                            "created_at", postgresql_include=["id", "due_at", "attempts", "payer",
                                                              "amount_vnd"]),
                      UniqueConstraint("agency_id", "dossier_code", "direction",
                                       name="uq_consignment_agency_dossier"))

    id: int | None = Field(default=None, primary_key=True)
    tracking_number: str = Field(max_length=13, unique=True)
    tracking_token: str = Field(max_length=64, unique=True)
    dossier_code: str | None = Field(default=None, max_length=60)
    # "to_citizen": a result going to the citizen's address; "to_agency": a dossier collected from
    # the citizen (or handed in at a shop) going to the agency (delivery.collections). For a
    # collection, destination_office_id is the office whose couriers collect it (the office serving
    # the citizen's ward): the status model and access treat the citizen's end alike both ways.
    direction: str = Field(default="to_citizen", max_length=10)
    request_fingerprint: str = Field(max_length=64)
    procedure: str | None = Field(default=None, max_length=300)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    destination_office_id: int | None = Field(default=None, foreign_key="postoffice.id")
    # The office that took the item from the agency (handover or acceptance scan): the start of
    # its route, which decides who on the way may see it (delivery.access).
    origin_office_id: int | None = Field(default=None, foreign_key="postoffice.id", index=True)
    # The courier whose round the item is on today (a supervisor may move it to another).
    courier_id: int | None = Field(default=None, foreign_key="staff_user.id")

    recipient_name: str = Field(max_length=200)
    # for search without diacritics
    recipient_name_folded: str = Field(default="", max_length=200, index=True)
    recipient_phone: str = Field(max_length=20)
    # Only the last four digits of the CCCD: enough for the courier's identity check, nothing more.
    recipient_id_last4: str | None = Field(default=None, max_length=4)

    address_text: str = Field(max_length=500)
    street: str = Field(max_length=300)
    ward_code: int = Field(foreign_key="ward.code", index=True)
    province_code: int = Field(foreign_key="province.code", index=True)
    legacy_province: str | None = Field(default=None, max_length=100)
    legacy_district: str | None = Field(default=None, max_length=100)
    legacy_ward: str | None = Field(default=None, max_length=100)
    address_confidence: float = Field(default=1.0)
    # Where the address is on the map (geocoded in the background when a geocoder is configured),
    # for the round.
    lat: float | None = None
    lon: float | None = None

    payer: str | None = Field(default=None, max_length=20)
    amount_vnd: int | None = None
    note: str | None = Field(default=None, max_length=1000)

    status: str = Field(default="created", max_length=30, index=True)
    attempts: int = Field(default=0)
    version: int = Field(default=1)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The agency's date for returning the result (ngày hẹn trả kết quả), when intake sent one: the
    # due date follows it (delivery.due_dates).
    appointment_date: date | None = None
    # What the citizen asked for on the tracking page (each request is also a timeline event);
    # preferred_channel: "zns" or "sms", tried first for their messages (tracking.channels).
    requested_date: date | None = None
    pickup_requested: bool = Field(default=False)
    delivery_instructions: str | None = Field(default=None, max_length=200)
    preferred_channel: str | None = Field(default=None, max_length=10)
    # Set when the recipient's personal data was erased after retention (delivery.retention).
    anonymised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TrackingEvent(SQLModel, table=True):
    """One scan or status change; append-only, and the timeline is read from these rows."""

    __table_args__ = (
        Index("ix_trackingevent_consignment_occurred", "consignment_id", "occurred_at"),
        # the office's daily report (delivery.reports): one range scan per office and day
        Index("ix_trackingevent_office_occurred", "office_id", "occurred_at"),
        # the quality report (delivery.quality): a period's deliveries, failed attempts and returns,
        # read from the index alone on PostgreSQL; only those events pay for it when written
        Index("ix_trackingevent_outcome_occurred", "occurred_at",
              postgresql_include=["consignment_id", "event", "reason"],
              postgresql_where=text(OUTCOME_CONDITION), sqlite_where=text(OUTCOME_CONDITION)),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_event_id: str = Field(max_length=64, unique=True)
    consignment_id: int = Field(foreign_key="consignment.id")
    event: str = Field(max_length=30)
    upu_code: str = Field(max_length=3)
    status_before: str = Field(max_length=30)
    status_after: str = Field(max_length=30)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    recorded_at: datetime = created_field()
    lat: float | None = None
    lon: float | None = None
    office_id: int | None = Field(default=None, foreign_key="postoffice.id")
    actor: str = Field(max_length=60)
    # Where the scan came from (the client's network address), stamped by delivery.audit from the
    # session.
    client_address: str | None = Field(default=None, max_length=64)
    reason: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=500)
    proof: str | None = Field(default=None, max_length=2000)  # JSON: who received it, how checked
    fingerprint: str = Field(max_length=64)


# --- people and systems that may act -------------------------------------------------------------

class User(SQLModel, table=True):
    __tablename__ = "staff_user"  # "user" is reserved in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=20)  # counter | courier | supervisor | admin
    office_id: int | None = Field(default=None, foreign_key="postoffice.id")
    # A supervisor of a whole province (instead of one office), as an admin set it.
    province_code: int | None = Field(default=None, foreign_key="province.code")
    active: bool = Field(default=True)
    created_at: datetime = created_field()
    # Each login cookie carries the value it had at login; raising it ends every session of the user
    # (logout, a password change or reset, disabling: delivery.accounts.end_sessions).
    session_generation: int = Field(default=0)
    # The language of this user's pages: Vietnamese unless they chose English (web/i18n.py).
    language: str = Field(default="vi", max_length=5)


class ApiClient(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("key_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    key_hash: str = Field(max_length=64)
    scopes: str = Field(max_length=100)  # space-separated: intake scan read
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    # A postal-network client (the national postal system): scopes scan and read only, sees items on
    # routes through its offices (delivery.organisation.ApiClientOffice), or all when it has none.
    postal: bool = Field(default=False)
    active: bool = Field(default=True)
    created_at: datetime = created_field()
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
