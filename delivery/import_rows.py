"""The rows of an import run as the clerk reads them once it ends, and the fix of an ambiguous one.

What is kept of a row lives as JSON on the ImportRun (no personal data beyond what its items hold):
- ``row_errors``: row number -> a refused row: ``{"errors": {field: message}, "dossier_code",
  "name"}``, plus ``"candidates"`` and the row's ``"fields"`` when only its address was unsure (an
  old ward split between new wards): the clerk picks the ward and the row is created in place.
  Runs imported before this kept ``{field: message}`` alone; both are read.
- ``row_notices``: row number -> a row imported: ``{"tracking_number"}`` when it created its item,
  ``"notice"`` what the clerk should know of it (text converted from TCVN3 or VNI). Older runs
  kept the notice alone as a string; both are read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from .errors import AddressNotResolved, DomainError, NotFound, ValidationFailed
from .intake import body_from_fields, create_consignment, parse_intake
from .intake_address import chosen_ward_address
from .models import Agency, Consignment

if TYPE_CHECKING:
    from .importing import ImportRun

NOT_A_CANDIDATE = ("chọn một trong các phường/xã được gợi ý / choose one of the wards offered")
NOT_WAITING = "dòng này không chờ chọn phường/xã / this row is not waiting for a ward"


@dataclass(frozen=True)
class RefusedRow:
    """A row the import refused: by its number, dossier code and recipient as written (empty
    when unreadable), its errors by field key, and the wards it could be (empty unless choosing
    one is all it needs)."""

    number: int
    dossier_code: str
    name: str
    errors: dict[str, str]
    candidates: list[dict[str, Any]] = field(default_factory=list)


def refused_entry(row: dict[str, str], error: DomainError) -> dict[str, Any]:
    """What is kept of ``row`` refused with ``error``: the row itself only when the clerk can
    create it by picking a ward (an unsure address with candidates)."""
    errors = error.errors if isinstance(error, ValidationFailed) else {"": error.detail}
    entry: dict[str, Any] = {"errors": errors, "dossier_code": row.get("dossier_code", ""),
                             "name": row.get("name", "")}
    if isinstance(error, AddressNotResolved) and error.candidates:
        entry |= {"candidates": error.candidates, "fields": row}
    return entry


def imported_entry(tracking_number: str | None, notice: str | None) -> dict[str, str]:
    """What is kept of a row imported: its item's number when it created one, and its notice."""
    entry = {"tracking_number": tracking_number, "notice": notice}
    return {key: value for key, value in entry.items() if value}


def refused_rows(stored: str | None) -> list[RefusedRow]:
    """The refused rows kept in ``stored`` (ImportRun.row_errors), in row order."""
    rows = []
    for number, value in by_row(stored).items():
        entry = value if isinstance(value.get("errors"), dict) else {"errors": value}
        rows.append(RefusedRow(number, entry.get("dossier_code", ""), entry.get("name", ""),
                               entry["errors"], entry.get("candidates", [])))
    return rows


def imported_rows(stored: str | None) -> dict[int, dict[str, str]]:
    """Row number -> ``{"tracking_number"?, "notice"?}`` of ImportRun.row_notices, in row order."""
    return {number: value if isinstance(value, dict) else {"notice": value}
            for number, value in by_row(stored).items()}


def created_items(session: Session, agency_id: int, stored: str | None
                  ) -> list[tuple[int, Consignment]]:
    """(row number, item) of the items a run created for the agency ``agency_id``, in row order
    (an item since erased is left out)."""
    numbers = {entry["tracking_number"]: row for row, entry in imported_rows(stored).items()
               if "tracking_number" in entry}
    found = session.exec(select(Consignment).where(
        col(Consignment.tracking_number).in_(list(numbers)),
        Consignment.agency_id == agency_id)).all()
    return sorted(((numbers[c.tracking_number], c) for c in found), key=lambda pair: pair[0])


def create_with_ward(session: Session, run: ImportRun, number: int, ward_code: int,
                     province_code: int, *, indicator: str) -> tuple[Consignment, bool]:
    """Create the item of ``run``'s refused row ``number`` with the ward the clerk picked among
    its candidates (the address as written is kept); the row then counts as created (or existing,
    when its dossier code was registered since). Returns (item, created). Raises NotFound when
    the row is not waiting for a ward, ValidationFailed when the ward is not one offered, the
    intake's errors otherwise. No commit."""
    refused = json.loads(run.row_errors or "{}")
    entry = refused.get(str(number))
    if run.state != "done" or not isinstance(entry, dict) or "fields" not in entry:
        raise NotFound(NOT_WAITING)
    if not any(c["ward"]["code"] == ward_code and c["province"]["code"] == province_code
               for c in entry["candidates"]):
        raise ValidationFailed({"ward_code": NOT_A_CANDIDATE})
    agency = session.get(Agency, run.agency_id)
    body = body_from_fields(entry["fields"], from_spreadsheet=True)
    body["address"] = chosen_ward_address(body["address"], ward_code, province_code)
    intake = parse_intake(body, agency_code=agency.code)
    consignment, created = create_consignment(session, intake, agency, indicator=indicator)
    del refused[str(number)]
    imported = json.loads(run.row_notices or "{}")
    imported[str(number)] = imported_entry(consignment.tracking_number if created else None,
                                           None)
    run.row_errors = json.dumps(refused, ensure_ascii=False)
    run.row_notices = json.dumps(imported, ensure_ascii=False)
    run.failed_count -= 1
    run.created_count += created
    run.existing_count += not created
    return consignment, created


def by_row(stored: str | None) -> dict[int, Any]:
    """A JSON object keyed by row number, as ints in row order."""
    return {int(k): v for k, v in sorted(json.loads(stored or "{}").items(),
                                         key=lambda kv: int(kv[0]))}
