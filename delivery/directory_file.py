"""The directory file: agencies, offices (with the wards and the agencies they serve) and beats, one
row per record, as CSV or Excel. docs/directory.md describes it for the people who fill it in.

``import_directory`` is idempotent and goes row by row: each row is saved in a savepoint of its
own, so a bad row writes nothing while the others are still imported, and its errors are kept by
row number and field. Agencies are saved first, then offices, then beats, whatever the order of the
rows, so a counter may name an agency (and a beat its office) from anywhere in the file. Rows are
only ever created or updated: nothing missing from the file is deleted. ``export_directory`` writes
the same format, so a file exported and imported again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlmodel import Session, select

from .address.names import fold
from .beats import BeatEntry, beat_entries, save_beat
from .directory import (
    AgencyEntry,
    OfficeEntry,
    Saved,
    agency_entry,
    office_entry,
    save_agency,
    save_office,
)
from .directory_fields import (
    FIELD_LABELS,
    parse_agency_codes,
    parse_province_code,
    parse_ward_codes,
    text,
)
from .errors import DomainError, ValidationFailed
from .models import Agency, PostOffice
from .spreadsheet import read_table, write_table

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
COLUMNS = ("record", "code", "name", "kind", "province", "address", "hours", "wards", "serves",
           "office", "courier", "webhook_url")
# The columns each kind of record uses; a value in any other column is an error, not ignored.
USED_BY = {
    "agency": {"record", "code", "name", "province", "webhook_url"},
    "office": {"record", "code", "name", "kind", "province", "address", "hours", "wards", "serves"},
    "beat": {"record", "office", "code", "name", "wards", "courier"},
}
RECORD_NAMES = {"agency": ("cơ quan", "an agency"), "office": ("bưu cục", "an office"),
                "beat": ("tuyến phát", "a beat")}
# Headers and words as people may write them, folded (no diacritics, lower case; NFC or NFD alike).
_HEADERS = {alias: column for column, aliases in {
    "record": ("doi tuong", "record", "ban ghi", "loai ban ghi"),
    "code": ("ma", "ma so", "code"), "name": ("ten", "name"),
    "kind": ("loai buu cuc", "loai", "kind"),
    "province": ("tinh", "ma tinh", "tinh thanh pho", "province"),
    "address": ("dia chi", "address"), "hours": ("gio mo cua", "gio lam viec", "hours"),
    "wards": ("ma phuong xa", "phuong xa", "wards"),
    "serves": ("phuc vu co quan", "co quan phuc vu", "serves"),
    "office": ("buu cuc", "ma buu cuc", "office"), "courier": ("buu ta", "courier"),
    "webhook_url": ("webhook url", "webhook"),
}.items() for alias in aliases}
_RECORDS = {"agency": "agency", "co quan": "agency", "office": "office", "buu cuc": "office",
            "beat": "beat", "tuyen phat": "beat", "tuyen": "beat"}
_KINDS = {"quay": "counter", "quay mot cua": "counter", "khai thac": "hub",
          "trung tam khai thac": "hub", "phat": "delivery", "buu cuc phat": "delivery",
          "delivery office": "delivery"}
_ORDER = {"agency": 0, "office": 1, "beat": 2}

E = TypeVar("E")


@dataclass(frozen=True)
class DirectoryRow:
    number: int  # as the spreadsheet shows it; the header is row 1
    cells: dict[str, str]  # column -> text

    @property
    def record(self) -> str | None:
        return _RECORDS.get(fold(self.cells.get("record", "")))


@dataclass
class DirectoryImport:
    """What an import did. ``webhook_secrets``: agency code -> the secret it was just given, to be
    shown once."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: dict[int, dict[str, str]] = field(default_factory=dict)  # row -> field -> message
    webhook_secrets: dict[str, str] = field(default_factory=dict)


def read_directory(filename: str, content: bytes) -> list[DirectoryRow]:
    """The file's records. Raises ValidationFailed ("file") for a file that is not a directory:
    unreadable, too large, or without the record and code columns."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed({"file": "tệp quá 5 MB / the file is larger than 5 MB"})
    table = read_table(filename, content)
    if not table:
        raise ValidationFailed({"file": "tệp trống / the file is empty"})
    (_, header), body = table[0], table[1:]
    columns = [column_of(name) for name in header]
    missing = [FIELD_LABELS[c] for c in ("record", "code") if c not in columns]
    if missing:
        raise ValidationFailed({"file": "thiếu cột / missing columns: " + ", ".join(missing)})
    if len(body) > MAX_ROWS:
        raise ValidationFailed({"file": f"tối đa {MAX_ROWS} dòng / at most {MAX_ROWS} rows"})
    rows = []
    for number, cells in body:
        named: dict[str, str] = {}
        for column, value in zip(columns, cells, strict=False):
            if column:
                named.setdefault(column, value)  # a repeated column: the first one counts
        rows.append(DirectoryRow(number, named))
    return rows


def column_of(header: str) -> str | None:
    """The column a header names: "Mã / code", "Mã", "code", "MÃ" (NFC or NFD) all name code;
    None for a column the directory does not use (notes, say)."""
    for part in (header, *header.split("/")):
        if column := _HEADERS.get(fold(part)):
            return column
    return None


def import_directory(session: Session, rows: list[DirectoryRow]) -> DirectoryImport:
    """Save every row (no commit); see the module's docstring. Row errors are in the result, in
    row order; nothing is raised for a bad row."""
    report = DirectoryImport()
    first_rows: dict[tuple[str, ...], int] = {}
    for row in sorted(rows, key=lambda r: (_ORDER.get(r.record or "", -1), r.number)):
        try:
            _refuse_repeat(row, first_rows)
            with session.begin_nested():
                saved = _save_row(session, row)
        except DomainError as error:
            report.errors[row.number] = (error.errors if isinstance(error, ValidationFailed)
                                         else {"": error.detail})
            continue
        _count(report, saved)
    report.errors = dict(sorted(report.errors.items()))
    return report


def export_directory(session: Session, filename: str) -> bytes:
    """Every agency, then every office followed by its beats, as a .csv or .xlsx file's bytes
    (by ``filename``), with the headers people read (FIELD_LABELS)."""
    header = [FIELD_LABELS[column] for column in COLUMNS]
    return write_table(filename, header, [[cells.get(column, "") for column in COLUMNS]
                                          for cells in directory_rows(session)])


def directory_rows(session: Session) -> list[dict[str, str]]:
    """The directory as the file's rows (column -> text)."""
    rows = [_agency_cells(agency_entry(agency))
            for agency in session.exec(select(Agency).order_by(Agency.code))]
    for office in session.exec(select(PostOffice).order_by(PostOffice.code)).all():
        rows.append(_office_cells(office_entry(session, office)))
        rows.extend(_beat_cells(beat) for beat in beat_entries(session, office))
    return rows


# --- a row in ------------------------------------------------------------------------------------

def _save_row(session: Session, row: DirectoryRow) -> Saved[Any]:
    record = row.record
    if record is None:
        raise ValidationFailed({"record": "một trong / one of: agency, office, beat "
                                          "(cơ quan, bưu cục, tuyến phát)"})
    vietnamese, english = RECORD_NAMES[record]
    errors = {column: f"không dùng cho {vietnamese} / not used for {english}"
              for column, value in row.cells.items() if value and column not in USED_BY[record]}
    if record == "agency":
        return _save(session, save_agency, _agency(row.cells, errors), errors)
    if record == "office":
        return _save(session, save_office, _office(row.cells, errors), errors)
    return _save(session, save_beat, _beat(row.cells, errors), errors)


def _save(session: Session, save: Callable[[Session, E], Saved[Any]], entry: E,
          errors: dict[str, str]) -> Saved[Any]:
    if errors:
        raise ValidationFailed(errors)
    return save(session, entry)


def _agency(cells: dict[str, str], errors: dict[str, str]) -> AgencyEntry:
    return AgencyEntry(cells.get("code", ""), cells.get("name", ""),
                       _parsed(parse_province_code, cells.get("province", ""), errors, None),
                       cells.get("webhook_url") or None)


def _office(cells: dict[str, str], errors: dict[str, str]) -> OfficeEntry:
    kind = cells.get("kind", "")
    return OfficeEntry(cells.get("code", ""), cells.get("name", ""), _KINDS.get(fold(kind), kind),
                       _parsed(parse_province_code, cells.get("province", ""), errors, None),
                       cells.get("address", ""), cells.get("hours", ""),
                       _parsed(parse_ward_codes, cells.get("wards", ""), errors, ()),
                       parse_agency_codes(cells.get("serves", "")))


def _beat(cells: dict[str, str], errors: dict[str, str]) -> BeatEntry:
    return BeatEntry(cells.get("office", ""), cells.get("code", ""), cells.get("name", ""),
                     _parsed(parse_ward_codes, cells.get("wards", ""), errors, ()),
                     cells.get("courier", ""))


def _parsed(parse: Callable[[str], Any], value: str, errors: dict[str, str], default: Any) -> Any:
    try:
        return parse(value)
    except ValidationFailed as error:
        errors.update(error.errors)
        return default


def _refuse_repeat(row: DirectoryRow, first_rows: dict[tuple[str, ...], int]) -> None:
    """A second row for the same record is refused, naming the first (which alone counts)."""
    code = text(row.cells.get("code"))
    if not code or row.record is None:
        return
    key = ((row.record, code.upper()) if row.record != "beat"
           else (row.record, text(row.cells.get("office")), code))
    first = first_rows.setdefault(key, row.number)
    if first != row.number:
        raise ValidationFailed({"code": f"trùng với dòng {first} / the same "
                                        f"{row.record} as row {first}"})


def _count(report: DirectoryImport, saved: Saved[Any]) -> None:
    if saved.created:
        report.created += 1
    elif saved.changed:
        report.updated += 1
    else:
        report.unchanged += 1
    if saved.webhook_secret:
        report.webhook_secrets[saved.record.code] = saved.webhook_secret


# --- a row out -----------------------------------------------------------------------------------

def _agency_cells(entry: AgencyEntry) -> dict[str, str]:
    return {"record": "agency", "code": entry.code, "name": entry.name,
            "province": _province_text(entry.province_code),
            "webhook_url": entry.webhook_url or ""}


def _office_cells(entry: OfficeEntry) -> dict[str, str]:
    return {"record": "office", "code": entry.code, "name": entry.name, "kind": entry.kind,
            "province": _province_text(entry.province_code), "address": entry.address,
            "hours": entry.hours, "wards": _wards_text(entry.wards),
            "serves": "; ".join(entry.serves)}


def _beat_cells(entry: BeatEntry) -> dict[str, str]:
    return {"record": "beat", "office": entry.office, "code": entry.code, "name": entry.name,
            "wards": _wards_text(entry.wards), "courier": entry.courier}


def _province_text(code: int | None) -> str:
    return "" if code is None else f"{code:02d}"


def _wards_text(codes: tuple[int, ...]) -> str:
    return "; ".join(f"{code:05d}" for code in codes)
