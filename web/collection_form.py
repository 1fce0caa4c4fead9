"""The collection booking forms (the counter's templates/counter/new_collection.html and the
citizen's templates/collect_new.html): their fields as the forms name them, the document rows as
typed, and the booking's errors placed next to the field or the row they are about."""

from __future__ import annotations

import re
from typing import Any

from delivery.collection_fields import DocumentRows, document_rows
from delivery.collections import MAX_DOCUMENTS
from delivery.errors import DomainError, ValidationFailed
from delivery.typed_text import without_refused

from .i18n import gettext as _
from .i18n import lazy_gettext
from .intake_form import merged_messages

EMPTY_ROWS = 8  # rows on the form without script; the script adds more, up to MAX_DOCUMENTS
FIELDS = {"agency_code": lazy_gettext("Cơ quan giải quyết"),
          "dossier_code": lazy_gettext("Mã hồ sơ (nếu có)"),
          "procedure": lazy_gettext("Thủ tục"), "name": lazy_gettext("Công dân"),
          "phone": lazy_gettext("Điện thoại di động"),
          "national_id": lazy_gettext("Số CCCD"),
          "address": lazy_gettext("Địa chỉ nhận hồ sơ"),
          "window": lazy_gettext("Khung giờ"), "window_date": lazy_gettext("Ngày thu gom"),
          "window_from": lazy_gettext("Từ giờ"), "window_to": lazy_gettext("Đến giờ"),
          "documents": lazy_gettext("Danh mục giấy tờ"),
          "payer": lazy_gettext("Cước phí"), "amount_vnd": lazy_gettext("Số tiền (đồng)"),
          "note": lazy_gettext("Ghi chú cho bưu tá")}
# The booking body's fields (delivery.collection_fields.booking_body) by the form's names.
_FIELD_OF = {"citizen": "name", "citizen.name": "name", "citizen.phone": "phone",
             "citizen.national_id": "national_id", "address.street": "address",
             "address.text": "address", "ward_code": "address", "province_code": "address",
             "candidate": "address", "window.date": "window_date",
             "window.from": "window_from", "window.to": "window_to", "fee": "payer",
             "fee.payer": "payer", "fee.amount_vnd": "amount_vnd", "doc_name": "documents",
             "doc_copies": "documents"}
_DOCUMENT = re.compile(r"documents\.(\d+)\.\w+")


def row_field(number: int) -> str:
    """The form's name for a message about document row ``number``."""
    return f"documents.row.{number}"


def row_label(number: int) -> str:
    return _("Danh mục giấy tờ, dòng %(n)s", n=number)


def typed_rows(form: Any) -> list[tuple[str, str]]:
    """The document rows as typed (without refused characters), at most MAX_DOCUMENTS + 1 (one
    more is refused as too many, not cut)."""
    names, copies = form.getlist("doc_name"), form.getlist("doc_copies")
    count = min(max(len(names), len(copies)), MAX_DOCUMENTS + 1)
    names, copies = names + [""] * count, copies + [""] * count
    return [(without_refused(names[i]), without_refused(copies[i])) for i in range(count)]


def shown_rows(rows: list[tuple[str, str]], least: int = EMPTY_ROWS) -> list[tuple[str, str]]:
    """The rows to show again: as typed, in their places (a message names a row by its number),
    then empty ones up to ``least``."""
    return rows + [("", "")] * max(least - len(rows), 0)


def rows_of(form: Any) -> DocumentRows:
    return document_rows(typed_rows(form))


def _form_key(key: str, rows: DocumentRows) -> str:
    if match := _DOCUMENT.fullmatch(key):
        return row_field(rows.row_of(int(match[1])))
    key = _FIELD_OF.get(key, key)
    return key if key in FIELDS else ""


def form_errors(error: DomainError, rows: DocumentRows) -> dict[str, str]:
    """``error``'s messages by the form's field names ("" for one about no field): a document's
    by its row on the form."""
    if not isinstance(error, ValidationFailed):
        return {"": error.detail}
    return merged_messages((_form_key(key, rows), message) for key, message in error.errors.items())


def labels(errors: dict[str, str]) -> dict[str, str]:
    """FIELDS, with the names of the document rows ``errors`` speaks of."""
    found = {key: row_label(int(key.rsplit(".", 1)[1]))
             for key in errors if key.startswith("documents.row.")}
    return {**FIELDS, **found}
