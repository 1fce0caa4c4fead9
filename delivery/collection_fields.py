"""A collection's booking body (delivery.collections.parse_collection, the API's shape) from the
flat text fields of a form: the counter's booking page and the citizen's on the public site.

The documents come as rows of (name, copies) as typed; empty rows are left out, and
``DocumentRows.numbers`` says which row of the form each document of the body came from, so a
message about the body's third document can name the row the person typed it on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .intake_address import chosen_ward_address
from .vnd_amount import parse_vnd


@dataclass(frozen=True)
class DocumentRows:
    documents: list[dict[str, Any]]
    numbers: list[int]  # the form's row number (1-based) of each document

    def row_of(self, number: int) -> int:
        """The form's row of the body's document ``number`` (1-based)."""
        return self.numbers[number - 1] if 0 < number <= len(self.numbers) else number


def document_rows(rows: Sequence[tuple[str, str]]) -> DocumentRows:
    """The non-empty rows as ``[{"name", "copies"}]``: copies as a whole number when written so,
    1 when left empty, else as written (parse_checklist refuses it, naming the row)."""
    documents, numbers = [], []
    for number, (name, copies) in enumerate(rows, start=1):
        name, copies = name.strip(), copies.strip()
        if not name and not copies:
            continue
        entry: dict[str, Any] = {"name": name}
        if copies:
            entry["copies"] = int(copies) if copies.isascii() and copies.isdigit() and \
                len(copies) <= 4 else copies
        documents.append(entry)
        numbers.append(number)
    return DocumentRows(documents, numbers)


def _code(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def address_of(fields: Mapping[str, str]) -> str | dict[str, Any]:
    """The address as written, or, when a ward was picked among its candidates (``ward_code`` and
    ``province_code`` set by the page's script, or the ``candidate`` radio "ward:province" sent
    without script), the structured address with that ward."""
    written = fields.get("address", "").strip()
    ward, province = _code(fields.get("ward_code", "")), _code(fields.get("province_code", ""))
    if (ward is None or province is None) and ":" in fields.get("candidate", ""):
        ward, province = (_code(part) for part in fields["candidate"].split(":", 1))
    if ward is not None and province is not None and written:
        return chosen_ward_address(written, ward, province)
    return written


def _fee(fields: Mapping[str, str]) -> dict[str, Any] | None:
    if not fields.get("payer"):
        return None
    written = fields.get("amount_vnd", "").strip()
    amount = parse_vnd(written) if written else 0
    # the text as written where it is no amount: parse_collection refuses it
    return {"payer": fields["payer"], "amount_vnd": written if amount is None else amount}


def booking_body(fields: Mapping[str, str], documents: DocumentRows) -> dict[str, Any]:
    """The booking body from the form's fields: agency_code (not in the body), dossier_code,
    procedure, name, phone, national_id, address (+ ward_code/province_code or candidate),
    window_date, window_from, window_to, payer, amount_vnd (as people write it:
    delivery.vnd_amount), note; and the document rows."""
    body: dict[str, Any] = {
        "procedure": fields.get("procedure") or None,
        "citizen": {"name": fields.get("name", ""), "phone": fields.get("phone", ""),
                    "national_id": fields.get("national_id") or None},
        "address": address_of(fields),
        "window": {"date": fields.get("window_date", "").strip(),
                   "from": fields.get("window_from", "").strip(),
                   "to": fields.get("window_to", "").strip()},
        "documents": documents.documents,
        "note": fields.get("note") or None,
    }
    if code := fields.get("dossier_code", "").strip():
        body["dossier_code"] = code
    if fee := _fee(fields):
        body["fee"] = fee
    return body
