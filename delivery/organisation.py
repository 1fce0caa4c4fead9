"""Tables of the organisation directory beyond agencies and offices themselves (delivery.models):
which agencies a counter serves, a delivery office's beats (tuyến phát), and the offices a
postal-network API client is bound to. delivery.access reads them to decide who sees what;
delivery.directory writes them.
"""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

# Office kinds as stored, and as people (and the directory file, and the CLI) name them.
OFFICE_KINDS = {"counter": "counter", "hub": "hub", "delivery": "delivery_office"}


class OfficeAgency(SQLModel, table=True):
    """A counter office (at a one-stop shop) serves this agency: its staff see the agency's
    items."""

    __tablename__ = "office_agency"

    office_id: int = Field(foreign_key="postoffice.id", primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", primary_key=True, index=True)


class Beat(SQLModel, table=True):
    """A courier's beat (tuyến phát): wards of a delivery office one courier covers."""

    __tablename__ = "beat"
    __table_args__ = (UniqueConstraint("office_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="postoffice.id", index=True)
    code: str = Field(max_length=20)
    name: str = Field(default="", max_length=200)
    courier_id: int | None = Field(default=None, foreign_key="staff_user.id")


class BeatWard(SQLModel, table=True):
    __tablename__ = "beat_ward"

    beat_id: int = Field(foreign_key="beat.id", primary_key=True)
    ward_code: int = Field(foreign_key="ward.code", primary_key=True,
                           sa_column_kwargs={"autoincrement": False})


class ApiClientOffice(SQLModel, table=True):
    """A postal-network API client acts for (and sees items on routes through) these offices."""

    __tablename__ = "api_client_office"

    client_id: int = Field(foreign_key="apiclient.id", primary_key=True)
    office_id: int = Field(foreign_key="postoffice.id", primary_key=True)
