"""Tables of collections: a dossier going from the citizen to the agency (delivery.collections).

The item itself is a Consignment with ``direction = "to_agency"`` (its tracking number, token,
label, scans, outbox and access are the same as a result's); what only a collection has lives here:
the booked window and the checklist of documents it should carry, the agency's own receipt once it
has the dossier, and the photographed pages.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from .models import UTCDateTime, created_field


class CollectionOrder(SQLModel, table=True):
    """The booking of a collection: when and what to collect."""

    __tablename__ = "collection_order"
    # a booking sent again without a dossier code is recognised by its body (delivery.collections)
    __table_args__ = (UniqueConstraint("agency_id", "request_fingerprint",
                                       name="uq_collection_order_request"),)

    consignment_id: int = Field(foreign_key="consignment.id", primary_key=True,
                                sa_column_kwargs={"autoincrement": False})
    agency_id: int = Field(foreign_key="agency.id")
    request_fingerprint: str = Field(max_length=64)
    # The window the citizen expects the courier in, Vietnam time ("HH:MM").
    window_date: date
    window_from: str = Field(max_length=5)
    window_to: str = Field(max_length=5)
    # JSON list of {"name", "copies"}: the procedure's documents, in the order the courier checks.
    checklist: str = Field(sa_type=Text)
    booked_by: str = Field(max_length=60)
    booked_at: datetime = created_field()
    # The agency's own receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả) once it has the dossier.
    agency_receipt_number: str | None = Field(default=None, max_length=60)
    agency_appointment_date: date | None = None
    agency_received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The digitised dossier: one PDF of the photographed pages (labels.dossier_pages), a file
    # outside the database like the door photos, and the SHA-256 recorded when it was made.
    pages_pdf: str | None = Field(default=None, max_length=40)
    pages_pdf_sha256: str | None = Field(default=None, max_length=64)


class DossierPage(SQLModel, table=True):
    """One photographed sheet of a collected dossier, in order."""

    __tablename__ = "dossier_page"

    consignment_id: int = Field(foreign_key="consignment.id", primary_key=True,
                                sa_column_kwargs={"autoincrement": False})
    number: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    photo: str = Field(max_length=40)  # the file's id (tracking.proof_files)
    sha256: str = Field(max_length=64)
    size_bytes: int
    taken_by: str = Field(max_length=60)
    taken_at: datetime = created_field()
