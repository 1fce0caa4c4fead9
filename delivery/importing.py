"""Importing a day's results from a spreadsheet (CSV or Excel) at the counter.

Every row is its own unit: it becomes a consignment completely or not at all, a bad row never blocks
the good ones, and importing the same file again creates nothing new (intake is idempotent by
dossier code within the agency); a row whose dossier code is not the chosen agency's is refused.
Progress is kept on the ImportRun row so a page can show it while a job works through the file:
begin_import, then import_batch for each BATCH_ROWS rows, then finish_import; the job (web.tasks)
commits between the steps, these functions never do.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, Session, SQLModel

from .access import Scope
from .errors import DomainError, NotFound, ValidationFailed
from .intake import body_from_fields, create_consignment, parse_intake
from .models import Agency, Consignment, UTCDateTime, created_field, utcnow

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
BATCH_ROWS = 25  # rows per import_batch: the job commits after each, so a page shows the progress
# Column headers as counters write them (Vietnamese with or without diacritics, or English) -> our
# field.
HEADERS = {
    "dossier_code": ("ma_ho_so", "mã hồ sơ", "ma ho so", "dossier_code"),
    "procedure": ("thu_tuc", "thủ tục", "thu tuc", "procedure"),
    "name": ("ho_ten", "họ tên", "ho ten", "người nhận", "recipient_name", "name"),
    "phone": ("dien_thoai", "điện thoại", "dien thoai", "phone"),
    "national_id": ("cccd", "số cccd", "national_id"),
    "address": ("dia_chi", "địa chỉ", "dia chi", "address"),
    "payer": ("nguoi_tra", "người trả", "payer"),
    "amount_vnd": ("so_tien", "số tiền", "so tien", "amount_vnd"),
    "note": ("ghi_chu", "ghi chú", "ghi chu", "note"),
}


class ImportRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    filename: str = Field(max_length=200)
    sha256: str = Field(max_length=64, index=True)
    agency_id: int = Field(foreign_key="agency.id")
    created_by: str = Field(max_length=60)
    created_at: datetime = created_field()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    state: str = Field(default="queued", max_length=20)  # queued | running | done | failed
    total: int = 0
    processed: int = 0
    created_count: int = 0
    existing_count: int = 0
    failed_count: int = 0
    # JSON: row number -> {field: message}
    row_errors: str = Field(default="{}", max_length=1_000_000)
    # The uploaded file, kept only until it is processed: it holds citizens' personal data.
    content: bytes | None = Field(default=None, sa_type=LargeBinary)


def _field_of(header: str) -> str | None:
    key = header.strip().lower().replace("\ufeff", "")
    return next((field for field, names in HEADERS.items() if key in names), None)


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed({"file": "tệp CSV phải mã hóa UTF-8 / "
                                        "the CSV file must be UTF-8"}) from None
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds for a damaged file)
        raise ValidationFailed({"file": "không đọc được tệp Excel / "
                                        "the Excel file cannot be read"}) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield ["" if v is None else str(v) for v in row]
    finally:
        workbook.close()


def read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """The data rows of a CSV or XLSX file as {field: text}; raises ValidationFailed for an unusable
    file."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed({"file": "tệp quá 2 MB / the file is larger than 2 MB"})
    rows = _xlsx_rows(content) if filename.lower().endswith(".xlsx") else _csv_rows(content)
    header = next(rows, None)
    fields = [_field_of(h) for h in header or []]
    missing = {"dossier_code", "name", "phone", "address"} - set(fields)
    if missing:
        raise ValidationFailed({"file": "thiếu cột / missing columns: "
                                        + ", ".join(sorted(missing))})
    data = [{f: v.strip() for f, v in zip(fields, row, strict=False) if f}
            for row in rows if any(cell.strip() for cell in row)]
    if len(data) > MAX_ROWS:
        raise ValidationFailed({"file": f"tối đa {MAX_ROWS} dòng / at most {MAX_ROWS} rows"})
    return data


def start_import(session: Session, agency: Agency, filename: str, content: bytes, created_by: str
                 ) -> ImportRun:
    """Check the file and record an ImportRun to be processed (no commit). Raises
    ValidationFailed."""
    rows = read_rows(filename, content)
    run = ImportRun(filename=filename[:200], sha256=hashlib.sha256(content).hexdigest(),
                    agency_id=agency.id, created_by=created_by, total=len(rows), content=content)
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
    errors: dict[str, dict[str, str]] = field(default_factory=dict)


def begin_import(session: Session, run_id: int) -> ImportWork | None:
    """Start (or start again, after a crash) the run ``run_id``: counts reset, state running.
    None when there is nothing to do: no such run, or it is done (its file is forgotten then).
    No commit."""
    run = session.get(ImportRun, run_id)
    if run is None or run.state == "done" or run.content is None:
        return None
    run.state, run.processed = "running", 0
    run.created_count, run.existing_count, run.failed_count = 0, 0, 0
    rows = list(enumerate(read_rows(run.filename, run.content), start=2))  # row 1 is the header
    return ImportWork(run, session.get(Agency, run.agency_id), rows)


def import_batch(session: Session, work: ImportWork, rows: list[tuple[int, dict[str, str]]], *,
                 indicator: str) -> list[Consignment]:
    """Import ``rows`` of ``work``, each in a savepoint of its own: a row becomes a consignment
    completely or not at all, and a bad row is counted and its errors kept instead of raised. Rows
    already imported are recognised by their dossier code. Returns the consignments created (the
    caller writes what follows a creation). No commit: the caller commits between batches so
    progress shows. A row of another agency's dossier code is refused (its own error)."""
    created = [_import_row(session, work, row, number, indicator) for number, row in rows]
    work.run.row_errors = json.dumps(work.errors, ensure_ascii=False)
    return [consignment for consignment in created if consignment is not None]


def finish_import(work: ImportWork) -> ImportRun:
    """Mark the run done and forget its file (it holds citizens' personal data). No commit."""
    work.run.row_errors = json.dumps(work.errors, ensure_ascii=False)
    work.run.state, work.run.finished_at, work.run.content = "done", utcnow(), None
    return work.run


def _import_row(session: Session, work: ImportWork, row: dict[str, str], number: int,
                indicator: str) -> Consignment | None:
    """The row's consignment when this row created it, else None (already there, or refused)."""
    run, made = work.run, None
    try:
        with session.begin_nested():
            intake = parse_intake(body_from_fields(row), agency_code=work.agency.code)
            consignment, created = create_consignment(session, intake, work.agency,
                                                      indicator=indicator)
        run.created_count += created
        run.existing_count += not created
        made = consignment if created else None
    except DomainError as error:
        failed = error.errors if isinstance(error, ValidationFailed) else {"": error.detail}
        work.errors[str(number)] = failed
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
    """Errors by spreadsheet row number, in row order."""
    return {int(k): v for k, v in sorted(json.loads(run.row_errors or "{}").items(),
                                         key=lambda kv: int(kv[0]))}
