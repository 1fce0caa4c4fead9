"""Tables of label printing: every label print (so reprints are accountable) and background print
jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from .models import UTCDateTime, created_field, utcnow


class LabelPrint(SQLModel, table=True):
    """One label handed out for printing: who, when, in which format, and why when it was a
    reprint."""

    id: int | None = Field(default=None, primary_key=True)
    consignment_id: int = Field(foreign_key="consignment.id", index=True)
    printed_at: datetime = created_field()
    actor: str = Field(max_length=60)
    format: str = Field(max_length=8)  # pdf | svg | png | zpl | html
    reprint: bool = Field(default=False)
    reason: str | None = Field(default=None, max_length=300)
    print_job_id: int | None = Field(default=None, foreign_key="printjob.id")


class PrintJob(SQLModel, table=True):
    """A batch of labels rendered in the background into one PDF under the instance folder (a run
    of delivery.background_runs)."""

    id: int | None = Field(default=None, primary_key=True)
    created_by: str = Field(max_length=60)
    created_at: datetime = created_field()
    state: str = Field(default="queued", max_length=20, index=True)  # queued|running|done|failed
    size: str = Field(default="100x150", max_length=10)
    sheet: str = Field(default="label", max_length=10)  # label | a4
    reason: str | None = Field(default=None, max_length=300)
    # JSON list, in print order
    tracking_numbers: str = Field(sa_column=Column(Text, nullable=False))
    total: int = Field(default=0)
    done: int = Field(default=0)
    error: str | None = Field(default=None, max_length=500)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0)  # jobs that started it
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # its job's heartbeat

    def end(self, state: str, error: str | None = None) -> None:
        """Stop the job as ``state`` (done, or failed with ``error`` saying why)."""
        self.state, self.error = state, error and error[:500]
        self.finished_at = self.updated_at = utcnow()
