"""Importing a day's results from a spreadsheet (CSV or Excel) at the counter.

Every row is its own unit: it becomes a consignment completely or not at all, a bad row never blocks
the good ones, and importing the same file again creates nothing new (intake is idempotent by
dossier code within the agency); a row whose dossier code is not the chosen agency's is refused.
Progress is kept on the ImportRun row so a page can show it while a job works through the file:
begin_import, then import_batch for each BATCH_ROWS rows, then finish_import (or fail_import); the
job (web.tasks) commits between the steps, these functions never do. The file is checked and read by
delivery.import_file; a run whose job was lost is started again (delivery.background_runs).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import LargeBinary, update
from sqlmodel import Field, Session, SQLModel, col

from .access import Scope
from .background_runs import claim_run
from .errors import DomainError, NotFound
from .import_file import check_upload, read_rows
from .import_rows import imported_entry, imported_rows, refused_entry, refused_rows
from .intake import body_from_fields, create_consignment, parse_intake
from .legacy_encoding import converted_notice
from .models import Agency, Consignment, UTCDateTime, created_field, utcnow

BATCH_ROWS = 25  # rows per import_batch: the job commits after each, so a page shows the progress


class ImportRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    filename: str = Field(max_length=200)
    sha256: str = Field(max_length=64, index=True)
    agency_id: int = Field(foreign_key="agency.id")
    created_by: str = Field(max_length=60)
    created_at: datetime = created_field()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    state: str = Field(default="queued", max_length=20, index=True)  # queued|running|done|failed
    total: int = 0
    processed: int = 0
    created_count: int = 0
    existing_count: int = 0
    failed_count: int = 0
    # JSON: row number -> a refused row (delivery.import_rows)
    row_errors: str = Field(default="{}", max_length=1_000_000)
    # JSON: row number -> a row imported: its item's number, what the clerk should know of it
    # (its text was converted) (delivery.import_rows)
    row_notices: str = Field(default="{}", max_length=1_000_000,
                             sa_column_kwargs={"server_default": "{}"})
    # The uploaded file, kept only until the run ends: it holds citizens' personal data.
    content: bytes | None = Field(default=None, sa_type=LargeBinary)
    attempts: int = 0  # jobs that started it (delivery.background_runs)
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # its job's heartbeat
    error: str | None = Field(default=None, max_length=500)  # why it failed, for the clerk

    def end(self, state: str, error: str | None = None) -> None:
        """Stop the run as ``state`` (done or failed, with ``error`` saying why) and forget its
        file."""
        self.state, self.error, self.content = state, error and error[:500], None
        self.finished_at = self.updated_at = utcnow()


def start_import(session: Session, agency: Agency, filename: str, content: bytes, created_by: str
                 ) -> ImportRun:
    """Check the file as far as that shows without reading its rows (import_file.check_upload)
    and record an ImportRun for a job to read and process (no commit). Raises ValidationFailed."""
    check_upload(filename, content)
    run = ImportRun(filename=filename[:200], sha256=hashlib.sha256(content).hexdigest(),
                    agency_id=agency.id, created_by=created_by, content=content)
    session.add(run)
    session.flush()
    return run


@dataclass
class ImportWork:
    """A run being worked through: its rows as (spreadsheet row number, fields), and the errors
    so far."""

    run: ImportRun
    agency: Agency
    rows: list[tuple[int, dict[str, str]]]
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)
    notices: dict[str, dict[str, str]] = field(default_factory=dict)


def begin_import(session: Session, run_id: int) -> ImportWork | None:
    """Claim the run ``run_id`` for this job (queued, or its last job died: see
    delivery.background_runs) and read its file: counts reset, state running, the rows with bad
    cells already counted as failed. None when there is nothing to do: no such run, it ended, or
    another job is working on it. Raises ValidationFailed for a file that cannot be imported (the
    caller ends the run as failed). No commit."""
    if not claim_run(session, ImportRun, run_id):
        return None
    run = session.get(ImportRun, run_id, populate_existing=True)
    table = read_rows(run.filename, run.content or b"")
    run.total = run.processed = run.failed_count = len(table.refused)
    run.total += len(table.rows)
    run.created_count, run.existing_count = 0, 0
    errors = {str(number): {"errors": refused, "dossier_code": "", "name": ""}
              for number, refused in table.refused.items()}
    return ImportWork(run, session.get(Agency, run.agency_id), table.rows, errors)


def import_batch(session: Session, work: ImportWork, rows: list[tuple[int, dict[str, str]]], *,
                 indicator: str) -> list[Consignment]:
    """Import ``rows`` of ``work``, each in a savepoint of its own: a row becomes a consignment
    completely or not at all, and a bad row is counted and its errors kept instead of raised. Rows
    already imported are recognised by their dossier code. Returns the consignments created (the
    caller writes what follows a creation). No commit: the caller commits between batches so
    progress shows. A row of another agency's dossier code is refused (its own error)."""
    created = [_import_row(session, work, row, number, indicator) for number, row in rows]
    _keep_outcomes(work)
    work.run.updated_at = utcnow()  # the heartbeat: this run's job is alive
    return [consignment for consignment in created if consignment is not None]


def finish_import(work: ImportWork) -> ImportRun:
    """Mark the run done and forget its file (it holds citizens' personal data). No commit."""
    _keep_outcomes(work)
    work.run.end("done")
    return work.run


def _keep_outcomes(work: ImportWork) -> None:
    work.run.row_errors = json.dumps(work.errors, ensure_ascii=False)
    work.run.row_notices = json.dumps(work.notices, ensure_ascii=False)


def fail_import(session: Session, run_id: int, reason: str) -> ImportRun | None:
    """End the run ``run_id`` as failed with ``reason`` (shown to the clerk: no personal data in
    it) and forget its file; a run already done stays done. None when there is no such run. No
    commit."""
    run = session.get(ImportRun, run_id, populate_existing=True)
    if run is not None and run.state != "done":
        run.end("failed", reason)
    return run


def _import_row(session: Session, work: ImportWork, row: dict[str, str], number: int,
                indicator: str) -> Consignment | None:
    """The row's consignment when this row created it, else None (already there, or refused)."""
    run, made = work.run, None
    try:
        with session.begin_nested():
            intake = parse_intake(body_from_fields(row, from_spreadsheet=True),
                                  agency_code=work.agency.code)
            consignment, created = create_consignment(session, intake, work.agency,
                                                      indicator=indicator)
        notice = converted_notice(intake.converted_from) if intake.converted_from else None
        if created or notice:
            work.notices[str(number)] = imported_entry(
                consignment.tracking_number if created else None, notice)
        run.created_count += created
        run.existing_count += not created
        made = consignment if created else None
    except DomainError as error:
        work.errors[str(number)] = refused_entry(row, error)
        run.failed_count += 1
    run.processed += 1
    return made


def get_import(session: Session, import_id: int, scope: Scope) -> ImportRun:
    """The import run when ``scope`` acts for its agency (delivery.access); NotFound otherwise."""
    run = session.get(ImportRun, import_id)
    if run is None or not (scope.everything or run.agency_id in scope.agency_ids):
        raise NotFound(f"không có lượt nhập / no import {import_id}")
    return run


def row_errors(run: ImportRun) -> dict[int, dict[str, str]]:
    """Errors (by field key) by spreadsheet row number, in row order."""
    return {row.number: row.errors for row in refused_rows(run.row_errors)}


def row_notices(run: ImportRun) -> dict[int, str]:
    """What the clerk should know of rows imported (text converted from TCVN3 or VNI), by
    spreadsheet row number, in row order."""
    return {number: entry["notice"] for number, entry in imported_rows(run.row_notices).items()
            if "notice" in entry}


FORGOTTEN_ROWS = "{}"


def forget_refused_rows(session: Session, days: int, now: datetime | None = None) -> int:
    """Erase the refused rows kept on import runs finished more than ``days`` days ago (no
    commit): a refused row is a citizen's name, phone and address that never became an item, so
    nothing else would ever erase it. The run keeps its counts and the items it created.
    Returns how many runs were cleared; idempotent."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = session.exec(update(ImportRun)
                          .where(col(ImportRun.finished_at) < cutoff,
                                 ImportRun.row_errors != FORGOTTEN_ROWS)
                          .values(row_errors=FORGOTTEN_ROWS))
    return result.rowcount
