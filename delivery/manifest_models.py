"""Tables of handover records (biên bản giao nhận): which items a manifest carries, between an
agency and the post, or between two post offices (delivery.manifests,
delivery.dossier_manifests)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .models import UTCDateTime, created_field


class Manifest(SQLModel, table=True):
    """A handover batch (biên bản giao nhận), co-signed, one of three ``direction``s
    (delivery.manifests):
    "from_agency": results an agency hands to a post office (``office_id`` takes them);
    "to_agency": collected dossiers a post office (``office_id``) hands to the agency;
    "transfer": collected dossiers sent from one post office (``office_id``) to another
    (``to_office_id``), the one serving the agency."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    direction: str = Field(default="from_agency", max_length=12)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    office_id: int = Field(foreign_key="postoffice.id", index=True)
    to_office_id: int | None = Field(default=None, foreign_key="postoffice.id", index=True)
    # open | dispatched (a transfer on its way) | handed_over (the taker signed or scanned it)
    state: str = Field(default="open", max_length=20)
    created_by: str = Field(max_length=60)
    created_at: datetime = created_field()
    handed_over_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # the agency's officer (who gives results, or who takes dossiers) and the post office's
    # (who takes results, or who gives dossiers), as they signed
    agency_signatory: str | None = Field(default=None, max_length=200)
    received_by: str | None = Field(default=None, max_length=60)
    dispatched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ManifestItem(SQLModel, table=True):
    manifest_id: int = Field(foreign_key="manifest.id", primary_key=True)
    consignment_id: int = Field(foreign_key="consignment.id", primary_key=True, index=True)
    position: int
